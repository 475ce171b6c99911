//! Feedback and petitions (phản ánh, kiến nghị — PAKN) under Decree 20/2008/NĐ-CP (as amended
//! by Decree 92/2017/NĐ-CP) and the deadlines of `docs/research/regulations.md` §2.2 (rows
//! `PETITION_PROCESSING_ON_TIME`, `PETITION_HANDLING_SATISFACTION`): a PAKN is decided
//! (admitted, or refused as not admissible or not under the unit's authority) within 2
//! working days of receipt; the petitioner may be asked for more, once, within 5 working days
//! of receipt, the answer's clock stopped until they reply; it is answered within 15 working
//! days of receipt (plus the pause), and the answer published within 2 working days of it.
//!
//! Every due time is computed on the unit's [`WorkCalendar`] (holidays, make-up working
//! Saturdays) when the stage opens and is **stored** on the petition ([`Deadlines`]), so
//! what counts as late never moves when a schedule is edited later. [`Petition::apply`]
//! moves the state machine ([`PetitionStep`] at an instant, refusing what does not follow);
//! [`Petition::late_as_of`] says whether a deadline was missed by an instant; the counts of
//! the contract are in `tally.rs`.

use std::fmt;

use motcua_calendar::{DeadlineRules, Pause, ProcessingDays, WorkCalendar};
use serde::{Deserialize, Serialize};

use crate::citizen::Contact;
use crate::code::{CodeError, CodeKind, check_code};
use crate::dossier::DossierCode;
use crate::freetext::{check_line, check_note};
use crate::timestamp::Timestamp;
use crate::unit::UnitCode;

mod step;
mod tally;

pub use step::{PetitionError, PetitionStep};
pub use tally::change_points;

/// Working days to decide (admit or refuse) after receipt.
pub const DECIDE_DAYS: u16 = 2;
/// Working days after receipt within which the petitioner may be asked for more.
pub const ASK_DAYS: u16 = 5;
/// Working days to answer after receipt (plus the time waiting for the petitioner).
pub const ANSWER_DAYS: u16 = 15;
/// Working days to publish the answer after it is given.
pub const PUBLISH_DAYS: u16 = 2;

/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 150;
/// The longest content, answer, question or reply, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// A PAKN's code, e.g. `PAKN-HO-XA-240520-0001` (the dossier codes' alphabet).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct PetitionCode(String);

impl PetitionCode {
    pub fn try_parse(text: &str) -> Result<Self, CodeError> {
        let text = text.trim();
        check_code(CodeKind::Dossier, text)?;
        Ok(Self(text.to_owned()))
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::try_parse(text).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The prefix of the codes a unit gives on `date` (`PAKN-HO-XA-240520`); the store
    /// appends `-NNNN`.
    pub fn prefix(unit: &UnitCode, at: Timestamp) -> String {
        let d = at.local_date();
        format!(
            "PAKN-{}-{:02}{:02}{:02}",
            unit.as_str().to_uppercase(),
            d.year().rem_euclid(100),
            u8::from(d.month()),
            d.day()
        )
    }
}

crate::code::deserialize_code!(PetitionCode, PetitionCode::try_parse);

impl fmt::Display for PetitionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! labelled_enum {
    ($name:ident { $($variant:ident = $id:literal, $vi:literal;)* }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stored and submitted id.
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),* }
            }

            pub fn from_id(id: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.id() == id)
            }

            /// How it reads.
            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $vi),* }
            }
        }
    };
}

labelled_enum!(PetitionKind {
    Feedback = "phan_anh", "Phản ánh";
    Proposal = "kien_nghi", "Kiến nghị";
});

labelled_enum!(PetitionSubject {
    Regulation = "quy_dinh", "Về quy định hành chính";
    Conduct = "hanh_vi", "Về hành vi hành chính của cán bộ, công chức";
    Procedure = "thu_tuc", "Về việc giải quyết thủ tục hành chính";
});

/// Where a PAKN stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PetitionState {
    /// Received, not yet decided.
    Received,
    /// Admitted: being handled.
    Admitted,
    /// The petitioner was asked for more; the answer's clock is stopped.
    AwaitingPetitioner,
    /// Refused: not admissible, or not under the unit's authority. Final.
    Refused,
    /// Answered, the answer not yet published.
    Answered,
    /// The answer is published. Final (the petitioner may still say they are dissatisfied).
    Published,
}

