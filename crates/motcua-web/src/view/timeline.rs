//! A dossier's history as people read it: one Vietnamese line per event
//! ([`describe`]), read from the typed [`EventDetail`], for the dossier page (the control
//! sheet's rows are `motcua_core::forms::control`). Who did each
//! ([`who`]) is a full name, read for all the events of a page at once ([`names`]).

use motcua_app::AppError;
use motcua_core::audit::{ActorNames, distinct_actors};
use motcua_core::details::Slot;
use motcua_core::display;
use motcua_core::dossier::PaymentChannel;
use motcua_core::history::{DossierEvent, EventDetail, StepTaken};
use motcua_core::lifecycle::{Step, StepKind};
use motcua_core::unit::UnitTree;
use motcua_store::SqlStore;

use crate::WebError;

/// The people behind a page's events (and any other actors it names, such as a receipt's
/// issuer), read from the store in one statement.
pub(crate) async fn names(
    store: &SqlStore,
    tree: &UnitTree,
    events: &[DossierEvent],
    others: &[&str],
) -> Result<ActorNames, WebError> {
    let actors = distinct_actors(
        events
            .iter()
            .map(|e| e.actor.as_str())
            .chain(others.iter().copied()),
    );
    let known = store.known_actors(&actors).await.map_err(AppError::from)?;
    Ok(ActorNames::new(known, tree))
}

/// Who did an event, in words: the account's full name, a token by its name and unit, the
/// command line by the command that writes such events.
pub(crate) fn who(names: &ActorNames, e: &DossierEvent) -> String {
    let command = match e.detail {
        EventDetail::Imported(_) | EventDetail::ImportUpdated(_) => Some("motcua import"),
        EventDetail::DueReplanned(_) => Some("motcua calendar set"),
        _ => None,
    };
    names.label(&e.actor, command)
}

/// A kind of step as a button or a timeline line names it: capitalised.
pub(crate) fn step_label(kind: StepKind) -> String {
    display::capitalise(kind.name_vi())
}

/// What an event says, in a sentence.
pub(crate) fn describe(e: &DossierEvent) -> String {
    match &e.detail {
        EventDetail::Received(_) => "Tiếp nhận hồ sơ".to_owned(),
        EventDetail::Step(s) => {
            let mut text = step_text(s);
            if s.due_at.changed() {
                text.push_str(&format!(
                    " (ngày hẹn trả: {} → {})",
                    display::local_time(s.due_at.before),
                    display::local_time(s.due_at.after)
                ));
            }
            text
        }
        EventDetail::Imported(_) => "Nhập từ hệ thống khác".to_owned(),
        EventDetail::ImportUpdated(_) => "Cập nhật từ tệp nhập".to_owned(),
        EventDetail::DueReplanned(_) => "Tính lại ngày hẹn do lịch nghỉ thay đổi".to_owned(),
        EventDetail::ReceiptIssued(r) => format!("Cấp biên lai điện tử số {}", r.number),
        EventDetail::ScanAttached(s) => {
            let what = match s.slot {
                Slot::Component(i) => format!("thành phần thứ {}", i + 1),
                Slot::Result => "kết quả giải quyết".to_owned(),
            };
            format!("Số hóa {what}: {}", s.file_name)
        }
        EventDetail::PaymentRecorded(p) if p.bank_transfer.is_some() => {
            match p
                .bank_transfer
                .as_ref()
                .and_then(|t| t.transaction_id.as_ref())
            {
                Some(id) => format!(
                    "Ghi nhận nộp phí, lệ phí bằng chuyển khoản (sao kê ngân hàng, giao dịch {id})"
                ),
                None => "Ghi nhận nộp phí, lệ phí bằng chuyển khoản (cán bộ xác nhận đã nhận)"
                    .to_owned(),
            }
        }
        EventDetail::PaymentRecorded(p) => match p.payment_channel {
            PaymentChannel::Online => "Ghi nhận nộp phí, lệ phí trực tuyến".to_owned(),
            PaymentChannel::Offline => "Ghi nhận nộp phí, lệ phí tại Bộ phận Một cửa".to_owned(),
        },
        EventDetail::Corrected(c) => format!("Sửa thông tin hồ sơ: {}", c.lines_vi().join("; ")),
        EventDetail::Rated(r) => format!("{} ({})", r.text_vi(), r.channel.label_vi()),
    }
}

/// A step and its reason: `Yêu cầu bổ sung hồ sơ: thiếu sổ hộ khẩu`.
fn step_text(s: &StepTaken) -> String {
    let mut text = step_label(s.step.kind());
    if let Some(r) = s.step.reason() {
        text.push_str(&format!(": {r}"));
    }
    match &s.step {
        Step::ReturnResult {
            collected_by: Some(c),
        } => text.push_str(&format!("; người nhận: {}", c.text_vi())),
        Step::Supplemented { documents } if !documents.is_empty() => {
            let names: Vec<&str> = documents.iter().map(|d| d.name.as_str()).collect();
            text.push_str(&format!(": {}", names.join(", ")));
        }
        _ => {}
    }
    text
}
