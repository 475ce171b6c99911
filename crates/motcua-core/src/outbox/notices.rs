//! The status-change notices a citizen receives about a dossier submitted from their account
//! (thông báo tình trạng hồ sơ): [`StatusNotice`], the one list of kinds, which change gives
//! which ([`StatusNotice::of_step`]), and their Vietnamese wording from values
//! ([`NoticeFacts`]): a short SMS (at most two segments in the usual case, full diacritics)
//! and an e-mail with its subject. The notices of a result ([`StatusNotice::invites_rating`])
//! invite the citizen to rate the service ([`RatingInvite`]) in the e-mail only: a rating
//! link (its dossier code and a 32-digit token, about 90 characters with the portal's
//! address) would take a Vietnamese SMS, 67 characters a segment, past its two segments.

use crate::close::date_vi;
use crate::lifecycle::{Status, Step};
use crate::timestamp::Timestamp;

use super::{Channel, Message};

/// A kind of notice told to the citizen, in the order a dossier usually meets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusNotice {
    /// The portal received the dossier submitted online; reception still has to check it.
    SubmittedOnline,
    /// Reception accepted the dossier (tiếp nhận), with its appointment (ngày hẹn trả).
    Accepted,
    /// Reception refused the dossier submitted online, with its reasons.
    RefusedAtReception,
    /// Reception sent the dossier submitted online back to be completed before it is accepted
    /// (yêu cầu bổ sung, hoàn thiện trước khi tiếp nhận), with what is missing.
    CompletionRequested,
    /// The handling unit asks for a supplement (Mẫu 02), with its reason; the clock stops.
    SupplementRequested,
    /// The supplement arrived; handling goes on, with the appointment moved by the pause.
    SupplementReceived,
    /// Handling is suspended, with its reason.
    Suspended,
    /// Handling goes on after a suspension.
    Resumed,
    /// The dossier went to another unit (liên thông).
    Transferred,
    /// The result is issued: downloadable online (toàn trình) or to collect at the desk.
    ResultReady,
    /// Handling is refused (từ chối giải quyết), with its reason.
    Rejected,
    /// The result (or the refusal) was handed back.
    Returned,
    /// The dossier was withdrawn at the applicant's request.
    Withdrawn,
    /// The unit apologises for the delay and gives a new appointment (Mẫu 04).
    Apology,
    /// The fee was paid online and its e-receipt issued (`NoticeFacts::receipt`).
    Paid,
}

impl StatusNotice {
    pub const ALL: [StatusNotice; 15] = [
        StatusNotice::SubmittedOnline,
        StatusNotice::Accepted,
        StatusNotice::RefusedAtReception,
        StatusNotice::CompletionRequested,
        StatusNotice::SupplementRequested,
        StatusNotice::SupplementReceived,
        StatusNotice::Suspended,
        StatusNotice::Resumed,
        StatusNotice::Transferred,
        StatusNotice::ResultReady,
        StatusNotice::Rejected,
        StatusNotice::Returned,
        StatusNotice::Withdrawn,
        StatusNotice::Apology,
        StatusNotice::Paid,
    ];

    /// The notice a lifecycle step gives, from the status before (`None` for a dossier
    /// imported without a stored lifecycle) and after it; `None` for the steps inside the
    /// office (assignment, proposals, sending back), which change nothing the citizen waits
    /// for, and for a step that left the status where it was when the status is what tells.
    pub fn of_step(step: &Step, before: Option<Status>, after: Status) -> Option<StatusNotice> {
        let moved = before != Some(after);
        match step {
            Step::StartProcessing
            | Step::Assign { .. }
            | Step::ProposeApproval { .. }
            | Step::ProposeRejection { .. }
            | Step::SendBack { .. } => None,
            Step::RequestSupplement { .. } => {
                (after == Status::AwaitingSupplement).then_some(StatusNotice::SupplementRequested)
            }
            Step::Supplemented { .. } => (moved && before == Some(Status::AwaitingSupplement))
                .then_some(StatusNotice::SupplementReceived),
            Step::Suspend { .. } => (after == Status::Suspended).then_some(StatusNotice::Suspended),
            Step::Resume => {
                (moved && before == Some(Status::Suspended)).then_some(StatusNotice::Resumed)
            }
            Step::Transfer { .. } => Some(StatusNotice::Transferred),
            Step::Approve { .. } => {
                (after == Status::Approved).then_some(StatusNotice::ResultReady)
            }
            Step::Reject { .. } => (after == Status::Rejected).then_some(StatusNotice::Rejected),
            Step::ReturnResult { .. } => {
                (after == Status::Returned).then_some(StatusNotice::Returned)
            }
            Step::Withdraw { .. } => {
                (after == Status::Withdrawn).then_some(StatusNotice::Withdrawn)
            }
            Step::Apologize { .. } => Some(StatusNotice::Apology),
        }
    }

