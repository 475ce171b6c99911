//! The steps taken on a dossier ([`Step`], with their data) and their kinds ([`StepKind`]: the
//! one list of steps, with their names, whether they need a reason and the action they need).
//!
//! The hand-off inside a unit: reception or the unit's leader assigns the dossier to a
//! specialist ([`Step::Assign`], "chuyển xử lý"); the specialist proposes a result
//! ([`Step::ProposeApproval`] or [`Step::ProposeRejection`], "trình lãnh đạo"); the leader
//! settles it ([`Step::Approve`] or [`Step::Reject`], "phê duyệt") or sends it back
//! ([`Step::SendBack`], "trả lại chuyên viên"). Only a leader (or an integration's API token
//! with write access) settles a dossier; a leader may also settle one no specialist proposed.

use serde::{Deserialize, Serialize};

use crate::access::Action;
use crate::details::{Component, Details};
use crate::freetext::Reason;
use crate::timestamp::Timestamp;
use crate::unit::UnitCode;

/// A step an officer (or the applicant) takes on a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// The handling unit takes the dossier up (without naming a specialist).
    StartProcessing,
    /// Hand the dossier to a specialist of the handling unit (chuyển xử lý): by reception at
    /// hand-over or by the unit's leader; the dossier is then in processing. `to` is the
    /// specialist's user name.
    Assign {
        #[serde(deserialize_with = "crate::freetext::line::<_, 64>")]
        #[cfg_attr(
            feature = "openapi",
            schema(
                max_length = 64,
                pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
                example = "chuyen-vien"
            )
        )]
        to: String,
    },
    /// Ask the applicant for a supplement (Mẫu 02); stops the clock. Once per handling unit.
    RequestSupplement { reason: Reason },
    /// The supplement arrived, with the documents it brought (added to the component
    /// checklist, or updating the line of the same name); the clock resumes where it stopped.
    Supplemented {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        #[cfg_attr(feature = "openapi", schema(max_items = 50))]
        documents: Vec<SuppliedDocument>,
    },
    /// Suspend handling; stops the clock.
    Suspend { reason: Reason },
    /// Resume handling; the clock resumes.
    Resume,
    /// Hand the dossier to another unit (liên thông).
    Transfer { to: UnitCode, reason: Reason },
    /// The specialist proposes to issue the result (trình lãnh đạo phê duyệt).
    ProposeApproval { result_digitized: bool },
    /// The specialist proposes to refuse, with reasons (trình lãnh đạo từ chối).
    ProposeRejection { reason: Reason },
    /// The leader sends the proposal back to the specialist, with a reason.
    SendBack { reason: Reason },
    /// Issue the result (the leader's approval; settles the dossier).
    Approve { result_digitized: bool },
    /// Refuse, with reasons (Mẫu 03 / refusal notice; settles the dossier).
    Reject { reason: Reason },
    /// Hand the result or the refusal back to the applicant, saying who collected it.
    ReturnResult {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collected_by: Option<Collector>,
    },
    /// Withdrawn at the applicant's request.
    Withdraw { reason: Reason },
    /// Apologise and give a new appointment (at most once per dossier). The dossier is still
    /// classified against its original appointment.
    Apologize { new_due: Timestamp, reason: Reason },
}

/// A document brought as a supplement: a line of the component checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuppliedDocument {
    /// Tên giấy tờ.
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub name: String,
    #[serde(default)]
    pub originals: u32,
    #[serde(default)]
    pub copies: u32,
}

/// Who collected the result at the desk: the applicant, or someone on their behalf
/// (`relation` says how: "con", "người được ủy quyền"…; empty for the applicant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Collector {
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub name: String,
    /// Số định danh cá nhân.
    #[serde(deserialize_with = "crate::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub id_number: String,
    /// The relation to the applicant; empty when the applicant collected it.
    #[serde(
        default,
        deserialize_with = "crate::freetext::line::<_, 300>",
        skip_serializing_if = "String::is_empty"
    )]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub relation: String,
}

impl Collector {
    /// `Nguyễn Văn A, CCCD 001…` and the relation when not the applicant.
    pub fn text_vi(&self) -> String {
        let mut t = format!(
            "{}, số định danh {}",
            self.name.trim(),
            self.id_number.trim()
        );
        if !self.relation.trim().is_empty() {
            t.push_str(&format!(" ({})", self.relation.trim()));
        }
        t
    }
}

