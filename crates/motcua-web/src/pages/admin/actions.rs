//! What an administrator does to an account after a confirmation page
//! (`POST /admin/users/{username}/action`): disable, re-enable, lift a lock after wrong
//! passwords, or give a temporary password (shown once, to be changed at the next sign-in).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use serde::Deserialize;

use super::user_action::UserAction;
use super::users::{EditErrors, account, user_page};
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::Nav;
use crate::{AppState, Authed, WebError};

#[derive(Template)]
#[template(path = "admin/confirm.html")]
struct ConfirmPage {
    nav: Nav,
    username: String,
    action: &'static str,
    question: String,
    explanation: &'static str,
    button: &'static str,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    csrf: String,
    action: String,
    /// `yes` once confirmed; without it the confirmation page is shown.
    confirm: String,
}

/// `POST /admin/users/{username}/action`: disable, re-enable, unlock, or a temporary
/// password; first the confirmation page, then (with `confirm=yes`) the action.
pub async fn user_action(
    State(state): State<AppState>,
    authed: Authed,
    Path(username): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let tree = tree(&state.store).await?;
    let user = account(&state, &authed, &tree, &username).await?;
    let action = UserAction::parse(&form.action)
        .ok_or_else(|| WebError::BadRequest("Thao tác không hợp lệ".to_owned()))?;
    let is_self = authed.user.as_ref().is_some_and(|u| u.id == user.id);
    if is_self && action == UserAction::Disable {
        return Err(WebError::Conflict(
            "Không thể tự khóa tài khoản của chính mình; hãy nhờ một quản trị khác".to_owned(),
        )
        .into());
    }
    if form.confirm != "yes" {
        let page = ConfirmPage {
            nav: Nav::new(&authed, &tree),
            username: user.username.to_string(),
            action: action.as_str(),
            question: action.question(&user.display_name),
            explanation: action.explanation(),
            button: action.button(),
        };
        return Ok(Html(page.render()?).into_response());
    }
    let ctx = authed.ctx();
    let store = &state.store;
    match action {
        UserAction::Disable | UserAction::Enable => {
            store
                .set_user_disabled(user.id, action == UserAction::Disable, &ctx)
                .await
                .map_err(AppError::from)?;
        }
        UserAction::Unlock => {
            store
                .unlock_user(user.id, &ctx)
                .await
                .map_err(AppError::from)?;
        }
        UserAction::Password => {
            let password = motcua_app::auth::temporary_password(store, user.id, &ctx).await?;
            let user = store
                .user(user.id)
                .await
                .map_err(AppError::from)?
                .unwrap_or(user);
            // Shown on this answer only: no redirect, so the password is never in a URL.
            return user_page(
                &authed,
                &tree,
                &user,
                None,
                EditErrors::default(),
                action.done_text(&user.display_name),
                password,
                StatusCode::OK,
            );
        }
    }
    Ok(Redirect::to(&format!(
        "/admin/users/{}?done={}",
        user.username,
        action.as_str()
    ))
    .into_response())
}
