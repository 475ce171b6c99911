//! The catalogue (units, procedures, online offerings): read as stored, and cached per node
//! until the `revisions` counter an import bumps has moved, so nodes stay stateless.

use motcua_core::catalogue::Catalogue;
use motcua_core::procedure::Procedure;
use motcua_core::unit::Unit;
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

use crate::StoreError;
use crate::rows::{self, PROCEDURE_COLUMNS, UNIT_COLUMNS};
use crate::sql::{SqlStore, revision};

/// The revision counter bumped by every change of units or procedures.
pub(crate) const CATALOGUE_REVISION: &str = "catalogue";

pub(crate) async fn all_units<C: ConnectionTrait>(conn: &C) -> Result<Vec<Unit>, StoreError> {
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            format!("SELECT {UNIT_COLUMNS} FROM units ORDER BY code"),
            vec![],
        ))
        .await?;
    rows.iter().map(rows::unit).collect()
}

pub(crate) async fn all_procedures<C: ConnectionTrait>(
    conn: &C,
) -> Result<Vec<Procedure>, StoreError> {
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            format!("SELECT {PROCEDURE_COLUMNS} FROM procedures ORDER BY code"),
            vec![],
        ))
        .await?;
    rows.iter().map(rows::procedure).collect()
}

/// The catalogue as stored, read through `conn` (a transaction sees its own changes).
pub(crate) async fn load_catalogue<C: ConnectionTrait>(conn: &C) -> Result<Catalogue, StoreError> {
    Catalogue::new(
        all_units(conn).await?,
        all_procedures(conn).await?,
        &motcua_core::collation::VietnameseOrder::new(),
    )
    .map_err(|e| StoreError::Corrupt {
        table: "units",
        key: String::new(),
        reason: e.to_string(),
    })
}

impl SqlStore {
    /// Every unit.
    pub async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        all_units(&self.db).await
    }

    /// The whole procedure catalogue, by code.
    pub async fn procedures(&self) -> Result<Vec<Procedure>, StoreError> {
        all_procedures(&self.db).await
    }

    /// The catalogue (units, procedures, online offerings, the units' order), read once and
    /// shared until a change of units or procedures (on any node) bumps its revision.
    pub async fn catalogue(&self) -> Result<std::sync::Arc<Catalogue>, StoreError> {
        let now = revision(&self.db, CATALOGUE_REVISION).await?.unwrap_or(0);
        if let Ok(cache) = self.catalogue.lock()
            && let Some((at, catalogue)) = cache.as_ref()
            && *at == now
        {
            return Ok(catalogue.clone());
        }
        // Read within one transaction, with the revision, so the cached copy is never newer
        // or older than the revision it is filed under.
        let txn = self.db.begin().await?;
        let at = revision(&txn, CATALOGUE_REVISION).await?.unwrap_or(0);
        let catalogue = load_catalogue(&txn).await?;
        txn.commit().await?;
        let catalogue = std::sync::Arc::new(catalogue);
        if let Ok(mut cache) = self.catalogue.lock() {
            *cache = Some((at, catalogue.clone()));
        }
        Ok(catalogue)
    }
}