/// The kinds of step, without their data: the one list of steps, with their names, whether
/// they need a reason and the action they need (`Lifecycle::allows` says which are possible).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    StartProcessing,
    Assign,
    RequestSupplement,
    Supplemented,
    Suspend,
    Resume,
    Transfer,
    ProposeApproval,
    ProposeRejection,
    SendBack,
    Approve,
    Reject,
    ReturnResult,
    Withdraw,
    Apologize,
}

/// How the dossier page styles a step's button: one primary action, the others secondary,
/// the irreversible or backward ones as danger (they ask for a confirmation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    Primary,
    Secondary,
    Danger,
}

impl Emphasis {
    pub fn as_str(self) -> &'static str {
        match self {
            Emphasis::Primary => "primary",
            Emphasis::Secondary => "secondary",
            Emphasis::Danger => "danger",
        }
    }
}

impl StepKind {
    /// Every kind, in the order the dossier page offers them.
    pub const ALL: [StepKind; 15] = [
        StepKind::Assign,
        StepKind::StartProcessing,
        StepKind::RequestSupplement,
        StepKind::Supplemented,
        StepKind::Suspend,
        StepKind::Resume,
        StepKind::ProposeApproval,
        StepKind::ProposeRejection,
        StepKind::Approve,
        StepKind::Reject,
        StepKind::SendBack,
        StepKind::ReturnResult,
        StepKind::Withdraw,
        StepKind::Transfer,
        StepKind::Apologize,
    ];

    /// The machine name (`start_processing`…), the `step` of the API and the event log.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::StartProcessing => "start_processing",
            StepKind::Assign => "assign",
            StepKind::RequestSupplement => "request_supplement",
            StepKind::Supplemented => "supplemented",
            StepKind::Suspend => "suspend",
            StepKind::Resume => "resume",
            StepKind::Transfer => "transfer",
            StepKind::ProposeApproval => "propose_approval",
            StepKind::ProposeRejection => "propose_rejection",
            StepKind::SendBack => "send_back",
            StepKind::Approve => "approve",
            StepKind::Reject => "reject",
            StepKind::ReturnResult => "return_result",
            StepKind::Withdraw => "withdraw",
            StepKind::Apologize => "apologize",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The Vietnamese name of the step, for messages and the timeline.
    pub fn name_vi(self) -> &'static str {
        match self {
            StepKind::StartProcessing => "bắt đầu xử lý",
            StepKind::Assign => "chuyển xử lý",
            StepKind::RequestSupplement => "yêu cầu bổ sung hồ sơ",
            StepKind::Supplemented => "nhận hồ sơ bổ sung",
            StepKind::Suspend => "tạm dừng giải quyết",
            StepKind::Resume => "tiếp tục giải quyết",
            StepKind::Transfer => "chuyển liên thông",
            StepKind::ProposeApproval => "trình lãnh đạo phê duyệt kết quả",
            StepKind::ProposeRejection => "trình lãnh đạo từ chối giải quyết",
            StepKind::SendBack => "trả lại chuyên viên",
            StepKind::Approve => "phê duyệt kết quả",
            StepKind::Reject => "từ chối giải quyết",
            StepKind::ReturnResult => "trả kết quả",
            StepKind::Withdraw => "rút hồ sơ",
            StepKind::Apologize => "xin lỗi và hẹn lại ngày trả",
        }
    }

    /// Whether the step must say why (its form asks for a reason).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            StepKind::RequestSupplement
                | StepKind::Suspend
                | StepKind::Transfer
                | StepKind::ProposeRejection
                | StepKind::SendBack
                | StepKind::Reject
                | StepKind::Withdraw
                | StepKind::Apologize
        )
    }

    /// Whether the step cannot be undone or sends the dossier backwards: its form asks for a
    /// confirmation.
    pub fn needs_confirmation(self) -> bool {
        matches!(
            self,
            StepKind::Reject
                | StepKind::ProposeRejection
                | StepKind::Withdraw
                | StepKind::SendBack
                | StepKind::ReturnResult
                | StepKind::Transfer
        )
    }

    /// How the page styles its button when it is not the primary action.
    pub fn emphasis(self) -> Emphasis {
        if matches!(
            self,
            StepKind::Reject | StepKind::ProposeRejection | StepKind::Withdraw | StepKind::SendBack
        ) {
            Emphasis::Danger
        } else {
            Emphasis::Secondary
        }
    }

    /// The action a principal needs to take it: the desk's own steps (the supplement
    /// received, the result handed back, the applicant's withdrawal), the hand-off to a
    /// specialist, the specialist's proposal, the leader's decision, or handling.
    pub fn action(self) -> Action {
        match self {
            StepKind::Supplemented | StepKind::ReturnResult | StepKind::Withdraw => {
                Action::ReceiveDossier
            }
            StepKind::Assign => Action::AssignDossier,
            StepKind::ProposeApproval | StepKind::ProposeRejection => Action::ProposeResult,
            StepKind::Approve | StepKind::Reject | StepKind::SendBack => Action::ApproveDossier,
            _ => Action::ProcessDossier,
        }
    }
}

