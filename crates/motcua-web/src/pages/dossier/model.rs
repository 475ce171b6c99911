//! The dossier page's view model: the dossier, its scans, payment and e-receipt, the clock's
//! pauses, its history and the steps the officer may take, as the strings the template prints.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk;
use motcua_core::access::Action;
use motcua_core::details::{Applicant, Component};
use motcua_core::dossier::{Channel, Outcome, PaymentChannel};
use motcua_core::history::EventDetail;
use motcua_core::lifecycle::{Decision, Status, Step};
use motcua_core::money;
use motcua_core::unit::UnitKind;

use super::actions::{Actions, StepRow, actions, assignee_options};
use super::step_form::{FieldError, StepForm};

use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, UnitOption, local_time, size_text, timeline, unit_label};

/// A step form refused: what was typed and why, beside its fields.
pub(super) type Refused<'a> = Option<(&'a StepForm, Vec<FieldError>)>;
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
    /// The label of `resolved`: settled, or withdrawn.
    resolved_label: &'static str,
    /// The specialist handling it, by full name; the proposal waiting for the leader.
    assignee: String,
    proposal: String,
    components: String,
    fee: String,
    fee_words: String,
    applicant: Applicant,
    /// Who submitted it for the applicant under an authorisation paper (người nộp thay), by
    /// name; empty when the applicant submitted it.
    representative: String,
    request: String,
    has_details: bool,
    component_rows: Vec<ComponentRow>,
    result_scan: Option<ComponentRow>,
    /// Component scans may be uploaded (not on a withdrawn dossier).
    may_upload: bool,
    may_attach_result: bool,
    /// Reception may still correct the record (received, not taken up).
    may_correct: bool,
    max_mb: u64,
    /// Payment: what was paid and how, empty when not (yet) paid.
    paid: String,
    can_pay: bool,
    /// "Chuyển khoản qua mã VietQR", while the fee is due and the unit has an account.
    bank_transfer: Option<super::transfer::TransferBox>,
    receipt: String,
    can_issue_receipt: bool,
    /// The online payment attempts (the ledger), oldest first.
    attempts: Vec<super::refund::AttemptRow>,
    /// The citizen's rating (issue 19): what and where, the comment; or, once the result
    /// exists and before it, the rating link to give the citizen.
    rating: String,
    rating_comment: String,
    rating_link: String,
    form_symbol: String,
    series: String,
    /// The fee kind proposed (`fee`, `charge`): the unit's last, else lệ phí.
    fee_kind: &'static str,
    slips: Vec<(&'static str, &'static str)>,
    pauses: Vec<(String, String, String)>,
    events: Vec<EventRow>,
    steps: Vec<StepRow>,
    transfer: Option<StepRow>,
    apology_form: Option<StepRow>,
    assignees: Vec<(String, String, bool)>,
    departments: Vec<UnitOption>,
    communes: Vec<UnitOption>,
    /// The appointment explained step by step (the calendar's explanation).
    due_explained: Vec<String>,
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

/// The rating of a dossier as the page shows it: (rating, comment, link to rate). The link
/// (a path: the officer's browser completes it) only once the result exists and while the
/// dossier is not rated.
async fn rating_of(
    state: &AppState,
    d: &motcua_core::dossier::Dossier,
    at: motcua_core::Timestamp,
) -> Result<(String, String, String), PageError> {
    if d.rating.is_some() {
        let given = state
            .store
            .dossier_rating(&d.code)
            .await
            .map_err(AppError::from)?;
        return Ok(given.map_or_else(Default::default, |g| {
            (
                format!(
                    "{} (đánh giá {} lúc {})",
                    g.rating.label_vi(),
                    g.channel.label_vi(),
                    local_time(g.rated_at)
                ),
                g.comment.as_str().to_owned(),
                String::new(),
            )
        }));
    }
    if motcua_core::rating::may_rate(d).is_err() {
        return Ok(Default::default());
    }
    let token = motcua_app::ratings::rating_token(&state.store, &d.code, at).await?;
    Ok((
        "Chưa đánh giá".to_owned(),
        String::new(),
        format!("/rate/{}?t={token}", d.code),
    ))
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
    refused: Refused<'_>,
) -> Result<Response, PageError> {
    dossier_page_with(state, authed, code, status, error, refused, false).await
}

