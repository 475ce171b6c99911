//! [`SqlStore`]: the [`Store`] on SQLite or PostgreSQL through sea-orm.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use motcua_calendar::Schedule;
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, AuditFilter, AuditRecord, Principal, User, Username};
use motcua_core::aggregate::{Delta, Difference, Recounted};
use motcua_core::catalogue::Catalogue;
use motcua_core::dossier::{Dossier, DossierCode, DueMove};
use motcua_core::history::{DossierEvent, DueReplanned, EventDetail};
use motcua_core::procedure::Procedure;
use motcua_core::procedure::ProcedureCode;
use motcua_core::timestamp::Month;
use motcua_core::unit::{Unit, UnitCode};
use sea_orm::sqlx::postgres::PgConnectOptions;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    TransactionTrait, Value,
};
use sea_orm_migration::MigratorTrait;

use crate::access::{self, NewSession, NewToken, NewUser};
use crate::migration::Migrator;
use crate::rows::{self, DOSSIER_COLUMNS, PROCEDURE_COLUMNS, UNIT_COLUMNS};
use crate::{ImportBatch, ImportSummary, Store, StoreError};

/// Bound parameters per statement: under SQLite's limit (32 766) and PostgreSQL's (65 535).
/// Long statements number their parameters with [`mark`].
pub(crate) fn max_params<C: ConnectionTrait>(_conn: &C) -> usize {
    30_000
}

/// The store on a SQL database; cheap to clone (a connection pool).
#[derive(Clone, Debug)]
pub struct SqlStore {
    pub(crate) db: DatabaseConnection,
    /// The catalogue with the revision it was read at (see [`Store::catalogue`]).
    catalogue: std::sync::Arc<std::sync::Mutex<CachedCatalogue>>,
}

/// The catalogue read at a revision.
type CachedCatalogue = Option<(i64, std::sync::Arc<Catalogue>)>;

/// The revision counter bumped by every change of units or procedures.
pub(crate) const CATALOGUE_REVISION: &str = "catalogue";
/// Set once the aggregates have been built from the stored dossiers.
const AGGREGATES_BUILT: &str = "aggregates";
/// Dossiers read per query when reading them all.
const PAGE: usize = 20_000;

/// Bumps a revision counter in a transaction.
pub(crate) async fn bump<C: ConnectionTrait>(conn: &C, name: &str) -> Result<(), StoreError> {
    conn.execute_raw(Statement::from_sql_and_values(
        conn.get_database_backend(),
        "INSERT INTO revisions (name, n) VALUES ($1, 1)
         ON CONFLICT (name) DO UPDATE SET n = revisions.n + 1",
        vec![name.into()],
    ))
    .await?;
    Ok(())
}

async fn revision<C: ConnectionTrait>(conn: &C, name: &str) -> Result<Option<i64>, StoreError> {
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            "SELECT n FROM revisions WHERE name = $1",
            vec![name.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get_by_index(0)).transpose()?)
}

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