impl PetitionState {
    pub fn label_vi(self) -> &'static str {
        match self {
            PetitionState::Received => "Chờ xem xét tiếp nhận",
            PetitionState::Admitted => "Đang xử lý",
            PetitionState::AwaitingPetitioner => "Chờ người gửi bổ sung thông tin",
            PetitionState::Refused => "Từ chối tiếp nhận",
            PetitionState::Answered => "Đã trả lời, chờ công khai",
            PetitionState::Published => "Đã công khai kết quả",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            PetitionState::Received => "received",
            PetitionState::Admitted => "admitted",
            PetitionState::AwaitingPetitioner => "awaiting_petitioner",
            PetitionState::Refused => "refused",
            PetitionState::Answered => "answered",
            PetitionState::Published => "published",
        }
    }

    /// Whether nothing more is due.
    pub fn is_final(self) -> bool {
        matches!(self, PetitionState::Refused | PetitionState::Published)
    }
}

/// The due times, computed on the unit's calendar when each stage opens, and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// Decide (admit or refuse): 2 working days after receipt.
    pub decide: Timestamp,
    /// Ask the petitioner for more (optional, once): 5 working days after receipt.
    pub ask: Timestamp,
    /// Answer: 15 working days after receipt plus the pause; `None` while the clock is
    /// stopped (asked, not yet replied).
    pub answer: Option<Timestamp>,
    /// Publish: 2 working days after the answer; `None` before the answer.
    pub publish: Option<Timestamp>,
}

/// What the form sends, checked ([`NewPetition::check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPetition {
    pub unit_code: UnitCode,
    pub kind: PetitionKind,
    pub subject: PetitionSubject,
    pub content: String,
    pub name: String,
    pub contact: Contact,
    pub dossier_code: Option<DossierCode>,
}

/// A field of the form, for its error message beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormField {
    Unit,
    Kind,
    Subject,
    Content,
    Name,
    Contact,
    DossierCode,
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub dossier_code: String,
}

