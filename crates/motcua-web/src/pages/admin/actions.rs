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

use super::users::{EditErrors, account, user_page};
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::Nav;
use crate::{AppState, Authed, WebError};

/// An action on an account that the administrator confirms first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UserAction {
    Disable,
    Enable,
    Unlock,
    Password,
}

impl UserAction {
    const ALL: [UserAction; 4] = [
        UserAction::Disable,
        UserAction::Enable,
        UserAction::Unlock,
        UserAction::Password,
    ];

    fn as_str(self) -> &'static str {
        match self {
            UserAction::Disable => "disable",
            UserAction::Enable => "enable",
            UserAction::Unlock => "unlock",
            UserAction::Password => "password",
        }
    }

    pub(super) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }

    fn button(self) -> &'static str {
        match self {
            UserAction::Disable => "Khóa tài khoản",
            UserAction::Enable => "Mở lại tài khoản",
            UserAction::Unlock => "Mở khóa đăng nhập",
            UserAction::Password => "Cấp mật khẩu tạm thời",
        }
    }

    fn question(self, name: &str) -> String {
        match self {
            UserAction::Disable => format!("Khóa tài khoản của {name}?"),
            UserAction::Enable => format!("Mở lại tài khoản của {name}?"),
            UserAction::Unlock => format!("Mở khóa đăng nhập cho {name}?"),
            UserAction::Password => format!("Cấp mật khẩu tạm thời cho {name}?"),
        }
    }

    fn explanation(self) -> &'static str {
        match self {
            UserAction::Disable => {
                "Người này sẽ bị đăng xuất ngay và không đăng nhập được cho đến khi tài khoản được mở lại. Hồ sơ và nhật ký của họ vẫn giữ nguyên."
            }
            UserAction::Enable => "Người này sẽ đăng nhập lại được bằng mật khẩu hiện có.",
            UserAction::Unlock => {
                "Số lần nhập sai mật khẩu được xóa; người này đăng nhập lại được ngay, không phải chờ hết thời gian tạm khóa."
            }
            UserAction::Password => {
                "Mật khẩu hiện tại hết hiệu lực và mọi phiên đăng nhập của người này kết thúc. Mật khẩu tạm thời chỉ hiện một lần; hãy trao tận tay. Người này phải đổi mật khẩu ngay khi đăng nhập."
            }
        }
    }

    pub(super) fn done_text(self, name: &str) -> String {
        match self {
            UserAction::Disable => format!("Đã khóa tài khoản của {name}."),
            UserAction::Enable => format!("Đã mở lại tài khoản của {name}."),
            UserAction::Unlock => format!("Đã mở khóa đăng nhập cho {name}."),
            UserAction::Password => format!("Đã cấp mật khẩu tạm thời cho {name}."),
        }
    }
}

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
