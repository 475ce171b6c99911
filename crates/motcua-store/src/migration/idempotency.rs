//! Idempotency-Key answers written in the transaction of their work (`crate::idempotency`).

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

/// Older versions claimed a key (a row with `status` NULL) before the work and filled the
/// answer in after it, so a request that died with the server left its key "in flight" for
/// ever. Those rows are dropped (their work, if it was committed, keeps no answer: the key is
/// free again), and `status` and `body` become NOT NULL: a key's row now exists only with its
/// answer. SQLite cannot change a column's constraint, so the table is rebuilt the same way on
/// both engines, in one transaction.
pub(super) struct IdempotencyAnswers;

impl MigrationName for IdempotencyAnswers {
    fn name(&self) -> &str {
        "m20261129_000012_idempotency_answers"
    }
}

#[async_trait]
impl MigrationTrait for IdempotencyAnswers {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "CREATE TABLE idempotency_answers (
                principal TEXT NOT NULL,
                idem_key TEXT NOT NULL,
                request TEXT NOT NULL,
                status BIGINT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (principal, idem_key)
            )",
            "INSERT INTO idempotency_answers (principal, idem_key, request, status, body, created_at)
             SELECT principal, idem_key, request, status, body, created_at FROM idempotency_keys
             WHERE status IS NOT NULL AND body IS NOT NULL",
            "DROP TABLE idempotency_keys",
            "ALTER TABLE idempotency_answers RENAME TO idempotency_keys",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    /// SQLite runs migrations outside a transaction unless asked: a crash between the drop and
    /// the rename would leave no table.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectOptions, ConnectionTrait, Database};
    use sea_orm_migration::MigratorTrait;

    use crate::migration::Migrator;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// Every migration before this one.
    const BEFORE: u32 = 11;

    #[tokio::test]
    async fn keys_left_in_flight_are_dropped_and_answers_are_required() -> TestResult {
        for test_db in motcua_testkit::test_databases().await {
            let mut options = ConnectOptions::new(test_db.url.clone());
            options
                .sqlx_logging(false)
                .map_sqlx_sqlite_opts(|o| o.create_if_missing(true));
            let db = Database::connect(options).await?;
            Migrator::up(&db, Some(BEFORE)).await?;
            for row in [
                "('user:a', 'stuck', 'POST /api/dossiers\n{}', NULL, NULL, 1)",
                "('user:a', 'answered', 'POST /api/dossiers\n{}', 201, '{\"ok\":true}', 2)",
                "('user:b', 'refused', 'POST /api/dossiers\n{}', 409, '{\"error\":\"x\"}', 3)",
            ] {
                db.execute_unprepared(&format!(
                    "INSERT INTO idempotency_keys
                     (principal, idem_key, request, status, body, created_at) VALUES {row}"
                ))
                .await?;
            }
            Migrator::up(&db, None).await?;
            let rows = db
                .query_all_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    "SELECT idem_key, status, body FROM idempotency_keys ORDER BY idem_key",
                ))
                .await?;
            let mut kept = Vec::new();
            for r in rows {
                let key: String = r.try_get_by_index(0)?;
                let status: Option<i64> = r.try_get_by_index(1)?;
                let body: Option<String> = r.try_get_by_index(2)?;
                kept.push((key, status, body));
            }
            let row = |key: &str, status, body: &str| {
                (key.to_owned(), Some(status), Some(body.to_owned()))
            };
            assert_eq!(
                kept,
                [
                    row("answered", 201, r#"{"ok":true}"#),
                    row("refused", 409, r#"{"error":"x"}"#),
                ],
                "{}",
                test_db.backend
            );
            for missing in ["NULL, '{}'", "201, NULL"] {
                let refused = db
                    .execute_unprepared(&format!(
                        "INSERT INTO idempotency_keys
                         (principal, idem_key, request, status, body, created_at)
                         VALUES ('user:a', 'new', 'r', {missing}, 4)"
                    ))
                    .await;
                assert!(refused.is_err(), "{}: {missing}", test_db.backend);
            }
            db.close().await?;
        }
        Ok(())
    }
}
