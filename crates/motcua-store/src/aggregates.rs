//! The aggregates of `motcua_core::aggregate` in the database, written in the transaction of
//! every dossier write, and read by the indicators.
//!
//! Concurrency: every transaction that writes dossiers first takes the lock of their units
//! ([`lock_units`]: a row lock on PostgreSQL; SQLite's single write lock, taken before any
//! read), then reads the stored dossiers, so the change it adds to the aggregates is computed
//! from what it overwrites, and no two writers of a unit read the same aggregate row.

use std::collections::{BTreeMap, HashMap};

use motcua_core::aggregate::{Delta, FIELDS, Recounted, Row, Series, USED, UnitDelta};
use motcua_core::dossier::{Dossier, DossierCode};
use motcua_core::procedure::{Procedure, ProcedureCode};
use motcua_core::unit::{Unit, UnitCode};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Value};

use crate::StoreError;
use crate::access::stmt;
use crate::rows::{self, PROCEDURE_COLUMNS, UNIT_COLUMNS};

/// Takes the write locks of `units` (sorted, so two writers never wait on each other in
/// opposite orders). Must be the first statement of the transaction.
pub(crate) async fn lock_units<C: ConnectionTrait>(
    conn: &C,
    units: &[&UnitCode],
) -> Result<(), StoreError> {
    match conn.get_database_backend() {
        DbBackend::Postgres => {
            let mut codes: Vec<&str> = units.iter().map(|u| u.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            for chunk in codes.chunks(10_000) {
                let sql = format!(
                    "SELECT code FROM units WHERE code IN ({}) ORDER BY code FOR NO KEY UPDATE",
                    in_list(chunk.len())
                );
                conn.query_all_raw(stmt(
                    conn,
                    &sql,
                    chunk.iter().map(|c| Value::from(*c)).collect(),
                ))
                .await?;
            }
        }
        _ => {
            // A write that changes nothing still takes SQLite's write lock, before this
            // transaction has read anything (a deferred transaction that read first could
            // not write after another writer's commit).
            conn.execute_raw(stmt(
                conn,
                "UPDATE revisions SET n = n WHERE name = ''",
                vec![],
            ))
            .await?;
        }
    }
    Ok(())
}

fn in_list(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which (unit, procedure) pairs are online service offerings, for the pairs asked, read in
/// the transaction (an import may just have changed the catalogue).
async fn offerings<C: ConnectionTrait>(
    conn: &C,
    unit: &UnitCode,
    procedures: &[&ProcedureCode],
) -> Result<HashMap<ProcedureCode, bool>, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn,
            &format!("SELECT {UNIT_COLUMNS} FROM units WHERE code = $1"),
            vec![unit.as_str().into()],
        ))
        .await?;
    let unit: Option<Unit> = row.as_ref().map(rows::unit).transpose()?;
    let mut out = HashMap::new();
    for chunk in procedures.chunks(10_000) {
        let sql = format!(
            "SELECT {PROCEDURE_COLUMNS} FROM procedures WHERE code IN ({})",
            in_list(chunk.len())
        );
        let found = conn
            .query_all_raw(stmt(
                conn,
                &sql,
                chunk.iter().map(|p| Value::from(p.as_str())).collect(),
            ))
            .await?;
        for r in &found {
            let p: Procedure = rows::procedure(r)?;
            let offered = unit.as_ref().is_some_and(|u| p.is_online_offering_of(u));
            out.insert(p.code, offered);
        }
    }
    Ok(out)
}

fn row_values(unit: &UnitCode, month: i32, row: &Row) -> Vec<Value> {
    let mut v: Vec<Value> = vec![unit.as_str().into(), i64::from(month).into()];
    v.extend(row.iter().map(|x| Value::from(*x)));
    v
}

fn read_row(r: &QueryResult, offset: usize) -> Result<Row, StoreError> {
    let mut row = [0i64; 25];
    for (i, x) in row.iter_mut().enumerate() {
        *x = r.try_get_by_index(offset + i)?;
    }
    Ok(row)
}

fn columns() -> String {
    FIELDS.join(", ")
}

