//! [`SqlStore::import`](crate::SqlStore::import): one transaction that writes what an import
//! changes (units, procedures, dossiers, their events, the aggregates) and logs it, and
//! writes and logs nothing when nothing changed.

use std::collections::HashMap;

use motcua_core::access::AuditContext;
use motcua_core::aggregate::Delta;
use motcua_core::dossier::{Dossier, DossierCode};
use motcua_core::history::{EventDetail, ImportUpdated, Imported};
use motcua_core::interchange::Located;
use motcua_core::procedure::{Procedure, ProcedureCode};
use motcua_core::unit::{Unit, UnitCode};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};

use crate::catalogue::{CATALOGUE_REVISION, all_procedures, all_units};
use crate::dossiers::dossiers_by_code;
use crate::recount::refresh_used;
use crate::rows::{self, DOSSIER_COLUMNS, PROCEDURE_COLUMNS, UNIT_COLUMNS};
use crate::sql::{SqlStore, bump, max_params, placeholders, upsert};
use crate::{ImportBatch, ImportSummary, PlanChunks, StoreError};
use motcua_core::interchange::ImportPlan;

impl SqlStore {
    /// Writes a validated import in one transaction: units, procedures and dossiers are
    /// inserted, updated or left alone when identical; every dossier insert or update appends
    /// a dossier event; an import that changed something is recorded in the audit trail (one
    /// that changed nothing writes nothing, not even that).
    pub async fn apply_import(
        &self,
        plan: &ImportPlan,
        ctx: &AuditContext,
    ) -> Result<ImportSummary, StoreError> {
        let mut units: Vec<UnitCode> = plan
            .dossiers
            .iter()
            .map(|d| d.value.unit_code.clone())
            .collect();
        units.sort_unstable();
        units.dedup();
        let mut chunks = PlanChunks(Some(plan.dossiers.clone()));
        let batch = ImportBatch {
            units: &plan.units,
            procedures: &plan.procedures,
            dossier_units: units,
            dossier_count: plan.dossiers.len(),
            dossiers: &mut chunks,
        };
        self.import(batch, ctx).await
    }

    /// [`SqlStore::apply_import`] with the dossiers read chunk by chunk, in one transaction:
    /// all or nothing, whatever the number of dossiers.
    pub async fn import(
        &self,
        mut batch: ImportBatch<'_>,
        ctx: &AuditContext,
    ) -> Result<ImportSummary, StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        // Every unit whose dossiers change is locked before anything is read.
        let dossier_units = std::mem::take(&mut batch.dossier_units);
        let mut locked: Vec<&UnitCode> = dossier_units.iter().collect();
        locked.sort_unstable();
        locked.dedup();
        crate::aggregates::lock_units(&txn, &locked).await?;
        let cache = if batch.dossier_count >= BULK_IMPORT {
            BulkCache::grow(&txn).await?
        } else {
            BulkCache(None)
        };
        let written = import_in(&txn, batch, &locked, ctx).await;
        // Restored whatever happened, before the connection goes back to the pool.
        let restored = cache.restore(&txn).await;
        let summary = written?;
        restored?;
        txn.commit().await?;
        Ok(summary)
    }
}

/// The writes of [`SqlStore::import`](crate::SqlStore::import), in its transaction, after the locks.
async fn import_in<C: ConnectionTrait>(
    txn: &C,
    batch: ImportBatch<'_>,
    locked: &[&UnitCode],
    ctx: &AuditContext,
) -> Result<ImportSummary, StoreError> {
    // Only what differs from the stored rows is written: an identical catalogue bumps no
    // revision and logs nothing.
    let stored_units: HashMap<UnitCode, Unit> = all_units(txn)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), u))
        .collect();
    let units: Vec<&Unit> = batch
        .units
        .iter()
        .filter(|u| stored_units.get(&u.code) != Some(*u))
        .collect();
    let stored_procedures: HashMap<ProcedureCode, Procedure> = all_procedures(txn)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    let procedures: Vec<&Procedure> = batch
        .procedures
        .iter()
        .filter(|p| stored_procedures.get(&p.code) != Some(*p))
        .collect();
    // Units come parents first, so each parent exists before its children reference it.
    upsert(
        txn,
        "units",
        UNIT_COLUMNS,
        units.iter().map(|u| rows::unit_values(u)).collect(),
    )
    .await?;
    upsert(
        txn,
        "procedures",
        PROCEDURE_COLUMNS,
        procedures
            .iter()
            .map(|p| rows::procedure_values(p))
            .collect(),
    )
    .await?;
    if !units.is_empty() || !procedures.is_empty() {
        bump(txn, CATALOGUE_REVISION).await?;
        refresh_used(txn).await?;
    }
    let mut summary = ImportSummary {
        units: units.len(),
        units_unchanged: batch.units.len() - units.len(),
        procedures: procedures.len(),
        procedures_unchanged: batch.procedures.len() - procedures.len(),
        ..ImportSummary::default()
    };
    let mut delta = Delta::default();
    let mut moved_locked: Vec<UnitCode> = Vec::new();
    loop {
        let chunk = batch
            .dossiers
            .next_chunk()
            .map_err(StoreError::ImportStopped)?;
        if chunk.is_empty() {
            break;
        }
        import_chunk(
            txn,
            &chunk,
            ctx,
            (locked, &mut moved_locked),
            &mut delta,
            &mut summary,
        )
        .await?;
    }
    crate::aggregates::apply(txn, delta).await?;
    if summary.units + summary.procedures + summary.dossiers_inserted + summary.dossiers_updated
        == 0
    {
        // Nothing changed: nothing to log (ARCHITECTURE.md, "All-or-nothing import").
        return Ok(summary);
    }
    crate::access::audit(
        txn,
        ctx,
        "import",
        "",
        &serde_json::Value::Null,
        &serde_json::json!({
            "units": summary.units,
            "units_unchanged": summary.units_unchanged,
            "procedures": summary.procedures,
            "procedures_unchanged": summary.procedures_unchanged,
            "dossiers_inserted": summary.dossiers_inserted,
            "dossiers_updated": summary.dossiers_updated,
            "dossiers_unchanged": summary.dossiers_unchanged,
        }),
    )
    .await?;
    Ok(summary)
}

