//! The long lists' indexes made covering (issue 16's benchmark at 1 M dossiers): a list's
//! page is chosen from index entries alone, and only its 100 rows are read from the table.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// The worklist's partial index also holds `resolved_at` and `status` (its states' counts and
/// filters read nothing else); the index by unit and reception also holds `resolved_at` and
/// `code` (the drill-down's "pending" and "received" pages, the order's tie-break); the
/// applicant's ID number is indexed with the unit and the reception (the reception form's
/// prefill, within the clerk's units, latest first). Each replaces the narrower index it
/// extends, under a new name (SQLite refuses a name dropped in the same migration).
pub(super) struct ListIndexes;

impl MigrationName for ListIndexes {
    fn name(&self) -> &str {
        "m20261202_000020_list_indexes"
    }
}

#[async_trait]
impl MigrationTrait for ListIndexes {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "DROP INDEX dossiers_worklist",
            "CREATE INDEX dossiers_worklist_covering ON dossiers (unit_code, due_at, code, resolved_at, status)
                 WHERE resolved_at IS NULL OR status IN ('approved', 'rejected')",
            "DROP INDEX dossiers_unit_received",
            "CREATE INDEX dossiers_unit_received_covering ON dossiers (unit_code, received_at, resolved_at, code)",
            "DROP INDEX dossiers_applicant_id",
            "CREATE INDEX dossiers_applicant ON dossiers (applicant_id, unit_code, received_at)
                 WHERE applicant_id IS NOT NULL",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