fn month_of(r: &QueryResult, index: usize) -> Result<i32, StoreError> {
    let m: i64 = r.try_get_by_index(index)?;
    i32::try_from(m).map_err(|_| StoreError::Corrupt {
        table: "agg_months",
        key: m.to_string(),
        reason: "tháng ngoài phạm vi".to_owned(),
    })
}

/// Inserts or replaces rows of `agg_months`.
async fn write_rows<C: ConnectionTrait>(
    conn: &C,
    rows: &[(UnitCode, i32, Row)],
) -> Result<(), StoreError> {
    let width = FIELDS.len() + 2;
    let updates = FIELDS
        .iter()
        .map(|f| format!("{f} = excluded.{f}"))
        .collect::<Vec<_>>()
        .join(", ");
    for chunk in rows.chunks(30_000 / width) {
        let mut values = Vec::with_capacity(chunk.len() * width);
        let mut groups = Vec::with_capacity(chunk.len());
        for (i, (unit, month, row)) in chunk.iter().enumerate() {
            values.extend(row_values(unit, *month, row));
            let first = i * width + 1;
            groups.push(format!(
                "({})",
                (first..first + width)
                    .map(|j| format!("${j}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let sql = format!(
            "INSERT INTO agg_months (unit, month, {}) VALUES {} ON CONFLICT (unit, month) DO UPDATE SET {updates}",
            columns(),
            groups.join(", ")
        );
        conn.execute_raw(stmt(conn, &sql, values)).await?;
    }
    Ok(())
}

async fn write_range<C: ConnectionTrait>(
    conn: &C,
    unit: &UnitCode,
    range: (i32, i32),
) -> Result<(), StoreError> {
    conn.execute_raw(stmt(
        conn,
        "INSERT INTO agg_units (unit, first_month, last_month) VALUES ($1, $2, $3)
         ON CONFLICT (unit) DO UPDATE SET first_month = excluded.first_month, last_month = excluded.last_month",
        vec![
            unit.as_str().into(),
            i64::from(range.0).into(),
            i64::from(range.1).into(),
        ],
    ))
    .await?;
    Ok(())
}

async fn range_of<C: ConnectionTrait>(
    conn: &C,
    unit: &UnitCode,
) -> Result<Option<(i32, i32)>, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn,
            "SELECT first_month, last_month FROM agg_units WHERE unit = $1",
            vec![unit.as_str().into()],
        ))
        .await?;
    row.map(|r| Ok((month_of(&r, 0)?, month_of(&r, 1)?)))
        .transpose()
}

/// Applies the change of the online dossiers per procedure of one unit, adding to
/// `online_services_used` where a procedure offered online gets its first online dossier
/// of a month or loses its last.
async fn apply_usage<C: ConnectionTrait>(
    conn: &C,
    unit: &UnitCode,
    delta: &mut UnitDelta,
) -> Result<(), StoreError> {
    let changes: Vec<(ProcedureCode, i32, i64)> =
        delta.usage().map(|(p, m, n)| (p.clone(), m, n)).collect();
    if changes.is_empty() {
        return Ok(());
    }
    let procedures: Vec<&ProcedureCode> = changes.iter().map(|(p, _, _)| p).collect();
    let offered = offerings(conn, unit, &procedures).await?;
    for (procedure, month, n) in &changes {
        let key = vec![
            unit.as_str().into(),
            procedure.as_str().into(),
            i64::from(*month).into(),
        ];
        let before: i64 = match conn
            .query_one_raw(stmt(
                conn,
                "SELECT n FROM agg_usage WHERE unit = $1 AND procedure_code = $2 AND month = $3",
                key.clone(),
            ))
            .await?
        {
            Some(r) => r.try_get_by_index(0)?,
            None => 0,
        };
        let after = before + n;
        if after == 0 {
            conn.execute_raw(stmt(
                conn,
                "DELETE FROM agg_usage WHERE unit = $1 AND procedure_code = $2 AND month = $3",
                key,
            ))
            .await?;
        } else {
            let mut values = key;
            values.push(after.into());
            conn.execute_raw(stmt(
                conn,
                "INSERT INTO agg_usage (unit, procedure_code, month, n) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (unit, month, procedure_code) DO UPDATE SET n = excluded.n",
                values,
            ))
            .await?;
        }
        if offered.get(procedure).copied().unwrap_or(false) && (before > 0) != (after > 0) {
            delta.add_to_month(USED, *month, if after > 0 { 1 } else { -1 });
        }
    }
    Ok(())
}

/// Applies a delta to the stored aggregates. The caller holds the units' locks.
pub(crate) async fn apply<C: ConnectionTrait>(conn: &C, delta: Delta) -> Result<(), StoreError> {
    for (unit, mut d) in delta.into_units() {
        apply_usage(conn, &unit, &mut d).await?;
        let range = range_of(conn, &unit).await?;
        let mut stored = BTreeMap::new();
        if let Some((from, to)) = d.window(range) {
            let rows = conn
                .query_all_raw(stmt(
                    conn,
                    &format!(
                        "SELECT month, {} FROM agg_months WHERE unit = $1 AND month >= $2 AND month <= $3",
                        columns()
                    ),
                    vec![
                        unit.as_str().into(),
                        i64::from(from).into(),
                        i64::from(to).into(),
                    ],
                ))
                .await?;
            for r in &rows {
                stored.insert(month_of(r, 0)?, read_row(r, 1)?);
            }
        }
        let rewrite = d.rewrite(range, &stored);
        if rewrite.rows.is_empty() {
            continue;
        }
        let rows: Vec<(UnitCode, i32, Row)> = rewrite
            .rows
            .iter()
            .map(|(m, r)| (unit.clone(), *m, *r))
            .collect();
        write_rows(conn, &rows).await?;
        if range != Some(rewrite.range) {
            write_range(conn, &unit, rewrite.range).await?;
        }
    }
    Ok(())
}

/// The change to the aggregates of writing `after` over what is stored for each code.
pub(crate) fn delta_of<'a>(
    stored: &HashMap<DossierCode, Dossier>,
    after: impl Iterator<Item = &'a Dossier>,
) -> Delta {
    let mut delta = Delta::default();
    for d in after {
        delta.change(stored.get(&d.code), Some(d));
    }
    delta
}

