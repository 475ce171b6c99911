//! The accounts of a unit's subtree (`/admin/users`): the list with each account's status,
//! the creation form, and one account's page (`/admin/users/{username}`) where an
//! administrator edits the full name, unit and role (and, in [`super::actions`], disables
//! and re-enables the account, lifts a lock after wrong passwords, or gives a temporary
//! password, each confirmed first). Every write is audited by the store.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::auth::MAX_DISPLAY_NAME_CHARS;
use motcua_core::access::{Action, Role, User, Username, check_password_rule};
use motcua_core::display::capitalise;
use motcua_core::unit::{UnitCode, UnitTree};
use serde::Deserialize;

use crate::authed::url_encode;
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, UnitOption, local_time, unit_label, unit_options};
use crate::{AppState, Authed, WebError};

/// An account's status as the list shows it.
fn status(u: &User, authed: &Authed) -> (String, &'static str) {
    if u.disabled {
        return ("Đã khóa".to_owned(), "off");
    }
    match u.locked_until {
        Some(t) if t > authed.at => (
            format!("Bị tạm khóa do đăng nhập sai (đến {})", local_time(t)),
            "locked",
        ),
        _ => ("Đang hoạt động".to_owned(), "on"),
    }
}

/// One account's row.
struct UserRow {
    username: String,
    display_name: String,
    role: &'static str,
    unit: String,
    status: String,
    status_class: &'static str,
    url: String,
}

/// What the creation form holds (kept after a refusal).
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

// No Debug: the form holds a password.
#[derive(Default)]
struct NewUserErrors {
    username: String,
    display_name: String,
    unit: String,
    role: String,
    password: String,
}

impl NewUserErrors {
    fn any(&self) -> bool {
        [
            &self.username,
            &self.display_name,
            &self.unit,
            &self.role,
            &self.password,
        ]
        .iter()
        .any(|e| !e.is_empty())
    }
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    nav: Nav,
    scope_name: String,
    users: Vec<UserRow>,
    unit_options: Vec<UnitOption>,
    role_options: Vec<(&'static str, &'static str, bool)>,
    form: NewUserForm,
    errors: NewUserErrors,
    info: String,
}

fn role_options(selected: &str) -> Vec<(&'static str, &'static str, bool)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str(), r.name_vi(), r.as_str() == selected))
        .collect()
}

async fn users_page(
    state: &AppState,
    authed: &Authed,
    tree: &UnitTree,
    unit: &UnitCode,
    form: NewUserForm,
    errors: NewUserErrors,
    info: String,
) -> Result<Response, PageError> {
    let mut users: Vec<UserRow> = state
        .store
        .users()
        .await
        .map_err(AppError::from)?
        .into_iter()
        .filter(|u| tree.is_within(&u.unit, unit))
        .map(|u| {
            let (status, status_class) = status(&u, authed);
            UserRow {
                url: format!("/admin/users/{}", u.username),
                username: u.username.to_string(),
                role: u.role.name_vi(),
                unit: capitalise(&unit_label(tree, &u.unit)),
                display_name: u.display_name,
                status,
                status_class,
            }
        })
        .collect();
    motcua_core::collation::VietnameseOrder::new().sort_by_key(&mut users, |u| &u.display_name);
    let form_unit = UnitCode::parse(&form.unit).unwrap_or_else(|_| unit.clone());
    let page = UsersPage {
        nav: Nav::new(authed, tree),
        scope_name: unit_label(tree, unit),
        users,
        unit_options: unit_options(tree, &authed.principal.unit, &form_unit),
        role_options: role_options(&form.role),
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
pub struct UsersQuery {
    /// The unit whose subtree to list; the administrator's own unit when empty.
    unit: String,
    /// The name of the account just created.
    created: String,
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
    let mut info = String::new();
    if let Ok(name) = Username::parse(&q.created)
        && let Some((u, _)) = state
            .store
            .user_by_name(&name)
            .await
            .map_err(AppError::from)?
        && tree.is_within(&u.unit, &authed.principal.unit)
    {
        info = format!("Đã tạo tài khoản của {}.", u.display_name);
    }
    let form = NewUserForm {
        unit: unit.to_string(),
        ..NewUserForm::default()
    };
    users_page(
        &state,
        &authed,
        &tree,
        &unit,
        form,
        NewUserErrors::default(),
        info,
    )
    .await
}

/// `POST /admin/users`: creates an account in a unit of the administrator's subtree. Every
/// problem is named beside its field, and the form comes back as it was typed.
pub async fn create_user(
    State(state): State<AppState>,
    authed: Authed,
    Form(form): Form<NewUserForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&form.unit))?;
    authed.check(&tree, Action::ManageUsers, &unit)?;
    let mut errors = NewUserErrors::default();
    match Username::parse(&form.username) {
        Err(_) if form.username.trim().is_empty() => {
            errors.username = "Nhập tên đăng nhập".to_owned();
        }
        Err(_) => {
            errors.username = "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang".to_owned();
        }
        Ok(name) => {
            if state
                .store
                .user_by_name(&name)
                .await
                .map_err(AppError::from)?
                .is_some()
            {
                errors.username =
                    format!("Tên đăng nhập «{name}» đã có người dùng; hãy chọn tên khác");
            }
        }
    }
    errors.display_name = display_name_error(&form.display_name);
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.role = "Chọn vai trò".to_owned();
    }
    if let Err(e) = check_password_rule(&form.password) {
        errors.password = capitalise(&e);
    }
    let Some(role) = role.filter(|_| !errors.any()) else {
        let scope = authed.principal.unit.clone();
        return users_page(&state, &authed, &tree, &scope, form, errors, String::new()).await;
    };
    let user = motcua_app::auth::create_user(
        &state.store,
        &form.username,
        &form.display_name,
        unit.as_str(),
        role,
        &form.password,
        &authed.ctx(),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/admin/users?unit={}&created={}",
        url_encode(unit.as_str()),
        url_encode(user.username.as_str())
    ))
    .into_response())
}

