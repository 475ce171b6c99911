//! Accounts, sessions, API tokens and the audit trail in SQL (the [`crate::SqlStore`] methods
//! of that concern).

use motcua_core::Timestamp;
use motcua_core::access::{
    AuditContext, Credential, LOCKOUT_MINUTES, LOCKOUT_THRESHOLD, Principal, Role, User, Username,
};
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, QueryResult, Statement, TransactionTrait, Value};

use crate::StoreError;
use crate::sql::SqlStore;

/// A new account; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub unit: UnitCode,
    pub role: Role,
    pub password_hash: String,
}

/// A new sign-in session; only the hash of its cookie value is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub csrf: String,
    pub expires_at: Timestamp,
}

/// A new API token; only its hash is stored.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub token_hash: String,
    pub unit: UnitCode,
    pub write: bool,
}

/// A statement in the common dialect (`$N` placeholders) for the connection's backend.
pub(crate) fn stmt<C: ConnectionTrait>(conn: &C, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(conn.get_database_backend(), sql, values)
}

/// Appends one record to the audit trail.
pub(crate) async fn audit<C: ConnectionTrait>(
    conn: &C,
    ctx: &AuditContext,
    action: &str,
    target: &str,
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Result<(), StoreError> {
    conn.execute_raw(stmt(
        conn,
        "INSERT INTO audit_log (at, actor, remote_addr, action, target, before_value, after_value)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            ctx.at.as_micros().into(),
            ctx.actor.as_str().into(),
            ctx.remote_addr.clone().into(),
            action.into(),
            target.into(),
            before.to_string().into(),
            after.to_string().into(),
        ],
    ))
    .await?;
    Ok(())
}

const USER_COLUMNS: &str = "id, username, display_name, unit_code, role, failed_logins, \
     locked_until, password_hash, disabled, must_change_password";

pub(crate) fn corrupt(key: &str, reason: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table: "users",
        key: key.to_owned(),
        reason: reason.to_string(),
    }
}

fn user_row(row: &QueryResult) -> Result<(User, String), StoreError> {
    let name: String = row.try_get("", "username")?;
    let unit: String = row.try_get("", "unit_code")?;
    let role: String = row.try_get("", "role")?;
    let failed: i64 = row.try_get("", "failed_logins")?;
    let locked: Option<i64> = row.try_get("", "locked_until")?;
    let user = User {
        id: row.try_get("", "id")?,
        username: Username::parse(&name).map_err(|e| corrupt(&name, e))?,
        display_name: row.try_get("", "display_name")?,
        unit: UnitCode::parse(&unit).map_err(|e| corrupt(&name, e))?,
        role: Role::parse(&role).ok_or_else(|| corrupt(&name, format!("vai trò {role}")))?,
        failed_logins: u32::try_from(failed).unwrap_or(u32::MAX),
        locked_until: locked.map(Timestamp::from_micros),
        disabled: row.try_get("", "disabled")?,
        must_change_password: row.try_get("", "must_change_password")?,
    };
    Ok((user, row.try_get("", "password_hash")?))
}

/// What the audit trail shows of an account (never the password hash).
pub(crate) fn user_json(u: &User) -> serde_json::Value {
    serde_json::json!({
        "username": u.username.as_str(),
        "display_name": u.display_name,
        "unit": u.unit.as_str(),
        "role": u.role.as_str(),
    })
}

pub(crate) async fn user_by_id<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<User>, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn,
            &format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"),
            vec![id.into()],
        ))
        .await?;
    Ok(row.as_ref().map(user_row).transpose()?.map(|(u, _)| u))
}

