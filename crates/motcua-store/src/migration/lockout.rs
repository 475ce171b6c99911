//! The failed sign-ins of names no account has (`crate::lockout`).

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// The table of `crate::Lockout`: one row per name that failed, as `users` keeps its counter.
pub(super) struct LoginFailures;

impl MigrationName for LoginFailures {
    fn name(&self) -> &str {
        "m20261202_000013_login_failures"
    }
}

#[async_trait]
impl MigrationTrait for LoginFailures {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE login_failures (
                    name TEXT PRIMARY KEY,
                    failed_logins BIGINT NOT NULL,
                    locked_until BIGINT
                )",
            )
            .await?;
        Ok(())
    }
}
