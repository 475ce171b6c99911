//! The steps of a PAKN and the state machine that takes them.

use motcua_calendar::WorkCalendar;
use serde::{Deserialize, Serialize};

use super::{
    ANSWER_DAYS, MAX_TEXT_CHARS, PUBLISH_DAYS, Petition, PetitionCode, PetitionState,
    working_days_after,
};
use crate::freetext::check_note;
use crate::timestamp::Timestamp;
use crate::unit::UnitCode;

/// One step of a PAKN, taken at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum PetitionStep {
    /// The reform office hands it to a unit (of its subtree), or a unit to one of its
    /// officers. The stored deadlines do not move.
    Assign {
        unit: UnitCode,
        officer: Option<String>,
    },
    /// Admitted: under the unit's authority and admissible.
    Admit,
    /// Refused: not admissible, or not under the unit's authority.
    Refuse { reason: String },
    /// The petitioner is asked for more (once); the answer's clock stops.
    AskForMore { question: String },
    /// The petitioner's reply; the answer's clock resumes.
    Reply { text: String },
    /// The answer (kết quả xử lý).
    Answer { text: String },
    /// The answer made public.
    Publish,
    /// The petitioner is not satisfied with the published answer ("không hài lòng").
    Dissatisfied,
    /// It repeats an earlier PAKN (trùng lặp).
    MarkRepeat { of: PetitionCode },
}

impl PetitionStep {
    /// The id of its kind, as the history and the audit trail record it.
    pub fn id(&self) -> &'static str {
        match self {
            PetitionStep::Assign { .. } => "assign",
            PetitionStep::Admit => "admit",
            PetitionStep::Refuse { .. } => "refuse",
            PetitionStep::AskForMore { .. } => "ask_for_more",
            PetitionStep::Reply { .. } => "reply",
            PetitionStep::Answer { .. } => "answer",
            PetitionStep::Publish => "publish",
            PetitionStep::Dissatisfied => "dissatisfied",
            PetitionStep::MarkRepeat { .. } => "mark_repeat",
        }
    }

    /// How it reads in the history.
    pub fn label_vi(&self) -> &'static str {
        match self {
            PetitionStep::Assign { .. } => "Phân công xử lý",
            PetitionStep::Admit => "Tiếp nhận xử lý",
            PetitionStep::Refuse { .. } => "Từ chối tiếp nhận",
            PetitionStep::AskForMore { .. } => "Đề nghị bổ sung thông tin",
            PetitionStep::Reply { .. } => "Người gửi bổ sung thông tin",
            PetitionStep::Answer { .. } => "Trả lời kết quả xử lý",
            PetitionStep::Publish => "Công khai kết quả xử lý",
            PetitionStep::Dissatisfied => "Người gửi không hài lòng",
            PetitionStep::MarkRepeat { .. } => "Đánh dấu trùng lặp",
        }
    }
}

/// Why a step is not taken, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PetitionError {
    #[error("không thực hiện được «{step}» khi phản ánh, kiến nghị đang ở trạng thái «{state}»")]
    NotAllowed {
        step: &'static str,
        state: &'static str,
    },
    #[error("thời điểm thực hiện trước bước xử lý trước đó")]
    BeforeLast,
    #[error("{0}")]
    Text(String),
    #[error("đã đề nghị người gửi bổ sung thông tin một lần")]
    AskedOnce,
    #[error("đã được đánh dấu")]
    Already,
    #[error("không tính được thời hạn: {0}")]
    Calendar(String),
}

fn text(label: &str, t: &str) -> Result<String, PetitionError> {
    let t = t.trim();
    if t.is_empty() {
        return Err(PetitionError::Text(format!("Nhập {label}")));
    }
    check_note(t, MAX_TEXT_CHARS).map_err(|e| PetitionError::Text(format!("{label} {e}")))?;
    Ok(t.to_owned())
}

impl Petition {
    /// The last instant anything happened to it.
    pub fn last_at(&self) -> Timestamp {
        [
            Some(self.received_at),
            self.decided_at,
            self.asked_at,
            self.replied_at,
            self.answered_at,
            self.published_at,
            self.dissatisfied_at,
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(self.received_at)
    }

    /// The petition after `step` at `at`; `calendar` is the unit's, for the deadlines the
    /// step opens.
    pub fn apply(
        &self,
        step: &PetitionStep,
        at: Timestamp,
        calendar: &WorkCalendar,
    ) -> Result<Petition, PetitionError> {
        use PetitionState as S;
        if at < self.last_at() {
            return Err(PetitionError::BeforeLast);
        }
        let refuse = || PetitionError::NotAllowed {
            step: step.label_vi(),
            state: self.state.label_vi(),
        };
        let mut p = self.clone();
        match step {
            PetitionStep::Assign { unit, officer } => {
                if self.state.is_final() {
                    return Err(refuse());
                }
                p.unit_code = unit.clone();
                p.assignee = officer.clone();
            }
            PetitionStep::Admit => {
                if self.state != S::Received {
                    return Err(refuse());
                }
                p.state = S::Admitted;
                p.decided_at = Some(at);
            }
            PetitionStep::Refuse { reason } => {
                if self.state != S::Received {
                    return Err(refuse());
                }
                p.state = S::Refused;
                p.decided_at = Some(at);
                p.refusal_reason = Some(text("lý do từ chối", reason)?);
            }
            PetitionStep::AskForMore { question } => {
                if self.state != S::Admitted {
                    return Err(refuse());
                }
                if self.asked_at.is_some() {
                    return Err(PetitionError::AskedOnce);
                }
                p.question = Some(text("nội dung đề nghị bổ sung", question)?);
                p.state = S::AwaitingPetitioner;
                p.asked_at = Some(at);
                // The clock stops only if it still runs: asked after the answer's due, the
                // due stays.
                if self.deadlines.answer.is_some_and(|due| at < due) {
                    p.deadlines.answer = None;
                }
            }
            PetitionStep::Reply { text: t } => {
                if self.state != S::AwaitingPetitioner {
                    return Err(refuse());
                }
                p.reply = Some(text("nội dung bổ sung", t)?);
                p.state = S::Admitted;
                p.replied_at = Some(at);
                if p.deadlines.answer.is_none() {
                    let asked = self.asked_at.unwrap_or(at);
                    p.deadlines.answer = Some(working_days_after(
                        calendar,
                        self.received_at,
                        ANSWER_DAYS,
                        &[(asked, at)],
                    )?);
                }
            }
            PetitionStep::Answer { text: t } => {
                if self.state != S::Admitted {
                    return Err(refuse());
                }
                p.answer = Some(text("nội dung trả lời", t)?);
                p.state = S::Answered;
                p.answered_at = Some(at);
                p.deadlines.publish = Some(working_days_after(calendar, at, PUBLISH_DAYS, &[])?);
            }
            PetitionStep::Publish => {
                if self.state != S::Answered {
                    return Err(refuse());
                }
                p.state = S::Published;
                p.published_at = Some(at);
            }
            PetitionStep::Dissatisfied => {
                if self.state != S::Published {
                    return Err(refuse());
                }
                if self.dissatisfied_at.is_some() {
                    return Err(PetitionError::Already);
                }
                p.dissatisfied_at = Some(at);
            }
            PetitionStep::MarkRepeat { of } => {
                if self.repeat_of.is_some() {
                    return Err(PetitionError::Already);
                }
                if *of == self.code {
                    return Err(PetitionError::Text(
                        "Một phản ánh, kiến nghị không trùng với chính nó".to_owned(),
                    ));
                }
                p.repeat_of = Some(of.clone());
            }
        }
        Ok(p)
    }
}
