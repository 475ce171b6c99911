//! Online payments: the ledger of payment attempts (`payment_orders`), everything received
//! from or sent to a gateway about them (`payment_records`, append-only: the money stays
//! traceable), and the refunds asked (`payment_refunds`, append-only).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

use super::append_only;

pub(super) struct Payments;

impl MigrationName for Payments {
    fn name(&self) -> &str {
        "m20261203_000024_payments"
    }
}

#[async_trait]
impl MigrationTrait for Payments {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let id = match db.get_database_backend() {
            DbBackend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
        };
        for ddl in [
            // One row per attempt (`<dossier code>-<n>`); `state` is pending, paid, failed or
            // expired, and leaves pending once. The gateway's fields are those of the answer
            // that settled it.
            "CREATE TABLE payment_orders (
                txn_ref TEXT PRIMARY KEY,
                dossier_code TEXT NOT NULL REFERENCES dossiers(code),
                unit_code TEXT NOT NULL REFERENCES units(code),
                gateway TEXT NOT NULL,
                amount_vnd BIGINT NOT NULL CHECK (amount_vnd > 0),
                order_info TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                settled_at BIGINT,
                transaction_no TEXT,
                bank_code TEXT,
                response_code TEXT,
                transaction_status TEXT,
                citizen_id BIGINT REFERENCES citizens(id)
            )"
            .to_owned(),
            "CREATE INDEX payment_orders_dossier ON payment_orders (dossier_code, created_at)"
                .to_owned(),
            // The sweep's reading: pending orders, oldest first.
            "CREATE INDEX payment_orders_state ON payment_orders (state, created_at)".to_owned(),
            // `kind`: return, notice, query, refund; `verdict`: paid, failed, pending, or the
            // refusal (bad_signature, wrong_terminal, malformed, unavailable…); `answer`: what
            // motcua did or answered (the notice's RspCode, settled, left pending…);
            // `payload` the parameters as received, as JSON.
            format!(
                "CREATE TABLE payment_records (
                    id {id},
                    txn_ref TEXT,
                    kind TEXT NOT NULL,
                    verdict TEXT NOT NULL,
                    answer TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    recorded_at BIGINT NOT NULL
                )"
            ),
            "CREATE INDEX payment_records_txn ON payment_records (txn_ref, id)".to_owned(),
            format!(
                "CREATE TABLE payment_refunds (
                    id {id},
                    txn_ref TEXT NOT NULL REFERENCES payment_orders(txn_ref),
                    amount_vnd BIGINT NOT NULL CHECK (amount_vnd > 0),
                    reason TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    requested_at BIGINT NOT NULL,
                    accepted BOOLEAN NOT NULL,
                    response_code TEXT NOT NULL,
                    message TEXT NOT NULL,
                    transaction_no TEXT
                )"
            ),
            "CREATE INDEX payment_refunds_txn ON payment_refunds (txn_ref)".to_owned(),
        ] {
            db.execute_unprepared(&ddl).await?;
        }
        append_only(db, "payment_records").await?;
        append_only(db, "payment_refunds").await?;
        Ok(())
    }
}
