//! A unit's fee settings as its administrators read and change them from the web
//! (`/admin/unit`): the bank account that receives its transfers (VietQR), its own or the
//! one it inherits from the nearest unit above, and the tax code printed on its e-receipts.
//!
//! Each function checks [`Action::EditUnitSettings`] on the unit, scope first (a unit outside
//! the principal's subtree answers as one that does not exist), then calls the desk's
//! setters, which audit every change as a setting (`settings.set`). [`PaymentSettings`] is
//! what the page shows; [`typed_account`] turns what was typed into a [`BankAccount`].

use motcua_core::access::{Action, AuditContext, Principal};
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_core::vietqr::{AccountError, BankAccount};
use motcua_store::SqlStore;

use crate::AppError;
use crate::desk;

/// What a unit has set, and what it inherits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentSettings {
    pub unit: UnitCode,
    /// Its tax code; empty when never set.
    pub tax_code: String,
    /// The account it declared itself.
    pub own_account: Option<BankAccount>,
    /// The account of the nearest unit above that declared one, and that unit: what receives
    /// the fees while the unit has no account of its own.
    pub inherited: Option<(UnitCode, BankAccount)>,
}

impl PaymentSettings {
    /// The account that receives the unit's fees now.
    pub fn receiving(&self) -> Option<&BankAccount> {
        self.own_account
            .as_ref()
            .or(self.inherited.as_ref().map(|(_, a)| a))
    }
}

/// The unit tree, once the principal may edit `unit`'s settings.
async fn checked(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
) -> Result<UnitTree, AppError> {
    let tree = desk::tree(store).await?;
    principal.check(&tree, Action::EditUnitSettings, unit)?;
    if tree.get(unit).is_none() {
        return Err(AppError::UnknownUnit(unit.to_string()));
    }
    Ok(tree)
}

/// The settings of `unit`, for a principal who may edit them.
pub async fn payment_settings(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
) -> Result<PaymentSettings, AppError> {
    let tree = checked(store, principal, unit).await?;
    let mut inherited = None;
    let mut above = tree.get(unit).and_then(|u| u.parent.as_ref());
    while let Some(code) = above {
        if let Some(account) = desk::bank_account(store, code).await? {
            inherited = Some((code.clone(), account));
            break;
        }
        above = tree.get(code).and_then(|u| u.parent.as_ref());
    }
    Ok(PaymentSettings {
        unit: unit.clone(),
        tax_code: desk::tax_code(store, unit).await?,
        own_account: desk::bank_account(store, unit).await?,
        inherited,
    })
}

/// An account as typed in the form: the holder written as banks print it, in capitals
/// without diacritics ("UBND xã Hồ Xá" becomes "UBND XA HO XA"); every problem at once.
pub fn typed_account(
    bin: &str,
    number: &str,
    holder: &str,
) -> Result<BankAccount, Vec<AccountError>> {
    let holder = motcua_core::search::fold(holder).to_uppercase();
    BankAccount::parse(bin, number, &holder)
}

/// Sets `unit`'s own receiving account.
pub async fn set_account(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    account: &BankAccount,
    ctx: &AuditContext,
) -> Result<(), AppError> {
    checked(store, principal, unit).await?;
    desk::set_bank_account(store, unit.as_str(), account, ctx).await?;
    Ok(())
}

/// Removes `unit`'s own account: its fees go to the account of the nearest unit above that
/// declared one again. Nothing is written when it had none.
pub async fn remove_account(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    ctx: &AuditContext,
) -> Result<(), AppError> {
    checked(store, principal, unit).await?;
    if desk::bank_account(store, unit).await?.is_some() {
        desk::clear_bank_account(store, unit, ctx).await?;
    }
    Ok(())
}

/// Sets `unit`'s tax code (checked by `motcua_core::fees::parse_tax_code`); an empty text
/// clears it.
pub async fn set_tax_code(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    text: &str,
    ctx: &AuditContext,
) -> Result<(), AppError> {
    checked(store, principal, unit).await?;
    if text.trim().is_empty() {
        desk::clear_tax_code(store, unit, ctx).await?;
    } else {
        desk::set_tax_code(store, unit.as_str(), text, ctx).await?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_written_as_banks_print_it() {
        let a = typed_account("970415", "1130 0024 6810", "  UBND huyện  Vĩnh Linh ").unwrap();
        assert_eq!(a.holder, "UBND HUYEN VINH LINH");
        assert_eq!(a.number, "113000246810");
        let errors = typed_account("97041", "12-34", " ").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(AccountError::field).collect();
        assert_eq!(fields, ["bin", "number", "holder"]);
    }
}
