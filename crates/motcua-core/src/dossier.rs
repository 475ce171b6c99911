//! Dossiers ([`Dossier`], hồ sơ) and their append-only history ([`DossierEvent`]).
//!
//! A `Dossier` is only built through [`Dossier::check`] (directly or by the interchange
//! parser), so its internal rules hold everywhere after: digitized components never exceed
//! the components, an outcome always comes with its settlement time and the other way round,
//! nothing is settled before it was received nor returned before it was settled, only online
//! dossiers carry an online level, only approved ones say whether their result was digitized,
//! a payment has both its channel and its time, and only a dossier approved or rejected
//! carries a citizen's [`Rating`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::code::{CodeError, CodeKind, check_code};
use crate::procedure::ProcedureCode;
use crate::timestamp::Timestamp;
use crate::unit::UnitCode;

/// How a dossier reached the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the desk.
    Direct,
    /// Through the public postal service.
    Postal,
    Online,
}

/// The online service level a dossier was submitted under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubmissionLevel {
    /// toàn trình
    Full,
    /// một phần
    Partial,
}

/// How a dossier was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The result was issued.
    Approved,
    /// Refused with reasons.
    Rejected,
    /// The applicant withdrew the dossier.
    Withdrawn,
}

/// How a fee was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentChannel {
    /// Through the national public service portal.
    Online,
    /// Cash or transfer at the desk.
    Offline,
}

/// A citizen's rating of the service once their dossier's result exists (đánh giá mức độ
/// hài lòng): one per dossier, and only of a dossier approved or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Rất hài lòng
    VerySatisfied,
    /// Hài lòng
    Satisfied,
    /// Không hài lòng
    Dissatisfied,
}

impl Rating {
    /// The three ratings, in the order the buttons show them.
    pub const ALL: [Rating; 3] = [
        Rating::VerySatisfied,
        Rating::Satisfied,
        Rating::Dissatisfied,
    ];

    /// How the rating reads: `Rất hài lòng`.
    pub fn label_vi(self) -> &'static str {
        match self {
            Rating::VerySatisfied => "Rất hài lòng",
            Rating::Satisfied => "Hài lòng",
            Rating::Dissatisfied => "Không hài lòng",
        }
    }
}

/// Which one-stop system the dossier lives in (migration from the old system).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SourceSystem {
    New,
    Old,
}