    /// Whether the notice tells of a result the citizen may rate (approved, refused, handed
    /// back: [`crate::rating::may_rate`]), so that its e-mail carries
    /// [`NoticeFacts::rating`] when it is given.
    pub fn invites_rating(self) -> bool {
        matches!(
            self,
            StatusNotice::ResultReady | StatusNotice::Rejected | StatusNotice::Returned
        )
    }

    /// Whether the notice tells of a dossier that has its code: every one but those of a
    /// submission reception has not accepted yet, which name the procedure instead
    /// (`NoticeFacts::code` is then the procedure's name in quotes).
    pub fn has_code(self) -> bool {
        !matches!(
            self,
            StatusNotice::SubmittedOnline
                | StatusNotice::RefusedAtReception
                | StatusNotice::CompletionRequested
        )
    }

    /// The SMS: short, the code first, what happened and what to do; the details are in the
    /// e-mail and on the portal.
    pub fn sms(self, f: &NoticeFacts) -> String {
        let code = &f.code;
        match self {
            StatusNotice::SubmittedOnline => {
                format!("Hồ sơ {code} đã được nộp trực tuyến, đang chờ cán bộ tiếp nhận kiểm tra.")
            }
            StatusNotice::Accepted => format!(
                "Hồ sơ {code} đã được tiếp nhận. Ngày hẹn trả kết quả: {}.",
                f.due_vi()
            ),
            StatusNotice::RefusedAtReception => {
                format!(
                    "Hồ sơ {code} không được tiếp nhận. Lý do xem trong thư điện tử hoặc trên Cổng dịch vụ công."
                )
            }
            StatusNotice::CompletionRequested => {
                format!(
                    "Hồ sơ {code} cần hoàn thiện trước khi tiếp nhận. Xem yêu cầu và nộp lại trên Cổng dịch vụ công."
                )
            }
            StatusNotice::SupplementRequested => {
                format!(
                    "Hồ sơ {code} cần bổ sung giấy tờ. Xem yêu cầu và nộp bổ sung trên Cổng dịch vụ công."
                )
            }
            StatusNotice::SupplementReceived => format!(
                "Hồ sơ {code} đã nhận đủ giấy tờ bổ sung. Ngày hẹn trả kết quả: {}.",
                f.due_vi()
            ),
            StatusNotice::Suspended => {
                format!(
                    "Hồ sơ {code} tạm dừng giải quyết. Lý do xem trong thư điện tử hoặc trên Cổng dịch vụ công."
                )
            }
            StatusNotice::Resumed => format!(
                "Hồ sơ {code} được tiếp tục giải quyết. Ngày hẹn trả kết quả: {}.",
                f.due_vi()
            ),
            StatusNotice::Transferred => {
                format!(
                    "Hồ sơ {code} đã được chuyển đến {} để giải quyết.",
                    f.other_unit()
                )
            }
            StatusNotice::ResultReady if f.result_online => {
                format!("Hồ sơ {code} đã có kết quả. Tải kết quả trên Cổng dịch vụ công.")
            }
            StatusNotice::ResultReady => {
                format!(
                    "Hồ sơ {code} đã có kết quả. Mời nhận tại Bộ phận Một cửa {}.",
                    f.unit_name
                )
            }
            StatusNotice::Rejected => {
                format!(
                    "Hồ sơ {code} bị từ chối giải quyết. Lý do xem trong thư điện tử hoặc trên Cổng dịch vụ công."
                )
            }
            StatusNotice::Returned => format!("Hồ sơ {code} đã được trả kết quả. Xin cảm ơn."),
            StatusNotice::Withdrawn => {
                format!("Hồ sơ {code} đã được rút theo đề nghị của người nộp.")
            }
            StatusNotice::Apology => format!(
                "{} xin lỗi vì hồ sơ {code} chậm trả kết quả. Ngày hẹn trả mới: {}.",
                f.unit_name,
                f.due_vi()
            ),
            StatusNotice::Paid => format!(
                "Hồ sơ {code} đã thanh toán phí, lệ phí. Biên lai điện tử số {}: xem trên Cổng dịch vụ công.",
                f.receipt_number()
            ),
        }
    }

