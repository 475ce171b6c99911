//! The numbers of the desk's printed forms (`slip_numbers`: one row per form of a dossier,
//! numbered per unit, form and year, append-only) and the kind of fee an e-receipt collects
//! (`receipts.fee_kind`: `fee` or `charge`, empty for receipts issued before it was recorded).

use sea_orm::ConnectionTrait;
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

pub(super) struct SlipNumbers;

impl MigrationName for SlipNumbers {
    fn name(&self) -> &str {
        "m20261202_000019_slip_numbers"
    }
}

#[async_trait]
impl MigrationTrait for SlipNumbers {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE slip_numbers (
                unit_code TEXT NOT NULL,
                form TEXT NOT NULL,
                year INTEGER NOT NULL,
                number BIGINT NOT NULL,
                dossier_code TEXT NOT NULL,
                event_at BIGINT NOT NULL,
                PRIMARY KEY (unit_code, form, year, number),
                UNIQUE (dossier_code, form, event_at)
            )",
        )
        .await?;
        super::append_only(db, "slip_numbers").await?;
        db.execute_unprepared("ALTER TABLE receipts ADD COLUMN fee_kind TEXT")
            .await?;
        Ok(())
    }
}
