//! E-receipts in SQL: numbering without gaps or duplicates under concurrent requests.
//!
//! The number comes from one `INSERT … ON CONFLICT DO UPDATE … RETURNING` on the unit's
//! counter row for the year, inside the transaction that writes the receipt. That
//! transaction writes before it reads anything (the Idempotency-Key when there is one, then
//! the unit's lock), so SQLite takes its write lock first (waiting on the busy timeout), and
//! PostgreSQL locks the counter row until commit: concurrent issuances queue, and one that
//! fails rolls its number back with it (and its Idempotency-Key: `crate::idempotency`).

use motcua_core::access::AuditContext;
use motcua_core::dossier::Dossier;
use motcua_core::dossier::{DossierCode, PaymentChannel};
use motcua_core::fees::{FeeKind, MAX_RECEIPT_NUMBER, NewReceipt, Receipt};
use motcua_core::history::{EventDetail, ReceiptIssued};
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::StoreError;
use crate::history::append_event;
use crate::idempotency::IdempotencyRecord;
use crate::sql::SqlStore;
use crate::sql::stmt;

impl SqlStore {
    /// Issues an e-receipt with the next number of its unit and year (audited, with a
    /// dossier event; marks the dossier's fee as e-receipted). With `key`, its answer is
    /// stored in the same transaction ([`IdempotencyRecord`]; [`StoreError::KeyUsed`] when
    /// the key was used already).
    pub async fn issue_receipt(
        &self,
        new: &NewReceipt,
        ctx: &AuditContext,
        key: Option<IdempotencyRecord<Receipt>>,
    ) -> Result<Receipt, StoreError> {
        let txn = self.db.begin().await?;
        let claimed = crate::idempotency::claim(&txn, key, ctx.at).await?;
        let receipt = receipt_in(&txn, new, ctx).await?;
        crate::idempotency::commit(txn, claimed, &receipt).await?;
        Ok(receipt)
    }

    /// The receipts of a unit for a year, by number.
    pub async fn receipts(&self, unit: &UnitCode, year: i32) -> Result<Vec<Receipt>, StoreError> {
        let db = &self.db;
        let rows = db
            .query_all_raw(stmt(
                db,
                &format!(
                    "SELECT {RECEIPT_COLUMNS} FROM receipts
                     WHERE unit_code = $1 AND year = $2 ORDER BY number"
                ),
                vec![unit.as_str().into(), year.into()],
            ))
            .await?;
        rows.iter().map(receipt_of).collect()
    }

    /// The receipts issued for a dossier, by number (oldest first).
    pub async fn dossier_receipts(&self, code: &DossierCode) -> Result<Vec<Receipt>, StoreError> {
        let db = &self.db;
        let rows = db
            .query_all_raw(stmt(
                db,
                &format!(
                    "SELECT {RECEIPT_COLUMNS} FROM receipts
                     WHERE dossier_code = $1 ORDER BY issued_at, number"
                ),
                vec![code.as_str().into()],
            ))
            .await?;
        rows.iter().map(receipt_of).collect()
    }
}

