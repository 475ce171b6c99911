//! Settings an administrator changes without a release (the report's targets), audited.

use motcua_core::access::AuditContext;
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::StoreError;
use crate::access::audit;
use crate::sql::{SqlStore, stmt};

impl SqlStore {
    /// A setting's value (`None` when never set).
    pub async fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        let db = &self.db;
        let row = db
            .query_one_raw(stmt(
                db,
                "SELECT value FROM settings WHERE name = $1",
                vec![name.into()],
            ))
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("", "value")?),
            None => None,
        })
    }

    /// Sets a setting (audited with its value before and after).
    pub async fn set_setting(
        &self,
        name: &str,
        value: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        let before = txn
            .query_one_raw(stmt(
                &txn,
                "SELECT value FROM settings WHERE name = $1",
                vec![name.into()],
            ))
            .await?
            .map(|r| r.try_get::<String>("", "value"))
            .transpose()?;
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO settings (name, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO UPDATE SET value = $2, updated_at = $3, updated_by = $4",
            vec![
                name.into(),
                value.into(),
                ctx.at.as_micros().into(),
                ctx.actor.clone().into(),
            ],
        ))
        .await?;
        audit(
            &txn,
            ctx,
            "settings.set",
            name,
            &serde_json::json!(before),
            &serde_json::json!(value),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