    /// The e-mail's subject: what happened and the code.
    pub fn subject(self, f: &NoticeFacts) -> String {
        let what = match self {
            StatusNotice::SubmittedOnline => "Đã nộp hồ sơ trực tuyến",
            StatusNotice::Accepted => "Hồ sơ đã được tiếp nhận",
            StatusNotice::RefusedAtReception => "Hồ sơ không được tiếp nhận",
            StatusNotice::CompletionRequested => "Yêu cầu hoàn thiện hồ sơ trước khi tiếp nhận",
            StatusNotice::SupplementRequested => "Yêu cầu bổ sung hồ sơ",
            StatusNotice::SupplementReceived => "Đã nhận hồ sơ bổ sung",
            StatusNotice::Suspended => "Hồ sơ tạm dừng giải quyết",
            StatusNotice::Resumed => "Hồ sơ được tiếp tục giải quyết",
            StatusNotice::Transferred => "Hồ sơ được chuyển liên thông",
            StatusNotice::ResultReady => "Hồ sơ đã có kết quả",
            StatusNotice::Rejected => "Hồ sơ bị từ chối giải quyết",
            StatusNotice::Returned => "Đã trả kết quả hồ sơ",
            StatusNotice::Withdrawn => "Hồ sơ đã được rút",
            StatusNotice::Apology => "Thư xin lỗi và hẹn lại ngày trả kết quả",
            StatusNotice::Paid => {
                return format!(
                    "Đã thanh toán, biên lai điện tử số {} – {}",
                    f.receipt_number(),
                    f.code
                );
            }
        };
        format!("{what} – {}", f.code)
    }

