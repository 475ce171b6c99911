//! An administrator's work on accounts (the [`crate::SqlStore`] methods of that concern):
//! full name, unit and role, disabling and re-enabling, lifting a lock, a new password to be
//! changed at the next sign-in. Each writes its audit record in its own transaction.

use motcua_core::access::{AuditContext, Role, User};
use motcua_core::audit::AuditAction;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::StoreError;
use crate::access::{audit, corrupt, stmt, user_by_id, user_json};
use crate::sql::SqlStore;

impl SqlStore {
    /// An account by its id.
    pub async fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        user_by_id(&self.db, id).await
    }

    /// Changes an account's full name, unit and role (audited: the fields that changed,
    /// before and after). Its sessions end when the unit or the role changes, so that no
    /// session keeps rights the account has lost.
    pub async fn update_user(
        &self,
        id: i64,
        display_name: &str,
        unit: &UnitCode,
        role: Role,
        ctx: &AuditContext,
    ) -> Result<User, StoreError> {
        let txn = self.db.begin().await?;
        let old = existing_user(&txn, id, "no such user").await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE users SET display_name = $1, unit_code = $2, role = $3 WHERE id = $4",
            vec![
                display_name.into(),
                unit.as_str().into(),
                role.as_str().into(),
                id.into(),
            ],
        ))
        .await?;
        if old.unit != *unit || old.role != role {
            end_sessions(&txn, id).await?;
        }
        let new = existing_user(&txn, id, "not found after update").await?;
        let (before, after) = changed_fields(&user_json(&old), &user_json(&new));
        if !after.as_object().is_some_and(serde_json::Map::is_empty) {
            audit(
                &txn,
                ctx,
                &AuditAction::UserUpdate.as_str(),
                new.username.as_str(),
                &before,
                &after,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(new)
    }

    /// Disables (`true`) or re-enables an account (audited). Disabling ends its sessions.
    pub async fn set_user_disabled(
        &self,
        id: i64,
        disabled: bool,
        ctx: &AuditContext,
    ) -> Result<User, StoreError> {
        let txn = self.db.begin().await?;
        let old = existing_user(&txn, id, "no such user").await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE users SET disabled = $1 WHERE id = $2",
            vec![disabled.into(), id.into()],
        ))
        .await?;
        if disabled {
            end_sessions(&txn, id).await?;
        }
        let action = if disabled {
            AuditAction::UserDisable
        } else {
            AuditAction::UserEnable
        };
        audit(
            &txn,
            ctx,
            &action.as_str(),
            old.username.as_str(),
            &serde_json::json!({ "disabled": old.disabled }),
            &serde_json::json!({ "disabled": disabled }),
        )
        .await?;
        txn.commit().await?;
        Ok(User { disabled, ..old })
    }

    /// Lifts a lock after wrong passwords (audited).
    pub async fn unlock_user(&self, id: i64, ctx: &AuditContext) -> Result<User, StoreError> {
        let txn = self.db.begin().await?;
        let old = existing_user(&txn, id, "no such user").await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
            vec![id.into()],
        ))
        .await?;
        audit(
            &txn,
            ctx,
            &AuditAction::UserUnlock.as_str(),
            old.username.as_str(),
            &serde_json::json!({
                "failed_logins": old.failed_logins,
                "locked_until": old.locked_until.map(|t| t.to_rfc3339()),
            }),
            &serde_json::json!({ "failed_logins": 0, "locked_until": null }),
        )
        .await?;
        txn.commit().await?;
        Ok(User {
            failed_logins: 0,
            locked_until: None,
            ..old
        })
    }

    /// An administrator's new password for an account: stored hashed, to be changed at the
    /// next sign-in; the account's sessions end and a lock after wrong passwords is lifted
    /// (audited, without the password).
    pub async fn reset_password(
        &self,
        id: i64,
        hash: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let user = existing_user(&txn, id, "no such user").await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL,
                must_change_password = TRUE WHERE id = $2",
            vec![hash.into(), id.into()],
        ))
        .await?;
        end_sessions(&txn, id).await?;
        audit(
            &txn,
            ctx,
            &AuditAction::UserPasswordReset.as_str(),
            user.username.as_str(),
            &serde_json::Value::Null,
            &serde_json::json!({ "password": "(cấp lại)", "must_change_password": true }),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

async fn end_sessions<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<(), StoreError> {
    conn.execute_raw(stmt(
        conn,
        "DELETE FROM sessions WHERE user_id = $1",
        vec![user_id.into()],
    ))
    .await?;
    Ok(())
}

/// The fields of two records that differ: (before, after), each an object of those fields.
fn changed_fields(
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> (serde_json::Value, serde_json::Value) {
    let (mut before, mut after) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(o), Some(n)) = (old.as_object(), new.as_object()) {
        for (k, v) in n {
            if o.get(k) != Some(v) {
                before.insert(
                    k.clone(),
                    o.get(k).cloned().unwrap_or(serde_json::Value::Null),
                );
                after.insert(k.clone(), v.clone());
            }
        }
    }
    (before.into(), after.into())
}

/// The account `id`, which the caller knows exists (`when` says at which point of the write it
/// was missing, for the operator).
async fn existing_user<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    when: &str,
) -> Result<User, StoreError> {
    user_by_id(conn, id)
        .await?
        .ok_or_else(|| corrupt(&id.to_string(), when))
}
