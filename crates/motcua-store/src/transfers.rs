//! Bank transfers at the desk: the transactions of a unit's statement already recorded (`bank_transfers`, written by
//! `SqlStore::apply_change` with the payment, in its transaction).

use std::collections::HashMap;

use motcua_core::Timestamp;
use motcua_core::dossier::DossierCode;
use motcua_core::unit::UnitCode;
use sea_orm::ConnectionTrait;

use crate::StoreError;
use crate::sql::{SqlStore, stmt};

/// The SQL of a code's compact key; the same text as the index's expression, so that the
/// index serves it on both engines.
pub(crate) const KEY_SQL: &str = "UPPER(REPLACE(REPLACE(code, '-', ''), '.', ''))";

/// A bank transfer that pays a dossier's fee: from the statement (with its transaction), or
/// confirmed by the officer (without).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedTransfer {
    /// The unit whose account received it (the statement's unit).
    pub unit: UnitCode,
    pub transaction_id: Option<String>,
    pub booked_at: Timestamp,
}

impl SqlStore {
    /// Of `ids`, the transactions of `unit`'s account already recorded, with the dossier
    /// each paid.
    pub async fn recorded_transfers(
        &self,
        unit: &UnitCode,
        ids: &[&str],
    ) -> Result<HashMap<String, DossierCode>, StoreError> {
        let mut out = HashMap::new();
        // A statement may hold thousands of lines: ask in chunks.
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (2..=chunk.len() + 1).map(|i| format!("${i}")).collect();
            let mut values = vec![unit.as_str().into()];
            values.extend(chunk.iter().map(|id| (*id).into()));
            let rows = self
                .db
                .query_all_raw(stmt(
                    &self.db,
                    &format!(
                        "SELECT transaction_id, dossier_code FROM bank_transfers \
                         WHERE unit_code = $1 AND transaction_id IN ({})",
                        marks.join(", ")
                    ),
                    values,
                ))
                .await?;
            for row in rows {
                let id: String = row.try_get("", "transaction_id")?;
                let code: String = row.try_get("", "dossier_code")?;
                if let Some(code) = DossierCode::parse(&code) {
                    out.insert(id, code);
                }
            }
        }
        Ok(out)
    }
}

/// Records a statement's transaction with the payment it made, in the payment's transaction;
/// a transaction recorded before is refused (the whole change with it).
pub(crate) async fn insert<C: ConnectionTrait>(
    txn: &C,
    t: &MatchedTransfer,
    dossier: &DossierCode,
    amount_vnd: i64,
    at: Timestamp,
) -> Result<(), StoreError> {
    let Some(id) = &t.transaction_id else {
        return Ok(());
    };
    let done = txn
        .execute_raw(stmt(
            txn,
            "INSERT INTO bank_transfers
             (unit_code, transaction_id, dossier_code, amount_vnd, booked_at, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            vec![
                t.unit.as_str().into(),
                id.as_str().into(),
                dossier.as_str().into(),
                amount_vnd.into(),
                t.booked_at.as_micros().into(),
                at.as_micros().into(),
            ],
        ))
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Refused(format!(
            "giao dịch «{id}» đã được ghi nhận trước đó"
        )));
    }
    Ok(())
}
