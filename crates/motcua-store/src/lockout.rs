//! Failed sign-ins under names no account has, counted and locked exactly as an account's
//! (`access::record_login_failure`): ten in a row lock the name for fifteen minutes. So the
//! sign-in answers the same whether an account exists or not, and its name cannot be found
//! out by trying ([`SqlStore::record_unknown_login`]).

use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, LOCKOUT_MINUTES, LOCKOUT_THRESHOLD};
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::access::audit;
use crate::sql::stmt;
use crate::{SqlStore, StoreError};

/// The longest name kept (characters): longer names are counted under their first 64.
pub const MAX_NAME_CHARS: usize = 64;

/// Sign-in failures of unknown names.
impl SqlStore {
    /// Counts a failed sign-in under `name`, which no account has, as an account's failure
    /// is counted: the name locks at the threshold. While it is locked nothing is counted.
    /// Audited (`login.unknown`, `login.locked`, `login.refused_locked`). Returns the end of
    /// the lock when the name is locked now.
    pub async fn record_unknown_login(
        &self,
        name: &str,
        ctx: &AuditContext,
    ) -> Result<Option<Timestamp>, StoreError> {
        let name: String = name.trim().chars().take(MAX_NAME_CHARS).collect();
        let txn = self.db.begin().await?;
        let row = txn
            .query_one_raw(stmt(
                &txn,
                "SELECT failed_logins, locked_until FROM login_failures WHERE name = $1",
                vec![name.as_str().into()],
            ))
            .await?;
        let (failed, locked): (i64, Option<i64>) = match &row {
            Some(r) => (
                r.try_get("", "failed_logins")?,
                r.try_get("", "locked_until")?,
            ),
            None => (0, None),
        };
        if let Some(until) = locked.map(Timestamp::from_micros)
            && until > ctx.at
        {
            let none = serde_json::Value::Null;
            audit(&txn, ctx, "login.refused_locked", &name, &none, &none).await?;
            txn.commit().await?;
            return Ok(Some(until));
        }
        // Counted in the row itself, as `users.failed_logins` is: concurrent failures all count.
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO login_failures (name, failed_logins) VALUES ($1, 1)
             ON CONFLICT (name) DO UPDATE SET failed_logins = login_failures.failed_logins + 1",
            vec![name.as_str().into()],
        ))
        .await?;
        let failed: i64 = txn
            .query_one_raw(stmt(
                &txn,
                "SELECT failed_logins FROM login_failures WHERE name = $1",
                vec![name.as_str().into()],
            ))
            .await?
            .map(|r| r.try_get("", "failed_logins"))
            .transpose()?
            .unwrap_or(failed + 1);
        let mut until = None;
        let mut action = "login.unknown";
        if failed >= i64::from(LOCKOUT_THRESHOLD) {
            // The counter restarts: after the lock, ten more tries before the next one.
            let end = Timestamp::from_micros(ctx.at.as_micros() + LOCKOUT_MINUTES * 60_000_000);
            txn.execute_raw(stmt(
                &txn,
                "UPDATE login_failures SET failed_logins = 0, locked_until = $1 WHERE name = $2",
                vec![end.as_micros().into(), name.as_str().into()],
            ))
            .await?;
            until = Some(end);
            action = "login.locked";
        }
        audit(
            &txn,
            ctx,
            action,
            &name,
            &serde_json::Value::Null,
            &serde_json::json!({
                "failed_logins": failed,
                "locked_until": until.map(|t| t.to_rfc3339()),
            }),
        )
        .await?;
        txn.commit().await?;
        Ok(until)
    }
}