/// Replaces every aggregate with `recounted` (a rebuild).
pub(crate) async fn replace_all<C: ConnectionTrait>(
    conn: &C,
    recounted: &BTreeMap<UnitCode, Recounted>,
) -> Result<(), StoreError> {
    for table in ["agg_months", "agg_units", "agg_usage"] {
        conn.execute_unprepared(&format!("DELETE FROM {table}"))
            .await?;
    }
    let mut rows = Vec::new();
    let mut usage: Vec<Vec<Value>> = Vec::new();
    for (unit, r) in recounted {
        if let Some(range) = r.series.range {
            write_range(conn, unit, range).await?;
        }
        rows.extend(
            r.series
                .rows
                .iter()
                .map(|(m, row)| (unit.clone(), *m, *row)),
        );
        usage.extend(r.usage.iter().map(|((p, m), n)| {
            vec![
                unit.as_str().into(),
                p.as_str().into(),
                i64::from(*m).into(),
                (*n).into(),
            ]
        }));
    }
    write_rows(conn, &rows).await?;
    for chunk in usage.chunks(7_500) {
        let groups: Vec<String> = (0..chunk.len())
            .map(|i| {
                let f = i * 4 + 1;
                format!("(${}, ${}, ${}, ${})", f, f + 1, f + 2, f + 3)
            })
            .collect();
        let sql = format!(
            "INSERT INTO agg_usage (unit, procedure_code, month, n) VALUES {}",
            groups.join(", ")
        );
        conn.execute_raw(stmt(conn, &sql, chunk.iter().flatten().cloned().collect()))
            .await?;
    }
    Ok(())
}