    /// The e-mail's body, plain text: the greeting, what happened, the dossier's procedure and
    /// unit, what to do next.
    pub fn email_body(self, f: &NoticeFacts) -> String {
        let code = &f.code;
        let unit = &f.unit_name;
        let reason = f.reason();
        let what = match self {
            StatusNotice::SubmittedOnline => format!(
                "{unit} đã nhận hồ sơ {code} do Ông/Bà nộp trực tuyến. Cán bộ tiếp nhận sẽ \
                 kiểm tra hồ sơ và thông báo cho Ông/Bà việc tiếp nhận hoặc các giấy tờ cần \
                 bổ sung."
            ),
            StatusNotice::Accepted => format!(
                "{unit} đã tiếp nhận hồ sơ {code}. Ngày hẹn trả kết quả: {}.",
                f.due_vi()
            ),
            StatusNotice::RefusedAtReception => format!(
                "{unit} không tiếp nhận hồ sơ {code}.\n\nLý do: {reason}\n\nÔng/Bà có thể \
                 hoàn thiện hồ sơ theo hướng dẫn trên và nộp lại trên Cổng dịch vụ công."
            ),
            StatusNotice::CompletionRequested => format!(
                "{unit} chưa tiếp nhận hồ sơ {code} do Ông/Bà nộp trực tuyến: hồ sơ cần được \
                 bổ sung, hoàn thiện.\n\nNội dung cần bổ sung, hoàn thiện: {reason}\n\nÔng/Bà \
                 đăng nhập Cổng dịch vụ công, mở hồ sơ trong mục Hồ sơ của tôi, bổ sung rồi nộp \
                 lại."
            ),
            StatusNotice::SupplementRequested => format!(
                "{unit} đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ {code}.\n\nNội dung cần \
                 bổ sung: {reason}\n\nÔng/Bà đăng nhập Cổng dịch vụ công, mở hồ sơ {code} và \
                 tải lên giấy tờ bổ sung. Thời gian giải quyết tạm dừng cho đến khi nhận đủ \
                 giấy tờ bổ sung."
            ),
            StatusNotice::SupplementReceived => format!(
                "{unit} đã nhận giấy tờ bổ sung của hồ sơ {code} và tiếp tục giải quyết. \
                 Ngày hẹn trả kết quả: {}.",
                f.due_vi()
            ),
            StatusNotice::Suspended => {
                format!("{unit} tạm dừng giải quyết hồ sơ {code}.\n\nLý do: {reason}")
            }
            StatusNotice::Resumed => format!(
                "{unit} tiếp tục giải quyết hồ sơ {code}. Ngày hẹn trả kết quả: {}.",
                f.due_vi()
            ),
            StatusNotice::Transferred => format!(
                "Hồ sơ {code} đã được chuyển đến {} để giải quyết theo quy định.\n\nLý do: \
                 {reason}",
                f.other_unit()
            ),
            StatusNotice::ResultReady if f.result_online => format!(
                "Hồ sơ {code} đã có kết quả giải quyết. Ông/Bà đăng nhập Cổng dịch vụ công, \
                 mở hồ sơ {code} để tải kết quả điện tử."
            ),
            StatusNotice::ResultReady => format!(
                "Hồ sơ {code} đã có kết quả giải quyết. Mời Ông/Bà đến Bộ phận Một cửa {unit} \
                 để nhận kết quả, mang theo giấy tờ tùy thân."
            ),
            StatusNotice::Rejected => {
                format!("{unit} từ chối giải quyết hồ sơ {code}.\n\nLý do: {reason}")
            }
            StatusNotice::Returned => {
                format!("{unit} đã trả kết quả hồ sơ {code}. Xin cảm ơn Ông/Bà đã sử dụng dịch vụ.")
            }
            StatusNotice::Withdrawn => format!(
                "Hồ sơ {code} đã được rút theo đề nghị của người nộp hồ sơ.\n\nLý do: {reason}"
            ),
            StatusNotice::Apology => format!(
                "{unit} xin lỗi Ông/Bà vì hồ sơ {code} chưa có kết quả đúng hẹn.\n\nLý do: \
                 {reason}\n\nNgày hẹn trả kết quả mới: {}.",
                f.due_vi()
            ),
            StatusNotice::Paid => format!(
                "{unit} đã nhận khoản thanh toán trực tuyến phí, lệ phí của hồ sơ {code}. \
                 Biên lai điện tử số {} đã được cấp.\n\nXem và in biên lai: {}",
                f.receipt_number(),
                f.receipt
                    .as_ref()
                    .map_or("trang của hồ sơ trên Cổng dịch vụ công", |r| r
                        .link
                        .as_str())
            ),
        };
        let what = match (&f.rating, self.invites_rating()) {
            (Some(invite), true) => format!("{what}\n\n{}", invite.line()),
            _ => what,
        };
        let (code_line, follow) = if self.has_code() {
            (
                format!("\nMã hồ sơ: {code}"),
                "Ông/Bà có thể tra cứu tình trạng hồ sơ trên Cổng dịch vụ công bằng mã hồ sơ.",
            )
        } else {
            (
                String::new(),
                "Ông/Bà theo dõi hồ sơ trong mục Hồ sơ của tôi trên Cổng dịch vụ công.",
            )
        };
        format!(
            "Kính gửi Ông/Bà {},\n\n{what}\n\nThủ tục: {}{code_line}\n\n{follow}\n\n\
             Thư này được gửi tự động, xin vui lòng không trả lời.\n{unit}",
            f.citizen_name, f.procedure_name
        )
    }

