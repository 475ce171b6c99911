//! The working-day calendar's tables.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// The working-day calendar: schedules that replace the bundled ones, unit office hours,
/// procedures with the 15:00 cut-off.
pub(super) struct Calendar;

impl MigrationName for Calendar {
    fn name(&self) -> &str {
        "m20261126_000002_calendar"
    }
}

#[async_trait]
impl MigrationTrait for Calendar {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in [
            "ALTER TABLE units ADD COLUMN office_hours TEXT",
            "ALTER TABLE procedures ADD COLUMN cutoff_15h BOOLEAN NOT NULL DEFAULT FALSE",
            "CREATE TABLE calendar_schedules (
                year BIGINT PRIMARY KEY,
                body TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )",
            "CREATE INDEX dossiers_open ON dossiers (resolved_at, received_at)",
        ] {
            db.execute_unprepared(ddl).await?;
        }
        Ok(())
    }
}
