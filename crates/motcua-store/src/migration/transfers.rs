//! The bank transfers matched from a unit's bank statement (`bank_transfers`: one row per
//! transaction of the unit's account that paid a dossier's fee, append-only; the key refuses
//! the same transaction twice), and the index that finds a dossier by its code as a transfer
//! message spells it (upper case, without `-` and `.`).

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

pub(super) struct BankTransfers;

impl MigrationName for BankTransfers {
    fn name(&self) -> &str {
        "m20261203_000030_bank_transfers"
    }
}

#[async_trait]
impl MigrationTrait for BankTransfers {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE bank_transfers (
                unit_code TEXT NOT NULL,
                transaction_id TEXT NOT NULL,
                dossier_code TEXT NOT NULL,
                amount_vnd BIGINT NOT NULL,
                booked_at BIGINT NOT NULL,
                recorded_at BIGINT NOT NULL,
                PRIMARY KEY (unit_code, transaction_id)
            )",
        )
        .await?;
        super::append_only(db, "bank_transfers").await?;
        db.execute_unprepared(
            "CREATE INDEX dossiers_transfer_key ON dossiers
             ((UPPER(REPLACE(REPLACE(code, '-', ''), '.', ''))))",
        )
        .await?;
        Ok(())
    }
}