/// [`SqlStore::issue_receipt`] inside the caller's transaction `txn`: the next number, the
/// receipt, the dossier's `e_receipt` and its aggregates, the event and the audit record.
pub(crate) async fn receipt_in<C: ConnectionTrait>(
    txn: &C,
    new: &NewReceipt,
    ctx: &AuditContext,
) -> Result<Receipt, StoreError> {
    new.check().map_err(StoreError::Refused)?;
    let year = new.issued_at.local_date().year();
    crate::aggregates::lock_units(txn, &[&new.unit]).await?;
    let row = txn
        .query_one_raw(stmt(
            txn,
            "INSERT INTO receipt_counters (unit_code, year, last_number) VALUES ($1, $2, 1)
                 ON CONFLICT (unit_code, year)
                 DO UPDATE SET last_number = receipt_counters.last_number + 1
                 RETURNING last_number",
            vec![new.unit.as_str().into(), year.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::Refused("không cấp được số biên lai".to_owned()))?;
    let number: i64 = row.try_get("", "last_number")?;
    if number > MAX_RECEIPT_NUMBER {
        return Err(StoreError::Refused(format!(
            "đơn vị {} đã dùng hết dãy số biên lai năm {year} (tối đa {MAX_RECEIPT_NUMBER})",
            new.unit
        )));
    }
    let owner = txn
        .query_one_raw(stmt(
            txn,
            "SELECT unit_code FROM dossiers WHERE code = $1",
            vec![new.dossier.as_str().into()],
        ))
        .await?
        .ok_or_else(|| StoreError::Refused(format!("không có hồ sơ mã «{}»", new.dossier)))?;
    let owner: String = owner.try_get("", "unit_code")?;
    if owner != new.unit.as_str() {
        return Err(StoreError::Refused(format!(
            "hồ sơ «{}» thuộc đơn vị {owner}, không phải {}",
            new.dossier, new.unit
        )));
    }
    // One receipt per dossier. Issuances of one unit queue on its counter row (taken above),
    // so a second one for the same dossier sees the first here.
    let issued = txn
        .query_one_raw(stmt(
            txn,
            "SELECT number FROM receipts WHERE dossier_code = $1",
            vec![new.dossier.as_str().into()],
        ))
        .await?;
    if let Some(row) = issued {
        let number: i64 = row.try_get("", "number")?;
        return Err(StoreError::Refused(format!(
            "hồ sơ «{}» đã được cấp biên lai số {number:07}",
            new.dossier
        )));
    }
    let receipt = Receipt {
        unit: new.unit.clone(),
        year,
        number,
        form_symbol: new.form_symbol.trim().to_owned(),
        series: new.series.trim().to_owned(),
        dossier: new.dossier.clone(),
        amount_vnd: new.amount_vnd,
        payment_channel: new.payment_channel,
        issued_at: new.issued_at,
        issued_by: ctx.actor.clone(),
        fee_kind: new.fee_kind,
    };
    txn.execute_raw(stmt(
        txn,
        "INSERT INTO receipts (unit_code, year, number, form_symbol, series, dossier_code,
                                   amount_vnd, payment_channel, issued_at, issued_by, fee_kind)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        vec![
            receipt.unit.as_str().into(),
            year.into(),
            number.into(),
            receipt.form_symbol.clone().into(),
            receipt.series.clone().into(),
            receipt.dossier.as_str().into(),
            receipt.amount_vnd.into(),
            receipt.payment_channel.as_str().into(),
            receipt.issued_at.as_micros().into(),
            receipt.issued_by.clone().into(),
            receipt.fee_kind.map(fee_kind_text).into(),
        ],
    ))
    .await?;
    let stored = crate::dossiers::dossiers_by_code(txn, &[&receipt.dossier]).await?;
    txn.execute_raw(stmt(
        txn,
        "UPDATE dossiers SET e_receipt = $1 WHERE code = $2",
        vec![true.into(), receipt.dossier.as_str().into()],
    ))
    .await?;
    if let Some(before) = stored.get(&receipt.dossier) {
        let after = Dossier {
            e_receipt: Some(true),
            ..before.clone()
        };
        let mut delta = motcua_core::aggregate::Delta::default();
        delta.change(Some(before), Some(&after));
        crate::aggregates::apply(txn, delta).await?;
    }
    let detail = EventDetail::ReceiptIssued(ReceiptIssued {
        form_symbol: receipt.form_symbol.clone(),
        series: receipt.series.clone(),
        number: receipt.number_text(),
        amount_vnd: receipt.amount_vnd,
        payment_channel: receipt.payment_channel,
    });
    let detail = append_event(txn, &receipt.dossier, ctx, &detail).await?;
    crate::access::audit(
        txn,
        ctx,
        "receipt.issue",
        &format!("{}/{year}/{}", receipt.unit, receipt.number_text()),
        &serde_json::Value::Null,
        &detail,
    )
    .await?;
    Ok(receipt)
}

impl SqlStore {
    /// The number of a dossier's printed form: the one it was given at its first print, or
    /// the next of its unit, form and year (`at`'s year, UTC+7), given now. `at` is the
    /// instant of what the form records (the reception, the supplement request, the apology),
    /// so a dossier's second supplement request gets a number of its own. Numbers are never
    /// taken back (`slip_numbers` is append-only).
    pub async fn slip_number(
        &self,
        unit: &UnitCode,
        form: &str,
        dossier: &DossierCode,
        at: motcua_core::Timestamp,
    ) -> Result<i64, StoreError> {
        let db = &self.db;
        let year = at.local_date().year();
        // The backend's placeholders are the same for the pool and its transactions.
        let find = || {
            stmt(
                db,
                "SELECT number FROM slip_numbers WHERE dossier_code = $1 AND form = $2 AND event_at = $3",
                vec![dossier.as_str().into(), form.into(), at.as_micros().into()],
            )
        };
        if let Some(row) = db.query_one_raw(find()).await? {
            return Ok(row.try_get("", "number")?);
        }
        let txn = db.begin().await?;
        // The unit's lock orders concurrent first prints (SQLite's write lock, a row lock on
        // PostgreSQL), so MAX + 1 is taken once.
        crate::aggregates::lock_units(&txn, &[unit]).await?;
        if let Some(row) = txn.query_one_raw(find()).await? {
            txn.commit().await?;
            return Ok(row.try_get("", "number")?);
        }
        let row = txn
            .query_one_raw(stmt(
                &txn,
                "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM slip_numbers
                 WHERE unit_code = $1 AND form = $2 AND year = $3",
                vec![unit.as_str().into(), form.into(), year.into()],
            ))
            .await?
            .ok_or_else(|| StoreError::Refused("không cấp được số phiếu".to_owned()))?;
        let number: i64 = row.try_get("", "next")?;
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO slip_numbers (unit_code, form, year, number, dossier_code, event_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                unit.as_str().into(),
                form.into(),
                year.into(),
                number.into(),
                dossier.as_str().into(),
                at.as_micros().into(),
            ],
        ))
        .await?;
        txn.commit().await?;
        Ok(number)
    }
}

