//! Month close (chốt số liệu) in the database: `month_closes` and the frozen counts of every
//! unit in `closed_counts` (both append-only), written in one transaction that holds the
//! write locks of every unit, so no dossier write of any unit lands between the counts read
//! and the close recorded.

use std::collections::HashMap;

use motcua_core::access::AuditContext;
use motcua_core::aggregate::counts_of;
use motcua_core::close::{CloseError, MonthClose, check_ended};
use motcua_core::counts::{CountId, Counts};
use motcua_core::timestamp::{Month, Timestamp};
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, QueryResult, TransactionTrait, Value};

use crate::StoreError;
use crate::sql::SqlStore;
use crate::sql::stmt;

/// The columns of a frozen row after `unit_code, month`: every count.
fn count_columns() -> String {
    CountId::ALL.map(CountId::id).join(", ")
}

fn corrupt(key: String, reason: &str) -> StoreError {
    StoreError::Corrupt {
        table: "month_closes",
        key,
        reason: reason.to_owned(),
    }
}

fn month_of(r: &QueryResult, column: &str) -> Result<Month, StoreError> {
    let text: String = r.try_get("", column)?;
    text.parse()
        .map_err(|_| corrupt(text.clone(), "tháng không hợp lệ"))
}

fn close_of(r: &QueryResult) -> Result<MonthClose, StoreError> {
    Ok(MonthClose {
        month: month_of(r, "month")?,
        closed_at: Timestamp::from_micros(r.try_get("", "closed_at")?),
        actor: r.try_get("", "actor")?,
    })
}

/// The frozen counts of a row of `closed_counts`, read by column name.
fn frozen_of(r: &QueryResult) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    for id in CountId::ALL {
        let n: i64 = r.try_get("", id.id())?;
        // A negative count can only come from a damaged row; it reads as zero.
        *counts.get_mut(id) = u64::try_from(n).unwrap_or(0);
    }
    Ok(counts)
}

async fn close_record<C: ConnectionTrait>(
    conn: &C,
    month: Month,
) -> Result<Option<MonthClose>, StoreError> {
    conn.query_one_raw(stmt(
        conn,
        "SELECT month, closed_at, actor FROM month_closes WHERE month = $1",
        vec![month.to_string().into()],
    ))
    .await?
    .as_ref()
    .map(close_of)
    .transpose()
}