    /// The messages of this notice to the given addresses: one SMS to `phone`, one e-mail
    /// to `email`.
    pub fn messages(
        self,
        f: &NoticeFacts,
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Vec<Message> {
        let mut out = Vec::new();
        if let Some(phone) = phone {
            out.push(Message {
                channel: Channel::Sms,
                to: phone.to_owned(),
                subject: String::new(),
                body: self.sms(f),
            });
        }
        if let Some(email) = email {
            out.push(Message {
                channel: Channel::Email,
                to: email.to_owned(),
                subject: self.subject(f),
                body: self.email_body(f),
            });
        }
        out
    }
}

/// The values a notice is worded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeFacts {
    /// The dossier's code (`HO-XA-240520-0001`); for a submission not accepted yet, which
    /// has none, the procedure's name in quotes (see [`StatusNotice::has_code`]).
    pub code: String,
    /// The citizen's full name (the account's).
    pub citizen_name: String,
    /// The procedure's name.
    pub procedure_name: String,
    /// The official name of the unit that received the dossier (`UBND xã Vĩnh Khê`).
    pub unit_name: String,
    /// The appointment (ngày hẹn trả) after the change.
    pub due_at: Option<Timestamp>,
    /// The reason the step gave (supplement, refusal, rejection, apology…).
    pub reason: Option<String>,
    /// The unit handling the dossier after the change, by name (for a transfer).
    pub handling_unit_name: Option<String>,
    /// Whether the result is downloadable online (a toàn trình dossier).
    pub result_online: bool,
    /// The e-receipt issued with the change (for [`StatusNotice::Paid`]).
    pub receipt: Option<ReceiptFacts>,
    /// The invitation to rate the service, when the dossier may be rated (its result exists
    /// and it has no rating yet); told by the notices that [`StatusNotice::invites_rating`].
    pub rating: Option<RatingInvite>,
}

/// The invitation to rate a dossier's service (đánh giá mức độ hài lòng).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingInvite {
    /// The dossier's rating link (`https://…/rate/CODE?t=TOKEN`), when the portal's public
    /// address is known; without it the e-mail sends the citizen to their list on the portal,
    /// where their own dossier needs no token (a path alone opens nothing from a mail reader).
    pub link: Option<String>,
}

impl RatingInvite {
    /// The e-mail's line.
    fn line(&self) -> String {
        match &self.link {
            Some(link) => format!("Mời Ông/Bà đánh giá mức độ hài lòng: {link}"),
            None => "Mời Ông/Bà đánh giá mức độ hài lòng trên Cổng dịch vụ công, tại hồ sơ \
                     trong mục Hồ sơ của tôi."
                .to_owned(),
        }
    }
}

/// An e-receipt as a notice tells it: its number and where the citizen sees and prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFacts {
    /// `0000012` (the receipt's number as printed).
    pub number: String,
    /// The address (or the portal's path) of the receipt's page.
    pub link: String,
}

impl NoticeFacts {
    /// `17:00 ngày 07/12/2026`.
    fn due_vi(&self) -> String {
        match self.due_at {
            Some(t) => {
                let local = t.to_local();
                format!(
                    "{:02}:{:02} ngày {}",
                    local.hour(),
                    local.minute(),
                    date_vi(t)
                )
            }
            None => "sẽ được thông báo sau".to_owned(),
        }
    }

    fn reason(&self) -> &str {
        self.reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .unwrap_or("(không ghi lý do)")
    }

    fn receipt_number(&self) -> &str {
        self.receipt
            .as_ref()
            .map_or("(chưa có số)", |r| r.number.as_str())
    }

    fn other_unit(&self) -> &str {
        self.handling_unit_name.as_deref().unwrap_or("đơn vị khác")
    }
}

