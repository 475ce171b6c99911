//! The schema of a database as plain text, and a database migrated only part of the way: what
//! the upgrade test compares (a database created by an earlier release, then migrated, must
//! have the schema of a new one) and what an operator can diff between two nodes.
//!
//! [`describe`] lists, sorted, every table with its columns (type, nullability, default,
//! primary key), every index with its definition, and every trigger, read from the engine's
//! own catalogue (`pragma_*` on SQLite, `information_schema` and `pg_indexes` on PostgreSQL),
//! so two databases compare equal exactly when the engine sees the same schema.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use sea_orm_migration::MigratorTrait;

use crate::migration::Migrator;
use crate::{SqlStore, StoreError};

/// The names of the migrations, oldest first.
pub fn migrations() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// Applies the first `count` migrations to the database at `url` (created when missing), as
/// the release that had only those would have; [`SqlStore::connect`] then applies the rest.
pub async fn migrate_first(url: &str, count: u32) -> Result<(), StoreError> {
    let db = SqlStore::open(url).await?;
    Migrator::up(&db, Some(count)).await?;
    db.close().await?;
    Ok(())
}

/// The schema of the store's database, one line per column, index and trigger, sorted.
pub async fn describe(store: &SqlStore) -> Result<String, StoreError> {
    describe_connection(store.connection()).await
}

/// [`describe`] of the database at `url`, whatever its migrations.
pub async fn describe_url(url: &str) -> Result<String, StoreError> {
    let db = SqlStore::open(url).await?;
    let text = describe_connection(&db).await;
    db.close().await?;
    text
}

async fn texts(db: &DatabaseConnection, sql: &str) -> Result<Vec<String>, StoreError> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get_by_index::<Option<String>>(0)?.unwrap_or_default()))
        .collect()
}

async fn describe_connection(db: &DatabaseConnection) -> Result<String, StoreError> {
    let lines = match db.get_database_backend() {
        DbBackend::Postgres => {
            texts(
                db,
                "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
                         || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
                         || COALESCE(' default ' || column_default, '')
                     FROM information_schema.columns WHERE table_schema = current_schema()
                     UNION ALL
                     SELECT 'index ' || tablename || '.' || indexname || ' ' || indexdef
                     FROM pg_indexes WHERE schemaname = current_schema()
                     UNION ALL
                     SELECT DISTINCT 'trigger ' || event_object_table || '.' || trigger_name
                         || ' ' || action_timing || ' ' || event_manipulation
                     FROM information_schema.triggers WHERE trigger_schema = current_schema()",
            )
            .await?
        }
        _ => {
            texts(
                db,
                "SELECT 'column ' || m.name || '.' || c.name || ' ' || c.type
                         || CASE WHEN c.\"notnull\" THEN ' not null' ELSE '' END
                         || COALESCE(' default ' || c.dflt_value, '')
                         || CASE WHEN c.pk > 0 THEN ' key ' || c.pk ELSE '' END
                     FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table'
                     UNION ALL
                     SELECT m.type || ' ' || m.tbl_name || '.' || m.name || ' '
                         || COALESCE(m.sql, '(automatic)')
                     FROM sqlite_master m WHERE m.type IN ('index', 'trigger')",
            )
            .await?
        }
    };
    let mut lines: Vec<String> = lines
        .into_iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    lines.sort();
    Ok(lines.join("\n"))
}
