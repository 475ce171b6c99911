//! The applicant of the latest dossier with a given ID number, inside a set of units: what
//! the reception form offers to fill in when a citizen comes back.

use motcua_core::details::{Applicant, Details};
use motcua_core::dossier::DossierCode;
use motcua_core::lists::id_key;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, Value};

use crate::StoreError;
use crate::sql::{SqlStore, in_list, mark, stmt};

impl SqlStore {
    /// The applicant recorded on the latest dossier received by one of `units` whose
    /// applicant's ID number is `id_number` as the search index keeps it (letters and digits,
    /// in capitals: `motcua_core::lists::id_key`, so `045 090 001 234` finds `045090001234`),
    /// with that dossier's code. One look-up of the index `dossiers_applicant` per chunk of
    /// units, never a scan of the details.
    pub async fn latest_applicant(
        &self,
        units: &[UnitCode],
        id_number: &str,
    ) -> Result<Option<(DossierCode, Applicant)>, StoreError> {
        let id = id_key(id_number);
        if id.is_empty() || id.len() > 40 || units.is_empty() {
            return Ok(None);
        }
        let backend = self.db.get_database_backend();
        let mut found: Option<(i64, DossierCode, Applicant)> = None;
        for chunk in units.chunks(crate::sql::max_params(&self.db) - 1) {
            let sql = format!(
                "SELECT code, received_at, details FROM dossiers
                 WHERE applicant_id = {} AND unit_code IN ({})
                 ORDER BY received_at DESC, code DESC LIMIT 1",
                mark(backend, 1),
                in_list(backend, chunk.len(), 2)
            );
            let mut values = vec![Value::from(id.clone())];
            values.extend(chunk.iter().map(|u| Value::from(u.as_str())));
            let Some(row) = self.db.query_one_raw(stmt(&self.db, &sql, values)).await? else {
                continue;
            };
            let code: String = row.try_get("", "code")?;
            let at: i64 = row.try_get("", "received_at")?;
            let text: Option<String> = row.try_get("", "details")?;
            let corrupt = |reason: String| StoreError::Corrupt {
                table: "dossiers",
                key: code.clone(),
                reason,
            };
            let details: Details = serde_json::from_str(text.as_deref().unwrap_or("{}"))
                .map_err(|e| corrupt(format!("details không đọc được: {e}")))?;
            let parsed = DossierCode::parse(&code)
                .ok_or_else(|| corrupt("mã hồ sơ không hợp lệ".to_owned()))?;
            if found.as_ref().is_none_or(|(best, _, _)| at > *best) {
                found = Some((at, parsed, details.applicant));
            }
        }
        Ok(found.map(|(_, code, applicant)| (code, applicant)))
    }
}
