//! The indicator aggregates.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// The indicator aggregates (`motcua_core::aggregate`): per unit and month, the counts of the
/// contract (`agg_months`, dense between `agg_units.first_month` and `last_month`, months as
/// `year × 12 + month − 1`); per unit, procedure and month, the online dossiers
/// (`agg_usage`); and the revision counters (`revisions`) that tell a node its cached
/// catalogue is stale. They are filled from the stored dossiers when the store connects
/// (`SqlStore::connect`), so this migration only creates them.
pub(super) struct Aggregates;

impl MigrationName for Aggregates {
    fn name(&self) -> &str {
        "m20261127_000009_aggregates"
    }
}

#[async_trait]
impl MigrationTrait for Aggregates {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE agg_units (
                    unit TEXT PRIMARY KEY,
                    first_month BIGINT NOT NULL,
                    last_month BIGINT NOT NULL
                )",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TABLE agg_months (
                    unit TEXT NOT NULL,
                    month BIGINT NOT NULL,
                    received BIGINT NOT NULL DEFAULT 0,
                    received_online BIGINT NOT NULL DEFAULT 0,
                    received_online_full BIGINT NOT NULL DEFAULT 0,
                    received_online_partial BIGINT NOT NULL DEFAULT 0,
                    received_direct BIGINT NOT NULL DEFAULT 0,
                    carried_over BIGINT NOT NULL DEFAULT 0,
                    resolved BIGINT NOT NULL DEFAULT 0,
                    resolved_approved BIGINT NOT NULL DEFAULT 0,
                    resolved_rejected BIGINT NOT NULL DEFAULT 0,
                    resolved_early BIGINT NOT NULL DEFAULT 0,
                    resolved_on_time BIGINT NOT NULL DEFAULT 0,
                    resolved_late BIGINT NOT NULL DEFAULT 0,
                    withdrawn BIGINT NOT NULL DEFAULT 0,
                    pending BIGINT NOT NULL DEFAULT 0,
                    pending_within_due BIGINT NOT NULL DEFAULT 0,
                    pending_overdue BIGINT NOT NULL DEFAULT 0,
                    pending_old_system BIGINT NOT NULL DEFAULT 0,
                    received_with_components BIGINT NOT NULL DEFAULT 0,
                    received_fully_digitized BIGINT NOT NULL DEFAULT 0,
                    resolved_approved_result_digitized BIGINT NOT NULL DEFAULT 0,
                    fee_received BIGINT NOT NULL DEFAULT 0,
                    fee_received_paid BIGINT NOT NULL DEFAULT 0,
                    fee_received_paid_online BIGINT NOT NULL DEFAULT 0,
                    fee_received_e_receipt BIGINT NOT NULL DEFAULT 0,
                    online_services_used BIGINT NOT NULL DEFAULT 0,
                    PRIMARY KEY (unit, month)
                )",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TABLE agg_usage (
                    unit TEXT NOT NULL,
                    procedure_code TEXT NOT NULL,
                    month BIGINT NOT NULL,
                    n BIGINT NOT NULL,
                    PRIMARY KEY (unit, month, procedure_code)
                )",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TABLE revisions (
                    name TEXT PRIMARY KEY,
                    n BIGINT NOT NULL
                )",
        )
        .await?;
        Ok(())
    }
}