/// [`dossier_page`], saying that the dossier has just been received when `received`.
pub(super) async fn dossier_page_with(
    state: &AppState,
    authed: &Authed,
    code: &str,
    status: StatusCode,
    error: &str,
    refused: Refused<'_>,
    received: bool,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let h = desk::get(&state.store, &authed.principal, code).await?;
    let d = &h.dossier;
    let procedure = desk::procedure(&state.store, &d.procedure_code)
        .await
        .map_or_else(|_| d.procedure_code.to_string(), |p| p.name);
    let l = &h.lifecycle;
    let specialists = desk::specialists(&state.store, &l.handling_unit).await?;
    let specialist_names: std::collections::HashMap<String, String> = specialists
        .iter()
        .map(|s| (s.username.clone(), s.display_name.clone()))
        .collect();
    let result_scanned = h.details.as_ref().is_some_and(|x| x.result_scan.is_some());
    let withdrawn = l.status == Status::Withdrawn;
    let explained = motcua_app::calendar::explain_dossier(&state.store, d.code.as_str())
        .await
        .map(|e| e.lines())
        .unwrap_or_default();
    // The apology is offered while it can still be sent in time (at least one working day
    // before the appointment) and the appointment is within three working days.
    let apology_due = if l.apology.is_none() && !l.status.is_settled() && d.due_at > authed.at {
        let calendars = motcua_app::calendar::load(&state.store).await?;
        match tree.get(&d.unit_code) {
            Some(u) => calendars
                .working_days_after(authed.at, 3, u)
                .is_ok_and(|soon| d.due_at <= soon),
            None => false,
        }
    } else {
        false
    };
    let typed_assignee = refused
        .as_ref()
        .map(|r| r.0.assignee.clone())
        .unwrap_or_default();
    let typed_to = refused.as_ref().map(|r| r.0.to.clone()).unwrap_or_default();
    let Actions {
        main,
        transfer,
        apology: apology_form,
    } = actions(&authed.principal, l, result_scanned, apology_due, refused);
    let events = state
        .store
        .dossier_events(&d.code)
        .await
        .map_err(AppError::from)?;
    let names = timeline::names(&state.store, &tree, &events, &[]).await?;
    let slips = slips_of(&h, &events);
    let transferred = events
        .iter()
        .any(|e| matches!(&e.detail, EventDetail::PaymentRecorded(p) if p.bank_transfer.is_some()));
    let events = events
        .iter()
        .map(|e| EventRow {
            at: local_time(e.at),
            actor: timeline::who(&names, e),
            what: match &e.detail {
                // The destination and the specialist by their names.
                EventDetail::Step(s) => match &s.step {
                    Step::Transfer { to, reason } => {
                        format!("Chuyển liên thông đến {}: {reason}", unit_label(&tree, to))
                    }
                    Step::Assign { to } => format!(
                        "Chuyển xử lý cho chuyên viên {}",
                        specialist_names
                            .get(to)
                            .cloned()
                            .unwrap_or_else(|| to.clone())
                    ),
                    _ => timeline::describe(e),
                },
                _ => timeline::describe(e),
            },
        })
        .collect();
    let receipt = state
        .store
        .dossier_receipts(&d.code)
        .await
        .map_err(AppError::from)?
        .pop();
    let may_receive = authed.principal.may(Action::ReceiveDossier);
    let may_decide =
        authed.principal.may(Action::ProposeResult) || authed.principal.may(Action::ApproveDossier);
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
    let can_pay = may_receive && d.fee_vnd > 0 && d.paid_at.is_none();
    let bank_transfer = if can_pay {
        super::transfer::transfer_box(state, &tree, d).await?
    } else {
        None
    };
    let attempts =
        super::refund::attempts(&state.store, &d.code, super::refund::may_refund(authed)).await?;
    let (rating, rating_comment, rating_link) = rating_of(state, d, authed.at).await?;
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
        resolved_label: if withdrawn {
            "Rút hồ sơ lúc"
        } else {
            "Giải quyết xong lúc"
        },
        assignee: l
            .assignee
            .as_ref()
            .map(|a| {
                specialist_names
                    .get(a)
                    .cloned()
                    .unwrap_or_else(|| a.clone())
            })
            .unwrap_or_default(),
        proposal: l
            .proposal
            .as_ref()
            .map(|p| match p.decision {
                Decision::Approve => format!("Cấp kết quả (trình lúc {})", local_time(p.at)),
                Decision::Reject => format!(
                    "Từ chối giải quyết: {} (trình lúc {})",
                    p.reason,
                    local_time(p.at)
                ),
            })
            .unwrap_or_default(),
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
        representative: details
            .representative
            .as_ref()
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        request: details.request.clone(),
        may_upload: may_receive && !withdrawn,
        // The result's scan: once a result exists, or while one is being proposed.
        may_attach_result: h.details.is_some()
            && !result_scanned
            && (d.outcome == Some(Outcome::Approved) && (may_receive || may_decide)
                || matches!(l.status, Status::InProcessing | Status::AwaitingApproval)
                    && may_decide),
        may_correct: may_receive && l.status == Status::Received && h.details.is_some(),
        max_mb: state.files.max_bytes().div_ceil(1024 * 1024),
        paid: match (d.paid_at, d.payment_channel) {
            (Some(at), Some(PaymentChannel::Online)) => {
                format!("Đã nộp trực tuyến lúc {}", local_time(at))
            }
            (Some(at), _) if transferred => {
                format!("Đã nộp bằng chuyển khoản lúc {}", local_time(at))
            }
            (Some(at), _) => format!("Đã nộp tại Bộ phận Một cửa lúc {}", local_time(at)),
            _ if d.fee_vnd > 0 => "Chưa nộp".to_owned(),
            _ => "Không thu phí, lệ phí".to_owned(),
        },
        can_pay,
        bank_transfer,
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
        attempts,
        rating,
        rating_comment,
        rating_link,
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
        steps: main,
        transfer,
        apology_form,
        assignees: assignee_options(&specialists, l, &typed_assignee),
        departments: transfer_options(&tree, l, &typed_to, true),
        communes: transfer_options(&tree, l, &typed_to, false),
        due_explained: explained,
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

/// The units a transfer may go to: departments (`departments`) or the others, by name.
fn transfer_options(
    tree: &motcua_core::unit::UnitTree,
    l: &motcua_core::lifecycle::Lifecycle,
    typed: &str,
    departments: bool,
) -> Vec<UnitOption> {
    tree.iter_preorder()
        .filter(|u| u.code != l.handling_unit && (u.kind == UnitKind::Department) == departments)
        .map(|u| UnitOption {
            code: u.code.to_string(),
            name: format!("{} {}", u.label, u.short_name),
            selected: u.code.as_str() == typed,
        })
        .collect()
}
