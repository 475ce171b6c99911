//! The desk's fees: the payment of a dossier's fee and its e-receipt.

use super::input::ReceiptSeries;
use super::{Handled, check_scope, get, load, once, tree, write_change};
use crate::AppError;
use motcua_core::Timestamp;
use motcua_core::access::{Action, AuditContext, Principal};
use motcua_core::dossier::PaymentChannel;
use motcua_core::fees::{NewReceipt, Receipt};
use motcua_core::unit::UnitCode;
use motcua_store::{Change, IdempotencyRecord, SqlStore};

/// Records that the fee was paid, online or at the desk, now.
pub async fn record_payment(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
    channel: PaymentChannel,
    ctx: &AuditContext,
) -> Result<Handled, AppError> {
    record_payment_keyed(store, principal, code, channel, ctx, None).await
}

/// [`record_payment`] for a request with an Idempotency-Key, as [`super::receive_keyed`].
pub async fn record_payment_keyed(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
    channel: PaymentChannel,
    ctx: &AuditContext,
    key: Option<IdempotencyRecord<Handled>>,
) -> Result<Handled, AppError> {
    once(store, key, |key| async move {
        let tree = tree(store).await?;
        let loaded = load(store, code).await?;
        check_scope(
            &tree,
            principal,
            Action::ReceiveDossier,
            &loaded.dossier,
            &loaded.lifecycle,
        )?;
        let d = &loaded.dossier;
        check_payable(d)?;
        let mut updated = d.clone();
        updated.payment_channel = Some(channel);
        updated.paid_at = Some(ctx.at);
        let after = Handled::stored(updated, loaded.lifecycle.clone(), loaded.details.clone());
        write_change(store, &loaded, after, &Change::Payment(channel), ctx, key).await
    })
    .await
}

/// Refuses a payment of a dossier with no fee or already paid (the desk's and the transfer's).
pub(super) fn check_payable(d: &motcua_core::dossier::Dossier) -> Result<(), AppError> {
    if d.fee_vnd <= 0 {
        return Err(AppError::Refused(format!(
            "hồ sơ «{}» không có phí, lệ phí phải nộp",
            d.code
        )));
    }
    if let Some(paid) = d.paid_at {
        return Err(AppError::Refused(format!(
            "hồ sơ «{}» đã nộp phí, lệ phí lúc {}",
            d.code,
            motcua_core::display::local_time(paid)
        )));
    }
    Ok(())
}

/// The setting that holds a unit's tax code (mã số thuế), printed on its e-receipts.
fn tax_code_setting(unit: &UnitCode) -> String {
    format!("unit.{unit}.tax_code")
}

/// The tax code of the body that collects a unit's fees; empty when never set.
pub async fn tax_code(store: &SqlStore, unit: &UnitCode) -> Result<String, AppError> {
    Ok(store
        .setting(&tax_code_setting(unit))
        .await?
        .unwrap_or_default())
}

/// Sets a unit's tax code (checked, audited as a setting).
pub async fn set_tax_code(
    store: &SqlStore,
    unit: &str,
    text: &str,
    ctx: &AuditContext,
) -> Result<String, AppError> {
    let tree = tree(store).await?;
    let unit = tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?;
    let code = motcua_core::fees::parse_tax_code(text).map_err(AppError::Refused)?;
    store
        .set_setting(&tax_code_setting(&unit.code), &code, ctx)
        .await?;
    Ok(code)
}

/// Clears a unit's tax code (audited as a setting), when it had one.
pub(crate) async fn clear_tax_code(
    store: &SqlStore,
    unit: &UnitCode,
    ctx: &AuditContext,
) -> Result<(), AppError> {
    if !tax_code(store, unit).await?.is_empty() {
        store.set_setting(&tax_code_setting(unit), "", ctx).await?;
    }
    Ok(())
}

/// What the receipt form proposes: the unit's last form symbol and series of the year, or a
/// series made of the unit code's initials and the year (`HX-24E` for `ho-xa` in 2024).
pub async fn receipt_series(
    store: &SqlStore,
    unit: &UnitCode,
    at: Timestamp,
) -> Result<ReceiptSeries, AppError> {
    let year = at.local_date().year();
    if let Some(last) = store.receipts(unit, year).await?.pop() {
        return Ok(ReceiptSeries {
            form_symbol: last.form_symbol,
            series: last.series,
            fee_kind: last.fee_kind,
        });
    }
    let initials: String = unit
        .as_str()
        .split('-')
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    Ok(ReceiptSeries {
        form_symbol: "01BLP0-001".to_owned(),
        series: format!("{initials}-{:02}E", year % 100),
        fee_kind: None,
    })
}

/// Issues the e-receipt of a paid fee: the amount is the dossier's fee, the channel its
/// payment's; one receipt per dossier.
pub async fn issue_receipt(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
    series: &ReceiptSeries,
    ctx: &AuditContext,
) -> Result<Receipt, AppError> {
    issue_receipt_keyed(store, principal, code, series, ctx, None).await
}

/// [`issue_receipt`] for a request with an Idempotency-Key, as [`super::receive_keyed`].
pub async fn issue_receipt_keyed(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
    series: &ReceiptSeries,
    ctx: &AuditContext,
    key: Option<IdempotencyRecord<Receipt>>,
) -> Result<Receipt, AppError> {
    once(store, key, |key| async move {
        let tree = tree(store).await?;
        let loaded = load(store, code).await?;
        let d = &loaded.dossier;
        check_scope(
            &tree,
            principal,
            Action::ReceiveDossier,
            d,
            &loaded.lifecycle,
        )?;
        let Some(channel) = d.payment_channel.filter(|_| d.paid_at.is_some()) else {
            return Err(AppError::Refused(format!(
                "hồ sơ «{}» chưa ghi nhận nộp phí, lệ phí: hãy ghi nhận thanh toán trước khi cấp biên lai",
                d.code
            )));
        };
        let receipt = store
            .issue_receipt(
                &NewReceipt {
                    unit: d.unit_code.clone(),
                    dossier: d.code.clone(),
                    form_symbol: series.form_symbol.clone(),
                    series: series.series.clone(),
                    amount_vnd: d.fee_vnd,
                    payment_channel: channel,
                    issued_at: ctx.at,
                    fee_kind: series.fee_kind,
                },
                ctx,
                key,
            )
            .await?;
        Ok(receipt)
    })
    .await
}

/// The receipts of a dossier the principal may see.
pub async fn receipts(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
) -> Result<Vec<Receipt>, AppError> {
    let h = get(store, principal, code).await?;
    Ok(store.dossier_receipts(&h.dossier.code).await?)
}
