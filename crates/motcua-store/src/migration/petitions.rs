//! Feedback and petitions (phản ánh, kiến nghị — PAKN, `motcua_core::petition`): the PAKN,
//! their append-only history, and the PAKN counts of the aggregates and of closed months.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

use super::append_only;

pub(super) struct Petitions;

impl MigrationName for Petitions {
    fn name(&self) -> &str {
        "m20261203_000024_petitions"
    }
}

/// The PAKN counts, as of this migration (frozen text: later counts add their own).
const COUNTS: [&str; 7] = [
    "petitions_received",
    "petitions_rejected",
    "petitions_answered",
    "petitions_answered_in_time",
    "petitions_pending",
    "petitions_pending_within_due",
    "petitions_received_unsatisfactory",
];

#[async_trait]
impl MigrationTrait for Petitions {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let id = match db.get_database_backend() {
            DbBackend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
        };
        let mut ddl = vec![
            // `data` is the whole `Petition` as JSON; the columns beside it are what lists
            // filter and sort by, written from it by every write. `version` counts the
            // writes: a step is written only over the version it was computed from.
            "CREATE TABLE petitions (
                code TEXT PRIMARY KEY,
                unit_code TEXT NOT NULL REFERENCES units(code),
                state TEXT NOT NULL,
                contact TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                next_due BIGINT,
                published_at BIGINT,
                version BIGINT NOT NULL,
                data TEXT NOT NULL
            )"
            .to_owned(),
            // The officers' list: a unit's PAKN, due soonest first (keyset on next_due, code).
            "CREATE INDEX petitions_unit_due ON petitions (unit_code, next_due, code)".to_owned(),
            // The public list of published answers, newest first.
            "CREATE INDEX petitions_published ON petitions (published_at, code)".to_owned(),
            format!(
                "CREATE TABLE petition_events (
                    id {id},
                    code TEXT NOT NULL REFERENCES petitions(code),
                    at BIGINT NOT NULL,
                    step TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    data TEXT NOT NULL
                )"
            ),
            "CREATE INDEX petition_events_code ON petition_events (code, id)".to_owned(),
        ];
        for table in ["agg_months", "closed_counts"] {
            for c in COUNTS {
                ddl.push(format!(
                    "ALTER TABLE {table} ADD COLUMN {c} BIGINT NOT NULL DEFAULT 0"
                ));
            }
        }
        for d in ddl {
            db.execute_unprepared(&d).await?;
        }
        append_only(db, "petition_events").await?;
        Ok(())
    }
}
