//! Accounts an administrator can disable, and passwords they set that must be changed.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// `users.disabled` (đã khóa: no sign-in until re-enabled) and `users.must_change_password`
/// (a password set by an administrator, to be replaced at the next sign-in).
pub(super) struct AccountStates;

impl MigrationName for AccountStates {
    fn name(&self) -> &str {
        "m20261202_000015_account_states"
    }
}

#[async_trait]
impl MigrationTrait for AccountStates {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in [
            "ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE",
            "ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE",
        ] {
            db.execute_unprepared(ddl).await?;
        }
        Ok(())
    }
}
