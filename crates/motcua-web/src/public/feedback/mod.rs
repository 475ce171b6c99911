//! The public side of feedback and petitions (phản ánh, kiến nghị — PAKN): the form
//! `/feedback` ("Gửi phản ánh, kiến nghị"), following one by its code and the contact given
//! (`follow`, with the published answer, the reply when asked for more and the "không hài
//! lòng" button), and the list of published answers (`answers`). Sending and following are
//! limited per client address like tracking ([`crate::TRACK_BURST`]).

pub(crate) mod answers;
pub(crate) mod follow;
pub(crate) mod form;

use motcua_core::petition::{Petition, PetitionState};

use crate::view::local_time;

/// The deadline line a visitor reads for what is open: `Hạn trả lời: 20/02/2025 09:00`.
pub(crate) fn next_deadline(p: &Petition) -> String {
    match (p.state, p.next_due()) {
        (PetitionState::Received, Some(t)) => format!("Hạn xem xét tiếp nhận: {}", local_time(t)),
        (PetitionState::Admitted, Some(t)) => format!("Hạn trả lời: {}", local_time(t)),
        (PetitionState::Answered, Some(t)) => format!("Hạn công khai kết quả: {}", local_time(t)),
        (PetitionState::AwaitingPetitioner, _) => {
            "Thời hạn xử lý tạm dừng trong khi chờ người gửi bổ sung thông tin".to_owned()
        }
        _ => String::new(),
    }
}