/// The problem with a full name, if any.
fn display_name_error(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return "Nhập họ và tên".to_owned();
    }
    match motcua_core::freetext::check_line(name, MAX_DISPLAY_NAME_CHARS) {
        Ok(()) => String::new(),
        Err(e) => capitalise(&format!("họ và tên {e}")),
    }
}

/// The account of a path, if it lies in the administrator's subtree (else 404, as for a
/// name no account has).
pub(super) async fn account(
    state: &AppState,
    authed: &Authed,
    tree: &UnitTree,
    username: &str,
) -> Result<User, WebError> {
    let missing = || WebError::NotFound("Không có tài khoản này trong phạm vi quản lý".to_owned());
    let name = Username::parse(username).map_err(|_| missing())?;
    let (user, _) = state
        .store
        .user_by_name(&name)
        .await
        .map_err(AppError::from)?
        .ok_or_else(missing)?;
    if !tree.is_within(&user.unit, &authed.principal.unit) {
        return Err(missing());
    }
    authed.check(tree, Action::ManageUsers, &user.unit)?;
    Ok(user)
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct EditForm {
    csrf: String,
    display_name: String,
    unit: String,
    role: String,
}

#[derive(Default)]
pub(super) struct EditErrors {
    display_name: String,
    unit: String,
    role: String,
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    nav: Nav,
    username: String,
    name: String,
    status: String,
    status_class: &'static str,
    disabled: bool,
    locked: bool,
    is_self: bool,
    form: EditForm,
    errors: EditErrors,
    unit_options: Vec<UnitOption>,
    role_options: Vec<(&'static str, &'static str, bool)>,
    info: String,
    /// A temporary password just given, shown this once.
    temporary: String,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn user_page(
    authed: &Authed,
    tree: &UnitTree,
    user: &User,
    form: Option<EditForm>,
    errors: EditErrors,
    info: String,
    temporary: String,
    status_code: StatusCode,
) -> Result<Response, PageError> {
    let form = form.unwrap_or_else(|| EditForm {
        csrf: String::new(),
        display_name: user.display_name.clone(),
        unit: user.unit.to_string(),
        role: user.role.as_str().to_owned(),
    });
    let selected = UnitCode::parse(&form.unit).unwrap_or_else(|_| user.unit.clone());
    let (status, status_class) = status(user, authed);
    let page = UserPage {
        nav: Nav::new(authed, tree),
        username: user.username.to_string(),
        name: user.display_name.clone(),
        status,
        status_class,
        disabled: user.disabled,
        locked: user.locked_until.is_some_and(|t| t > authed.at),
        is_self: authed.user.as_ref().is_some_and(|u| u.id == user.id),
        unit_options: unit_options(tree, &authed.principal.unit, &selected),
        role_options: role_options(&form.role),
        form,
        errors,
        info,
        temporary,
    };
    Ok((status_code, Html(page.render()?)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserQuery {
    /// What was just done: `saved`, `disable`, `enable`, `unlock`.
    done: String,
}

/// `GET /admin/users/{username}`: one account, its form and its actions.
pub async fn user(
    State(state): State<AppState>,
    authed: Authed,
    Path(username): Path<String>,
    Query(q): Query<UserQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let user = account(&state, &authed, &tree, &username).await?;
    let info = match super::user_action::UserAction::parse(&q.done) {
        Some(a) => a.done_text(&user.display_name),
        None if q.done == "saved" => {
            format!("Đã lưu thông tin tài khoản của {}.", user.display_name)
        }
        None => String::new(),
    };
    user_page(
        &authed,
        &tree,
        &user,
        None,
        EditErrors::default(),
        info,
        String::new(),
        StatusCode::OK,
    )
}

/// `POST /admin/users/{username}`: saves the full name, unit and role.
pub async fn update_user(
    State(state): State<AppState>,
    authed: Authed,
    Path(username): Path<String>,
    Form(form): Form<EditForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let tree = tree(&state.store).await?;
    let user = account(&state, &authed, &tree, &username).await?;
    let mut errors = EditErrors {
        display_name: display_name_error(&form.display_name),
        ..EditErrors::default()
    };
    let unit = UnitCode::parse(form.unit.trim())
        .ok()
        .filter(|u| tree.get(u).is_some() && tree.is_within(u, &authed.principal.unit));
    if unit.is_none() {
        errors.unit = "Chọn đơn vị trong danh sách".to_owned();
    }
    let role = Role::parse(&form.role);
    let is_self = authed.user.as_ref().is_some_and(|u| u.id == user.id);
    if role.is_none() {
        errors.role = "Chọn vai trò".to_owned();
    } else if is_self && (role != Some(user.role) || unit.as_ref() != Some(&user.unit)) {
        errors.role =
            "Không tự đổi vai trò hay đơn vị của chính mình; hãy nhờ một quản trị khác".to_owned();
    }
    let (Some(unit), Some(role), true) = (
        unit,
        role,
        errors.display_name.is_empty() && errors.unit.is_empty() && errors.role.is_empty(),
    ) else {
        return user_page(
            &authed,
            &tree,
            &user,
            Some(form),
            errors,
            String::new(),
            String::new(),
            StatusCode::BAD_REQUEST,
        );
    };
    state
        .store
        .update_user(
            user.id,
            form.display_name.trim(),
            &unit,
            role,
            &authed.ctx(),
        )
        .await
        .map_err(AppError::from)?;
    Ok(Redirect::to(&format!("/admin/users/{}?done=saved", user.username)).into_response())
}
