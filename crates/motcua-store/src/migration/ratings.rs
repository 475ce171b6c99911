//! Ratings (issue 19): the citizens' ratings of their dossiers, the counts they feed, and the
//! tablets at the desk that take them.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

use super::append_only;

/// `dossiers.rating` (the `motcua_core::dossier::Rating` the counts tally, read with the
/// dossier), the three rating counts in `agg_months` and `closed_counts`, `dossier_ratings`
/// (what comes with a rating: the comment, where and when, who; one row per dossier, so a
/// dossier is rated once; append-only) and `rating_kiosks` (the desk's tablets opened by an
/// officer: the SHA-256 of the device's random token, never the token, bound to the unit).
pub(super) struct Ratings;

impl MigrationName for Ratings {
    fn name(&self) -> &str {
        "m20261203_000023_ratings"
    }
}

#[async_trait]
impl MigrationTrait for Ratings {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in [
            "ALTER TABLE dossiers ADD COLUMN rating TEXT",
            "ALTER TABLE agg_months ADD COLUMN resolved_rated BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE agg_months ADD COLUMN resolved_rated_dissatisfied BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE agg_months ADD COLUMN resolved_in_time_dissatisfied BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE closed_counts ADD COLUMN resolved_rated BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE closed_counts ADD COLUMN resolved_rated_dissatisfied BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE closed_counts ADD COLUMN resolved_in_time_dissatisfied BIGINT NOT NULL DEFAULT 0",
            "CREATE TABLE dossier_ratings (
                dossier_code TEXT PRIMARY KEY REFERENCES dossiers(code),
                rating TEXT NOT NULL,
                comment TEXT NOT NULL,
                channel TEXT NOT NULL,
                rated_at BIGINT NOT NULL,
                actor TEXT NOT NULL
            )",
            "CREATE TABLE rating_kiosks (
                token_sha256 TEXT PRIMARY KEY,
                unit_code TEXT NOT NULL REFERENCES units(code),
                opened_by TEXT NOT NULL,
                opened_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )",
        ] {
            db.execute_unprepared(ddl).await?;
        }
        append_only(db, "dossier_ratings").await?;
        Ok(())
    }
}
