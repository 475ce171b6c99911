//! A dossier's history as its applicant reads it on the tracking page: what happened and
//! when, in plain Vietnamese, naming units but never an officer's login, a file name or a
//! note meant for the office. Reasons are shown only where the law has them told to the
//! applicant (a supplement asked for, a suspension, a refusal, an apology); a transfer's or a
//! withdrawal's reason stays inside. Scans and re-imports are the office's business.

use motcua_core::display::local_time;
use motcua_core::history::{DossierEvent, EventDetail};
use motcua_core::lifecycle::Step;
use motcua_core::unit::{UnitCode, UnitTree};

/// One line of the public timeline.
pub(crate) struct Line {
    pub at: String,
    pub text: String,
}

fn unit_name(tree: &UnitTree, code: &UnitCode) -> String {
    tree.get(code)
        .map_or_else(|| "cơ quan giải quyết".to_owned(), |u| u.name.clone())
}

/// What a step says to the applicant.
fn step_text(step: &Step, tree: &UnitTree) -> String {
    match step {
        Step::StartProcessing => "Hồ sơ được chuyển đến bộ phận chuyên môn giải quyết".to_owned(),
        Step::RequestSupplement { reason } => {
            format!("Cơ quan giải quyết yêu cầu bổ sung hồ sơ: {reason}")
        }
        Step::Supplemented { .. } => "Đã nhận hồ sơ bổ sung, tiếp tục giải quyết".to_owned(),
        Step::Suspend { reason } => format!("Tạm dừng giải quyết: {reason}"),
        Step::Resume => "Tiếp tục giải quyết".to_owned(),
        Step::Assign { .. } => "Hồ sơ được giao chuyên viên xử lý".to_owned(),
        // A proposal is not a decision: the applicant learns the outcome from the leader's.
        Step::ProposeApproval { .. } | Step::ProposeRejection { .. } => {
            "Hồ sơ được trình lãnh đạo xem xét, quyết định".to_owned()
        }
        Step::SendBack { .. } => "Hồ sơ được chuyển lại để tiếp tục xử lý".to_owned(),
        Step::Transfer { to, .. } => format!(
            "Hồ sơ được chuyển đến {} để giải quyết",
            unit_name(tree, to)
        ),
        Step::Approve { .. } => "Đã có kết quả giải quyết".to_owned(),
        Step::Reject { reason } => format!("Hồ sơ bị từ chối giải quyết: {reason}"),
        Step::ReturnResult { .. } => "Đã trả kết quả cho người nộp".to_owned(),
        Step::Withdraw { .. } => "Hồ sơ được rút theo đề nghị của người nộp".to_owned(),
        Step::Apologize { new_due, reason } => format!(
            "Cơ quan giải quyết xin lỗi vì chậm trễ ({reason}) và hẹn trả kết quả lúc {}",
            local_time(*new_due)
        ),
    }
}

/// The applicant's line of an event, if it has one.
fn line(e: &DossierEvent, tree: &UnitTree) -> Option<String> {
    let text = match &e.detail {
        EventDetail::Received(r) if r.channel == motcua_core::dossier::Channel::Online => {
            format!(
                "Hồ sơ nộp trực tuyến được tiếp nhận tại Bộ phận Một cửa {}; hẹn trả kết quả lúc {}",
                unit_name(tree, &r.unit),
                local_time(r.due_at)
            )
        }
        EventDetail::Received(r) => format!(
            "Tiếp nhận hồ sơ tại Bộ phận Một cửa {}; hẹn trả kết quả lúc {}",
            unit_name(tree, &r.unit),
            local_time(r.due_at)
        ),
        EventDetail::Imported(_) => "Hồ sơ được ghi nhận".to_owned(),
        EventDetail::Step(s) => {
            let mut text = step_text(&s.step, tree);
            if s.due_at.changed() && !matches!(s.step, Step::Apologize { .. }) {
                text.push_str(&format!(
                    "; ngày hẹn trả mới: {}",
                    local_time(s.due_at.after)
                ));
            }
            text
        }
        EventDetail::DueReplanned(r) => format!(
            "Ngày hẹn trả được điều chỉnh theo lịch làm việc: {}",
            local_time(r.after)
        ),
        EventDetail::ReceiptIssued(_) => "Đã phát hành biên lai điện tử".to_owned(),
        EventDetail::PaymentRecorded(_) => "Đã nộp phí, lệ phí".to_owned(),
        EventDetail::Corrected(_) => {
            "Thông tin hồ sơ được điều chỉnh tại Bộ phận Một cửa".to_owned()
        }
        EventDetail::Rated(r) => r.text_vi(),
        EventDetail::ImportUpdated(_) | EventDetail::ScanAttached(_) => return None,
    };
    Some(text)
}

/// The public timeline of a dossier, oldest first.
pub(crate) fn lines(events: &[DossierEvent], tree: &UnitTree) -> Vec<Line> {
    events
        .iter()
        .filter_map(|e| {
            line(e, tree).map(|text| Line {
                at: local_time(e.at),
                text,
            })
        })
        .collect()
}
