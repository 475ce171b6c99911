//! Follow-ups of units below target, and settings.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// Follow-ups of units below target: one per unit and month.
pub(super) struct FollowUps;

impl MigrationName for FollowUps {
    fn name(&self) -> &str {
        "m20261127_000007_follow_ups"
    }
}

#[async_trait]
impl MigrationTrait for FollowUps {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE follow_ups (
                    unit_code TEXT NOT NULL REFERENCES units(code),
                    month TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    note TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    submitted_at BIGINT,
                    submitted_by TEXT,
                    report TEXT,
                    PRIMARY KEY (unit_code, month)
                )",
            )
            .await?;
        Ok(())
    }
}

/// Settings an administrator changes without a release (the report's targets).
pub(super) struct Settings;

impl MigrationName for Settings {
    fn name(&self) -> &str {
        "m20261127_000008_settings"
    }
}

#[async_trait]
impl MigrationTrait for Settings {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE settings (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    updated_by TEXT NOT NULL
                )",
            )
            .await?;
        Ok(())
    }
}
