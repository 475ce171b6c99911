//! "Sửa thông tin hồ sơ" (`/dossiers/{code}/correct`): before processing starts, reception
//! corrects the applicant, the request and the component lines of a dossier it received. The
//! correction is audited with the old values kept in the history; once the dossier has been
//! taken up it is refused with the reason.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::desk;
use motcua_core::details::{Applicant, Component, Details, MAX_COMPONENTS, MAX_TEXT_CHARS};
use motcua_core::display::capitalise;
use motcua_core::freetext::check_line;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::Nav;
use crate::{AppState, Authed};

/// A line of the component table.
struct Line {
    number: usize,
    name: String,
    originals: String,
    copies: String,
}

#[derive(Template)]
#[template(path = "dossier/correct.html")]
struct CorrectPage {
    nav: Nav,
    code: String,
    fields: Vec<(&'static str, &'static str, String, String)>,
    request: String,
    lines: Vec<Line>,
    error: String,
    lines_error: String,
}

/// The applicant's fields: (form name, label).
const FIELDS: [(&str, &str); 5] = [
    ("name", "Họ tên người nộp"),
    ("id_number", "Số định danh"),
    ("phone", "Số điện thoại"),
    ("email", "Thư điện tử"),
    ("address", "Địa chỉ"),
];

fn applicant_value<'a>(a: &'a Applicant, field: &str) -> &'a str {
    match field {
        "name" => &a.name,
        "id_number" => &a.id_number,
        "phone" => &a.phone,
        "email" => &a.email,
        _ => &a.address,
    }
}

/// The form's values (as typed) and the errors beside them.
struct Typed {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
}

async fn render(
    state: &AppState,
    authed: &Authed,
    code: &str,
    status: StatusCode,
    typed: Option<&Typed>,
    error: &str,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let h = desk::get(&state.store, &authed.principal, code).await?;
    let details = h.details.clone().unwrap_or_default();
    let value = |name: &str, stored: &str| match typed {
        Some(t) => t.values.get(name).cloned().unwrap_or_default(),
        None => stored.to_owned(),
    };
    let err = |name: &str| {
        typed
            .and_then(|t| t.errors.get(name).cloned())
            .unwrap_or_default()
    };
    let count = (details.components.len() + 2).min(MAX_COMPONENTS);
    let lines = (1..=count)
        .map(|n| {
            let c = details.components.get(n - 1);
            let num = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
            Line {
                number: n,
                name: value(&format!("comp_name_{n}"), c.map_or("", |c| &c.name)),
                originals: value(&format!("comp_originals_{n}"), &num(c.map(|c| c.originals))),
                copies: value(&format!("comp_copies_{n}"), &num(c.map(|c| c.copies))),
            }
        })
        .collect();
    let page = CorrectPage {
        nav: Nav::new(authed, &tree),
        code: h.dossier.code.to_string(),
        fields: FIELDS
            .iter()
            .map(|(name, label)| {
                (
                    *name,
                    *label,
                    value(name, applicant_value(&details.applicant, name)),
                    err(name),
                )
            })
            .collect(),
        request: value("request", &details.request),
        lines,
        error: error.to_owned(),
        lines_error: err("components"),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /dossiers/{code}/correct`: the form, filled with what was recorded.
pub async fn correct_form(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    render(&state, &authed, &code, StatusCode::OK, None, "").await
}

/// Reads the form: the corrected record, or the errors beside their fields.
fn read(values: &HashMap<String, String>) -> Result<Details, HashMap<String, String>> {
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors = HashMap::new();
    for &(name, label) in FIELDS.iter().chain([&("request", "Nội dung yêu cầu")]) {
        if let Err(e) = check_line(&get(name), MAX_TEXT_CHARS) {
            errors.insert(name.to_owned(), capitalise(&format!("{label} {e}")));
        }
    }
    if get("name").is_empty() {
        errors.insert("name".to_owned(), "Hãy ghi họ tên người nộp.".to_owned());
    }
    let mut components = Vec::new();
    for n in 1..=MAX_COMPONENTS + 2 {
        let name = get(&format!("comp_name_{n}"));
        if name.is_empty() {
            continue;
        }
        let num = |k: String| -> Option<u32> {
            let t = get(&k);
            if t.is_empty() {
                Some(0)
            } else {
                t.parse().ok().filter(|n| *n <= 99)
            }
        };
        match (
            num(format!("comp_originals_{n}")),
            num(format!("comp_copies_{n}")),
            check_line(&name, MAX_TEXT_CHARS),
        ) {
            (Some(originals), Some(copies), Ok(())) => components.push(Component {
                name,
                originals,
                copies,
                scan: None,
            }),
            _ => {
                errors.insert(
                    "components".to_owned(),
                    format!(
                        "Dòng {n}: tên giấy tờ tối đa {MAX_TEXT_CHARS} ký tự, số bản từ 0 đến 99."
                    ),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Details {
        applicant: Applicant {
            name: get("name"),
            id_number: get("id_number"),
            address: get("address"),
            phone: get("phone"),
            email: get("email"),
        },
        request: get("request"),
        components,
        result_scan: None,
        representative: None,
    })
}

/// `POST /dossiers/{code}/correct`: stores the correction and shows the dossier; a refusal
/// shows the form again with what was typed.
pub async fn correct(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    Form(values): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    authed.check_csrf(values.get("csrf").map(String::as_str))?;
    let details = match read(&values) {
        Ok(d) => d,
        Err(errors) => {
            let typed = Typed { values, errors };
            let msg = "Chưa lưu: hãy sửa các chỗ được ghi bên cạnh ô nhập.";
            return render(
                &state,
                &authed,
                &code,
                StatusCode::BAD_REQUEST,
                Some(&typed),
                msg,
            )
            .await;
        }
    };
    match desk::correct(
        &state.store,
        &authed.principal,
        &code,
        &details,
        &authed.ctx(),
    )
    .await
    {
        Ok(h) => Ok(Redirect::to(&format!("/dossiers/{}", h.dossier.code)).into_response()),
        Err(AppError::Refused(msg)) => {
            let typed = Typed {
                values,
                errors: HashMap::new(),
            };
            let msg = capitalise(&msg);
            render(
                &state,
                &authed,
                &code,
                StatusCode::CONFLICT,
                Some(&typed),
                &msg,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
