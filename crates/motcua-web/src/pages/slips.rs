//! Printable slips of a dossier (TT 01/2018/TT-VPCP, docs/research/regulations.md §5): the
//! receipt-and-appointment slip with a QR code of the dossier code (Mẫu 01), the supplement
//! request (Mẫu 02), the refusal (Mẫu 03), the apology with a new appointment (Mẫu 04), the
//! processing control sheet (Mẫu 05); and the fee's e-receipt.
//!
//! Each is a standalone A4 page in the administrative layout (national motto on the right,
//! the unit on the left, Times New Roman), printed by the browser.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk::{self, Handled};
use motcua_core::access::Action;
use motcua_core::audit::Actor;
use motcua_core::details::Details;
use motcua_core::dossier::{Outcome, PaymentChannel, Timeliness};
use motcua_core::history::{EventDetail, EventKind};
use motcua_core::lifecycle::{PauseKind, StepKind};
use motcua_core::unit::UnitTree;
use motcua_core::{Timestamp, money};

use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{local_time, timeline};
use crate::{AppState, Authed, WebError};

/// A printable slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slip {
    /// Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    Reception,
    /// Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    Supplement,
    /// Mẫu 03: Phiếu từ chối tiếp nhận, giải quyết hồ sơ.
    Refusal,
    /// Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả.
    Apology,
    /// Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ.
    Control,
}

impl Slip {
    pub const ALL: [Slip; 5] = [
        Slip::Reception,
        Slip::Supplement,
        Slip::Refusal,
        Slip::Apology,
        Slip::Control,
    ];

    /// Its path segment under `/dossiers/{code}/slips/`.
    pub fn path(self) -> &'static str {
        match self {
            Slip::Reception => "tiep-nhan",
            Slip::Supplement => "bo-sung",
            Slip::Refusal => "tu-choi",
            Slip::Apology => "xin-loi",
            Slip::Control => "kiem-soat",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Slip::Reception => "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            Slip::Supplement => "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            Slip::Refusal => "Phiếu từ chối giải quyết hồ sơ",
            Slip::Apology => "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            Slip::Control => "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        }
    }

    fn form_number(self) -> &'static str {
        match self {
            Slip::Reception => "01",
            Slip::Supplement => "02",
            Slip::Refusal => "03",
            Slip::Apology => "04",
            Slip::Control => "05",
        }
    }

    /// Whether the dossier, in its state, has this slip.
    pub fn applies(self, h: &Handled) -> bool {
        match self {
            Slip::Reception | Slip::Control => true,
            Slip::Supplement => h
                .lifecycle
                .pauses
                .iter()
                .any(|p| p.kind == PauseKind::Supplement),
            Slip::Refusal => h.dossier.outcome == Some(Outcome::Rejected),
            Slip::Apology => h.lifecycle.apology.is_some(),
        }
    }

    fn of_path(path: &str) -> Option<Slip> {
        Slip::ALL.into_iter().find(|s| s.path() == path)
    }
}

