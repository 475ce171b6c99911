//! What the public portal publishes about units and procedures beyond the contract's columns:
//! the desk's address and telephone, the procedure's steps (JSON list, read and written whole
//! with its procedure) and where and how to submit it. All optional: existing rows read as
//! "not held". (The components' form addresses live in `component_list`'s JSON.)

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

pub(super) struct PublicCatalogue;

impl MigrationName for PublicCatalogue {
    fn name(&self) -> &str {
        "m20261202_000021_public_catalogue"
    }
}

#[async_trait]
impl MigrationTrait for PublicCatalogue {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in [
            "ALTER TABLE units ADD COLUMN address TEXT",
            "ALTER TABLE units ADD COLUMN phone TEXT",
            "ALTER TABLE procedures ADD COLUMN steps TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE procedures ADD COLUMN how_to_submit TEXT",
        ] {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
