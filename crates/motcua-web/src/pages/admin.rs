//! Administration pages: accounts of a unit's subtree, and the audit trail (root unit only).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_core::Timestamp;
use motcua_core::access::{Action, AuditFilter, AuditRecord, Role};
use motcua_core::unit::{UnitCode, UnitTree};
use serde::Deserialize;
use time::macros::format_description;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, UnitOption, local_time, unit_label, unit_options};
use crate::{AppState, Authed, WebError};

/// One account's row.
struct UserRow {
    username: String,
    display_name: String,
    role: &'static str,
    unit: String,
    state: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    nav: Nav,
    scope_name: String,
    users: Vec<UserRow>,
    unit_options: Vec<UnitOption>,
    role_options: Vec<(&'static str, &'static str)>,
    error: String,
    info: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UsersQuery {
    /// The unit whose subtree to list; the administrator's own unit when empty.
    unit: String,
    created: String,
}

async fn users_page(
    state: &AppState,
    authed: &Authed,
    tree: &UnitTree,
    unit: &UnitCode,
    status: StatusCode,
    error: &str,
    info: &str,
) -> Result<Response, PageError> {
    let users = state
        .store
        .users()
        .await
        .map_err(AppError::from)?
        .into_iter()
        .filter(|u| tree.is_within(&u.unit, unit))
        .map(|u| UserRow {
            state: match u.locked_until {
                Some(t) if t > authed.at => format!("tạm khóa đến {}", local_time(t)),
                _ => "đang hoạt động".to_owned(),
            },
            username: u.username.to_string(),
            role: u.role.name_vi(),
            unit: unit_label(tree, &u.unit),
            display_name: u.display_name,
        })
        .collect();
    let page = UsersPage {
        nav: Nav::new(authed, tree),
        scope_name: unit_label(tree, unit),
        users,
        unit_options: unit_options(tree, &authed.principal.unit, unit),
        role_options: Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.name_vi()))
            .collect(),
        error: error.to_owned(),
        info: info.to_owned(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /admin/users?unit=CODE`: the accounts of a unit's subtree.
pub async fn users(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<UsersQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ManageUsers, &unit)?;
    let info = if q.created.is_empty() {
        String::new()
    } else {
        format!("Đã tạo tài khoản «{}».", q.created)
    };
    users_page(&state, &authed, &tree, &unit, StatusCode::OK, "", &info).await
}

// No Debug: the form holds a password.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NewUserForm {
    csrf: String,
    username: String,
    display_name: String,
    unit: String,
    role: String,
    password: String,
}

/// `POST /admin/users`: creates an account in a unit of the administrator's subtree.
pub async fn create_user(
    State(state): State<AppState>,
    authed: Authed,
    Form(form): Form<NewUserForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&form.unit))?;
    authed.check(&tree, Action::ManageUsers, &unit)?;
    let Some(role) = Role::parse(&form.role) else {
        return users_page(
            &state,
            &authed,
            &tree,
            &authed.principal.unit,
            StatusCode::BAD_REQUEST,
            "vai trò không hợp lệ",
            "",
        )
        .await;
    };
    match motcua_app::auth::create_user(
        &state.store,
        &form.username,
        &form.display_name,
        unit.as_str(),
        role,
        &form.password,
        &authed.ctx(),
    )
    .await
    {
        Ok(user) => Ok(Redirect::to(&format!(
            "/admin/users?unit={}&created={}",
            unit.as_str(),
            user.username
        ))
        .into_response()),
        Err(AppError::Auth(msg)) => {
            users_page(
                &state,
                &authed,
                &tree,
                &authed.principal.unit,
                StatusCode::BAD_REQUEST,
                &msg,
                "",
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The audit trail's filter as the form sends it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    actor: String,
    action: String,
    /// First day, YYYY-MM-DD (local).
    from: String,
    /// Last day, YYYY-MM-DD (local), included.
    to: String,
}

fn parse_day(text: &str) -> Result<Option<time::Date>, WebError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    time::Date::parse(text.trim(), format_description!("[year]-[month]-[day]"))
        .map(Some)
        .map_err(|_| WebError::BadRequest(format!("ngày không hợp lệ: «{text}» (YYYY-MM-DD)")))
}

impl AuditQuery {
    fn filter(&self, limit: u32) -> Result<AuditFilter, WebError> {
        let nonempty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(AuditFilter {
            actor: nonempty(&self.actor),
            action: nonempty(&self.action),
            from: parse_day(&self.from)?.map(Timestamp::local_midnight),
            to: parse_day(&self.to)?
                .and_then(time::Date::next_day)
                .map(Timestamp::local_midnight),
            limit,
        })
    }

    fn query_string(&self) -> String {
        let mut out = Vec::new();
        for (k, v) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !v.is_empty() {
                out.push(format!("{k}={}", crate::authed::url_encode(v)));
            }
        }
        out.join("&")
    }
}

struct AuditRow {
    at: String,
    actor: String,
    remote_addr: String,
    action: String,
    target: String,
    before: String,
    after: String,
}

/// Audit times keep the seconds, date first: `16/04/2024 09:56:07`.
fn audit_time(t: Timestamp) -> String {
    t.to_local()
        .format(format_description!(
            "[day]/[month]/[year] [hour]:[minute]:[second]"
        ))
        .unwrap_or_default()
}

fn json_text(v: &serde_json::Value) -> String {
    if v.is_null() {
        String::new()
    } else {
        v.to_string()
    }
}

impl From<&AuditRecord> for AuditRow {
    fn from(r: &AuditRecord) -> Self {
        Self {
            at: audit_time(r.at),
            actor: r.actor.clone(),
            remote_addr: r.remote_addr.clone().unwrap_or_default(),
            action: r.action.clone(),
            target: r.target.clone(),
            before: json_text(&r.before),
            after: json_text(&r.after),
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    nav: Nav,
    actor: String,
    action: String,
    from: String,
    to: String,
    query: String,
    summary: String,
    rows: Vec<AuditRow>,
}

/// Records shown on the page; the CSV export takes many more.
const PAGE_ROWS: u32 = 500;
const CSV_ROWS: u32 = 1_000_000;

/// `GET /admin/audit`: the newest records matching the filter.
pub async fn audit(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    authed.check_root(&tree, Action::ViewAudit)?;
    let records = state
        .store
        .audit(&q.filter(PAGE_ROWS)?)
        .await
        .map_err(AppError::from)?;
    let summary = if records.len() as u32 == PAGE_ROWS {
        format!(
            "{} bản ghi mới nhất; thu hẹp bộ lọc hoặc tải tệp CSV để xem tất cả.",
            motcua_core::display::count(records.len() as u64)
        )
    } else {
        format!(
            "{} bản ghi.",
            motcua_core::display::count(records.len() as u64)
        )
    };
    let page = AuditPage {
        nav: Nav::new(&authed, &tree),
        query: q.query_string(),
        rows: records.iter().map(AuditRow::from).collect(),
        summary,
        actor: q.actor,
        action: q.action,
        from: q.from,
        to: q.to,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /admin/audit.csv`: the records matching the filter as CSV (UTF-8 with a byte-order
/// mark, so that spreadsheet programs read the diacritics right).
pub async fn audit_csv(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let tree = tree(&state.store).await?;
    authed.check_root(&tree, Action::ViewAudit)?;
    let records = state
        .store
        .audit(&q.filter(CSV_ROWS)?)
        .await
        .map_err(AppError::from)?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let csv_err = |e: csv::Error| WebError::Internal(e.to_string());
    out.write_record([
        "id",
        "thoi_diem",
        "nguoi_thuc_hien",
        "dia_chi",
        "thao_tac",
        "doi_tuong",
        "truoc",
        "sau",
    ])
    .map_err(csv_err)?;
    for r in &records {
        out.write_record([
            r.id.to_string(),
            r.at.to_rfc3339(),
            r.actor.clone(),
            r.remote_addr.clone().unwrap_or_default(),
            r.action.clone(),
            r.target.clone(),
            json_text(&r.before),
            json_text(&r.after),
        ])
        .map_err(csv_err)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"nhat-ky-he-thong.csv\""),
    );
    Ok(response)
}
