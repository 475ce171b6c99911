//! The applicant of the latest dossier with a given ID number, inside a set of units: what
//! the reception form offers to fill in when a citizen comes back.

use motcua_core::details::{Applicant, Details};
use motcua_core::dossier::DossierCode;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, Value};

use crate::StoreError;
use crate::sql::{SqlStore, in_list, mark, stmt};

/// How many of the latest candidate dossiers are read; the text match is only a filter.
const CANDIDATES: usize = 20;

impl SqlStore {
    /// The applicant recorded on the latest dossier received by one of `units` whose
    /// applicant has exactly `id_number`, with that dossier's code. An ID number with other
    /// characters than letters, digits and `-` finds nothing.
    pub async fn latest_applicant(
        &self,
        units: &[UnitCode],
        id_number: &str,
    ) -> Result<Option<(DossierCode, Applicant)>, StoreError> {
        let id = id_number.trim();
        if id.is_empty()
            || id.len() > 40
            || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            || units.is_empty()
        {
            return Ok(None);
        }
        let backend = self.db.get_database_backend();
        let mut found: Option<(i64, DossierCode, Applicant)> = None;
        for chunk in units.chunks(crate::sql::max_params(&self.db) - 1) {
            let sql = format!(
                "SELECT code, received_at, details FROM dossiers
                 WHERE details LIKE {} AND unit_code IN ({})
                 ORDER BY received_at DESC LIMIT {CANDIDATES}",
                mark(backend, 1),
                in_list(backend, chunk.len(), 2)
            );
            // The details are JSON written by serde: the field appears exactly like this.
            let mut values = vec![Value::from(format!("%\"id_number\":\"{id}\"%"))];
            values.extend(chunk.iter().map(|u| Value::from(u.as_str())));
            for row in self.db.query_all_raw(stmt(&self.db, &sql, values)).await? {
                let code: String = row.try_get("", "code")?;
                let at: i64 = row.try_get("", "received_at")?;
                let text: Option<String> = row.try_get("", "details")?;
                let Some(details) = text.and_then(|t| serde_json::from_str::<Details>(&t).ok())
                else {
                    continue;
                };
                let Some(code) = DossierCode::parse(&code) else {
                    continue;
                };
                if details.applicant.id_number == id
                    && found.as_ref().is_none_or(|(best, _, _)| at > *best)
                {
                    found = Some((at, code, details.applicant));
                }
            }
        }
        Ok(found.map(|(_, code, applicant)| (code, applicant)))
    }
}
