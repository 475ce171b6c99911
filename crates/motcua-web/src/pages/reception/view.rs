//! The view models of the reception form and of its review page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk::Reception;
use motcua_core::dossier::{Channel, SubmissionLevel};
use motcua_core::procedure::{Procedure, processing_days_text};
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_store::FileError;

use super::form::{Errors, KeptScan, Typed};
use crate::error::PageError;
use crate::view::{Nav, UnitOption, size_text, unit_label, unit_options};
use crate::{AppState, Authed};

/// The reception channels, as the form offers them.
const CHANNELS: &[(&str, &str)] = &[
    ("direct", "Trực tiếp tại bộ phận một cửa"),
    ("postal", "Qua bưu chính công ích"),
    ("online", "Trực tuyến"),
];
/// The levels of an online dossier.
const LEVELS: &[(&str, &str)] = &[("full", "Toàn trình"), ("partial", "Một phần")];

/// A procedure as the picker lists it: `Đăng ký khai sinh — 1.001193 · Hộ tịch · 1 ngày làm việc`.
pub fn procedure_label(p: &Procedure) -> String {
    format!(
        "{} — {} · {} · {} ngày làm việc",
        p.name,
        p.code,
        p.field,
        processing_days_text(p.processing_days).replace('.', ",")
    )
}

/// A scan refused, in the clerk's words (sizes in KB or MB, not bytes).
pub fn file_refusal(e: &FileError, limit: u64) -> String {
    match e {
        FileError::TooLarge { name, size, .. } => format!(
            "Tệp «{name}» ({}) vượt giới hạn {} cho một tệp; quét lại với độ phân giải thấp hơn.",
            size_text(*size),
            size_text(limit)
        ),
        FileError::Empty(name) => format!("Tệp «{name}» rỗng; chọn lại tệp."),
        FileError::Forbidden(name) => {
            format!("Tệp «{name}» không phải loại được nhận; chỉ nhận bản quét PDF, JPEG hoặc PNG.")
        }
        FileError::Io { .. } => "Không lưu được bản quét; thử lại.".to_owned(),
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A component line of the form, with its problems.
pub struct LineView {
    pub index: usize,
    pub number: usize,
    pub name: String,
    pub originals: String,
    pub copies: String,
    pub scan: Option<KeptScan>,
    pub name_error: String,
    pub originals_error: String,
    pub copies_error: String,
    pub scan_error: String,
}

#[derive(Template)]
#[template(path = "reception/receive.html")]
struct FormPage<'a> {
    nav: Nav,
    typed: &'a Typed,
    procedures: Vec<Choice>,
    units: Vec<UnitOption>,
    channels: Vec<Choice>,
    levels: Vec<Choice>,
    online: bool,
    lines: Vec<LineView>,
    /// Every problem, in the order of the form, for the summary at the top.
    summary: Vec<(String, String)>,
    errors: &'a Errors,
    max_mb: u64,
}

impl FormPage<'_> {
    /// The problem of a field, `""` when none.
    fn err(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }
}

/// The order of the fields on the form, for the summary of problems.
fn field_rank(field: &str) -> (usize, usize) {
    const ORDER: &[&str] = &[
        "procedure",
        "unit",
        "channel",
        "online_level",
        "fee_vnd",
        "applicant_name",
        "applicant_id",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "request",
        "components",
    ];
    if let Some(i) = ORDER.iter().position(|f| *f == field) {
        return (i, 0);
    }
    let line = field
        .rsplit('_')
        .next()
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    (ORDER.len(), line + 1)
}

fn choices(list: &[(&str, &str)], selected: &str) -> Vec<Choice> {
    list.iter()
        .map(|(value, label)| Choice {
            value: (*value).to_owned(),
            label: (*label).to_owned(),
            selected: *value == selected,
        })
        .collect()
}

