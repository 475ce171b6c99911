//! A unit's fee settings (`/admin/unit?unit=CODE`, "Thông tin thu phí của đơn vị"): the tax
//! code printed on its e-receipts and the bank account whose VietQR code the dossier page
//! shows while a fee is due, its own or the one it inherits from the nearest unit above.
//! An administrator picks the unit among their subtree; every problem comes back beside its
//! field with what was typed; a saved form redirects to the page with a notice. The reads
//! and writes (checked, audited) are `motcua_app::unit_settings`'s.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::unit_settings::{self, PaymentSettings};
use motcua_core::access::Action;
use motcua_core::display::capitalise;
use motcua_core::unit::UnitTree;
use motcua_core::vietqr::BankAccount;
use motcua_core::vietqr::banks::{self, BANKS};
use serde::Deserialize;

use crate::authed::url_encode;
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, UnitOption, unit_label, unit_options};
use crate::{AppState, Authed};

/// What the form holds (kept as typed after a refusal).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitForm {
    csrf: String,
    unit: String,
    /// `save`, or `remove_account` (back to the account of the unit above).
    action: String,
    tax_code: String,
    bin: String,
    number: String,
    holder: String,
}

#[derive(Debug, Default)]
struct UnitErrors {
    tax_code: String,
    bin: String,
    number: String,
    holder: String,
}

impl UnitErrors {
    fn any(&self) -> bool {
        [&self.tax_code, &self.bin, &self.number, &self.holder]
            .iter()
            .any(|e| !e.is_empty())
    }
}

/// An account as the page shows it.
struct AccountView {
    bank: String,
    number: String,
    holder: String,
}

impl From<&BankAccount> for AccountView {
    fn from(a: &BankAccount) -> Self {
        Self {
            bank: a.bank_name(),
            number: a.number.clone(),
            holder: a.holder.clone(),
        }
    }
}

/// A choice of the bank select: BIN, label, selected.
type BankOption = (String, String, bool);

#[derive(Template)]
#[template(path = "admin/unit.html")]
struct UnitPage {
    nav: Nav,
    unit: String,
    unit_name: String,
    unit_options: Vec<UnitOption>,
    bank_options: Vec<BankOption>,
    own: Option<AccountView>,
    inherited: Option<AccountView>,
    /// The unit whose account is inherited: `huyện Vĩnh Linh`.
    inherited_from: String,
    form: UnitForm,
    errors: UnitErrors,
    info: String,
}

/// The banks of the list, and the BIN already stored when the list lacks it (set from the
/// command line), `selected` marked.
fn bank_options(selected: &str, stored: Option<&BankAccount>) -> Vec<BankOption> {
    let mut options: Vec<BankOption> = BANKS
        .iter()
        .map(|b| {
            (
                b.bin.to_owned(),
                format!("{} – {}", b.short, b.name),
                b.bin == selected,
            )
        })
        .collect();
    if let Some(a) = stored.filter(|a| banks::find(&a.bin).is_none()) {
        options.push((a.bin.clone(), a.bank_name(), a.bin == selected));
    }
    options
}