/// How many SMS segments `text` takes: GSM-7 when every character is in its basic set
/// (160 a segment, 153 when concatenated), UCS-2 otherwise (70, 67), which any Vietnamese
/// letter with a diacritic forces.
pub fn sms_segments(text: &str) -> usize {
    const GSM7: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                        ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    let (single, multi, units) = if text.chars().all(|c| GSM7.contains(c)) {
        (160, 153, text.chars().count())
    } else {
        (70, 67, text.encode_utf16().count())
    };
    if units <= single {
        1
    } else {
        units.div_ceil(multi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::freetext::Reason;
    use crate::unit::UnitCode;

    fn facts() -> Result<NoticeFacts, Box<dyn std::error::Error>> {
        Ok(NoticeFacts {
            code: "VINH-KHE-261204-0012".to_owned(),
            citizen_name: "Nguyễn Thị Hồng Nhung".to_owned(),
            procedure_name: "Đăng ký khai sinh".to_owned(),
            unit_name: "UBND xã Vĩnh Khê".to_owned(),
            due_at: Some(Timestamp::parse("2026-12-07T17:00:00+07:00")?),
            reason: Some("Thiếu bản sao giấy chứng nhận kết hôn của cha mẹ".to_owned()),
            handling_unit_name: Some("Phòng Tư pháp huyện Vĩnh Linh".to_owned()),
            result_online: true,
            receipt: None,
            rating: None,
        })
    }

    fn reason() -> Result<Reason, String> {
        Reason::parse("thiếu giấy tờ")
    }

    #[test]
    fn each_office_step_that_the_citizen_waits_for_gives_its_notice()
    -> Result<(), Box<dyn std::error::Error>> {
        use Status as S;
        let r = reason()?;
        let at = Timestamp::parse("2026-12-10T09:00:00+07:00")?;
        let cases: Vec<(Step, Option<S>, S, Option<StatusNotice>)> = vec![
            (
                Step::StartProcessing,
                Some(S::Received),
                S::InProcessing,
                None,
            ),
            (
                Step::Assign { to: "cv".into() },
                Some(S::Received),
                S::InProcessing,
                None,
            ),
            (
                Step::ProposeApproval {
                    result_digitized: true,
                },
                Some(S::InProcessing),
                S::AwaitingApproval,
                None,
            ),
            (
                Step::ProposeRejection { reason: r.clone() },
                Some(S::InProcessing),
                S::AwaitingApproval,
                None,
            ),
            (
                Step::SendBack { reason: r.clone() },
                Some(S::AwaitingApproval),
                S::InProcessing,
                None,
            ),
            (
                Step::RequestSupplement { reason: r.clone() },
                Some(S::InProcessing),
                S::AwaitingSupplement,
                Some(StatusNotice::SupplementRequested),
            ),
            (
                Step::Supplemented { documents: vec![] },
                Some(S::AwaitingSupplement),
                S::InProcessing,
                Some(StatusNotice::SupplementReceived),
            ),
            (
                Step::Suspend { reason: r.clone() },
                Some(S::InProcessing),
                S::Suspended,
                Some(StatusNotice::Suspended),
            ),
            (
                Step::Resume,
                Some(S::Suspended),
                S::InProcessing,
                Some(StatusNotice::Resumed),
            ),
            (
                Step::Transfer {
                    to: UnitCode::parse("tu-phap")?,
                    reason: r.clone(),
                },
                Some(S::InProcessing),
                S::InProcessing,
                Some(StatusNotice::Transferred),
            ),
            (
                Step::Approve {
                    result_digitized: true,
                },
                Some(S::AwaitingApproval),
                S::Approved,
                Some(StatusNotice::ResultReady),
            ),
            (
                Step::Reject { reason: r.clone() },
                Some(S::AwaitingApproval),
                S::Rejected,
                Some(StatusNotice::Rejected),
            ),
            (
                Step::ReturnResult { collected_by: None },
                Some(S::Approved),
                S::Returned,
                Some(StatusNotice::Returned),
            ),
            (
                Step::Withdraw { reason: r.clone() },
                Some(S::InProcessing),
                S::Withdrawn,
                Some(StatusNotice::Withdrawn),
            ),
            (
                Step::Apologize {
                    new_due: at,
                    reason: r.clone(),
                },
                Some(S::InProcessing),
                S::InProcessing,
                Some(StatusNotice::Apology),
            ),
            // An imported dossier without a stored lifecycle: the status after tells.
            (
                Step::Approve {
                    result_digitized: false,
                },
                None,
                S::Approved,
                Some(StatusNotice::ResultReady),
            ),
        ];
        for (step, before, after, expected) in cases {
            assert_eq!(
                StatusNotice::of_step(&step, before, after),
                expected,
                "{step:?} {before:?} → {after:?}"
            );
        }
        Ok(())
    }

    #[test]
    fn every_sms_fits_in_two_segments_with_full_diacritics()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut f = facts()?;
        // A long unit name, as the province's departments have.
        f.unit_name = "UBND phường Đông Hà".to_owned();
        for online in [true, false] {
            f.result_online = online;
            for kind in StatusNotice::ALL {
                let sms = kind.sms(&f);
                assert!(sms.contains(&f.code), "{kind:?}: {sms}");
                assert!(
                    sms_segments(&sms) <= 2,
                    "{kind:?}: {} segments: {sms}",
                    sms_segments(&sms)
                );
            }
        }
        Ok(())
    }

    #[test]
    fn the_emails_say_what_happened_what_to_do_and_for_which_dossier()
    -> Result<(), Box<dyn std::error::Error>> {
        let f = facts()?;
        for kind in StatusNotice::ALL {
            let body = kind.email_body(&f);
            assert!(kind.subject(&f).ends_with(&f.code), "{kind:?}");
            assert!(
                body.starts_with("Kính gửi Ông/Bà Nguyễn Thị Hồng Nhung,"),
                "{kind:?}"
            );
            assert!(body.contains("Thủ tục: Đăng ký khai sinh"), "{kind:?}");
        }
        let with_reason =
            |k: StatusNotice| k.email_body(&f).contains("Thiếu bản sao giấy chứng nhận");
        for kind in [
            StatusNotice::RefusedAtReception,
            StatusNotice::CompletionRequested,
            StatusNotice::SupplementRequested,
            StatusNotice::Suspended,
            StatusNotice::Rejected,
            StatusNotice::Apology,
        ] {
            assert!(with_reason(kind), "{kind:?} gives its reason");
        }
        let due = |k: StatusNotice| k.email_body(&f).contains("17:00 ngày 07/12/2026");
        for kind in [
            StatusNotice::Accepted,
            StatusNotice::SupplementReceived,
            StatusNotice::Apology,
        ] {
            assert!(due(kind), "{kind:?} gives the appointment");
            assert!(kind.sms(&f).contains("17:00 ngày 07/12/2026"), "{kind:?}");
        }
        assert!(
            StatusNotice::SupplementRequested
                .email_body(&f)
                .contains("tải lên giấy tờ bổ sung")
        );
        // A submission reception has not accepted has no code: the e-mail names no code and
        // sends the citizen to their list instead of the tracking by code.
        for kind in StatusNotice::ALL {
            let body = kind.email_body(&f);
            assert_eq!(body.contains("Mã hồ sơ: "), kind.has_code(), "{kind:?}");
            assert_eq!(body.contains("Hồ sơ của tôi"), !kind.has_code(), "{kind:?}");
        }
        Ok(())
    }

    #[test]
    fn a_result_is_downloaded_online_or_collected_at_the_desk()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut f = facts()?;
        let online = StatusNotice::ResultReady.email_body(&f);
        assert!(online.contains("tải kết quả điện tử"), "{online}");
        f.result_online = false;
        let desk = StatusNotice::ResultReady.email_body(&f);
        assert!(desk.contains("Bộ phận Một cửa UBND xã Vĩnh Khê"), "{desk}");
        assert!(!desk.contains("tải kết quả"), "{desk}");
        Ok(())
    }

    #[test]
    fn the_messages_go_to_the_addresses_given() -> Result<(), Box<dyn std::error::Error>> {
        let f = facts()?;
        let both = StatusNotice::Accepted.messages(&f, Some("0912345678"), Some("a@example.vn"));
        assert_eq!(
            both.iter()
                .map(|m| (m.channel, m.to.as_str()))
                .collect::<Vec<_>>(),
            [
                (Channel::Sms, "0912345678"),
                (Channel::Email, "a@example.vn")
            ]
        );
        assert!(both[0].subject.is_empty());
        assert_eq!(
            both[1].subject,
            "Hồ sơ đã được tiếp nhận – VINH-KHE-261204-0012"
        );
        assert!(StatusNotice::Accepted.messages(&f, None, None).is_empty());
        Ok(())
    }

    const LINK: &str = "https://dichvucong.example.vn/rate/VINH-KHE-261204-0012?t=0123456789abcdef0123456789abcdef";

    #[test]
    fn a_result_invites_the_rating_with_its_link_in_the_email_only()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut f = facts()?;
        f.rating = Some(RatingInvite {
            link: Some(LINK.to_owned()),
        });
        let line = format!("Mời Ông/Bà đánh giá mức độ hài lòng: {LINK}");
        for online in [true, false] {
            f.result_online = online;
            for kind in StatusNotice::ALL {
                let body = kind.email_body(&f);
                assert_eq!(
                    body.contains(&line),
                    kind.invites_rating(),
                    "{kind:?}: {body}"
                );
                assert!(!kind.sms(&f).contains("/rate/"), "{kind:?}");
            }
        }
        assert_eq!(
            StatusNotice::ALL
                .into_iter()
                .filter(|k| k.invites_rating())
                .collect::<Vec<_>>(),
            [
                StatusNotice::ResultReady,
                StatusNotice::Rejected,
                StatusNotice::Returned
            ]
        );
        // The line follows what happened, before the procedure and the code.
        let returned = StatusNotice::Returned.email_body(&f);
        assert!(
            returned.contains(&format!(
                "Xin cảm ơn Ông/Bà đã sử dụng dịch vụ.\n\n{line}\n\nThủ tục: "
            )),
            "{returned}"
        );
        // Why the SMS goes without it: even the shortest wording of the link takes the
        // shortest result SMS past its two segments.
        for kind in [StatusNotice::Returned, StatusNotice::ResultReady] {
            let with_link = format!("{} Đánh giá: {LINK}", kind.sms(&f));
            assert!(sms_segments(&with_link) > 2, "{kind:?}: {with_link}");
        }
        Ok(())
    }

    #[test]
    fn without_the_portals_address_the_invitation_names_the_citizens_list()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut f = facts()?;
        f.rating = Some(RatingInvite { link: None });
        let body = StatusNotice::ResultReady.email_body(&f);
        assert!(
            body.contains(
                "Mời Ông/Bà đánh giá mức độ hài lòng trên Cổng dịch vụ công, tại hồ sơ trong \
                 mục Hồ sơ của tôi."
            ),
            "{body}"
        );
        assert!(!body.contains("/rate/"), "{body}");
        // No invitation (rated already, or no result): no line.
        f.rating = None;
        for kind in StatusNotice::ALL {
            assert!(
                !kind.email_body(&f).contains("đánh giá mức độ hài lòng"),
                "{kind:?}"
            );
        }
        Ok(())
    }

    #[test]
    fn segments_count_utf16_units_for_vietnamese() {
        assert_eq!(sms_segments("Ho so da duoc tiep nhan"), 1);
        assert_eq!(sms_segments(&"a".repeat(161)), 2);
        assert_eq!(sms_segments(&"ạ".repeat(70)), 1);
        assert_eq!(sms_segments(&"ạ".repeat(71)), 2);
        assert_eq!(sms_segments(&"ạ".repeat(135)), 3);
    }
}