/// Every stored aggregate, as [`Recounted`] per unit (for `motcua verify`).
pub(crate) async fn read_all<C: ConnectionTrait>(
    conn: &C,
) -> Result<BTreeMap<UnitCode, Recounted>, StoreError> {
    let mut out: BTreeMap<UnitCode, Recounted> = BTreeMap::new();
    let corrupt = |table: &'static str, key: String| StoreError::Corrupt {
        table,
        key,
        reason: "mã không hợp lệ".to_owned(),
    };
    for r in conn
        .query_all_raw(stmt(
            conn,
            "SELECT unit, first_month, last_month FROM agg_units",
            vec![],
        ))
        .await?
    {
        let code: String = r.try_get_by_index(0)?;
        let unit = UnitCode::parse(&code).map_err(|_| corrupt("agg_units", code.clone()))?;
        out.entry(unit).or_default().series.range = Some((month_of(&r, 1)?, month_of(&r, 2)?));
    }
    for r in conn
        .query_all_raw(stmt(
            conn,
            &format!("SELECT unit, month, {} FROM agg_months", columns()),
            vec![],
        ))
        .await?
    {
        let code: String = r.try_get_by_index(0)?;
        let unit = UnitCode::parse(&code).map_err(|_| corrupt("agg_months", code.clone()))?;
        let series: &mut Series = &mut out.entry(unit).or_default().series;
        series.rows.insert(month_of(&r, 1)?, read_row(&r, 2)?);
    }
    for r in conn
        .query_all_raw(stmt(
            conn,
            "SELECT unit, procedure_code, month, n FROM agg_usage",
            vec![],
        ))
        .await?
    {
        let code: String = r.try_get_by_index(0)?;
        let unit = UnitCode::parse(&code).map_err(|_| corrupt("agg_usage", code.clone()))?;
        let p: String = r.try_get_by_index(1)?;
        let procedure = ProcedureCode::parse(&p).ok_or_else(|| corrupt("agg_usage", p.clone()))?;
        let n: i64 = r.try_get_by_index(3)?;
        out.entry(unit)
            .or_default()
            .usage
            .insert((procedure, month_of(&r, 2)?), n);
    }
    Ok(out)
}

/// The counts of each unit of `units` (every unit when `None`) for each of `months`
/// (indexes), read from at most one row per unit and month.
pub(crate) async fn counts<C: ConnectionTrait>(
    conn: &C,
    units: Option<&[UnitCode]>,
    months: &[i32],
) -> Result<HashMap<UnitCode, Vec<Row>>, StoreError> {
    let mut ranges: HashMap<String, (i32, i32)> = HashMap::new();
    let (filter, values): (String, Vec<Value>) = match units {
        Some(list) => (
            format!("WHERE unit IN ({})", in_list(list.len())),
            list.iter().map(|u| Value::from(u.as_str())).collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    for r in conn
        .query_all_raw(stmt(
            conn,
            &format!("SELECT unit, first_month, last_month FROM agg_units {filter}"),
            values.clone(),
        ))
        .await?
    {
        let code: String = r.try_get_by_index(0)?;
        ranges.insert(code, (month_of(&r, 1)?, month_of(&r, 2)?));
    }
    // The month each requested month reads: itself, or the unit's last when later.
    let mut wanted: Vec<i32> = Vec::new();
    for (first, last) in ranges.values() {
        for m in months {
            if m >= first {
                wanted.push(*m.min(last));
            }
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    let mut stored: HashMap<String, BTreeMap<i32, Row>> = HashMap::new();
    if !wanted.is_empty() {
        let first = values.len() + 1;
        let month_list = (first..first + wanted.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let where_months = if filter.is_empty() {
            format!("WHERE month IN ({month_list})")
        } else {
            format!("{filter} AND month IN ({month_list})")
        };
        let mut all = values;
        all.extend(wanted.iter().map(|m| Value::from(i64::from(*m))));
        for r in conn
            .query_all_raw(stmt(
                conn,
                &format!(
                    "SELECT unit, month, {} FROM agg_months {where_months}",
                    columns()
                ),
                all,
            ))
            .await?
        {
            let code: String = r.try_get_by_index(0)?;
            stored
                .entry(code)
                .or_default()
                .insert(month_of(&r, 1)?, read_row(&r, 2)?);
        }
    }
    let mut out = HashMap::with_capacity(ranges.len());
    for (code, range) in ranges {
        let rows = stored.get(&code);
        let values: Vec<Row> = months
            .iter()
            .map(|m| {
                rows.map_or([0; 25], |rows| {
                    motcua_core::aggregate::value_at(Some(range), rows, *m)
                })
            })
            .collect();
        if let Ok(unit) = UnitCode::parse(&code) {
            out.insert(unit, values);
        }
    }
    Ok(out)
}
