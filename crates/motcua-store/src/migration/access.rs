//! Accounts, sessions, API tokens and the audit trail.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

use super::append_only;

/// Accounts, sessions, API tokens and the audit trail.
pub(super) struct Access;

impl MigrationName for Access {
    fn name(&self) -> &str {
        "m20261126_000003_access"
    }
}

#[async_trait]
impl MigrationTrait for Access {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let id = match backend {
            DbBackend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
        };
        for ddl in [
            format!(
                "CREATE TABLE users (
                    id {id},
                    username TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    unit_code TEXT NOT NULL REFERENCES units(code),
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    failed_logins BIGINT NOT NULL DEFAULT 0,
                    locked_until BIGINT,
                    created_at BIGINT NOT NULL
                )"
            ),
            "CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users(id),
                csrf TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )"
            .to_owned(),
            format!(
                "CREATE TABLE api_tokens (
                    id {id},
                    name TEXT NOT NULL UNIQUE,
                    token_hash TEXT NOT NULL UNIQUE,
                    unit_code TEXT NOT NULL REFERENCES units(code),
                    can_write BOOLEAN NOT NULL,
                    created_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )"
            ),
            format!(
                "CREATE TABLE audit_log (
                    id {id},
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    remote_addr TEXT,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    before_value TEXT NOT NULL,
                    after_value TEXT NOT NULL
                )"
            ),
            "CREATE INDEX audit_log_at ON audit_log (at)".to_owned(),
            "CREATE INDEX audit_log_actor ON audit_log (actor, at)".to_owned(),
        ] {
            db.execute_unprepared(&ddl).await?;
        }
        // Like the dossier history, the audit trail cannot be changed by any code path.
        append_only(db, "audit_log").await?;
        Ok(())
    }
}
