//! The desk: lifecycle state, code counters and the desk's details of a dossier.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// Dossiers handled in motcua: their lifecycle state, and the per-prefix counter of codes.
pub(super) struct Desk;

impl MigrationName for Desk {
    fn name(&self) -> &str {
        "m20261127_000005_desk"
    }
}

#[async_trait]
impl MigrationTrait for Desk {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in [
            // NULL for dossiers imported from another system (their state is derived).
            "ALTER TABLE dossiers ADD COLUMN lifecycle TEXT",
            "ALTER TABLE dossiers ADD COLUMN status TEXT",
            "ALTER TABLE dossiers ADD COLUMN handling_unit TEXT",
            "CREATE INDEX dossiers_handling ON dossiers (handling_unit, status, due_at)",
            "CREATE TABLE dossier_counters (
                prefix TEXT PRIMARY KEY,
                last_number BIGINT NOT NULL
            )",
            // Answers of API writes by (principal, Idempotency-Key): a retried request gets
            // the first answer instead of a second dossier or receipt. `status` is NULL while
            // the first request runs.
            "CREATE TABLE idempotency_keys (
                principal TEXT NOT NULL,
                idem_key TEXT NOT NULL,
                request TEXT NOT NULL,
                status BIGINT,
                body TEXT,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (principal, idem_key)
            )",
        ] {
            db.execute_unprepared(ddl).await?;
        }
        Ok(())
    }
}

/// The desk's details of a dossier received in motcua: applicant, component checklist with
/// the scans' hashes, the result's scan (JSON, see `motcua_core::details::Details`).
pub(super) struct Intake;

impl MigrationName for Intake {
    fn name(&self) -> &str {
        "m20261127_000006_intake"
    }
}

#[async_trait]
impl MigrationTrait for Intake {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE dossiers ADD COLUMN details TEXT")
            .await?;
        Ok(())
    }
}