/// SQLite's page cache of the connection, grown for the length of a large import: the
/// random-order indexes of `dossiers` (code, unit and reception, …) are touched all over,
/// and with the default 2 MB cache almost every row spilled pages to the write-ahead log and
/// read them back. PostgreSQL's buffers are the server's: nothing to do there.
struct BulkCache(Option<i64>);

/// The page cache of a large import on SQLite, in KiB: room for the random-order indexes
/// of a million dossiers, within the import's memory goal (BENCHMARKS.md).
const IMPORT_CACHE_KIB: i64 = 128 * 1024;

/// From this many dossiers an import is large enough to grow the cache.
const BULK_IMPORT: usize = 10_000;

impl BulkCache {
    async fn grow<C: ConnectionTrait>(conn: &C) -> Result<Self, StoreError> {
        if conn.get_database_backend() != DbBackend::Sqlite {
            return Ok(BulkCache(None));
        }
        let before = conn
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA cache_size",
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "cache_size"))
            .transpose()?
            .unwrap_or(-2000);
        conn.execute_unprepared(&format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))
            .await?;
        Ok(BulkCache(Some(before)))
    }

    async fn restore<C: ConnectionTrait>(self, conn: &C) -> Result<(), StoreError> {
        if let Some(before) = self.0 {
            conn.execute_unprepared(&format!("PRAGMA cache_size = {before}"))
                .await?;
        }
        Ok(())
    }
}

/// Writes one chunk of an import: the dossiers that changed, an event for each, and their
/// change to the aggregates added to `delta` (written once, at the end of the import).
/// `locked` holds the units locked at the start and the ones locked since.
async fn import_chunk<C: ConnectionTrait>(
    txn: &C,
    chunk: &[Located<Dossier>],
    ctx: &AuditContext,
    locked: (&[&UnitCode], &mut Vec<UnitCode>),
    delta: &mut Delta,
    summary: &mut ImportSummary,
) -> Result<(), StoreError> {
    let (actor, now) = (ctx.actor.as_str(), ctx.at);
    let codes: Vec<&DossierCode> = chunk.iter().map(|d| &d.value.code).collect();
    let stored = dossiers_by_code(txn, &codes).await?;
    let (first, since) = locked;
    let mut moved: Vec<&UnitCode> = stored
        .values()
        .map(|d| &d.unit_code)
        .filter(|u| first.binary_search(u).is_err() && !since.contains(u))
        .collect();
    moved.sort_unstable();
    moved.dedup();
    if !moved.is_empty() {
        crate::aggregates::lock_units(txn, &moved).await?;
        since.extend(moved.into_iter().cloned());
    }
    let mut writes = Vec::new();
    let mut events: Vec<Vec<Value>> = Vec::new();
    for located in chunk {
        let d = &located.value;
        let old = stored.get(&d.code);
        let detail = match old {
            Some(old) if old == d => {
                summary.dossiers_unchanged += 1;
                continue;
            }
            Some(old) => {
                summary.dossiers_updated += 1;
                EventDetail::ImportUpdated(ImportUpdated::between(located.line, old, d))
            }
            None => {
                summary.dossiers_inserted += 1;
                EventDetail::Imported(Imported { line: located.line })
            }
        };
        let (kind, detail) = detail.to_stored()?;
        delta.change(old, Some(d));
        writes.push(rows::dossier_values(d));
        events.push(vec![
            d.code.as_str().into(),
            now.as_micros().into(),
            actor.into(),
            kind.as_str().into(),
            detail.into(),
        ]);
    }
    debug_assert!(
        writes
            .iter()
            .all(|w| w.len() == DOSSIER_COLUMNS.split(',').count())
    );
    upsert(txn, "dossiers", DOSSIER_COLUMNS, writes).await?;
    let mut events = events.into_iter().peekable();
    while events.peek().is_some() {
        let chunk: Vec<Vec<Value>> = events.by_ref().take(max_params(txn) / 5).collect();
        let sql = format!(
            "INSERT INTO dossier_events (dossier_code, at, actor, kind, detail) VALUES {}",
            placeholders(txn.get_database_backend(), chunk.len(), 5, 1)
        );
        txn.execute_raw(Statement::from_sql_and_values(
            txn.get_database_backend(),
            sql,
            chunk.into_iter().flatten().collect::<Vec<Value>>(),
        ))
        .await?;
    }
    Ok(())
}