/// Dossiers by code after `after`, at most `limit`.
async fn dossiers_after<C: ConnectionTrait>(
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

/// Recounts every aggregate from the stored dossiers, read in pages within `conn`'s
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
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
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
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
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
    /// Connects to `sqlite://PATH` (created when missing) or `postgres://…` and applies the
    /// migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let db = Self::open(url).await?;
        Migrator::up(&db, None).await?;
        let store = Self {
            db,
            catalogue: Default::default(),
        };
        if revision(&store.db, AGGREGATES_BUILT).await?.is_none() {
            // A database from before the aggregates (or a new one): build them once.
            store.rebuild_aggregates().await?;
        }
        Ok(store)
    }

    /// A pool on the database at `url` (a SQLite file is created when missing), not migrated.
    pub(crate) async fn open(url: &str) -> Result<DatabaseConnection, StoreError> {
        let bad = |reason: String| StoreError::BadUrl {
            url: url.to_owned(),
            reason,
        };
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(10));
        if url.starts_with("sqlite:") {
            url.parse::<SqliteConnectOptions>()
                .map_err(|e| bad(e.to_string()))?;
            options
                // Readers run beside the single writer in WAL mode.
                .max_connections(4)
                .map_sqlx_sqlite_opts(|o| {
                    o.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        // Durable at commit in WAL mode with NORMAL only on power loss of the
                        // OS; FULL keeps every acknowledged write, which the one-stop desk owes
                        // its citizens.
                        .synchronous(SqliteSynchronous::Full)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(10))
                });
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            url.parse::<PgConnectOptions>()
                .map_err(|e| bad(e.to_string()))?;
            options.max_connections(10);
        } else {
            return Err(bad("chỉ hỗ trợ sqlite:// và postgres://".to_owned()));
        }
        Database::connect(options)
            .await
            .map_err(|e| StoreError::Connect {
                url: redact(url),
                reason: connect_reason(&e),
            })
    }

    /// The connection pool, for the store's own modules.
    pub(crate) fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The backend in use.
    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Runs a raw statement; for tests and maintenance commands only.
    pub async fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        self.db.execute_unprepared(sql).await?;
        Ok(())
    }

    /// Runs a raw query and returns the first column of every row as text (NULL as empty);
    /// for tests and maintenance commands only.
    pub async fn query_text(&self, sql: &str) -> Result<Vec<String>, StoreError> {
        let rows = self
            .db
            .query_all_raw(Statement::from_string(self.backend(), sql.to_owned()))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let value: Option<String> = row.try_get_by_index(0)?;
            out.push(value.unwrap_or_default());
        }
        Ok(out)
    }

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

    /// Closes the pool.
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }

    fn statement(&self, sql: String, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(self.backend(), sql, values)
    }
}

/// The useful part of a connection failure, without sqlx's repeated wrapping.
fn connect_reason(e: &sea_orm::DbErr) -> String {
    let text = e.to_string();
    if text.contains("pool timed out") {
        "máy chủ không trả lời (kiểm tra máy, cổng, tên người dùng và cơ sở dữ liệu)".to_owned()
    } else {
        text.replace("Connection Error: ", "")
    }
}

/// Hides a password in a URL before it is shown.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// `($1, $2, …), ($n+1, …)` for `rows` rows of `width` columns.
pub(crate) fn placeholders(backend: DbBackend, rows: usize, width: usize, first: usize) -> String {
    let mut out = String::with_capacity(rows * width * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(&mark(backend, first + r * width + c));
        }
        out.push(')');
    }
    out
}

/// Parameter `i` of a statement whose parameters all come, in order, from [`placeholders`],
/// [`in_list`] and this function: `$i` on PostgreSQL, an anonymous `?` on SQLite (sqlx looks
/// numbered SQLite parameters up by name, at a cost that grows with their square).
pub(crate) fn mark(backend: DbBackend, i: usize) -> String {
    match backend {
        DbBackend::Sqlite => "?".to_owned(),
        _ => format!("${i}"),
    }
}

