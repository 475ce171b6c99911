//! The dossier page's view model: the dossier, its scans, payment and e-receipt, the clock's
//! pauses, its history and the steps the officer may take, as the strings the template prints.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk;
use motcua_core::access::Action;
use motcua_core::details::{Applicant, Component};
use motcua_core::dossier::{Channel, PaymentChannel};
use motcua_core::lifecycle::StepKind;
use motcua_core::money;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, UnitOption, local_time, size_text, timeline, unit_label};
use crate::{AppState, Authed};

struct EventRow {
    at: String,
    actor: String,
    what: String,
}

struct ComponentRow {
    number: usize,
    name: String,
    originals: u32,
    copies: u32,
    /// The scan's link, name and size; empty when not digitized.
    scan_url: String,
    scan_name: String,
    scan_size: String,
}

struct StepRow {
    /// The `step` the form sends.
    step: &'static str,
    label: String,
    needs_reason: bool,
    /// A transfer: the form asks for the unit.
    takes_unit: bool,
    /// An apology: the form asks for the new appointment.
    takes_new_due: bool,
    /// An approval: the form asks whether the result is digitized.
    takes_result_digitized: bool,
}

#[derive(Template)]
#[template(path = "dossier/dossier.html")]
struct DossierPage {
    nav: Nav,
    code: String,
    procedure: String,
    unit: String,
    handling_unit: String,
    status: &'static str,
    channel: &'static str,
    received: String,
    due: String,
    resolved: String,
    components: String,
    fee: String,
    fee_words: String,
    applicant: Applicant,
    request: String,
    has_details: bool,
    component_rows: Vec<ComponentRow>,
    result_scan: Option<ComponentRow>,
    may_receive: bool,
    may_attach_result: bool,
    max_mb: u64,
    /// Payment: what was paid and how, empty when not (yet) paid.
    paid: String,
    can_pay: bool,
    receipt: String,
    can_issue_receipt: bool,
    form_symbol: String,
    series: String,
    /// The fee kind proposed (`fee`, `charge`): the unit's last, else lệ phí.
    fee_kind: &'static str,
    slips: Vec<(&'static str, &'static str)>,
    pauses: Vec<(String, String, String)>,
    events: Vec<EventRow>,
    steps: Vec<StepRow>,
    transfer_units: Vec<UnitOption>,
    apology: String,
    error: String,
    /// The notice after the reception form's confirmation (empty otherwise).
    notice: String,
}

fn scan_row(code: &str, number: usize, c: &Component, may_open: bool) -> ComponentRow {
    let (scan_url, scan_name, scan_size) = match &c.scan {
        // The view-only role sees that a paper is digitized, not the paper.
        Some(s) if !may_open => (String::new(), "Bản quét".to_owned(), size_text(s.size)),
        Some(s) => (
            format!("/dossiers/{code}/files/{}", s.sha256),
            s.file_name.clone(),
            size_text(s.size),
        ),
        None => Default::default(),
    };
    ComponentRow {
        number,
        name: c.name.clone(),
        originals: c.originals,
        copies: c.copies,
        scan_url,
        scan_name,
        scan_size,
    }
}

/// The printable slips of a dossier in its state: (path segment, title).
fn slips_of(
    h: &desk::Handled,
    events: &[motcua_core::history::DossierEvent],
) -> Vec<(&'static str, &'static str)> {
    crate::pages::slips::available(h, events)
}

pub(super) async fn dossier_page(
    state: &AppState,
    authed: &Authed,
    code: &str,
    status: StatusCode,
    error: &str,
) -> Result<Response, PageError> {
    dossier_page_with(state, authed, code, status, error, false).await
}

