//! Reading dossiers: all of them (in pages), by code, the open ones, those the indicators of
//! a month need.

use std::collections::HashMap;

use motcua_core::Timestamp;
use motcua_core::dossier::{Dossier, DossierCode, SourceSystem};
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, Statement, Value};

use crate::StoreError;
use crate::rows::{self, DOSSIER_COLUMNS};
use crate::sql::{SqlStore, in_list, mark, max_params};

/// Dossiers by code after `after`, at most `limit`.
pub(crate) async fn dossiers_after<C: ConnectionTrait>(
    conn: &C,
    after: Option<&DossierCode>,
    limit: usize,
) -> Result<Vec<Dossier>, StoreError> {
    let (sql, values) = match after {
        Some(code) => (
            format!(
                "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code > $1 ORDER BY code LIMIT {limit}"
            ),
            vec![Value::from(code.as_str())],
        ),
        None => (
            format!("SELECT {DOSSIER_COLUMNS} FROM dossiers ORDER BY code LIMIT {limit}"),
            vec![],
        ),
    };
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            sql,
            values,
        ))
        .await?;
    rows.iter().map(rows::dossier).collect()
}

/// The stored dossiers among `codes`.
pub(crate) async fn dossiers_by_code<C: ConnectionTrait>(
    conn: &C,
    codes: &[&DossierCode],
) -> Result<HashMap<DossierCode, Dossier>, StoreError> {
    let mut found = HashMap::new();
    for chunk in codes.chunks(max_params(conn)) {
        let sql = format!(
            "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code IN ({})",
            in_list(conn.get_database_backend(), chunk.len(), 1)
        );
        let values: Vec<Value> = chunk.iter().map(|c| Value::from(c.as_str())).collect();
        let rows = conn
            .query_all_raw(Statement::from_sql_and_values(
                conn.get_database_backend(),
                sql,
                values,
            ))
            .await?;
        for row in &rows {
            let d = rows::dossier(row)?;
            found.insert(d.code.clone(), d);
        }
    }
    Ok(found)
}

impl SqlStore {
    /// Every dossier, by code.
    pub async fn dossiers(&self) -> Result<Vec<Dossier>, StoreError> {
        let rows = self
            .db
            .query_all_raw(self.statement(
                format!("SELECT {DOSSIER_COLUMNS} FROM dossiers ORDER BY code"),
                vec![],
            ))
            .await?;
        rows.iter().map(rows::dossier).collect()
    }

    /// The dossiers of `units` that the indicators of `month` (and of the month before) need:
    /// received before the end of `month` and not settled before the start of the previous
    /// month.
    pub async fn dossiers_for_indicators(
        &self,
        units: &[UnitCode],
        month: Month,
    ) -> Result<Vec<Dossier>, StoreError> {
        let mut out = Vec::new();
        for chunk in units.chunks(max_params(&self.db) - 2) {
            let b = self.backend();
            let n = chunk.len();
            let sql = format!(
                "SELECT {DOSSIER_COLUMNS} FROM dossiers
                 WHERE unit_code IN ({}) AND received_at < {}
                   AND (resolved_at IS NULL OR resolved_at >= {})",
                in_list(b, n, 1),
                mark(b, n + 1),
                mark(b, n + 2)
            );
            let mut values: Vec<Value> = chunk.iter().map(|u| Value::from(u.as_str())).collect();
            values.push(month.end().as_micros().into());
            values.push(month.previous().start().as_micros().into());
            let rows = self.db.query_all_raw(self.statement(sql, values)).await?;
            for row in &rows {
                out.push(rows::dossier(row)?);
            }
        }
        Ok(out)
    }

    /// When the first dossier of `units` on the new system was received (the go-live the
    /// monthly report mentions), or `None` when none was.
    pub async fn first_received_on_new_system(
        &self,
        units: &[UnitCode],
    ) -> Result<Option<Timestamp>, StoreError> {
        let mut first: Option<i64> = None;
        for chunk in units.chunks(max_params(&self.db) - 1) {
            let b = self.backend();
            let n = chunk.len();
            let sql = format!(
                "SELECT MIN(received_at) AS first FROM dossiers
                 WHERE unit_code IN ({}) AND source_system = {}",
                in_list(b, n, 1),
                mark(b, n + 1)
            );
            let mut values: Vec<Value> = chunk.iter().map(|u| Value::from(u.as_str())).collect();
            values.push(SourceSystem::New.as_str().into());
            let row = self.db.query_one_raw(self.statement(sql, values)).await?;
            let micros: Option<i64> = match row {
                Some(r) => r.try_get("", "first")?,
                None => None,
            };
            first = match (first, micros) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        Ok(first.map(Timestamp::from_micros))
    }

    /// The latest reception time of any dossier, to open dashboards on a month with data.
    pub async fn last_received_at(&self) -> Result<Option<Timestamp>, StoreError> {
        let row = self
            .db
            .query_one_raw(self.statement(
                "SELECT MAX(received_at) AS latest FROM dossiers".to_owned(),
                vec![],
            ))
            .await?;
        let micros: Option<i64> = match row {
            Some(r) => r.try_get("", "latest")?,
            None => None,
        };
        Ok(micros.map(Timestamp::from_micros))
    }

    /// The dossiers not settled yet (no `resolved_at`).
    pub async fn open_dossiers(&self) -> Result<Vec<Dossier>, StoreError> {
        let rows = self
            .db
            .query_all_raw(self.statement(
                format!(
                    "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE resolved_at IS NULL ORDER BY code"
                ),
                vec![],
            ))
            .await?;
        rows.iter().map(rows::dossier).collect()
    }

    /// One dossier.
    pub async fn dossier(&self, code: &DossierCode) -> Result<Option<Dossier>, StoreError> {
        let row = self
            .db
            .query_one_raw(self.statement(
                format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code = $1"),
                vec![code.as_str().into()],
            ))
            .await?;
        row.as_ref().map(rows::dossier).transpose()
    }
}