impl PetitionForm {
    /// The petition it asks for, or every error beside its field, in Vietnamese. Whether
    /// the unit exists is the caller's to check.
    pub fn check(&self) -> Result<NewPetition, Vec<(FormField, String)>> {
        let mut errors = Vec::new();
        let unit = UnitCode::parse(self.unit.trim())
            .map_err(|_| errors.push((FormField::Unit, "Chọn cơ quan, đơn vị nhận".to_owned())))
            .ok();
        let kind = PetitionKind::from_id(self.kind.trim());
        if kind.is_none() {
            errors.push((FormField::Kind, "Chọn phản ánh hoặc kiến nghị".to_owned()));
        }
        let subject = PetitionSubject::from_id(self.subject.trim());
        if subject.is_none() {
            errors.push((FormField::Subject, "Chọn nội dung liên quan".to_owned()));
        }
        let content = self.content.trim();
        if content.is_empty() {
            errors.push((
                FormField::Content,
                "Nhập nội dung phản ánh, kiến nghị".to_owned(),
            ));
        } else if let Err(e) = check_note(content, MAX_TEXT_CHARS) {
            errors.push((FormField::Content, format!("Nội dung {e}")));
        }
        let name = self.name.trim();
        if name.is_empty() {
            errors.push((FormField::Name, "Nhập họ và tên".to_owned()));
        } else if let Err(e) = check_line(name, MAX_NAME_CHARS) {
            errors.push((FormField::Name, format!("Họ và tên {e}")));
        }
        let contact = Contact::parse(&self.contact)
            .map_err(|e| errors.push((FormField::Contact, e)))
            .ok();
        let dossier_code = match self.dossier_code.trim() {
            "" => None,
            text => match DossierCode::try_parse(text) {
                Ok(c) => Some(c),
                Err(e) => {
                    errors.push((
                        FormField::DossierCode,
                        format!("Mã hồ sơ không hợp lệ: {e}"),
                    ));
                    None
                }
            },
        };
        match (unit, kind, subject, contact) {
            (Some(unit_code), Some(kind), Some(subject), Some(contact)) if errors.is_empty() => {
                Ok(NewPetition {
                    unit_code,
                    kind,
                    subject,
                    content: content.to_owned(),
                    name: name.to_owned(),
                    contact,
                    dossier_code,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A PAKN as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub code: PetitionCode,
    /// The unit handling it: the one chosen on the form, or the one the reform office
    /// assigned it to.
    pub unit_code: UnitCode,
    /// The officer handling it (a user name), once assigned.
    pub assignee: Option<String>,
    pub kind: PetitionKind,
    pub subject: PetitionSubject,
    pub content: String,
    pub name: String,
    pub contact: Contact,
    pub dossier_code: Option<DossierCode>,
    pub received_at: Timestamp,
    pub state: PetitionState,
    pub deadlines: Deadlines,
    pub decided_at: Option<Timestamp>,
    pub refusal_reason: Option<String>,
    pub asked_at: Option<Timestamp>,
    pub question: Option<String>,
    pub replied_at: Option<Timestamp>,
    pub reply: Option<String>,
    pub answered_at: Option<Timestamp>,
    pub answer: Option<String>,
    pub published_at: Option<Timestamp>,
    /// When the petitioner said "không hài lòng" with the published answer.
    pub dissatisfied_at: Option<Timestamp>,
    /// The earlier PAKN it repeats (trùng lặp), as an officer marked it.
    pub repeat_of: Option<PetitionCode>,
}

/// `days` working days after `from` on `calendar`, the clock stopped during `pauses`.
pub fn working_days_after(
    calendar: &WorkCalendar,
    from: Timestamp,
    days: u16,
    pauses: &[(Timestamp, Timestamp)],
) -> Result<Timestamp, PetitionError> {
    let pauses: Vec<Pause> = pauses
        .iter()
        .map(|(a, b)| Pause {
            from: a.to_local(),
            to: b.to_local(),
            reason: "Chờ người gửi bổ sung thông tin".to_owned(),
        })
        .collect();
    let due = motcua_calendar::due_at(
        from.to_local(),
        ProcessingDays::days(days),
        DeadlineRules::default(),
        &pauses,
        calendar,
    )
    .map_err(|e| PetitionError::Calendar(e.to_string()))?;
    Timestamp::from_datetime(due.due_at).map_err(|e| PetitionError::Calendar(e.to_string()))
}

impl Petition {
    /// A new PAKN received at `at`, its first deadlines on the unit's `calendar`.
    pub fn receive(
        code: PetitionCode,
        new: NewPetition,
        at: Timestamp,
        calendar: &WorkCalendar,
    ) -> Result<Self, PetitionError> {
        let deadlines = Deadlines {
            decide: working_days_after(calendar, at, DECIDE_DAYS, &[])?,
            ask: working_days_after(calendar, at, ASK_DAYS, &[])?,
            answer: Some(working_days_after(calendar, at, ANSWER_DAYS, &[])?),
            publish: None,
        };
        Ok(Self {
            code,
            unit_code: new.unit_code,
            assignee: None,
            kind: new.kind,
            subject: new.subject,
            content: new.content,
            name: new.name,
            contact: new.contact,
            dossier_code: new.dossier_code,
            received_at: at,
            state: PetitionState::Received,
            deadlines,
            decided_at: None,
            refusal_reason: None,
            asked_at: None,
            question: None,
            replied_at: None,
            reply: None,
            answered_at: None,
            answer: None,
            published_at: None,
            dissatisfied_at: None,
            repeat_of: None,
        })
    }

    /// Whether it was refused (not admitted).
    pub fn is_refused(&self) -> bool {
        self.state == PetitionState::Refused
    }

    /// When it was completed: refused (the decision) or its answer published.
    pub fn completed_at(&self) -> Option<Timestamp> {
        if self.is_refused() {
            self.decided_at
        } else {
            self.published_at
        }
    }

    /// The stages as (due, completed): a stage is late as of `t` when its due is before
    /// both `t` and its completion.
    fn stages(&self) -> [Option<(Timestamp, Option<Timestamp>)>; 3] {
        let d = &self.deadlines;
        let refused = self.is_refused();
        [
            Some((d.decide, self.decided_at)),
            d.answer
                .filter(|_| !refused)
                .map(|due| (due, self.answered_at)),
            d.publish
                .filter(|_| !refused)
                .map(|due| (due, self.published_at)),
        ]
    }

    /// Whether a deadline was missed by `t`: a stage completed after its due (by `t`), or a
    /// stage still open at `t` whose due is before `t`; asking for more after its 5 days
    /// counts once asked (by `t`).
    pub fn late_as_of(&self, t: Timestamp) -> bool {
        let stage_late = self.stages().into_iter().flatten().any(|(due, done)| {
            let until = done.map_or(t, |c| c.min(t));
            due < until
        });
        let asked_late = self
            .asked_at
            .is_some_and(|a| a <= t && a > self.deadlines.ask);
        stage_late || asked_late
    }

    /// The next due time of what is open, for the officers' list (due soonest first).
    pub fn next_due(&self) -> Option<Timestamp> {
        match self.state {
            PetitionState::Received => Some(self.deadlines.decide),
            PetitionState::Admitted => self.deadlines.answer,
            PetitionState::AwaitingPetitioner => None,
            PetitionState::Answered => self.deadlines.publish,
            PetitionState::Refused | PetitionState::Published => None,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
