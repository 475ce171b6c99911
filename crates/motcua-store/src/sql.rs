//! [`SqlStore`] on SQLite or PostgreSQL through sea-orm: the connection, its options, and the
//! statement and parameter helpers every module of the store writes its SQL with. A leaf: it
//! knows none of the store's concerns (each adds its own `impl SqlStore` block).

use std::time::Duration;

use motcua_core::catalogue::Catalogue;
use sea_orm::sqlx::postgres::PgConnectOptions;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value,
};

use crate::StoreError;

/// Bound parameters per statement: under SQLite's limit (32 766) and PostgreSQL's (65 535).
/// Long statements number their parameters with [`mark`].
pub(crate) fn max_params<C: ConnectionTrait>(_conn: &C) -> usize {
    30_000
}

/// The store on a SQL database; cheap to clone (a connection pool).
#[derive(Clone, Debug)]
pub struct SqlStore {
    pub(crate) db: DatabaseConnection,
    /// The catalogue with the revision it was read at (see `SqlStore::catalogue`).
    pub(crate) catalogue: std::sync::Arc<std::sync::Mutex<CachedCatalogue>>,
}

/// The catalogue read at a revision.
pub(crate) type CachedCatalogue = Option<(i64, std::sync::Arc<Catalogue>)>;

/// A statement in the common dialect (`$N` placeholders) for the connection's backend.
pub(crate) fn stmt<C: ConnectionTrait>(conn: &C, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(conn.get_database_backend(), sql, values)
}

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

/// The value of a revision counter (`None` when never bumped).
pub(crate) async fn revision<C: ConnectionTrait>(
    conn: &C,
    name: &str,
) -> Result<Option<i64>, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn,
            "SELECT n FROM revisions WHERE name = $1",
            vec![name.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get("", "n")).transpose()?)
}

impl SqlStore {
    /// A store on a migrated pool.
    pub(crate) fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            catalogue: Default::default(),
        }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
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

    /// Closes the pool.
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }

    /// A statement for the pool's backend.
    pub(crate) fn statement(&self, sql: String, values: Vec<Value>) -> Statement {
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
