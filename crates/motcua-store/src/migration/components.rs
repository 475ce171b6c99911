//! The component list of each procedure (`motcua_core::procedure::ProcedureComponent`), as
//! JSON beside the procedure's count of components: the list is read and written whole with
//! its procedure, never queried by its parts.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

pub(super) struct ProcedureComponents;

impl MigrationName for ProcedureComponents {
    fn name(&self) -> &str {
        "m20261202_000016_procedure_components"
    }
}

#[async_trait]
impl MigrationTrait for ProcedureComponents {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE procedures ADD COLUMN component_list TEXT NOT NULL DEFAULT '[]'",
            )
            .await?;
        Ok(())
    }
}