impl SqlStore {
    /// Creates an account (audited, without the password hash).
    pub async fn create_user(&self, new: &NewUser, ctx: &AuditContext) -> Result<User, StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        let row = txn
            .query_one_raw(stmt(
                &txn,
                "INSERT INTO users (username, display_name, unit_code, role, password_hash, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vec![
                    new.username.as_str().into(),
                    new.display_name.as_str().into(),
                    new.unit.as_str().into(),
                    new.role.as_str().into(),
                    new.password_hash.as_str().into(),
                    ctx.at.as_micros().into(),
                ],
            ))
            .await?
            .ok_or_else(|| corrupt(new.username.as_str(), "no id returned"))?;
        let id: i64 = row.try_get("", "id")?;
        let user = user_by_id(&txn, id)
            .await?
            .ok_or_else(|| corrupt(new.username.as_str(), "not found after insert"))?;
        audit(
            &txn,
            ctx,
            "user.create",
            user.username.as_str(),
            &serde_json::Value::Null,
            &user_json(&user),
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }

    /// An account and its password hash, by user name.
    pub async fn user_by_name(
        &self,
        name: &Username,
    ) -> Result<Option<(User, String)>, StoreError> {
        let conn = &self.db;
        let row = conn
            .query_one_raw(stmt(
                conn,
                &format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"),
                vec![name.as_str().into()],
            ))
            .await?;
        row.as_ref().map(user_row).transpose()
    }

    /// Every account, by user name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let conn = &self.db;
        let rows = conn
            .query_all_raw(stmt(
                conn,
                &format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"),
                vec![],
            ))
            .await?;
        rows.iter().map(|r| user_row(r).map(|(u, _)| u)).collect()
    }

    /// Replaces an account's password hash, ends its sessions, clears a lock (audited).
    pub async fn set_password(
        &self,
        user_id: i64,
        hash: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        let user = user_by_id(&txn, user_id)
            .await?
            .ok_or_else(|| corrupt(&user_id.to_string(), "no such user"))?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL,
                must_change_password = FALSE WHERE id = $2",
            vec![hash.into(), user_id.into()],
        ))
        .await?;
        // Other sessions of the account end with the old password.
        txn.execute_raw(stmt(
            &txn,
            "DELETE FROM sessions WHERE user_id = $1",
            vec![user_id.into()],
        ))
        .await?;
        let changed = serde_json::json!({ "password": "(đã đổi)" });
        audit(
            &txn,
            ctx,
            "user.password",
            user.username.as_str(),
            &serde_json::Value::Null,
            &changed,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Counts a wrong password; locks the account at the threshold (audited). Returns the
    /// account as it now is.
    pub async fn record_login_failure(
        &self,
        user_id: i64,
        ctx: &AuditContext,
    ) -> Result<User, StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1",
            vec![user_id.into()],
        ))
        .await?;
        let mut user = user_by_id(&txn, user_id)
            .await?
            .ok_or_else(|| corrupt(&user_id.to_string(), "no such user"))?;
        let mut action = "login.failure";
        if user.failed_logins >= LOCKOUT_THRESHOLD {
            let until = Timestamp::from_micros(ctx.at.as_micros() + LOCKOUT_MINUTES * 60_000_000);
            // The counter restarts: after the lock, ten more tries before the next one.
            txn.execute_raw(stmt(
                &txn,
                "UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2",
                vec![until.as_micros().into(), user_id.into()],
            ))
            .await?;
            user.locked_until = Some(until);
            action = "login.locked";
        }
        audit(
            &txn,
            ctx,
            action,
            user.username.as_str(),
            &serde_json::Value::Null,
            &serde_json::json!({
                "failed_logins": user.failed_logins,
                "locked_until": user.locked_until.map(|t| t.to_rfc3339()),
            }),
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }

    /// A successful sign-in: resets the failures and opens a session (audited).
    pub async fn start_session(
        &self,
        user_id: i64,
        session: &NewSession,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
            vec![user_id.into()],
        ))
        .await?;
        txn.execute_raw(stmt(
            &txn,
            "DELETE FROM sessions WHERE expires_at < $1",
            vec![ctx.at.as_micros().into()],
        ))
        .await?;
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            vec![
                session.token_hash.as_str().into(),
                user_id.into(),
                session.csrf.as_str().into(),
                ctx.at.as_micros().into(),
                session.expires_at.as_micros().into(),
            ],
        ))
        .await?;
        let user = user_by_id(&txn, user_id)
            .await?
            .ok_or_else(|| corrupt(&user_id.to_string(), "no such user"))?;
        audit(
            &txn,
            ctx,
            "login.success",
            user.username.as_str(),
            &serde_json::Value::Null,
            &serde_json::Value::Null,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The account of a live session, with the session's CSRF token.
    pub async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(User, String)>, StoreError> {
        let conn = &self.db;
        let row = conn
            .query_one_raw(stmt(
                conn,
                "SELECT user_id, csrf FROM sessions WHERE token_hash = $1 AND expires_at > $2",
                vec![token_hash.into(), now.as_micros().into()],
            ))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let user_id: i64 = row.try_get("", "user_id")?;
        let csrf: String = row.try_get("", "csrf")?;
        // A disabled account's sessions end when it is disabled; none is honoured after.
        Ok(user_by_id(conn, user_id)
            .await?
            .filter(|u| !u.disabled)
            .map(|u| (u, csrf)))
    }

    /// Ends a session (audited).
    pub async fn end_session(
        &self,
        token_hash: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "DELETE FROM sessions WHERE token_hash = $1",
            vec![token_hash.into()],
        ))
        .await?;
        audit(
            &txn,
            ctx,
            "logout",
            &ctx.actor,
            &serde_json::Value::Null,
            &serde_json::Value::Null,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Creates an API token (audited).
    pub async fn create_token(&self, new: &NewToken, ctx: &AuditContext) -> Result<(), StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO api_tokens (name, token_hash, unit_code, can_write, created_at)
             VALUES ($1, $2, $3, $4, $5)",
            vec![
                new.name.as_str().into(),
                new.token_hash.as_str().into(),
                new.unit.as_str().into(),
                new.write.into(),
                ctx.at.as_micros().into(),
            ],
        ))
        .await?;
        audit(
            &txn,
            ctx,
            "token.create",
            &new.name,
            &serde_json::Value::Null,
            &serde_json::json!({ "unit": new.unit.as_str(), "write": new.write }),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The principal of a live API token.
    pub async fn token(&self, token_hash: &str) -> Result<Option<Principal>, StoreError> {
        let conn = &self.db;
        let row = conn
            .query_one_raw(stmt(
                conn,
                "SELECT id, name, unit_code, can_write FROM api_tokens
                 WHERE token_hash = $1 AND revoked_at IS NULL",
                vec![token_hash.into()],
            ))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let name: String = row.try_get("", "name")?;
        let unit: String = row.try_get("", "unit_code")?;
        Ok(Some(Principal {
            id: row.try_get("", "id")?,
            unit: UnitCode::parse(&unit).map_err(|e| corrupt(&name, e))?,
            credential: Credential::Token {
                write: row.try_get("", "can_write")?,
            },
            name,
        }))
    }

    /// Revokes an API token by name (audited); false when there was none live.
    pub async fn revoke_token(&self, name: &str, ctx: &AuditContext) -> Result<bool, StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        let done = txn
            .execute_raw(stmt(
                &txn,
                "UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
                vec![ctx.at.as_micros().into(), name.into()],
            ))
            .await?;
        let revoked = done.rows_affected() > 0;
        if revoked {
            audit(
                &txn,
                ctx,
                "token.revoke",
                name,
                &serde_json::Value::Null,
                &serde_json::Value::Null,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(revoked)
    }

    /// Appends an audit record for an event that writes nothing else (a refused sign-in).
    pub async fn record_audit(
        &self,
        ctx: &AuditContext,
        action: &str,
        target: &str,
    ) -> Result<(), StoreError> {
        let (none, none2) = (serde_json::Value::Null, serde_json::Value::Null);
        audit(&self.db, ctx, action, target, &none, &none2).await
    }
}
