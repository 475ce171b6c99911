//! The lists: search keys of the applicant and the worklist's index.

use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// The applicant's search keys as columns of `dossiers` (name folded without diacritics,
/// phone digits, ID number in capitals: `motcua_core::lists`), written with the dossier's
/// details in the same statement, and filled here from the details already stored; the
/// phone and ID number are indexed (the name is matched inside a unit's dossiers). The
/// worklist's index holds the dossiers still at the desk (not settled, or settled and not
/// handed back) by unit and appointment, so a unit's first page reads only those.
pub(super) struct Lists;

impl MigrationName for Lists {
    fn name(&self) -> &str {
        "m20261202_000014_lists_search"
    }
}

#[async_trait]
impl MigrationTrait for Lists {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "ALTER TABLE dossiers ADD COLUMN applicant_name TEXT",
            "ALTER TABLE dossiers ADD COLUMN applicant_phone TEXT",
            "ALTER TABLE dossiers ADD COLUMN applicant_id TEXT",
            "CREATE INDEX dossiers_applicant_phone ON dossiers (applicant_phone)
                 WHERE applicant_phone IS NOT NULL",
            "CREATE INDEX dossiers_applicant_id ON dossiers (applicant_id)
                 WHERE applicant_id IS NOT NULL",
            "CREATE INDEX dossiers_worklist ON dossiers (unit_code, due_at, code)
                 WHERE resolved_at IS NULL OR status IN ('approved', 'rejected')",
        ] {
            db.execute_unprepared(sql).await?;
        }
        let backend = db.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT code, details FROM dossiers WHERE details IS NOT NULL",
            ))
            .await?;
        for row in rows {
            let code: String = row.try_get("", "code")?;
            let text: String = row.try_get("", "details")?;
            let details = serde_json::from_str(&text).map_err(|e| {
                DbErr::Custom(format!("dossiers «{code}»: details không đọc được: {e}"))
            })?;
            let mut values = crate::rows::search_values(Some(&details)).to_vec();
            values.push(code.into());
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                "UPDATE dossiers SET applicant_name = $1, applicant_phone = $2, applicant_id = $3
                 WHERE code = $4",
                values,
            ))
            .await?;
        }
        Ok(())
    }
}
