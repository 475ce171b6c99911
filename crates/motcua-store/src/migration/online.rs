//! Online submissions (nộp hồ sơ trực tuyến): what a citizen fills in and sends before
//! reception accepts it as a dossier (`motcua_core::online`).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

pub(super) struct OnlineSubmissions;

impl MigrationName for OnlineSubmissions {
    fn name(&self) -> &str {
        "m20261203_000023_online_submissions"
    }
}

#[async_trait]
impl MigrationTrait for OnlineSubmissions {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let id = match db.get_database_backend() {
            DbBackend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
        };
        for ddl in [
            // `data` is JSON: the applicant, the request, the form fields and the components
            // with their scans by hash. `dossier_code` is given at acceptance only (a unique
            // code: one dossier per submission); `decided_by` is the officer's audit actor.
            format!(
                "CREATE TABLE online_submissions (
                    id {id},
                    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
                    unit_code TEXT NOT NULL,
                    procedure_code TEXT NOT NULL,
                    state TEXT NOT NULL,
                    data TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    submitted_at BIGINT,
                    decided_at BIGINT,
                    decided_by TEXT,
                    reason TEXT,
                    dossier_code TEXT UNIQUE REFERENCES dossiers(code)
                )"
            ),
            // The citizen's list, newest first.
            "CREATE INDEX online_submissions_citizen
             ON online_submissions (citizen_id, updated_at)"
                .to_owned(),
            // Reception's inbox: a unit's submissions in a state, oldest submitted first.
            "CREATE INDEX online_submissions_inbox
             ON online_submissions (unit_code, state, submitted_at)"
                .to_owned(),
        ] {
            db.execute_unprepared(&ddl).await?;
        }
        Ok(())
    }
}