const RECEIPT_COLUMNS: &str = "unit_code, year, number, form_symbol, series, dossier_code, \
     amount_vnd, payment_channel, issued_at, issued_by, fee_kind";

/// The stored spelling of a fee kind.
fn fee_kind_text(k: FeeKind) -> String {
    match k {
        FeeKind::Fee => "fee",
        FeeKind::Charge => "charge",
    }
    .to_owned()
}

fn receipt_of(r: &sea_orm::QueryResult) -> Result<Receipt, StoreError> {
    let unit: String = r.try_get("", "unit_code")?;
    let code: String = r.try_get("", "dossier_code")?;
    let channel: String = r.try_get("", "payment_channel")?;
    let kind: Option<String> = r.try_get("", "fee_kind")?;
    let corrupt = |reason: &str| StoreError::Corrupt {
        table: "receipts",
        key: code.clone(),
        reason: reason.to_owned(),
    };
    Ok(Receipt {
        unit: UnitCode::parse(&unit).map_err(|_| corrupt("mã đơn vị"))?,
        year: r.try_get("", "year")?,
        number: r.try_get("", "number")?,
        form_symbol: r.try_get("", "form_symbol")?,
        series: r.try_get("", "series")?,
        dossier: DossierCode::parse(&code).ok_or_else(|| corrupt("mã hồ sơ"))?,
        amount_vnd: r.try_get("", "amount_vnd")?,
        payment_channel: PaymentChannel::parse(&channel)
            .ok_or_else(|| corrupt("kênh thanh toán"))?,
        issued_at: motcua_core::Timestamp::from_micros(r.try_get("", "issued_at")?),
        issued_by: r.try_get("", "issued_by")?,
        fee_kind: match kind.as_deref() {
            None => None,
            Some("fee") => Some(FeeKind::Fee),
            Some("charge") => Some(FeeKind::Charge),
            Some(_) => return Err(corrupt("loại phí")),
        },
    })
}