/// [`dossier_page`], saying that the dossier has just been received when `received`.
pub(super) async fn dossier_page_with(
    state: &AppState,
    authed: &Authed,
    code: &str,
    status: StatusCode,
    error: &str,
    received: bool,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let h = desk::get(&state.store, &authed.principal, code).await?;
    let d = &h.dossier;
    let procedure = desk::procedure(&state.store, &d.procedure_code)
        .await
        .map_or_else(|_| d.procedure_code.to_string(), |p| p.name);
    let events = state
        .store
        .dossier_events(&d.code)
        .await
        .map_err(AppError::from)?;
    let names = timeline::names(&state.store, &tree, &events, &[]).await?;
    let slips = slips_of(&h, &events);
    let events = events
        .iter()
        .map(|e| EventRow {
            at: local_time(e.at),
            actor: timeline::who(&names, e),
            what: timeline::describe(e),
        })
        .collect();
    let receipt = state
        .store
        .dossier_receipts(&d.code)
        .await
        .map_err(AppError::from)?
        .pop();
    let may_receive = authed.principal.may(Action::ReceiveDossier);
    let can_issue_receipt = may_receive && d.paid_at.is_some() && receipt.is_none();
    // The receipt form's proposal is read only when the form is shown.
    let series = if can_issue_receipt {
        desk::receipt_series(&state.store, &d.unit_code, authed.at).await?
    } else {
        desk::ReceiptSeries {
            form_symbol: String::new(),
            series: String::new(),
            fee_kind: None,
        }
    };
    let code_text = d.code.to_string();
    let details = h.details.clone().unwrap_or_default();
    let may_see_papers = authed.principal.may(Action::ViewPersonalData);
    let page = DossierPage {
        nav: Nav::new(authed, &tree),
        code: code_text.clone(),
        procedure,
        unit: unit_label(&tree, &d.unit_code),
        handling_unit: unit_label(&tree, &h.lifecycle.handling_unit),
        status: h.lifecycle.status.name_vi(),
        channel: match d.channel {
            Channel::Direct => "Trực tiếp",
            Channel::Postal => "Qua bưu chính công ích",
            Channel::Online => "Trực tuyến",
        },
        received: local_time(d.received_at),
        due: local_time(d.due_at),
        resolved: d.resolved_at.map(local_time).unwrap_or_default(),
        components: format!(
            "{} thành phần, đã số hóa {}",
            d.components_total, d.components_digitized
        ),
        fee: money::vnd_in_figures(d.fee_vnd),
        fee_words: money::vnd_in_words(d.fee_vnd),
        has_details: h.details.is_some(),
        component_rows: details
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| scan_row(&code_text, i + 1, c, may_see_papers))
            .collect(),
        result_scan: details.result_scan.as_ref().map(|s| {
            scan_row(
                &code_text,
                0,
                &Component {
                    name: "Kết quả giải quyết".to_owned(),
                    originals: 0,
                    copies: 0,
                    scan: Some(s.clone()),
                },
                may_see_papers,
            )
        }),
        applicant: Applicant {
            id_number: if may_see_papers {
                details.applicant.id_number.clone()
            } else {
                String::new()
            },
            ..details.applicant.clone()
        },
        request: details.request.clone(),
        may_receive,
        may_attach_result: h.details.is_some()
            && (may_receive || authed.principal.may(Action::ProcessDossier)),
        max_mb: state.files.max_bytes().div_ceil(1024 * 1024),
        paid: match (d.paid_at, d.payment_channel) {
            (Some(at), Some(PaymentChannel::Online)) => {
                format!("Đã nộp trực tuyến lúc {}", local_time(at))
            }
            (Some(at), _) => format!("Đã nộp tại Bộ phận Một cửa lúc {}", local_time(at)),
            _ if d.fee_vnd > 0 => "Chưa nộp".to_owned(),
            _ => "Không thu phí, lệ phí".to_owned(),
        },
        can_pay: may_receive && d.fee_vnd > 0 && d.paid_at.is_none(),
        receipt: receipt
            .as_ref()
            .map(|r| {
                format!(
                    "Số {} (ký hiệu {}, mẫu {})",
                    r.number_text(),
                    r.series,
                    r.form_symbol
                )
            })
            .unwrap_or_default(),
        can_issue_receipt,
        form_symbol: series.form_symbol,
        series: series.series,
        fee_kind: match series.fee_kind {
            Some(motcua_core::fees::FeeKind::Fee) => "fee",
            _ => "charge",
        },
        slips,
        pauses: h
            .lifecycle
            .pauses
            .iter()
            .map(|p| {
                (
                    p.kind.name_vi().to_owned(),
                    format!(
                        "{} – {}",
                        local_time(p.from),
                        p.to.map(local_time)
                            .unwrap_or_else(|| "đang dừng".to_owned())
                    ),
                    p.reason.clone(),
                )
            })
            .collect(),
        events,
        steps: desk::possible_steps(&authed.principal, &h.lifecycle)
            .iter()
            .map(|&k| StepRow {
                step: k.as_str(),
                label: timeline::step_label(k),
                needs_reason: k.needs_reason(),
                takes_unit: k == StepKind::Transfer,
                takes_new_due: k == StepKind::Apologize,
                takes_result_digitized: k == StepKind::Approve,
            })
            .collect(),
        transfer_units: tree
            .iter_preorder()
            .filter(|u| u.code != h.lifecycle.handling_unit)
            .map(|u| UnitOption {
                code: u.code.to_string(),
                name: format!("{} {}", u.label, u.short_name),
                selected: false,
            })
            .collect(),
        apology: h
            .lifecycle
            .apology
            .as_ref()
            .map(|a| {
                format!(
                    "Đã gửi phiếu xin lỗi lúc {}, hẹn lại {}: {}",
                    local_time(a.at),
                    local_time(a.new_due),
                    a.reason
                )
            })
            .unwrap_or_default(),
        error: error.to_owned(),
        notice: if received {
            format!(
                "Đã tiếp nhận hồ sơ {}; hẹn trả kết quả {}. In giấy tiếp nhận (Mẫu 01) để giao người nộp.",
                d.code,
                local_time(d.due_at)
            )
        } else {
            String::new()
        },
    };
    Ok((status, Html(page.render()?)).into_response())
}
