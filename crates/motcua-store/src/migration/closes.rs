//! Month close.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

use super::append_only;

/// Month close (chốt số liệu, `motcua_core::close`): one row per closed month
/// (`month_closes`, months as `YYYY-MM`) and the frozen counts of every unit for it
/// (`closed_counts`: the columns of `agg_months`, plus the online services offered, which the
/// live figures take from the catalogue). A close is never undone and its figures never
/// change: both tables are append-only, like the audit trail.
pub(super) struct MonthCloses;

impl MigrationName for MonthCloses {
    fn name(&self) -> &str {
        "m20261128_000010_month_closes"
    }
}

#[async_trait]
impl MigrationTrait for MonthCloses {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE month_closes (
                    month TEXT PRIMARY KEY,
                    closed_at BIGINT NOT NULL,
                    actor TEXT NOT NULL
                )",
        )
        .await?;
        // Frozen text, like every migration: the columns are those of `agg_months` when this
        // migration was written, never read from the live list of counts (a count added
        // later gets its column from its own migration).
        db.execute_unprepared(
            "CREATE TABLE closed_counts (
                    unit_code TEXT NOT NULL,
                    month TEXT NOT NULL REFERENCES month_closes(month),
                    received BIGINT NOT NULL,
                    received_online BIGINT NOT NULL,
                    received_online_full BIGINT NOT NULL,
                    received_online_partial BIGINT NOT NULL,
                    received_direct BIGINT NOT NULL,
                    carried_over BIGINT NOT NULL,
                    resolved BIGINT NOT NULL,
                    resolved_approved BIGINT NOT NULL,
                    resolved_rejected BIGINT NOT NULL,
                    resolved_early BIGINT NOT NULL,
                    resolved_on_time BIGINT NOT NULL,
                    resolved_late BIGINT NOT NULL,
                    withdrawn BIGINT NOT NULL,
                    pending BIGINT NOT NULL,
                    pending_within_due BIGINT NOT NULL,
                    pending_overdue BIGINT NOT NULL,
                    pending_old_system BIGINT NOT NULL,
                    received_with_components BIGINT NOT NULL,
                    received_fully_digitized BIGINT NOT NULL,
                    resolved_approved_result_digitized BIGINT NOT NULL,
                    fee_received BIGINT NOT NULL,
                    fee_received_paid BIGINT NOT NULL,
                    fee_received_paid_online BIGINT NOT NULL,
                    fee_received_e_receipt BIGINT NOT NULL,
                    online_services_used BIGINT NOT NULL,
                    online_services_offered BIGINT NOT NULL,
                    PRIMARY KEY (month, unit_code)
                )",
        )
        .await?;
        append_only(db, "month_closes").await?;
        append_only(db, "closed_counts").await?;
        Ok(())
    }
}