/// The QR code of a text as inline SVG.
fn qr_svg(text: &str) -> Result<String, WebError> {
    let code =
        qrcode::QrCode::new(text.as_bytes()).map_err(|e| WebError::Internal(format!("QR: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(110, 110)
        .quiet_zone(true)
        .build())
}

/// `08 giờ 30 phút, ngày 20/5/2024` as the forms write it.
fn form_time(t: Timestamp) -> String {
    let l = t.to_local();
    format!(
        "{:02} giờ {:02} phút, ngày {:02}/{:02}/{}",
        l.hour(),
        l.minute(),
        l.day(),
        l.month() as u8,
        l.year()
    )
}

/// `Vĩnh Khê, ngày 20 tháng 5 năm 2024`.
fn place_and_date(place: &str, t: Timestamp) -> String {
    let d = t.local_date();
    format!(
        "{place}, ngày {:02} tháng {:02} năm {}",
        d.day(),
        d.month() as u8,
        d.year()
    )
}

struct ControlRow {
    at: String,
    unit: String,
    actor: String,
    what: String,
}

#[derive(Template)]
#[template(path = "slip.html")]
struct SlipPage {
    kind: &'static str,
    form_number: &'static str,
    title: &'static str,
    /// The unit in capitals for the header, and as written in sentences.
    agency: String,
    agency_name: String,
    place_date: String,
    code: String,
    qr: String,
    /// What the QR code holds: the tracking page's address with the code.
    qr_url: String,
    processing_days: String,
    details: Details,
    received: String,
    due: String,
    handling_unit: String,
    receiver: String,
    /// Supplement, refusal, apology: why.
    reason: String,
    /// Apology: the new appointment.
    new_due: String,
    control: Vec<ControlRow>,
    result: String,
}

/// `GET /dossiers/{code}/slips/{kind}`: a printable slip.
pub async fn slip(
    State(state): State<AppState>,
    authed: Authed,
    headers: axum::http::HeaderMap,
    Path((code, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let slip = Slip::of_path(&kind)
        .ok_or_else(|| WebError::NotFound(format!("không có mẫu phiếu «{kind}»")))?;
    let tree = tree(&state.store).await?;
    let h = desk::get(&state.store, &authed.principal, &code).await?;
    if !slip.applies(&h) {
        return Err(WebError::NotFound(format!(
            "hồ sơ «{code}» không có {}",
            slip.title().to_lowercase()
        ))
        .into());
    }
    let d = &h.dossier;
    let procedure = desk::procedure(&state.store, &d.procedure_code).await?;
    let events = state
        .store
        .dossier_events(&d.code)
        .await
        .map_err(AppError::from)?;
    let unit = tree
        .get(&d.unit_code)
        .ok_or_else(|| AppError::UnknownUnit(d.unit_code.to_string()))?;
    let names = timeline::names(&state.store, &tree, &events, &[]).await?;
    let receiver = events
        .iter()
        .find(|e| e.kind() == EventKind::Received)
        .map(|e| match Actor::parse(&e.actor) {
            // Above the signature: the officer's full name, or nothing to write by hand.
            Actor::User(_) => names.person(&e.actor).unwrap_or_default().to_owned(),
            _ => timeline::who(&names, e),
        })
        .unwrap_or_default();
    let last_step_reason = |kind: StepKind| {
        events
            .iter()
            .rev()
            .filter_map(|e| match &e.detail {
                EventDetail::Step(s) if s.step.kind() == kind => s.step.reason(),
                _ => None,
            })
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let (reason, new_due, dated) = match slip {
        Slip::Supplement => {
            let pause = h
                .lifecycle
                .pauses
                .iter()
                .rev()
                .find(|p| p.kind == PauseKind::Supplement);
            (
                pause.map(|p| p.reason.clone()).unwrap_or_default(),
                String::new(),
                pause.map_or(d.received_at, |p| p.from),
            )
        }
        Slip::Refusal => (
            last_step_reason(StepKind::Reject),
            String::new(),
            d.resolved_at.unwrap_or(d.received_at),
        ),
        Slip::Apology => match &h.lifecycle.apology {
            Some(a) => (a.reason.clone(), form_time(a.new_due), a.at),
            None => (String::new(), String::new(), d.received_at),
        },
        Slip::Reception | Slip::Control => (String::new(), String::new(), d.received_at),
    };
    let control = events
        .iter()
        .filter_map(|e| {
            timeline::control_line(e).map(|(unit, what)| ControlRow {
                at: local_time(e.at),
                unit: unit_name(&tree, unit.unwrap_or(&d.unit_code)),
                actor: timeline::who(&names, e),
                what,
            })
        })
        .collect();
    let result = match d.resolved_at {
        Some(at) => match motcua_core::dossier::timeliness(at, d.due_at) {
            Timeliness::Early => "Trước hạn",
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Quá hạn",
        }
        .to_owned(),
        None => "Đang giải quyết".to_owned(),
    };
    let qr_url = crate::public::track::tracking_url(&state, &headers, &d.code);
    let page = SlipPage {
        kind: slip.path(),
        form_number: slip.form_number(),
        title: slip.title(),
        agency: unit.name.to_uppercase(),
        agency_name: unit.name.clone(),
        place_date: place_and_date(&unit.short_name, dated),
        code: d.code.to_string(),
        // The applicant's phone opens the tracking page with the code filled in.
        qr: qr_svg(&qr_url)?,
        qr_url,
        processing_days: motcua_core::procedure::processing_days_text(procedure.processing_days)
            .replace('.', ","),
        details: papers_for(&authed, h.details.clone().unwrap_or_default()),
        received: form_time(d.received_at),
        due: form_time(d.due_at),
        handling_unit: unit_name(&tree, &h.lifecycle.handling_unit),
        receiver,
        reason,
        new_due,
        control,
        result,
    };
    Ok(Html(page.render().map_err(WebError::from)?).into_response())
}

/// The applicant's details as the principal may read them: without the ID number for the
/// view-only role.
fn papers_for(authed: &Authed, mut details: Details) -> Details {
    if !authed.principal.may(Action::ViewPersonalData) {
        details.applicant.id_number = String::new();
    }
    details
}

fn unit_name(tree: &UnitTree, code: &motcua_core::unit::UnitCode) -> String {
    tree.get(code)
        .map_or_else(|| code.to_string(), |u| u.name.clone())
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    agency: String,
    place_date: String,
    form_symbol: String,
    series: String,
    number: String,
    code: String,
    qr: String,
    payer: String,
    address: String,
    item: String,
    amount: String,
    amount_words: String,
    channel: &'static str,
    issued_by: String,
    issued_at: String,
}

/// `GET /dossiers/{code}/receipt`: the dossier's e-receipt, printable.
pub async fn receipt(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let h = desk::get(&state.store, &authed.principal, &code).await?;
    let r = state
        .store
        .dossier_receipts(&h.dossier.code)
        .await
        .map_err(AppError::from)?
        .pop()
        .ok_or_else(|| WebError::NotFound(format!("hồ sơ «{code}» chưa có biên lai")))?;
    let procedure = desk::procedure(&state.store, &h.dossier.procedure_code).await?;
    let unit = tree
        .get(&r.unit)
        .ok_or_else(|| AppError::UnknownUnit(r.unit.to_string()))?;
    let details = h.details.unwrap_or_default();
    let names = timeline::names(&state.store, &tree, &[], &[r.issued_by.as_str()]).await?;
    let page = ReceiptPage {
        agency: unit.name.to_uppercase(),
        place_date: place_and_date(&unit.short_name, r.issued_at),
        form_symbol: r.form_symbol.clone(),
        series: r.series.clone(),
        number: r.number_text(),
        code: r.dossier.to_string(),
        qr: qr_svg(&format!("{}|{}|{}", r.series, r.number_text(), r.dossier))?,
        payer: details.applicant.name,
        address: details.applicant.address,
        item: format!("Phí, lệ phí thủ tục «{}»", procedure.name),
        amount: money::vnd_in_figures(r.amount_vnd),
        amount_words: money::vnd_in_words(r.amount_vnd),
        channel: match r.payment_channel {
            PaymentChannel::Online => "Trực tuyến (Cổng Dịch vụ công)",
            PaymentChannel::Offline => "Tiền mặt, chuyển khoản tại Bộ phận Một cửa",
        },
        issued_by: names.label(&r.issued_by, None),
        issued_at: form_time(r.issued_at),
    };
    Ok(Html(page.render().map_err(WebError::from)?).into_response())
}