/// `$first, $first+1, …` for an `IN` list.
pub(crate) fn in_list(backend: DbBackend, n: usize, first: usize) -> String {
    (first..first + n)
        .map(|i| mark(backend, i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Inserts rows, updating every non-key column of rows whose `code` exists.
pub(crate) async fn upsert<C: ConnectionTrait>(
    conn: &C,
    table: &str,
    columns: &str,
    rows: Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    let names: Vec<&str> = columns.split(',').map(str::trim).collect();
    let width = names.len();
    let updates = names
        .iter()
        .filter(|c| **c != "code")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let per_statement = (max_params(conn) / width).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(per_statement).collect();
        let sql = format!(
            "INSERT INTO {table} ({columns}) VALUES {} ON CONFLICT (code) DO UPDATE SET {updates}",
            placeholders(conn.get_database_backend(), chunk.len(), width, 1)
        );
        let values: Vec<Value> = chunk.into_iter().flatten().collect();
        conn.execute_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            sql,
            values,
        ))
        .await?;
    }
    Ok(())
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

impl Store for SqlStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        all_units(&self.db).await
    }

    async fn procedures(&self) -> Result<Vec<Procedure>, StoreError> {
        all_procedures(&self.db).await
    }

    async fn dossiers(&self) -> Result<Vec<Dossier>, StoreError> {
        let rows = self
            .db
            .query_all_raw(self.statement(
                format!("SELECT {DOSSIER_COLUMNS} FROM dossiers ORDER BY code"),
                vec![],
            ))
            .await?;
        rows.iter().map(rows::dossier).collect()
    }

    async fn dossiers_for_indicators(
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

    async fn import(
        &self,
        batch: ImportBatch<'_>,
        ctx: &AuditContext,
    ) -> Result<ImportSummary, StoreError> {
        crate::import::import(&self.db, batch, ctx).await
    }

    async fn catalogue(&self) -> Result<std::sync::Arc<Catalogue>, StoreError> {
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

    async fn unit_counts(
        &self,
        units: Option<&[UnitCode]>,
        months: &[Month],
    ) -> Result<HashMap<UnitCode, Vec<motcua_core::counts::Counts>>, StoreError> {
        let indexes: Vec<i32> = months.iter().map(|m| m.index()).collect();
        // A long list costs more to bind than the rows it leaves out.
        let filter = units.filter(|u| u.len() + months.len() <= max_params(&self.db));
        let mut rows = crate::aggregates::counts(&self.db, filter, &indexes).await?;
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

    async fn close_month(
        &self,
        month: Month,
        ctx: &AuditContext,
    ) -> Result<motcua_core::close::MonthClose, StoreError> {
        crate::closes::close_month(&self.db, month, ctx).await
    }

    async fn month_closes(&self) -> Result<Vec<motcua_core::close::MonthClose>, StoreError> {
        crate::closes::month_closes(&self.db).await
    }

    async fn closed_counts(
        &self,
        units: Option<&[UnitCode]>,
        months: &[Month],
    ) -> Result<HashMap<Month, HashMap<UnitCode, motcua_core::counts::Counts>>, StoreError> {
        crate::closes::closed_counts(&self.db, units, months).await
    }

    async fn check_aggregates(&self) -> Result<Vec<Difference>, StoreError> {
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

    async fn last_received_at(&self) -> Result<Option<Timestamp>, StoreError> {
        let row = self
            .db
            .query_one_raw(
                self.statement("SELECT MAX(received_at) FROM dossiers".to_owned(), vec![]),
            )
            .await?;
        let micros: Option<i64> = match row {
            Some(r) => r.try_get_by_index(0)?,
            None => None,
        };
        Ok(micros.map(Timestamp::from_micros))
    }

    async fn open_dossiers(&self) -> Result<Vec<Dossier>, StoreError> {
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

    async fn dossier(&self, code: &DossierCode) -> Result<Option<Dossier>, StoreError> {
        let row = self
            .db
            .query_one_raw(self.statement(
                format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code = $1"),
                vec![code.as_str().into()],
            ))
            .await?;
        row.as_ref().map(rows::dossier).transpose()
    }

    async fn schedules(&self) -> Result<Vec<Schedule>, StoreError> {
        let rows = self
            .db
            .query_all_raw(self.statement(
                "SELECT year, body FROM calendar_schedules ORDER BY year".to_owned(),
                vec![],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                let year: i64 = row.try_get_by_index(0)?;
                let body: String = row.try_get_by_index(1)?;
                Schedule::from_json(&body).map_err(|e| StoreError::BadSchedule {
                    year,
                    reason: e.to_string(),
                })
            })
            .collect()
    }

    async fn replace_schedule(
        &self,
        schedule: &Schedule,
        moves: &[DueMove],
        ctx: &AuditContext,
    ) -> Result<Vec<DueMove>, StoreError> {
        let (actor, now) = (ctx.actor.as_str(), ctx.at);
        let body = schedule.to_json().map_err(|e| StoreError::BadSchedule {
            year: i64::from(schedule.year),
            reason: e.to_string(),
        })?;
        let txn = self.db.begin().await?;
        let codes: Vec<&DossierCode> = moves.iter().map(|m| &m.code).collect();
        let all_units = self.units().await?;
        crate::aggregates::lock_units(&txn, &all_units.iter().map(|u| &u.code).collect::<Vec<_>>())
            .await?;
        let stored = dossiers_by_code(&txn, &codes).await?;
        let mut delta = motcua_core::aggregate::Delta::default();
        let previous = txn
            .query_one_raw(Statement::from_sql_and_values(
                txn.get_database_backend(),
                "SELECT body FROM calendar_schedules WHERE year = $1",
                vec![i64::from(schedule.year).into()],
            ))
            .await?
            .map(|r| r.try_get_by_index::<String>(0))
            .transpose()?
            .and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
            .unwrap_or(serde_json::Value::Null);
        txn.execute_raw(Statement::from_sql_and_values(
            txn.get_database_backend(),
            "INSERT INTO calendar_schedules (year, body, updated_at, updated_by)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (year) DO UPDATE SET body = excluded.body,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            vec![
                i64::from(schedule.year).into(),
                body.clone().into(),
                now.as_micros().into(),
                actor.into(),
            ],
        ))
        .await?;
        let mut applied = Vec::new();
        for m in moves {
            // Only a dossier still open with the appointment the caller saw is moved: anything
            // changed in between keeps its own appointment.
            let done = txn
                .execute_raw(Statement::from_sql_and_values(
                    txn.get_database_backend(),
                    "UPDATE dossiers SET due_at = $1
                     WHERE code = $2 AND due_at = $3 AND resolved_at IS NULL",
                    vec![
                        m.after.as_micros().into(),
                        m.code.as_str().into(),
                        m.before.as_micros().into(),
                    ],
                ))
                .await?;
            if done.rows_affected() == 0 {
                continue;
            }
            if let Some(before) = stored.get(&m.code) {
                let after = Dossier {
                    due_at: m.after,
                    ..before.clone()
                };
                delta.change(Some(before), Some(&after));
            }
            let detail = EventDetail::DueReplanned(DueReplanned {
                before: m.before,
                after: m.after,
                reason: format!("lịch nghỉ năm {} thay đổi", schedule.year),
            });
            crate::access::append_event(&txn, &m.code, ctx, &detail).await?;
            applied.push(m.clone());
        }
        let after: serde_json::Value =
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
        crate::access::audit(
            &txn,
            ctx,
            "calendar.set",
            &schedule.year.to_string(),
            &previous,
            &serde_json::json!({ "schedule": after, "moved": applied.len() }),
        )
        .await?;
        crate::aggregates::apply(&txn, delta).await?;
        txn.commit().await?;
        Ok(applied)
    }

    async fn create_user(&self, new: &NewUser, ctx: &AuditContext) -> Result<User, StoreError> {
        access::create_user(&self.db, new, ctx).await
    }

    async fn user_by_name(&self, name: &Username) -> Result<Option<(User, String)>, StoreError> {
        access::user_by_name(&self.db, name).await
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        access::users(&self.db).await
    }

    async fn set_password(
        &self,
        user_id: i64,
        hash: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        access::set_password(&self.db, user_id, hash, ctx).await
    }

    async fn record_login_failure(
        &self,
        user_id: i64,
        ctx: &AuditContext,
    ) -> Result<User, StoreError> {
        access::record_login_failure(&self.db, user_id, ctx).await
    }

    async fn start_session(
        &self,
        user_id: i64,
        session: &NewSession,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        access::start_session(&self.db, user_id, session, ctx).await
    }

    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(User, String)>, StoreError> {
        access::session(&self.db, token_hash, now).await
    }

    async fn end_session(&self, token_hash: &str, ctx: &AuditContext) -> Result<(), StoreError> {
        access::end_session(&self.db, token_hash, ctx).await
    }

    async fn create_token(&self, new: &NewToken, ctx: &AuditContext) -> Result<(), StoreError> {
        access::create_token(&self.db, new, ctx).await
    }

    async fn token(&self, token_hash: &str) -> Result<Option<Principal>, StoreError> {
        access::token(&self.db, token_hash).await
    }

    async fn revoke_token(&self, name: &str, ctx: &AuditContext) -> Result<bool, StoreError> {
        access::revoke_token(&self.db, name, ctx).await
    }

    async fn record_audit(
        &self,
        ctx: &AuditContext,
        action: &str,
        target: &str,
    ) -> Result<(), StoreError> {
        access::audit(
            &self.db,
            ctx,
            action,
            target,
            &serde_json::Value::Null,
            &serde_json::Value::Null,
        )
        .await
    }

    async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        access::audit_records(&self.db, filter).await
    }

    async fn issue_receipt(
        &self,
        new: &motcua_core::fees::NewReceipt,
        ctx: &AuditContext,
        key: Option<crate::IdempotencyRecord<motcua_core::fees::Receipt>>,
    ) -> Result<motcua_core::fees::Receipt, StoreError> {
        crate::receipts::issue_receipt(&self.db, new, ctx, key).await
    }

    async fn receipts(
        &self,
        unit: &UnitCode,
        year: i32,
    ) -> Result<Vec<motcua_core::fees::Receipt>, StoreError> {
        crate::receipts::receipts(&self.db, unit, year).await
    }

    async fn receive_dossier(
        &self,
        new: &Dossier,
        state: &motcua_core::lifecycle::Lifecycle,
        details: &motcua_core::details::Details,
        ctx: &AuditContext,
        key: Option<crate::IdempotencyRecord<Dossier>>,
    ) -> Result<Dossier, StoreError> {
        crate::desk::receive_dossier(&self.db, new, state, details, ctx, key).await
    }

    async fn lifecycle(
        &self,
        code: &DossierCode,
    ) -> Result<Option<motcua_core::lifecycle::Lifecycle>, StoreError> {
        crate::desk::lifecycle(&self.db, code).await
    }

    async fn apply_change(
        &self,
        before: crate::Held<'_>,
        after: (
            &Dossier,
            &motcua_core::lifecycle::Lifecycle,
            Option<&motcua_core::details::Details>,
        ),
        change: &crate::Change<'_>,
        ctx: &AuditContext,
        key: Option<crate::IdempotencyRecord<()>>,
    ) -> Result<(), StoreError> {
        crate::desk::apply_change(&self.db, before, after, change, ctx, key).await
    }

    async fn details(
        &self,
        code: &DossierCode,
    ) -> Result<Option<motcua_core::details::Details>, StoreError> {
        crate::desk::details(&self.db, code).await
    }

    async fn dossier_receipts(
        &self,
        code: &DossierCode,
    ) -> Result<Vec<motcua_core::fees::Receipt>, StoreError> {
        crate::receipts::dossier_receipts(&self.db, code).await
    }

    async fn create_follow_up(
        &self,
        f: &motcua_core::followup::FollowUp,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        crate::followups::create(&self.db, f, ctx).await
    }

    async fn submit_follow_up(
        &self,
        unit: &UnitCode,
        month: Month,
        s: &motcua_core::followup::Submission,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        crate::followups::submit(&self.db, unit, month, s, ctx).await
    }

    async fn follow_ups(
        &self,
        month: Month,
    ) -> Result<Vec<motcua_core::followup::FollowUp>, StoreError> {
        crate::followups::list(&self.db, month).await
    }

    async fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        crate::followups::setting(&self.db, name).await
    }

    async fn set_setting(
        &self,
        name: &str,
        value: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        crate::followups::set_setting(&self.db, name, value, ctx).await
    }

    async fn idempotency_answer(
        &self,
        principal: &str,
        key: &str,
        request: &str,
    ) -> Result<Option<crate::Prior>, StoreError> {
        crate::idempotency::prior(&self.db, principal, key, request).await
    }

    async fn dossier_events(&self, code: &DossierCode) -> Result<Vec<DossierEvent>, StoreError> {
        let rows = self
            .db
            .query_all_raw(
                self.statement(
                    "SELECT dossier_code, at, actor, kind, detail FROM dossier_events
                 WHERE dossier_code = $1 ORDER BY id"
                        .to_owned(),
                    vec![code.as_str().into()],
                ),
            )
            .await?;
        rows.iter().map(rows::event).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://motcua:secret@db:5432/motcua"),
            "postgres://motcua:***@db:5432/motcua"
        );
        assert_eq!(redact("sqlite://motcua.db"), "sqlite://motcua.db");
    }

    #[test]
    fn placeholders_are_numbered_row_by_row() {
        assert_eq!(
            placeholders(DbBackend::Postgres, 2, 2, 1),
            "($1, $2), ($3, $4)"
        );
        assert_eq!(in_list(DbBackend::Postgres, 3, 3), "$3, $4, $5");
        assert_eq!(placeholders(DbBackend::Sqlite, 1, 2, 1), "(?, ?)");
    }
}
