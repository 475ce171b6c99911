//! The workflow's hand-off inside a unit: the specialist a dossier is assigned to.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// `dossiers.assignee`: the user name of the specialist handling the dossier (NULL when none
/// is named, and for every dossier before this migration), copied from its lifecycle so that a
/// specialist's list ("Hồ sơ được giao cho tôi") is read through an index.
pub(super) struct Assignee;

impl MigrationName for Assignee {
    fn name(&self) -> &str {
        "m20261202_000017_workflow_assignee"
    }
}

#[async_trait]
impl MigrationTrait for Assignee {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in [
            "ALTER TABLE dossiers ADD COLUMN assignee TEXT",
            "CREATE INDEX dossiers_assignee ON dossiers (assignee, status, due_at)",
        ] {
            db.execute_unprepared(ddl).await?;
        }
        Ok(())
    }
}