impl SqlStore {
    /// Closes `month` (chốt số liệu), audited: in one transaction holding every unit's write
    /// lock, freezes the counts of every unit for the month as [`SqlStore::unit_counts`] reads
    /// them (with the online services offered from the catalogue) and records the close.
    /// Refused ([`StoreError::Close`]) when the month has not ended at `ctx.at` or is closed
    /// already. A close is final: nothing changes the frozen counts afterwards.
    pub async fn close_month(
        &self,
        month: Month,
        ctx: &AuditContext,
    ) -> Result<MonthClose, StoreError> {
        let db = &self.db;
        check_ended(month, ctx.at)?;
        // Closing reads every unit: every unit's write lock is taken first, as a dossier writer
        // takes its units' (the list is read before the transaction so the lock stays its first
        // statement on SQLite; any unit created meanwhile is still frozen below, with what it has).
        let units: Vec<UnitCode> = crate::catalogue::all_units(db)
            .await?
            .into_iter()
            .map(|u| u.code)
            .collect();
        let txn = db.begin().await?;
        crate::aggregates::lock_units(&txn, &units.iter().collect::<Vec<_>>()).await?;
        // Checked under the locks: of two closes of one month, the second sees the first.
        if let Some(existing) = close_record(&txn, month).await? {
            return Err(CloseError::AlreadyClosed(existing).into());
        }
        let catalogue = crate::catalogue::load_catalogue(&txn).await?;
        // The same reading as the live indicators (`value_at`: a month after a unit's last row
        // reads that row), for every unit, with or without dossiers.
        let live = crate::aggregates::counts(&txn, None, &[month.index()]).await?;
        let close = MonthClose {
            month,
            closed_at: ctx.at,
            actor: ctx.actor.clone(),
        };
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO month_closes (month, closed_at, actor) VALUES ($1, $2, $3)",
            vec![
                month.to_string().into(),
                ctx.at.as_micros().into(),
                ctx.actor.as_str().into(),
            ],
        ))
        .await?;
        let mut total = Counts::default();
        let mut rows: Vec<Vec<Value>> = Vec::new();
        for unit in catalogue.tree.iter_preorder() {
            let mut counts = live
                .get(&unit.code)
                .and_then(|rows| rows.first())
                .map(counts_of)
                .unwrap_or_default();
            counts.online_services_offered = catalogue.offered(&unit.code);
            total += counts;
            let mut values: Vec<Value> = vec![unit.code.as_str().into(), month.to_string().into()];
            values.extend(
                CountId::ALL
                    .map(|id| Value::from(i64::try_from(counts.get(id)).unwrap_or(i64::MAX))),
            );
            rows.push(values);
        }
        let width = CountId::ALL.len() + 2;
        for chunk in rows.chunks((crate::sql::max_params(&txn) / width).max(1)) {
            let sql = format!(
                "INSERT INTO closed_counts (unit_code, month, {}) VALUES {}",
                count_columns(),
                crate::sql::placeholders(txn.get_database_backend(), chunk.len(), width, 1)
            );
            txn.execute_raw(stmt(&txn, &sql, chunk.iter().flatten().cloned().collect()))
                .await?;
        }
        crate::access::audit(
            &txn,
            ctx,
            "month.close",
            &month.to_string(),
            &serde_json::Value::Null,
            &serde_json::json!({
                "units": rows.len(),
                "counts": serde_json::to_value(total).unwrap_or(serde_json::Value::Null),
            }),
        )
        .await?;
        txn.commit().await?;
        Ok(close)
    }

    /// Every closed month, oldest first.
    pub async fn month_closes(&self) -> Result<Vec<MonthClose>, StoreError> {
        let conn = &self.db;
        conn.query_all_raw(stmt(
            conn,
            "SELECT month, closed_at, actor FROM month_closes ORDER BY month",
            vec![],
        ))
        .await?
        .iter()
        .map(close_of)
        .collect()
    }

    /// The frozen counts of `units` (every unit when `None`) for those of `months` that are
    /// closed, by month and unit (a unit created after the close has none).
    pub async fn closed_counts(
        &self,
        units: Option<&[UnitCode]>,
        months: &[Month],
    ) -> Result<HashMap<Month, HashMap<UnitCode, Counts>>, StoreError> {
        let conn = &self.db;
        let mut out: HashMap<Month, HashMap<UnitCode, Counts>> = HashMap::new();
        if months.is_empty() {
            return Ok(out);
        }
        let backend = conn.get_database_backend();
        let mut values: Vec<Value> = months.iter().map(|m| Value::from(m.to_string())).collect();
        let mut sql = format!(
            "SELECT unit_code, month, {} FROM closed_counts WHERE month IN ({})",
            count_columns(),
            crate::sql::in_list(backend, months.len(), 1)
        );
        // A long list costs more to bind than the rows it leaves out.
        let filter = units.filter(|u| u.len() + months.len() <= crate::sql::max_params(conn));
        if let Some(list) = filter {
            sql.push_str(&format!(
                " AND unit_code IN ({})",
                crate::sql::in_list(backend, list.len(), months.len() + 1)
            ));
            values.extend(list.iter().map(|u| Value::from(u.as_str())));
        }
        let keep: Option<std::collections::HashSet<&UnitCode>> = units
            .filter(|_| filter.is_none())
            .map(|l| l.iter().collect());
        for r in conn.query_all_raw(stmt(conn, &sql, values)).await? {
            let code: String = r.try_get("", "unit_code")?;
            let unit = UnitCode::parse(&code).map_err(|_| StoreError::Corrupt {
                table: "closed_counts",
                key: code.clone(),
                reason: "mã đơn vị không hợp lệ".to_owned(),
            })?;
            if keep.as_ref().is_some_and(|k| !k.contains(&unit)) {
                continue;
            }
            out.entry(month_of(&r, "month")?)
                .or_default()
                .insert(unit, frozen_of(&r)?);
        }
        Ok(out)
    }
}
