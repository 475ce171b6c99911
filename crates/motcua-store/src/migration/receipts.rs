//! E-receipts.

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

use super::append_only;

/// E-receipts and their per-unit, per-year counters.
pub(super) struct Receipts;

impl MigrationName for Receipts {
    fn name(&self) -> &str {
        "m20261127_000004_receipts"
    }
}

#[async_trait]
impl MigrationTrait for Receipts {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in [
            // One row per unit and year; the number is taken by incrementing it inside the
            // receipt's transaction, so a failed issuance leaves no gap.
            "CREATE TABLE receipt_counters (
                unit_code TEXT NOT NULL REFERENCES units(code),
                year INTEGER NOT NULL,
                last_number BIGINT NOT NULL,
                PRIMARY KEY (unit_code, year)
            )",
            "CREATE TABLE receipts (
                unit_code TEXT NOT NULL REFERENCES units(code),
                year INTEGER NOT NULL,
                number BIGINT NOT NULL CHECK (number BETWEEN 1 AND 9999999),
                form_symbol TEXT NOT NULL,
                series TEXT NOT NULL,
                dossier_code TEXT NOT NULL REFERENCES dossiers(code),
                amount_vnd BIGINT NOT NULL CHECK (amount_vnd > 0),
                payment_channel TEXT NOT NULL,
                issued_at BIGINT NOT NULL,
                issued_by TEXT NOT NULL,
                PRIMARY KEY (unit_code, year, number)
            )",
            "CREATE INDEX receipts_dossier ON receipts (dossier_code)",
        ] {
            db.execute_unprepared(ddl).await?;
        }
        // A receipt, once issued, is a financial document: never changed or deleted.
        append_only(db, "receipts").await?;
        Ok(())
    }
}
