//! Leaner indexes on `dossiers`.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// Leaner indexes on `dossiers`, each of which a bulk import pays for on every row:
/// `dossiers_resolved (resolved_at)` duplicated the prefix of `dossiers_open`; the only
/// reader of `dossiers_open` asks for the open dossiers by code, which a partial index over
/// those alone serves (`dossiers_open_by_code`); and the desk's index skips the imported
/// dossiers, which have no handling unit (`dossiers_at_desk`). New names: SQLite refused to
/// re-create an index under the name just dropped in the same migration.
pub(super) struct LeanIndexes;

impl MigrationName for LeanIndexes {
    fn name(&self) -> &str {
        "m20261128_000011_lean_indexes"
    }
}

#[async_trait]
impl MigrationTrait for LeanIndexes {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "DROP INDEX dossiers_resolved",
            "DROP INDEX dossiers_open",
            "CREATE INDEX dossiers_open_by_code ON dossiers (code) WHERE resolved_at IS NULL",
            "DROP INDEX dossiers_handling",
            "CREATE INDEX dossiers_at_desk ON dossiers (handling_unit, status, due_at)
                 WHERE handling_unit IS NOT NULL",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
