//! The hand-over table of the control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ:
//! Mẫu 05 of Circular 01/2018, Mẫu 06 of Circular 03/2025), built from the dossier's history.
//!
//! Each event of the history may give a row ([`row_of`]: one match over [`EventDetail`], so a
//! new kind of event is one more arm and its row, nothing else): the body that gave or
//! received the dossier, when and by whom, the result of that body's part (trước hạn, đúng hạn,
//! quá hạn against the appointment in force then; never for a refusal or a withdrawal) and a
//! note. Scans, payments, receipts and re-planned appointments are not hand-overs.

use crate::audit::{Actor, ActorNames};
use crate::dossier::{Dossier, Timeliness, timeliness};
use crate::history::{DossierEvent, EventDetail, StepTaken};
use crate::lifecycle::StepKind;
use crate::unit::{UnitCode, UnitTree};

use super::form_time;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandOver {
    /// TÊN CƠ QUAN.
    pub body: String,
    /// THỜI GIAN GIAO, NHẬN HỒ SƠ: what was done, when, and by whom.
    pub exchange: String,
    /// KẾT QUẢ GIẢI QUYẾT HỒ SƠ of this body's part (empty when the row is no result).
    pub result: String,
    /// GHI CHÚ.
    pub note: String,
}

/// The rows of a dossier's history, oldest first.
pub fn hand_overs(
    d: &Dossier,
    events: &[DossierEvent],
    tree: &UnitTree,
    names: &ActorNames,
) -> Vec<HandOver> {
    let mut handling = d.unit_code.clone();
    let mut rows = Vec::new();
    for e in events {
        if let Some(row) = row_of(d, e, &handling, tree, names) {
            rows.push(row);
        }
        if let EventDetail::Step(s) = &e.detail {
            handling = s.handling_unit.clone();
        }
    }
    rows
}

/// A person on paper: an account by its full name, the command line or another system by
/// what it is; a name no account has is left blank to be written by hand, never the login.
pub fn signer(names: &ActorNames, actor: &str) -> String {
    match Actor::parse(actor) {
        Actor::User(_) => names.person(actor).unwrap_or_default().to_owned(),
        _ => names.label(actor, None),
    }
}

fn unit_name(tree: &UnitTree, code: &UnitCode) -> String {
    tree.get(code)
        .map_or_else(|| code.to_string(), |u| u.name.clone())
}

/// The result of a body's part, against the appointment in force when it ended.
fn timeliness_text(at: crate::Timestamp, due: crate::Timestamp) -> &'static str {
    match timeliness(at, due) {
        Timeliness::Early => "Trước hạn",
        Timeliness::OnTime => "Đúng hạn",
        Timeliness::Late => "Quá hạn",
    }
}

/// The row an event gives, `handling` being the unit that held the dossier before it.
pub fn row_of(
    d: &Dossier,
    e: &DossierEvent,
    handling: &UnitCode,
    tree: &UnitTree,
    names: &ActorNames,
) -> Option<HandOver> {
    let who = signer(names, &e.actor);
    let when = form_time(e.at);
    let by = |role: &str| {
        if who.is_empty() {
            String::new()
        } else {
            format!("; {role}: {who}")
        }
    };
    match &e.detail {
        EventDetail::Received(r) => Some(HandOver {
            body: unit_name(tree, &r.unit),
            exchange: format!("Nhận hồ sơ: {when}{}", by("người nhận")),
            result: String::new(),
            note: "Tiếp nhận hồ sơ".to_owned(),
        }),
        EventDetail::Imported(_) => Some(HandOver {
            body: unit_name(tree, &d.unit_code),
            exchange: format!("Nhận hồ sơ: {}", form_time(d.received_at)),
            result: String::new(),
            note:
                "Hồ sơ nhập từ hệ thống khác: quá trình giao, nhận trước đó không có trong dữ liệu"
                    .to_owned(),
        }),
        EventDetail::Step(s) => Some(step_row(s, e, handling, tree, &when, &by)),
        EventDetail::ImportUpdated(_)
        | EventDetail::DueReplanned(_)
        | EventDetail::ReceiptIssued(_)
        | EventDetail::ScanAttached(_)
        | EventDetail::PaymentRecorded(_)
        | EventDetail::Corrected(_)
        | EventDetail::Rated(_) => None,
    }
}