fn page(
    authed: &Authed,
    tree: &UnitTree,
    settings: &PaymentSettings,
    form: UnitForm,
    errors: UnitErrors,
    info: String,
) -> Result<Response, PageError> {
    let (inherited, inherited_from) = match &settings.inherited {
        Some((code, account)) => (Some(account.into()), unit_label(tree, code)),
        None => (None, String::new()),
    };
    let page = UnitPage {
        nav: Nav::new(authed, tree),
        unit: settings.unit.to_string(),
        unit_name: capitalise(&unit_label(tree, &settings.unit)),
        unit_options: unit_options(tree, &authed.principal.unit, &settings.unit),
        bank_options: bank_options(&form.bin, settings.own_account.as_ref()),
        own: settings.own_account.as_ref().map(AccountView::from),
        inherited,
        inherited_from,
        form,
        errors,
        info,
    };
    let code = if page.errors.any() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((code, Html(page.render()?)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitQuery {
    /// The unit; the administrator's own when empty.
    unit: String,
    /// What was just done: `saved` or `removed`.
    done: String,
}

/// `GET /admin/unit?unit=CODE`: the unit's fee settings and their form.
pub async fn unit(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::EditUnitSettings, &unit)?;
    let settings = unit_settings::payment_settings(&state.store, &authed.principal, &unit).await?;
    let name = unit_label(&tree, &unit);
    let info = match q.done.as_str() {
        "saved" => format!("Đã lưu thông tin thu phí của {name}."),
        "removed" => format!(
            "Đã bỏ tài khoản riêng của {name}; phí, lệ phí chuyển khoản vào tài khoản của đơn vị cấp trên."
        ),
        _ => String::new(),
    };
    let own = settings.own_account.as_ref();
    let form = UnitForm {
        unit: unit.to_string(),
        tax_code: settings.tax_code.clone(),
        bin: own.map(|a| a.bin.clone()).unwrap_or_default(),
        number: own.map(|a| a.number.clone()).unwrap_or_default(),
        holder: own.map(|a| a.holder.clone()).unwrap_or_default(),
        ..UnitForm::default()
    };
    page(&authed, &tree, &settings, form, UnitErrors::default(), info)
}

/// `POST /admin/unit`: saves the tax code and the account (every problem beside its field,
/// nothing saved until all are right), or removes the unit's own account.
pub async fn save_unit(
    State(state): State<AppState>,
    authed: Authed,
    Form(form): Form<UnitForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&form.unit))?;
    authed.check(&tree, Action::EditUnitSettings, &unit)?;
    let (store, principal, ctx) = (&state.store, &authed.principal, authed.ctx());
    let done = |what: &str| {
        Redirect::to(&format!(
            "/admin/unit?unit={}&done={what}",
            url_encode(unit.as_str())
        ))
        .into_response()
    };
    if form.action == "remove_account" {
        unit_settings::remove_account(store, principal, &unit, &ctx).await?;
        return Ok(done("removed"));
    }
    let settings = unit_settings::payment_settings(store, principal, &unit).await?;
    let mut errors = UnitErrors::default();
    let tax_code = form.tax_code.trim();
    if !tax_code.is_empty()
        && let Err(e) = motcua_core::fees::parse_tax_code(tax_code)
    {
        errors.tax_code = capitalise(&e);
    }
    let account = typed(&form, settings.own_account.as_ref(), &mut errors);
    if errors.any() {
        return page(&authed, &tree, &settings, form, errors, String::new());
    }
    if tax_code != settings.tax_code {
        unit_settings::set_tax_code(store, principal, &unit, tax_code, &ctx).await?;
    }
    if let Some(account) = account.filter(|a| settings.own_account.as_ref() != Some(a)) {
        unit_settings::set_account(store, principal, &unit, &account, &ctx).await?;
    }
    Ok(done("saved"))
}

/// The account typed, `None` when its three fields are empty (the unit keeps what it has);
/// its problems go to `errors`. A BIN must be one of the list's, or the one stored.
fn typed(
    form: &UnitForm,
    stored: Option<&BankAccount>,
    errors: &mut UnitErrors,
) -> Option<BankAccount> {
    let bin = form.bin.trim();
    if [bin, form.number.trim(), form.holder.trim()]
        .iter()
        .all(|f| f.is_empty())
    {
        return None;
    }
    let known = banks::find(bin).is_some() || stored.is_some_and(|a| a.bin == bin);
    if bin.is_empty() {
        errors.bin = "Chọn ngân hàng nhận tiền".to_owned();
    } else if !known && bin.len() == 6 && bin.bytes().all(|b| b.is_ascii_digit()) {
        errors.bin = "Chọn ngân hàng trong danh sách".to_owned();
    }
    match unit_settings::typed_account(bin, &form.number, &form.holder) {
        Ok(account) if errors.bin.is_empty() => Some(account),
        Ok(_) => None,
        Err(problems) => {
            for p in problems {
                let slot = match p.field() {
                    "bin" => &mut errors.bin,
                    "number" => &mut errors.number,
                    _ => &mut errors.holder,
                };
                if slot.is_empty() {
                    *slot = capitalise(&p.to_string());
                }
            }
            None
        }
    }
}
