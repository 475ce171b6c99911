//! The aggregates of `motcua_core::aggregate` in the database, written in the transaction of
//! every dossier write, and read by the indicators.
//!
//! Concurrency: every transaction that writes dossiers first takes the lock of their units
//! ([`lock_units`]: a row lock on PostgreSQL; SQLite's single write lock, taken before any
//! read), then reads the stored dossiers, so the change it adds to the aggregates is computed
//! from what it overwrites, and no two writers of a unit read the same aggregate row.

use std::collections::{BTreeMap, HashMap};

use motcua_core::aggregate::{
    Delta, Recounted, Row, STORED, Series, USED, UnitDelta, stored_columns,
};
use motcua_core::procedure::{Procedure, ProcedureCode};
use motcua_core::unit::{Unit, UnitCode};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Value};

use crate::StoreError;
use crate::rows::{self, PROCEDURE_COLUMNS, UNIT_COLUMNS};
use crate::sql::{SqlStore, stmt};
use motcua_core::counts::Counts;
use motcua_core::timestamp::Month;

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
            for chunk in codes.chunks(crate::sql::max_params(conn)) {
                let sql = format!(
                    "SELECT code FROM units WHERE code IN ({}) ORDER BY code FOR NO KEY UPDATE",
                    in_list(conn, chunk.len())
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

fn in_list<C: ConnectionTrait>(conn: &C, n: usize) -> String {
    crate::sql::in_list(conn.get_database_backend(), n, 1)
}

fn row_values(unit: &UnitCode, month: i32, row: &Row) -> Vec<Value> {
    let mut v: Vec<Value> = vec![unit.as_str().into(), i64::from(month).into()];
    v.extend(row.iter().map(|x| Value::from(*x)));
    v
}

/// The stored counts of a row of `agg_months`, read by column name.
fn read_row(r: &QueryResult) -> Result<Row, StoreError> {
    let mut row = [0i64; STORED.len()];
    for (x, id) in row.iter_mut().zip(STORED) {
        *x = r.try_get("", id.id())?;
    }
    Ok(row)
}

fn columns() -> String {
    stored_columns().collect::<Vec<_>>().join(", ")
}

fn month_of(r: &QueryResult, column: &str) -> Result<i32, StoreError> {
    let m: i64 = r.try_get("", column)?;
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
    let width = STORED.len() + 2;
    let updates = stored_columns()
        .map(|f| format!("{f} = excluded.{f}"))
        .collect::<Vec<_>>()
        .join(", ");
    for chunk in rows.chunks((crate::sql::max_params(conn) / width).max(1)) {
        let mut values = Vec::with_capacity(chunk.len() * width);
        for (unit, month, row) in chunk {
            values.extend(row_values(unit, *month, row));
        }
        let sql = format!(
            "INSERT INTO agg_months (unit, month, {}) VALUES {} ON CONFLICT (unit, month) DO UPDATE SET {updates}",
            columns(),
            crate::sql::placeholders(conn.get_database_backend(), chunk.len(), width, 1)
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

/// Inserts or replaces rows of `agg_usage` (`[unit, procedure, month, n]` each).
async fn write_usage<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(crate::sql::max_params(conn) / 4) {
        let sql = format!(
            "INSERT INTO agg_usage (unit, procedure_code, month, n) VALUES {}
             ON CONFLICT (unit, month, procedure_code) DO UPDATE SET n = excluded.n",
            crate::sql::placeholders(conn.get_database_backend(), chunk.len(), 4, 1)
        );
        conn.execute_raw(stmt(conn, &sql, chunk.iter().flatten().cloned().collect()))
            .await?;
    }
    Ok(())
}

/// Applies a delta to the stored aggregates, with a constant number of statements whatever
/// the number of units, procedures and months it touches. The caller holds the units' locks.
pub(crate) async fn apply<C: ConnectionTrait>(conn: &C, delta: Delta) -> Result<(), StoreError> {
    let mut units: Vec<(UnitCode, UnitDelta)> = delta.into_units().collect();
    if units.is_empty() {
        return Ok(());
    }
    let owned: Vec<UnitCode> = units.iter().map(|(u, _)| u.clone()).collect();
    let codes: Vec<&UnitCode> = owned.iter().collect();
    let unit_list =
        |first: usize| crate::sql::in_list(conn.get_database_backend(), codes.len(), first);
    let code_values = || -> Vec<Value> { codes.iter().map(|u| Value::from(u.as_str())).collect() };

    // 1. Online dossiers per procedure: the stored numbers, the offerings, the transitions.
    let usage_months = units.iter().flat_map(|(_, d)| d.usage().map(|(_, m, _)| m));
    let (lo, hi) = usage_months.fold((i32::MAX, i32::MIN), |(a, b), m| (a.min(m), b.max(m)));
    if lo <= hi {
        let mut stored: HashMap<(String, String, i64), i64> = HashMap::new();
        let n = codes.len();
        let sql = format!(
            "SELECT unit, procedure_code, month, n FROM agg_usage
             WHERE unit IN ({}) AND month >= {} AND month <= {}",
            unit_list(1),
            crate::sql::mark(conn.get_database_backend(), n + 1),
            crate::sql::mark(conn.get_database_backend(), n + 2)
        );
        let mut values = code_values();
        values.push(i64::from(lo).into());
        values.push(i64::from(hi).into());
        for r in conn.query_all_raw(stmt(conn, &sql, values)).await? {
            stored.insert(
                (
                    r.try_get("", "unit")?,
                    r.try_get("", "procedure_code")?,
                    r.try_get("", "month")?,
                ),
                r.try_get("", "n")?,
            );
        }
        let catalogue_units: HashMap<UnitCode, Unit> = {
            let sql = format!(
                "SELECT {UNIT_COLUMNS} FROM units WHERE code IN ({})",
                unit_list(1)
            );
            let rows = conn.query_all_raw(stmt(conn, &sql, code_values())).await?;
            rows.iter()
                .map(|r| rows::unit(r).map(|u| (u.code.clone(), u)))
                .collect::<Result<_, _>>()?
        };
        let mut procedure_codes: Vec<&ProcedureCode> = units
            .iter()
            .flat_map(|(_, d)| d.usage().map(|(p, _, _)| p))
            .collect();
        procedure_codes.sort_unstable();
        procedure_codes.dedup();
        let mut procedures: HashMap<ProcedureCode, Procedure> = HashMap::new();
        for chunk in procedure_codes.chunks(crate::sql::max_params(conn)) {
            let sql = format!(
                "SELECT {PROCEDURE_COLUMNS} FROM procedures WHERE code IN ({})",
                in_list(conn, chunk.len())
            );
            let values = chunk.iter().map(|p| Value::from(p.as_str())).collect();
            for r in &conn.query_all_raw(stmt(conn, &sql, values)).await? {
                let p = rows::procedure(r)?;
                procedures.insert(p.code.clone(), p);
            }
        }
        let mut writes: Vec<Vec<Value>> = Vec::new();
        let mut gone: Vec<Value> = Vec::new();
        for (unit, d) in &mut units {
            let changes: Vec<(ProcedureCode, i32, i64)> =
                d.usage().map(|(p, m, n)| (p.clone(), m, n)).collect();
            for (procedure, month, n) in changes {
                let key = (unit.to_string(), procedure.to_string(), i64::from(month));
                let before = stored.get(&key).copied().unwrap_or(0);
                let after = before + n;
                let (u, p, m) = key;
                if after == 0 {
                    gone.extend([Value::from(u), Value::from(p), Value::from(m)]);
                } else {
                    writes.push(vec![u.into(), p.into(), m.into(), after.into()]);
                }
                let offered = catalogue_units
                    .get(unit)
                    .zip(procedures.get(&procedure))
                    .is_some_and(|(u, p)| p.is_online_offering_of(u));
                if offered && (before > 0) != (after > 0) {
                    d.add_to_month(USED, month, if after > 0 { 1 } else { -1 });
                }
            }
        }
        write_usage(conn, writes).await?;
        for chunk in gone.chunks((crate::sql::max_params(conn) / 3) * 3) {
            let sql = format!(
                "DELETE FROM agg_usage WHERE (unit, procedure_code, month) IN (VALUES {})",
                crate::sql::placeholders(conn.get_database_backend(), chunk.len() / 3, 3, 1)
            );
            conn.execute_raw(stmt(conn, &sql, chunk.to_vec())).await?;
        }
    }

    // 2. The series: stored ranges, the rows the changes need, the rows to write back.
    let mut ranges: HashMap<String, (i32, i32)> = HashMap::new();
    let sql = format!(
        "SELECT unit, first_month, last_month FROM agg_units WHERE unit IN ({})",
        unit_list(1)
    );
    for r in conn.query_all_raw(stmt(conn, &sql, code_values())).await? {
        ranges.insert(
            r.try_get("", "unit")?,
            (month_of(&r, "first_month")?, month_of(&r, "last_month")?),
        );
    }
    let range_of = |u: &UnitCode| ranges.get(u.as_str()).copied();
    let windows = units.iter().filter_map(|(u, d)| d.window(range_of(u)));
    let (from, to) = windows.fold((i32::MAX, i32::MIN), |(a, b), (f, t)| (a.min(f), b.max(t)));
    let mut stored: HashMap<String, BTreeMap<i32, Row>> = HashMap::new();
    if from <= to {
        let n = codes.len();
        let sql = format!(
            "SELECT unit, month, {} FROM agg_months WHERE unit IN ({}) AND month >= {} AND month <= {}",
            columns(),
            unit_list(1),
            crate::sql::mark(conn.get_database_backend(), n + 1),
            crate::sql::mark(conn.get_database_backend(), n + 2)
        );
        let mut values = code_values();
        values.push(i64::from(from).into());
        values.push(i64::from(to).into());
        for r in conn.query_all_raw(stmt(conn, &sql, values)).await? {
            stored
                .entry(r.try_get("", "unit")?)
                .or_default()
                .insert(month_of(&r, "month")?, read_row(&r)?);
        }
    }
    let empty = BTreeMap::new();
    let mut rows: Vec<(UnitCode, i32, Row)> = Vec::new();
    let mut new_ranges: Vec<Vec<Value>> = Vec::new();
    for (unit, d) in &units {
        let range = range_of(unit);
        let rewrite = d.rewrite(range, stored.get(unit.as_str()).unwrap_or(&empty));
        if rewrite.rows.is_empty() {
            continue;
        }
        rows.extend(rewrite.rows.iter().map(|(m, r)| (unit.clone(), *m, *r)));
        if range != Some(rewrite.range) {
            new_ranges.push(vec![
                unit.as_str().into(),
                i64::from(rewrite.range.0).into(),
                i64::from(rewrite.range.1).into(),
            ]);
        }
    }
    write_rows(conn, &rows).await?;
    write_ranges(conn, new_ranges).await?;
    Ok(())
}

/// Inserts or replaces rows of `agg_units` (`[unit, first, last]` each).
async fn write_ranges<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(crate::sql::max_params(conn) / 3) {
        let sql = format!(
            "INSERT INTO agg_units (unit, first_month, last_month) VALUES {}
             ON CONFLICT (unit) DO UPDATE SET first_month = excluded.first_month, last_month = excluded.last_month",
            crate::sql::placeholders(conn.get_database_backend(), chunk.len(), 3, 1)
        );
        conn.execute_raw(stmt(conn, &sql, chunk.iter().flatten().cloned().collect()))
            .await?;
    }
    Ok(())
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
    write_usage(conn, usage).await?;
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
        let code: String = r.try_get("", "unit")?;
        let unit = UnitCode::parse(&code).map_err(|_| corrupt("agg_units", code.clone()))?;
        out.entry(unit).or_default().series.range =
            Some((month_of(&r, "first_month")?, month_of(&r, "last_month")?));
    }
    for r in conn
        .query_all_raw(stmt(
            conn,
            &format!("SELECT unit, month, {} FROM agg_months", columns()),
            vec![],
        ))
        .await?
    {
        let code: String = r.try_get("", "unit")?;
        let unit = UnitCode::parse(&code).map_err(|_| corrupt("agg_months", code.clone()))?;
        let series: &mut Series = &mut out.entry(unit).or_default().series;
        series.rows.insert(month_of(&r, "month")?, read_row(&r)?);
    }
    for r in conn
        .query_all_raw(stmt(
            conn,
            "SELECT unit, procedure_code, month, n FROM agg_usage",
            vec![],
        ))
        .await?
    {
        let code: String = r.try_get("", "unit")?;
        let unit = UnitCode::parse(&code).map_err(|_| corrupt("agg_usage", code.clone()))?;
        let p: String = r.try_get("", "procedure_code")?;
        let procedure = ProcedureCode::parse(&p).ok_or_else(|| corrupt("agg_usage", p.clone()))?;
        let n: i64 = r.try_get("", "n")?;
        out.entry(unit)
            .or_default()
            .usage
            .insert((procedure, month_of(&r, "month")?), n);
    }
    Ok(out)
}

/// The counts of each unit of `units` (every unit when `None`) for each of `months`
/// (indexes), read from at most one row per unit and month, in one statement that returns
/// one row: the items of [`parse_packed`], joined by `;`.
///
/// Why packed: sqlx hands each row of a SQLite query from its worker thread to the caller
/// separately, at 15–20 µs a row; a province's 169 units × 2 months cost 6 ms as rows, and
/// well under one as a single text. One statement also reads the units' ranges and rows in
/// one snapshot.
pub(crate) async fn counts<C: ConnectionTrait>(
    conn: &C,
    units: Option<&[UnitCode]>,
    months: &[i32],
) -> Result<HashMap<UnitCode, Vec<Row>>, StoreError> {
    let backend = conn.get_database_backend();
    // The months' parameters come first: SQLite binds its `?` in the order of the text.
    let mut values: Vec<Value> = months.iter().map(|m| Value::from(i64::from(*m))).collect();
    let filter = match units {
        Some(list) => {
            let marks = crate::sql::in_list(backend, list.len(), values.len() + 1);
            values.extend(list.iter().map(|u| Value::from(u.as_str())));
            format!("WHERE u.unit IN ({marks})")
        }
        None => String::new(),
    };
    if months.is_empty() {
        let sql = format!("SELECT u.unit FROM agg_units u {filter}");
        let mut out = HashMap::new();
        for r in conn.query_all_raw(stmt(conn, &sql, values)).await? {
            let code: String = r.try_get("", "unit")?;
            out.insert(unit_code(&code)?, Vec::new());
        }
        return Ok(out);
    }
    // The month each requested month reads: none before the unit's first, the last after
    // its last (`motcua_core::aggregate::value_at`).
    let wanted = (0..months.len())
        .map(|k| format!("({k}, {})", crate::sql::mark(backend, k + 1)))
        .collect::<Vec<_>>()
        .join(", ");
    let fields = stored_columns()
        .map(|f| format!("a.{f}"))
        .collect::<Vec<_>>()
        .join(", ");
    // `concat_ws` skips NULLs, so a month that reads no row packs as `unit,k`. It and
    // `string_agg` are PostgreSQL's, and the bundled SQLite's since 3.44; one call per item
    // is 2–3× cheaper in SQLite than a chain of `||`, which copies the text at every step.
    // The row is a correlated subquery rather than a join so that PostgreSQL looks each one
    // up by its key instead of hashing the whole of `agg_months` (30 ms at 1 M dossiers).
    let sql = format!(
        "WITH wanted (k, m) AS (VALUES {wanted})
         SELECT string_agg(concat_ws(',', u.unit, w.k,
             (SELECT concat_ws(',', {fields}) FROM agg_months a
              WHERE a.unit = u.unit AND w.m >= u.first_month
                AND a.month = CASE WHEN w.m > u.last_month THEN u.last_month ELSE w.m END)),
           ';') AS packed
         FROM agg_units u CROSS JOIN wanted w
         {filter}"
    );
    let packed: Option<String> = match conn.query_one_raw(stmt(conn, &sql, values)).await? {
        Some(r) => r.try_get("", "packed")?,
        None => None,
    };
    parse_packed(packed.as_deref().unwrap_or(""), months.len())
}

fn unit_code(code: &str) -> Result<UnitCode, StoreError> {
    UnitCode::parse(code).map_err(|_| StoreError::Corrupt {
        table: "agg_units",
        key: code.to_owned(),
        reason: "mã không hợp lệ".to_owned(),
    })
}

/// The counts packed by [`counts`]: items `unit,k` (month `k` of the request reads no row:
/// zero) or `unit,k,` followed by the counts of [`STORED`], separated by `;`. Anything
/// else is [`StoreError::Corrupt`].
fn parse_packed(text: &str, months: usize) -> Result<HashMap<UnitCode, Vec<Row>>, StoreError> {
    let mut out: HashMap<UnitCode, Vec<Row>> = HashMap::new();
    if text.is_empty() {
        return Ok(out);
    }
    for item in text.split(';') {
        let corrupt = |reason: &str| StoreError::Corrupt {
            table: "agg_months",
            key: item.chars().take(80).collect(),
            reason: reason.to_owned(),
        };
        let mut parts = item.split(',');
        let unit = unit_code(parts.next().unwrap_or_default())?;
        let k = parts
            .next()
            .and_then(|k| k.parse::<usize>().ok())
            .filter(|k| *k < months)
            .ok_or_else(|| corrupt("tháng không hợp lệ"))?;
        let mut row = [0i64; STORED.len()];
        let mut read = 0;
        for (slot, part) in row.iter_mut().zip(&mut parts) {
            *slot = part.parse().map_err(|_| corrupt("số đếm không hợp lệ"))?;
            read += 1;
        }
        if parts.next().is_some() || (read != 0 && read != row.len()) {
            return Err(corrupt("số cột không đúng"));
        }
        let rows = out
            .entry(unit)
            .or_insert_with(|| vec![[0; STORED.len()]; months]);
        if let Some(slot) = rows.get_mut(k) {
            *slot = row;
        }
    }
    Ok(out)
}

impl SqlStore {
    /// The aggregate counts of `units` (every unit when `None`) for each of `months`, from
    /// at most one stored row per unit and month (units without any dossier are left out;
    /// `online_services_offered` is zero: it comes from the catalogue).
    pub async fn unit_counts(
        &self,
        units: Option<&[UnitCode]>,
        months: &[Month],
    ) -> Result<HashMap<UnitCode, Vec<Counts>>, StoreError> {
        let indexes: Vec<i32> = months.iter().map(|m| m.index()).collect();
        // A long list costs more to bind than the rows it leaves out.
        let filter = units.filter(|u| u.len() + months.len() <= crate::sql::max_params(&self.db));
        let mut rows = counts(&self.db, filter, &indexes).await?;
        if let (Some(list), None) = (units, filter) {
            let keep: std::collections::HashSet<&UnitCode> = list.iter().collect();
            rows.retain(|u, _| keep.contains(u));
        }
        Ok(rows
            .into_iter()
            .map(|(u, rows)| {
                (
                    u,
                    rows.iter().map(motcua_core::aggregate::counts_of).collect(),
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> UnitCode {
        UnitCode::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn item(unit: &str, k: usize, row: &Row) -> String {
        let counts: Vec<String> = row.iter().map(i64::to_string).collect();
        format!("{unit},{k},{}", counts.join(","))
    }

    #[test]
    fn packed_rows_are_read_back() {
        let a: Row = std::array::from_fn(|i| i64::try_from(i).unwrap_or(0) * 3 - 5);
        let b: Row = std::array::from_fn(|i| i64::try_from(i).unwrap_or(0) + 1_000_000_000_000);
        let text = [
            item("ha-noi.ba-dinh", 1, &a),
            "q-1,0".to_owned(),
            item("q-1", 1, &b),
        ]
        .join(";");
        let out = parse_packed(&text, 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.len(), 2);
        assert_eq!(out[&code("ha-noi.ba-dinh")], vec![[0; STORED.len()], a]);
        assert_eq!(out[&code("q-1")], vec![[0; STORED.len()], b]);
        assert!(
            parse_packed("", 2)
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty()
        );
    }

    #[test]
    fn malformed_packed_values_are_corrupt() {
        let row = item("q-1", 0, &[7; STORED.len()]);
        let cases = [
            ";".to_owned(),
            "q-1".to_owned(),
            "q 1,0".to_owned(),
            "q-1,".to_owned(),
            "q-1,2".to_owned(),
            "q-1,-1".to_owned(),
            "q-1,0,".to_owned(),
            "q-1,0,1,2".to_owned(),
            format!("{row},8"),
            row.replacen(",7", ",x", 1),
            row.replacen(",7", ",99999999999999999999", 1),
            format!("{row};"),
            "é,0".to_owned(),
        ];
        for text in cases {
            match parse_packed(&text, 2) {
                Err(StoreError::Corrupt { .. }) => {}
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }
}