fn step_row(
    s: &StepTaken,
    e: &DossierEvent,
    handling: &UnitCode,
    tree: &UnitTree,
    when: &str,
    by: &dyn Fn(&str) -> String,
) -> HandOver {
    let kind = s.step.kind();
    let reason = s
        .step
        .reason()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    let note = format!("{}{reason}", crate::display::capitalise(kind.name_vi()));
    let (body, exchange, result) = match kind {
        StepKind::Transfer => (
            unit_name(tree, handling),
            format!(
                "Giao hồ sơ cho {}: {when}{}",
                unit_name(tree, &s.handling_unit),
                by("người giao")
            ),
            timeliness_text(e.at, s.due_at.before).to_owned(),
        ),
        StepKind::Approve => (
            unit_name(tree, handling),
            format!("Giao kết quả: {when}{}", by("người giao")),
            timeliness_text(e.at, s.due_at.before).to_owned(),
        ),
        StepKind::Reject => (
            unit_name(tree, handling),
            format!("Giao văn bản từ chối: {when}{}", by("người giao")),
            "Từ chối giải quyết".to_owned(),
        ),
        StepKind::Withdraw => (
            unit_name(tree, handling),
            format!("Dừng giải quyết: {when}{}", by("người thực hiện")),
            "Dừng giải quyết (rút hồ sơ)".to_owned(),
        ),
        StepKind::StartProcessing => (
            unit_name(tree, &s.handling_unit),
            format!("Nhận hồ sơ: {when}{}", by("người nhận")),
            String::new(),
        ),
        StepKind::ReturnResult => {
            let collector = match &s.step {
                crate::lifecycle::Step::ReturnResult {
                    collected_by: Some(c),
                } => format!("; người nhận: {}", c.text_vi()),
                _ => String::new(),
            };
            (
                unit_name(tree, &s.handling_unit),
                format!(
                    "Trả kết quả cho người nộp: {when}{}{collector}",
                    by("người trả")
                ),
                String::new(),
            )
        }
        StepKind::Assign => (
            unit_name(tree, &s.handling_unit),
            format!("Giao chuyên viên xử lý: {when}{}", by("người giao")),
            String::new(),
        ),
        StepKind::ProposeApproval | StepKind::ProposeRejection => (
            unit_name(tree, &s.handling_unit),
            format!("Trình lãnh đạo: {when}{}", by("người trình")),
            String::new(),
        ),
        StepKind::SendBack => (
            unit_name(tree, &s.handling_unit),
            format!("Trả lại chuyên viên: {when}{}", by("người trả lại")),
            String::new(),
        ),
        StepKind::RequestSupplement
        | StepKind::Supplemented
        | StepKind::Suspend
        | StepKind::Resume
        | StepKind::Apologize => (
            unit_name(tree, &s.handling_unit),
            format!("{when}{}", by("người thực hiện")),
            String::new(),
        ),
    };
    HandOver {
        body,
        exchange,
        result,
        note,
    }
}

/// The result of the whole dossier: its timeliness once approved, never "trước hạn" for a
/// refusal or a withdrawal.
pub fn overall(d: &Dossier) -> &'static str {
    use crate::dossier::Outcome;
    match (d.outcome, d.resolved_at) {
        (Some(Outcome::Approved), Some(at)) => timeliness_text(at, d.due_at),
        (Some(Outcome::Rejected), _) => "Từ chối giải quyết",
        (Some(Outcome::Withdrawn), _) => "Dừng giải quyết (người nộp rút hồ sơ)",
        _ => "Đang giải quyết",
    }
}