impl Step {
    /// The kind of the step, without its data.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::StartProcessing => StepKind::StartProcessing,
            Step::Assign { .. } => StepKind::Assign,
            Step::RequestSupplement { .. } => StepKind::RequestSupplement,
            Step::Supplemented { .. } => StepKind::Supplemented,
            Step::Suspend { .. } => StepKind::Suspend,
            Step::Resume => StepKind::Resume,
            Step::Transfer { .. } => StepKind::Transfer,
            Step::ProposeApproval { .. } => StepKind::ProposeApproval,
            Step::ProposeRejection { .. } => StepKind::ProposeRejection,
            Step::SendBack { .. } => StepKind::SendBack,
            Step::Approve { .. } => StepKind::Approve,
            Step::Reject { .. } => StepKind::Reject,
            Step::ReturnResult { .. } => StepKind::ReturnResult,
            Step::Withdraw { .. } => StepKind::Withdraw,
            Step::Apologize { .. } => StepKind::Apologize,
        }
    }

    /// The Vietnamese name of the step, for messages and the timeline.
    pub fn name_vi(&self) -> &'static str {
        self.kind().name_vi()
    }

    /// A short machine name (`start_processing`…), as in the event log.
    pub fn as_str(&self) -> &'static str {
        self.kind().as_str()
    }

    /// Whether the step must say why (a form asks for a reason).
    pub fn needs_reason(&self) -> bool {
        self.kind().needs_reason()
    }

    /// The reason the step carries, if it is a step that needs one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Step::RequestSupplement { reason }
            | Step::Suspend { reason }
            | Step::Transfer { reason, .. }
            | Step::ProposeRejection { reason }
            | Step::SendBack { reason }
            | Step::Reject { reason }
            | Step::Withdraw { reason }
            | Step::Apologize { reason, .. } => Some(reason.as_str()),
            _ => None,
        }
    }
}

/// Writes the documents a supplement brought into the component checklist: a document
/// named as a line already there (letter case and spaces aside) updates its counts, another is
/// added at the end. Returns each document's index in the checklist (where its scan goes), or
/// why the checklist would not hold (in Vietnamese).
pub fn add_documents(
    details: &mut Details,
    documents: &[SuppliedDocument],
) -> Result<Vec<usize>, String> {
    let key = |name: &str| {
        name.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut slots = Vec::with_capacity(documents.len());
    for doc in documents {
        let name = doc.name.trim();
        if name.is_empty() {
            return Err("hãy ghi tên giấy tờ bổ sung".to_owned());
        }
        let found = details
            .components
            .iter()
            .position(|c| key(&c.name) == key(name));
        let index = match found {
            Some(i) => {
                let c = &mut details.components[i];
                c.originals = doc.originals;
                c.copies = doc.copies;
                i
            }
            None => {
                details.components.push(Component {
                    name: name.to_owned(),
                    originals: doc.originals,
                    copies: doc.copies,
                    scan: None,
                });
                details.components.len() - 1
            }
        };
        slots.push(index);
    }
    details.check()?;
    Ok(slots)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_supplement_updates_the_line_of_its_name_or_adds_one() {
        let mut d = Details {
            components: vec![Component {
                name: "Tờ khai  đăng ký khai sinh".to_owned(),
                originals: 1,
                copies: 0,
                scan: None,
            }],
            ..Details::default()
        };
        let doc = |name: &str, copies| SuppliedDocument {
            name: name.to_owned(),
            originals: 1,
            copies,
        };
        let slots = add_documents(
            &mut d,
            &[
                doc("tờ khai đăng ký khai sinh", 1),
                doc("Giấy chứng sinh", 0),
            ],
        )
        .unwrap();
        assert_eq!(slots, vec![0, 1]);
        assert_eq!(d.components.len(), 2);
        assert_eq!(d.components[0].copies, 1);
        assert_eq!(d.components[1].name, "Giấy chứng sinh");
        assert!(add_documents(&mut d, &[doc(" ", 0)]).is_err());
    }
}