/// The form, as typed, with every problem of `errors`.
pub fn form_page(
    state: &AppState,
    authed: &Authed,
    tree: &UnitTree,
    procedures: &[Procedure],
    typed: &Typed,
    errors: &Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let unit = UnitCode::parse(&typed.unit).unwrap_or_else(|_| authed.principal.unit.clone());
    let err = |f: String| errors.get(&f).cloned().unwrap_or_default();
    let mut summary: Vec<(String, String)> =
        errors.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    summary.sort_by_key(|(k, _)| field_rank(k));
    let lines = typed
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| LineView {
            index: i,
            number: i + 1,
            name: l.name.clone(),
            originals: l.originals.clone(),
            copies: l.copies.clone(),
            scan: l.scan.clone(),
            name_error: err(format!("component_{i}")),
            originals_error: err(format!("originals_{i}")),
            copies_error: err(format!("copies_{i}")),
            scan_error: err(format!("scan_{i}")),
        })
        .collect();
    let page = FormPage {
        nav: Nav::new(authed, tree),
        typed,
        procedures: procedures
            .iter()
            .map(|p| Choice {
                value: p.code.to_string(),
                label: procedure_label(p),
                selected: p.code.as_str() == typed.procedure,
            })
            .collect(),
        units: unit_options(tree, &authed.principal.unit, &unit),
        channels: choices(CHANNELS, &typed.channel),
        levels: choices(LEVELS, &typed.online_level),
        online: typed.channel == "online",
        lines,
        summary,
        errors,
        max_mb: state.files.max_bytes().div_ceil(1024 * 1024),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// A line of the review page's checklist.
pub struct ReviewLine {
    pub number: usize,
    pub name: String,
    pub originals: u32,
    pub copies: u32,
    pub scan: String,
}

#[derive(Template)]
#[template(path = "reception/review.html")]
struct ReviewPage<'a> {
    nav: Nav,
    typed: &'a Typed,
    procedure: String,
    procedure_code: String,
    field: String,
    unit: String,
    channel: String,
    due: String,
    fee: String,
    lines: Vec<ReviewLine>,
    /// The form's fields, carried to the confirmation (and back to the form on "Sửa lại").
    hidden: Vec<(String, String)>,
}

/// Every field of the form as `(name, value)`, for the review page's hidden inputs.
fn hidden_fields(typed: &Typed) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = [
        ("token", &typed.token),
        ("procedure", &typed.procedure),
        ("unit", &typed.unit),
        ("channel", &typed.channel),
        ("online_level", &typed.online_level),
        ("fee_vnd", &typed.fee),
        ("applicant_name", &typed.applicant_name),
        ("applicant_id", &typed.applicant_id),
        ("applicant_address", &typed.applicant_address),
        ("applicant_phone", &typed.applicant_phone),
        ("applicant_email", &typed.applicant_email),
        ("request", &typed.request),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    out.push(("lines".to_owned(), typed.lines.len().to_string()));
    for (i, l) in typed.lines.iter().enumerate() {
        out.push((format!("component_{i}"), l.name.clone()));
        out.push((format!("originals_{i}"), l.originals.clone()));
        out.push((format!("copies_{i}"), l.copies.clone()));
        if let Some(s) = &l.scan {
            out.push((format!("scan_hash_{i}"), s.sha256.clone()));
            out.push((format!("scan_name_{i}"), s.file_name.clone()));
        }
    }
    out
}

/// The review page: every answer, the appointment the calendar gives now, and the two
/// buttons.
pub async fn review_page(
    state: &AppState,
    authed: &Authed,
    tree: &UnitTree,
    procedure: &Procedure,
    typed: &Typed,
    reception: &Reception,
) -> Result<Response, PageError> {
    let unit_code = UnitCode::parse(&typed.unit).unwrap_or_else(|_| authed.principal.unit.clone());
    let unit = tree
        .get(&unit_code)
        .ok_or_else(|| crate::error::unknown_unit(unit_code.as_str()))?;
    let calendars = motcua_app::calendar::load(&state.store).await?;
    let due = calendars
        .due_at(authed.ctx().at, procedure, unit)
        .map_err(AppError::Calendar)?;
    let channel = match reception.channel {
        Channel::Direct => CHANNELS[0].1.to_owned(),
        Channel::Postal => CHANNELS[1].1.to_owned(),
        Channel::Online => format!(
            "{} ({})",
            CHANNELS[2].1,
            match reception.online_level {
                Some(SubmissionLevel::Partial) => "một phần",
                _ => "toàn trình",
            }
        ),
    };
    let mut named = typed.lines.iter().filter(|l| !l.name.is_empty());
    let lines = reception
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| ReviewLine {
            number: i + 1,
            name: c.name.clone(),
            originals: c.originals,
            copies: c.copies,
            scan: named
                .next()
                .and_then(|l| l.scan.as_ref())
                .map(|s| s.file_name.clone())
                .unwrap_or_default(),
        })
        .collect();
    let fee = if reception.fee_vnd == 0 {
        "Không thu".to_owned()
    } else {
        format!(
            "{} ({})",
            motcua_core::money::vnd_in_figures(reception.fee_vnd),
            motcua_core::money::vnd_in_words(reception.fee_vnd)
        )
    };
    let page = ReviewPage {
        nav: Nav::new(authed, tree),
        typed,
        procedure: procedure.name.clone(),
        procedure_code: procedure.code.to_string(),
        field: procedure.field.clone(),
        unit: unit_label(tree, &unit_code),
        channel,
        due: motcua_core::display::local_time(due),
        fee,
        lines,
        hidden: hidden_fields(typed),
    };
    Ok((StatusCode::OK, Html(page.render()?)).into_response())
}