macro_rules! text_enum {
    ($t:ty { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl $t {
            /// The interchange spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            /// Parses the interchange spelling.
            pub fn parse(text: &str) -> Option<Self> {
                match text.trim() { $($text => Some(Self::$variant),)+ _ => None }
            }
            /// Every accepted spelling, for error messages.
            pub const SPELLINGS: &'static [&'static str] = &[$($text),+];
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(Channel { Direct = "direct", Postal = "postal", Online = "online" });
text_enum!(SubmissionLevel { Full = "full", Partial = "partial" });
text_enum!(Outcome { Approved = "approved", Rejected = "rejected", Withdrawn = "withdrawn" });
text_enum!(PaymentChannel { Online = "online", Offline = "offline" });
text_enum!(SourceSystem { New = "new", Old = "old" });
text_enum!(Rating {
    VerySatisfied = "very_satisfied",
    Satisfied = "satisfied",
    Dissatisfied = "dissatisfied",
});

/// A dossier code (mã hồ sơ), e.g. `HO-XA-240520-0001`; see [`crate::code`] for the
/// alphabet and the length bound.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DossierCode(String);

#[cfg(feature = "openapi")]
crate::code::code_schema!(DossierCode, crate::code::CodeKind::Dossier);

impl DossierCode {
    /// The code, or why `text` is not one (the message names the character at fault).
    pub fn try_parse(text: &str) -> Result<Self, CodeError> {
        let text = text.trim();
        check_code(CodeKind::Dossier, text)?;
        Ok(Self(text.to_owned()))
    }

    /// [`DossierCode::try_parse`] without the reason.
    pub fn parse(text: &str) -> Option<Self> {
        Self::try_parse(text).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::code::deserialize_code!(DossierCode, DossierCode::try_parse);

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A dossier, with every field of the interchange format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dossier {
    pub code: DossierCode,
    pub procedure_code: ProcedureCode,
    /// The unit that received the dossier and answers for it.
    pub unit_code: UnitCode,
    pub channel: Channel,
    /// Only for online dossiers.
    pub online_level: Option<SubmissionLevel>,
    /// Reception of the complete dossier.
    pub received_at: Timestamp,
    /// Appointment for the result (ngày hẹn trả).
    pub due_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub outcome: Option<Outcome>,
    pub returned_at: Option<Timestamp>,
    pub components_total: u32,
    pub components_digitized: u32,
    /// Only meaningful for approved dossiers; absent when unknown.
    pub result_digitized: Option<bool>,
    pub fee_vnd: i64,
    pub payment_channel: Option<PaymentChannel>,
    pub paid_at: Option<Timestamp>,
    pub e_receipt: Option<bool>,
    pub source_system: SourceSystem,
    /// The citizen's rating, once the result exists (only of an approved or rejected
    /// dossier).
    #[serde(default)]
    pub rating: Option<Rating>,
}

/// A broken rule of a dossier; `field` names the interchange column at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DossierRuleError {
    pub field: &'static str,
    pub message: String,
}

impl Dossier {
    /// Checks the rules that tie fields together; every broken rule is returned.
    pub fn check(&self) -> Vec<DossierRuleError> {
        let mut errors = Vec::new();
        let mut fail = |field: &'static str, message: String| {
            errors.push(DossierRuleError { field, message });
        };
        match (self.channel, self.online_level) {
            (Channel::Online, None) => fail(
                "online_level",
                "hồ sơ trực tuyến phải ghi mức độ (full hoặc partial)".to_owned(),
            ),
            (Channel::Direct | Channel::Postal, Some(_)) => fail(
                "online_level",
                format!(
                    "chỉ hồ sơ trực tuyến mới có mức độ trực tuyến; hồ sơ này nộp qua kênh «{}»",
                    self.channel
                ),
            ),
            _ => {}
        }
        if self.components_digitized > self.components_total {
            fail(
                "components_digitized",
                format!(
                    "số thành phần đã số hóa ({}) lớn hơn số thành phần hồ sơ ({})",
                    self.components_digitized, self.components_total
                ),
            );
        }
        match (self.resolved_at, self.outcome) {
            (Some(_), None) => fail(
                "outcome",
                "có thời điểm giải quyết (resolved_at) nhưng thiếu kết quả (outcome)".to_owned(),
            ),
            (None, Some(_)) => fail(
                "resolved_at",
                "có kết quả (outcome) nhưng thiếu thời điểm giải quyết (resolved_at)".to_owned(),
            ),
            _ => {}
        }
        if let Some(resolved) = self.resolved_at
            && resolved < self.received_at
        {
            fail(
                "resolved_at",
                format!(
                    "thời điểm giải quyết {} trước thời điểm tiếp nhận {}",
                    resolved, self.received_at
                ),
            );
        }
        if self.due_at < self.received_at {
            fail(
                "due_at",
                format!(
                    "ngày hẹn trả {} trước thời điểm tiếp nhận {}",
                    self.due_at, self.received_at
                ),
            );
        }
        // No procedure takes years; an appointment that far is a typing error, and the
        // aggregates keep one row per month up to every appointment (see `aggregate`).
        const FIVE_YEARS_MICROS: i64 = 5 * 366 * 24 * 3600 * 1_000_000;
        if self
            .due_at
            .as_micros()
            .saturating_sub(self.received_at.as_micros())
            > FIVE_YEARS_MICROS
        {
            fail(
                "due_at",
                format!(
                    "ngày hẹn trả {} cách thời điểm tiếp nhận {} hơn 5 năm",
                    self.due_at, self.received_at
                ),
            );
        }
        if let Some(returned) = self.returned_at {
            match self.resolved_at {
                None => fail(
                    "returned_at",
                    format!("đã trả kết quả lúc {returned} nhưng hồ sơ chưa được giải quyết"),
                ),
                Some(resolved) if returned < resolved => fail(
                    "returned_at",
                    format!(
                        "thời điểm trả kết quả {returned} trước thời điểm giải quyết {resolved}"
                    ),
                ),
                Some(_) if returned < self.received_at => fail(
                    "returned_at",
                    format!(
                        "thời điểm trả kết quả {returned} trước thời điểm tiếp nhận {}",
                        self.received_at
                    ),
                ),
                Some(_) => {}
            }
        }
        if self.result_digitized.is_some() && self.outcome != Some(Outcome::Approved) {
            fail(
                "result_digitized",
                match self.outcome {
                    Some(outcome) => format!(
                        "chỉ hồ sơ có kết quả «approved» mới ghi việc số hóa kết quả; hồ sơ này có kết quả «{outcome}»"
                    ),
                    None => "chỉ hồ sơ có kết quả «approved» mới ghi việc số hóa kết quả; hồ sơ này chưa được giải quyết".to_owned(),
                },
            );
        }
        if self.fee_vnd < 0 {
            fail("fee_vnd", format!("phí, lệ phí âm ({})", self.fee_vnd));
        }
        match (self.payment_channel, self.paid_at) {
            (None, Some(_)) => fail(
                "payment_channel",
                "có thời điểm thanh toán (paid_at) nhưng thiếu hình thức thanh toán".to_owned(),
            ),
            (Some(channel), None) => fail(
                "paid_at",
                format!(
                    "có hình thức thanh toán «{channel}» (payment_channel) nhưng thiếu thời điểm thanh toán (paid_at)"
                ),
            ),
            _ => {}
        }
        if let Some(rating) = self.rating
            && !self.is_resolved()
        {
            fail(
                "rating",
                format!(
                    "chỉ hồ sơ đã giải quyết (approved hoặc rejected) mới có đánh giá; hồ sơ này có đánh giá «{rating}» nhưng {}",
                    match self.outcome {
                        Some(outcome) => format!("có kết quả «{outcome}»"),
                        None => "chưa được giải quyết".to_owned(),
                    }
                ),
            );
        }
        errors
    }

    /// [`Dossier::check`], and no instant of what has happened (reception, settlement,
    /// return, payment) after `now`: a dossier cannot record the future. The appointment
    /// (`due_at`) may of course lie ahead.
    pub fn check_as_of(&self, now: Timestamp) -> Vec<DossierRuleError> {
        let mut errors = self.check();
        for (field, at) in [
            ("received_at", Some(self.received_at)),
            ("resolved_at", self.resolved_at),
            ("returned_at", self.returned_at),
            ("paid_at", self.paid_at),
        ] {
            if let Some(at) = at
                && at > now
            {
                errors.push(DossierRuleError {
                    field,
                    message: format!("thời điểm {at} ở tương lai (bây giờ là {now})"),
                });
            }
        }
        errors
    }

    /// Settled (approved, rejected or withdrawn) strictly before `t`.
    pub fn settled_before(&self, t: Timestamp) -> bool {
        self.resolved_at.is_some_and(|r| r < t)
    }

    /// Resolved means approved or rejected; withdrawn dossiers are never resolved.
    pub fn is_resolved(&self) -> bool {
        matches!(self.outcome, Some(Outcome::Approved | Outcome::Rejected))
    }
}

/// An appointment moved by a change of the working-day calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueMove {
    pub code: DossierCode,
    pub before: Timestamp,
    pub after: Timestamp,
}

/// Timeliness of a resolved dossier against its appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Resolved on an earlier local date than the appointment.
    Early,
    /// Same local date, not after the appointment.
    OnTime,
    /// After the appointment.
    Late,
}

/// Classifies a settlement against its appointment (docs/spec/deadlines.md, "Classification").
pub fn timeliness(resolved_at: Timestamp, due_at: Timestamp) -> Timeliness {
    if resolved_at > due_at {
        Timeliness::Late
    } else if resolved_at.local_date() < due_at.local_date() {
        Timeliness::Early
    } else {
        Timeliness::OnTime
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    #[test]
    fn classification_follows_the_contract() {
        let due = ts("2024-05-20T10:00:00+07:00");
        assert_eq!(
            timeliness(ts("2024-05-19T16:00:00+07:00"), due),
            Timeliness::Early
        );
        assert_eq!(
            timeliness(ts("2024-05-20T09:00:00+07:00"), due),
            Timeliness::OnTime
        );
        assert_eq!(
            timeliness(ts("2024-05-20T10:00:00+07:00"), due),
            Timeliness::OnTime
        );
        assert_eq!(
            timeliness(ts("2024-05-20T10:00:01+07:00"), due),
            Timeliness::Late
        );
        // Local dates, not UTC dates: 06:00 local is the previous day in UTC.
        let due = ts("2024-05-20T06:00:00+07:00");
        assert_eq!(
            timeliness(ts("2024-05-20T05:00:00+07:00"), due),
            Timeliness::OnTime
        );
    }

    fn settled(outcome: Option<Outcome>, rating: Option<Rating>) -> Dossier {
        let received = ts("2024-05-02T08:00:00+07:00");
        Dossier {
            code: DossierCode::parse("HO-XA-240502-0001").unwrap(),
            procedure_code: ProcedureCode::parse("P1").unwrap(),
            unit_code: UnitCode::parse("xa").unwrap(),
            channel: Channel::Direct,
            online_level: None,
            received_at: received,
            due_at: ts("2024-05-10T17:00:00+07:00"),
            resolved_at: outcome.map(|_| ts("2024-05-08T09:00:00+07:00")),
            outcome,
            returned_at: None,
            components_total: 0,
            components_digitized: 0,
            result_digitized: None,
            fee_vnd: 0,
            payment_channel: None,
            paid_at: None,
            e_receipt: None,
            source_system: SourceSystem::New,
            rating,
        }
    }

    #[test]
    fn only_a_resolved_dossier_carries_a_rating() {
        for outcome in [Outcome::Approved, Outcome::Rejected] {
            for rating in Rating::ALL {
                assert!(settled(Some(outcome), Some(rating)).check().is_empty());
            }
        }
        for outcome in [None, Some(Outcome::Withdrawn)] {
            let errors = settled(outcome, Some(Rating::Satisfied)).check();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].field, "rating");
            assert!(settled(outcome, None).check().is_empty());
        }
    }

    #[test]
    fn ratings_are_spelled_and_labelled() {
        for rating in Rating::ALL {
            assert_eq!(Rating::parse(rating.as_str()), Some(rating));
        }
        assert_eq!(Rating::Dissatisfied.as_str(), "dissatisfied");
        assert_eq!(Rating::VerySatisfied.label_vi(), "Rất hài lòng");
        assert_eq!(Rating::parse("hai_long"), None);
    }
}
