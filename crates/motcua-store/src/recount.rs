//! The aggregates recounted from the stored dossiers and PAKN: built once when an older database is
//! opened, checked in one snapshot (`motcua verify`), replaced (`verify --repair`), and their
//! online usage refreshed after a change of the catalogue.

use std::collections::{BTreeMap, HashMap};

use motcua_core::aggregate::{Delta, Difference, Recounted};
use motcua_core::dossier::DossierCode;
use motcua_core::petition::PetitionCode;
use motcua_core::procedure::ProcedureCode;
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

use crate::StoreError;
use crate::catalogue::{all_units, load_catalogue};
use crate::dossiers::dossiers_after;
use crate::petitions::petitions_after;
use crate::sql::{SqlStore, bump};

/// Set once the aggregates have been built from the stored dossiers.
pub(crate) const AGGREGATES_BUILT: &str = "aggregates";
/// Dossiers read per query when reading them all.
const PAGE: usize = 20_000;

/// Recounts every aggregate from the stored dossiers and PAKN, read in pages within `conn`'s
/// transaction.
async fn recount<C: ConnectionTrait>(
    conn: &C,
) -> Result<BTreeMap<UnitCode, Recounted>, StoreError> {
    let catalogue = load_catalogue(conn).await?;
    let mut delta = Delta::default();
    let mut last: Option<DossierCode> = None;
    loop {
        let page = dossiers_after(conn, last.as_ref(), PAGE).await?;
        for d in &page {
            delta.add(d, 1);
        }
        match page.last() {
            Some(d) if page.len() == PAGE => last = Some(d.code.clone()),
            _ => break,
        }
    }
    let mut last: Option<PetitionCode> = None;
    loop {
        let page = petitions_after(conn, last.as_ref(), PAGE).await?;
        for p in &page {
            delta.add_petition(p, 1);
        }
        match page.last() {
            Some(p) if page.len() == PAGE => last = Some(p.code.clone()),
            _ => break,
        }
    }
    Ok(delta.recount(&|u, p| catalogue.offers(u, p)))
}

/// Sets `online_services_used` of every stored month from the online dossiers per
/// procedure and the catalogue as it now is (after a change of units or procedures).
pub(crate) async fn refresh_used<C: ConnectionTrait>(conn: &C) -> Result<(), StoreError> {
    let catalogue = load_catalogue(conn).await?;
    let mut used: HashMap<(String, i64), i64> = HashMap::new();
    for r in conn
        .query_all_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            "SELECT unit, procedure_code, month FROM agg_usage WHERE n > 0",
            vec![],
        ))
        .await?
    {
        let (unit, procedure, month): (String, String, i64) = (
            r.try_get("", "unit")?,
            r.try_get("", "procedure_code")?,
            r.try_get("", "month")?,
        );
        let offered = UnitCode::parse(&unit)
            .ok()
            .zip(ProcedureCode::parse(&procedure));
        if offered.is_some_and(|(u, p)| catalogue.offers(&u, &p)) {
            *used.entry((unit, month)).or_default() += 1;
        }
    }
    for r in conn
        .query_all_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            "SELECT unit, month, online_services_used FROM agg_months",
            vec![],
        ))
        .await?
    {
        let (unit, month, stored): (String, i64, i64) = (
            r.try_get("", "unit")?,
            r.try_get("", "month")?,
            r.try_get("", "online_services_used")?,
        );
        let want = used.get(&(unit.clone(), month)).copied().unwrap_or(0);
        if want != stored {
            conn.execute_raw(Statement::from_sql_and_values(
                conn.get_database_backend(),
                "UPDATE agg_months SET online_services_used = $1 WHERE unit = $2 AND month = $3",
                vec![want.into(), unit.into(), month.into()],
            ))
            .await?;
        }
    }
    Ok(())
}

impl SqlStore {
    /// Rebuilds every aggregate from the stored dossiers in one transaction; returns the
    /// number of units with aggregates.
    pub async fn rebuild_aggregates(&self) -> Result<usize, StoreError> {
        let txn = self.db.begin().await?;
        let units: Vec<UnitCode> = all_units(&txn).await?.into_iter().map(|u| u.code).collect();
        crate::aggregates::lock_units(&txn, &units.iter().collect::<Vec<_>>()).await?;
        let recounted = recount(&txn).await?;
        crate::aggregates::replace_all(&txn, &recounted).await?;
        bump(&txn, AGGREGATES_BUILT).await?;
        txn.commit().await?;
        Ok(recounted.len())
    }

    /// Recounts the aggregates from the stored dossiers, in one snapshot, and returns every
    /// difference from the stored ones (none when they are right).
    pub async fn check_aggregates(&self) -> Result<Vec<Difference>, StoreError> {
        let txn = if self.backend() == DbBackend::Postgres {
            self.db
                .begin_with_config(
                    Some(sea_orm::IsolationLevel::RepeatableRead),
                    Some(sea_orm::AccessMode::ReadOnly),
                )
                .await?
        } else {
            self.db.begin().await?
        };
        let stored = crate::aggregates::read_all(&txn).await?;
        let recounted = recount(&txn).await?;
        txn.commit().await?;
        let empty = Recounted::default();
        let mut units: Vec<&UnitCode> = stored.keys().chain(recounted.keys()).collect();
        units.sort_unstable();
        units.dedup();
        let mut out = Vec::new();
        for unit in units {
            let a = stored.get(unit).unwrap_or(&empty);
            let b = recounted.get(unit).unwrap_or(&empty);
            out.extend(motcua_core::aggregate::compare(unit, &a.series, &b.series));
            let keys: std::collections::BTreeSet<&(ProcedureCode, i32)> =
                a.usage.keys().chain(b.usage.keys()).collect();
            for key in keys {
                let (x, y) = (
                    a.usage.get(key).copied().unwrap_or(0),
                    b.usage.get(key).copied().unwrap_or(0),
                );
                if x != y {
                    out.push(Difference {
                        unit: unit.clone(),
                        month: Month::from_index(key.1),
                        field: format!("online_dossiers[{}]", key.0),
                        stored: x,
                        recounted: y,
                    });
                }
            }
        }
        Ok(out)
    }
}
