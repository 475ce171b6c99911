//! Payment by bank transfer at the desk (VietQR): the unit's receiving account, an audited
//! setting per unit (`unit.<code>.bank_account`, JSON), and the officer's confirmation that
//! a transfer arrived. The statement import (`super::statement`) records its matches through
//! [`pay_by_transfer`] too. A transfer at the desk is recorded with the channel offline: it
//! is not an online payment in the sense of the service index (Decision 766/QĐ-TTg).

use motcua_core::access::{Action, AuditContext, Principal};
use motcua_core::dossier::PaymentChannel;
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_core::vietqr::BankAccount;
use motcua_store::{Change, HeldDossier, MatchedTransfer, SqlStore, StoreError};

use super::{Handled, check_scope, load, tree, write_change};
use crate::AppError;

fn account_setting(unit: &UnitCode) -> String {
    format!("unit.{unit}.bank_account")
}

/// The account `unit` itself declared, if any.
pub async fn bank_account(
    store: &SqlStore,
    unit: &UnitCode,
) -> Result<Option<BankAccount>, AppError> {
    let key = account_setting(unit);
    match store.setting(&key).await? {
        None => Ok(None),
        Some(text) if text.is_empty() => Ok(None),
        Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            AppError::Store(StoreError::Corrupt {
                table: "settings",
                key,
                reason: e.to_string(),
            })
        }),
    }
}

/// The account that receives `unit`'s fees: its own, or the nearest unit above it that
/// declared one (a department's fees go to the province's account).
pub async fn receiving_account(
    store: &SqlStore,
    tree: &UnitTree,
    unit: &UnitCode,
) -> Result<Option<BankAccount>, AppError> {
    let mut at = tree.get(unit);
    while let Some(u) = at {
        if let Some(account) = bank_account(store, &u.code).await? {
            return Ok(Some(account));
        }
        at = u.parent.as_ref().and_then(|p| tree.get(p));
    }
    Ok(None)
}

/// Sets `unit`'s account (a code given as text), audited as a setting.
pub async fn set_bank_account(
    store: &SqlStore,
    unit: &str,
    account: &BankAccount,
    ctx: &AuditContext,
) -> Result<UnitCode, AppError> {
    let tree = tree(store).await?;
    let unit = tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?;
    let json = serde_json::to_string(account).map_err(StoreError::from)?;
    store
        .set_setting(&account_setting(&unit.code), &json, ctx)
        .await?;
    Ok(unit.code.clone())
}

/// Removes `unit`'s own account (stored as an empty setting, audited): its fees go to the
/// account of the nearest unit above that declared one.
pub(crate) async fn clear_bank_account(
    store: &SqlStore,
    unit: &UnitCode,
    ctx: &AuditContext,
) -> Result<(), AppError> {
    store.set_setting(&account_setting(unit), "", ctx).await?;
    Ok(())
}

/// The officer confirms that the applicant's transfer of the fee arrived in the unit's
/// account ("Xác nhận đã nhận chuyển khoản"): the payment is recorded now, offline, as a
/// bank transfer.
pub async fn confirm_transfer(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
    ctx: &AuditContext,
) -> Result<Handled, AppError> {
    let tree = tree(store).await?;
    let loaded = load(store, code).await?;
    let transfer = MatchedTransfer {
        unit: loaded.dossier.unit_code.clone(),
        transaction_id: None,
        booked_at: ctx.at,
    };
    pay_by_transfer(store, &tree, principal, &loaded, &transfer, ctx).await
}

/// Records that `transfer` paid the fee of `loaded` (paid at the transfer's time), if the
/// principal may receive its fees and it has an unpaid fee.
pub(crate) async fn pay_by_transfer(
    store: &SqlStore,
    tree: &UnitTree,
    principal: &Principal,
    loaded: &HeldDossier,
    transfer: &MatchedTransfer,
    ctx: &AuditContext,
) -> Result<Handled, AppError> {
    check_scope(
        tree,
        principal,
        Action::ReceiveDossier,
        &loaded.dossier,
        &loaded.lifecycle,
    )?;
    let d = &loaded.dossier;
    super::fees::check_payable(d)?;
    let mut updated = d.clone();
    updated.payment_channel = Some(PaymentChannel::Offline);
    updated.paid_at = Some(transfer.booked_at);
    let after = Handled::stored(updated, loaded.lifecycle.clone(), loaded.details.clone());
    write_change(store, loaded, after, &Change::Transfer(transfer), ctx, None).await
}
