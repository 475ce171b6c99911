//! Units, procedures, dossiers and the dossier event log (the first migration).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

use super::append_only;

/// Units, procedures, dossiers and the dossier event log.
pub(super) struct Foundation;

impl MigrationName for Foundation {
    fn name(&self) -> &str {
        "m20261126_000001_foundation"
    }
}

const COMMON_DDL: &[&str] = &[
    "CREATE TABLE units (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        short_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        parent_code TEXT REFERENCES units(code)
    )",
    "CREATE TABLE procedures (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        field TEXT NOT NULL,
        offered_by TEXT NOT NULL,
        online_level TEXT NOT NULL,
        processing_millidays BIGINT NOT NULL,
        fee_vnd BIGINT NOT NULL,
        components BIGINT NOT NULL
    )",
    "CREATE TABLE dossiers (
        code TEXT PRIMARY KEY,
        procedure_code TEXT NOT NULL REFERENCES procedures(code),
        unit_code TEXT NOT NULL REFERENCES units(code),
        channel TEXT NOT NULL,
        online_level TEXT,
        received_at BIGINT NOT NULL,
        due_at BIGINT NOT NULL,
        resolved_at BIGINT,
        outcome TEXT,
        returned_at BIGINT,
        components_total BIGINT NOT NULL,
        components_digitized BIGINT NOT NULL,
        result_digitized BOOLEAN,
        fee_vnd BIGINT NOT NULL,
        payment_channel TEXT,
        paid_at BIGINT,
        e_receipt BOOLEAN,
        source_system TEXT NOT NULL
    )",
    "CREATE INDEX dossiers_unit_received ON dossiers (unit_code, received_at)",
    "CREATE INDEX dossiers_resolved ON dossiers (resolved_at)",
];

#[async_trait]
impl MigrationTrait for Foundation {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in COMMON_DDL {
            db.execute_unprepared(ddl).await?;
        }
        let backend = db.get_database_backend();
        let id = match backend {
            DbBackend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
        };
        db.execute_unprepared(&format!(
            "CREATE TABLE dossier_events (
                id {id},
                dossier_code TEXT NOT NULL REFERENCES dossiers(code),
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL
            )"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE INDEX dossier_events_dossier ON dossier_events (dossier_code, id)",
        )
        .await?;
        // The event log is the dossier's legal history: the database itself refuses to
        // change or remove an event, whatever code path asks.
        if backend == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE FUNCTION motcua_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
            )
            .await?;
        }
        append_only(db, "dossier_events").await?;
        Ok(())
    }
}
