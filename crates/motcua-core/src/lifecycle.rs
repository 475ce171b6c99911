//! The dossier lifecycle as an explicit state machine (NĐ 61/2018 as amended by NĐ 107/2021;
//! regulations.md §4): received → in processing → (awaiting supplement ↔ supplemented) →
//! (suspended ↔ resumed) → transferred between units (liên thông) → approved | rejected →
//! result returned; withdrawn at the applicant's request while not yet settled.
//!
//! [`Lifecycle::apply`] takes a [`Step`] at an instant and returns the next state, or a
//! [`LifecycleError`] whose message says in Vietnamese why the step is not allowed. The
//! state keeps the clock's pauses (supplement, suspension), from which the deadline engine
//! recomputes the appointment: a pause stops the clock, which resumes where it stopped.
//! Pure: the caller passes the time and stores the resulting event.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dossier::{Dossier, Outcome};
pub use crate::freetext::Reason;
use crate::timestamp::Timestamp;
use crate::unit::UnitCode;

mod step;

pub use step::{Collector, Emphasis, Step, StepKind, SuppliedDocument, add_documents};

/// Where a dossier stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received complete; the clock runs. Waiting to be taken up.
    Received,
    /// Being handled by a unit (possibly after a transfer).
    InProcessing,
    /// A specialist proposed a result; waiting for the leader's decision. The clock runs.
    AwaitingApproval,
    /// The handling unit asked the applicant for a supplement; the clock is stopped.
    AwaitingSupplement,
    /// Handling suspended (e.g. awaiting another authority); the clock is stopped.
    Suspended,
    /// Settled: the result was issued.
    Approved,
    /// Settled: refused, with reasons.
    Rejected,
    /// Settled: withdrawn at the applicant's request.
    Withdrawn,
    /// The result (or the refusal) was handed back to the applicant.
    Returned,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Received,
        Status::InProcessing,
        Status::AwaitingApproval,
        Status::AwaitingSupplement,
        Status::Suspended,
        Status::Approved,
        Status::Rejected,
        Status::Withdrawn,
        Status::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::InProcessing => "in_processing",
            Status::AwaitingApproval => "awaiting_approval",
            Status::AwaitingSupplement => "awaiting_supplement",
            Status::Suspended => "suspended",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
            Status::Returned => "returned",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The Vietnamese name shown to people.
    pub fn name_vi(self) -> &'static str {
        match self {
            Status::Received => "Đã tiếp nhận",
            Status::InProcessing => "Đang giải quyết",
            Status::AwaitingApproval => "Chờ lãnh đạo phê duyệt",
            Status::AwaitingSupplement => "Chờ bổ sung hồ sơ",
            Status::Suspended => "Tạm dừng giải quyết",
            Status::Approved => "Đã có kết quả",
            Status::Rejected => "Từ chối giải quyết",
            Status::Withdrawn => "Đã rút hồ sơ",
            Status::Returned => "Đã trả kết quả",
        }
    }

    /// The status code of the national portal's synchronisation (regulations.md §4.8).
    pub fn portal_code(self) -> u8 {
        match self {
            Status::Received => 2,
            Status::InProcessing | Status::AwaitingApproval => 4,
            Status::AwaitingSupplement => 5,
            Status::Suspended => 8,
            Status::Approved | Status::Rejected => 9,
            Status::Withdrawn => 7,
            Status::Returned => 10,
        }
    }

    /// Whether the clock is stopped.
    pub fn is_paused(self) -> bool {
        matches!(self, Status::AwaitingSupplement | Status::Suspended)
    }

    /// Whether the dossier is settled (no more handling).
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            Status::Approved | Status::Rejected | Status::Withdrawn | Status::Returned
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far past the current appointment an apology may set the new one: a delay of weeks,
/// not years (a date further away is a typing error, or no appointment at all).
pub const MAX_APOLOGY_DAYS: i64 = 365;

/// Why the clock stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PauseKind {
    Supplement,
    Suspension,
}

impl PauseKind {
    pub fn name_vi(self) -> &'static str {
        match self {
            PauseKind::Supplement => "Chờ bổ sung hồ sơ",
            PauseKind::Suspension => "Tạm dừng giải quyết",
        }
    }
}

/// A stop of the clock; `to` is empty while it lasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PauseSpan {
    pub kind: PauseKind,
    pub from: Timestamp,
    pub to: Option<Timestamp>,
    pub reason: String,
}

/// The one apology a dossier may carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Apology {
    pub at: Timestamp,
    pub new_due: Timestamp,
    pub reason: String,
}

/// Why a step is refused. Messages are Vietnamese and say what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("không thể {step} khi hồ sơ đang ở trạng thái «{status}»")]
    Illegal {
        status: &'static str,
        step: &'static str,
    },
    #[error("cần ghi rõ lý do để {0}")]
    ReasonRequired(&'static str),
    #[error(
        "đơn vị «{0}» đã yêu cầu bổ sung hồ sơ này một lần; theo quy định mỗi cơ quan chỉ được yêu cầu bổ sung một lần"
    )]
    SecondSupplement(String),
    #[error("hồ sơ đã được xin lỗi và hẹn lại ngày trả một lần; không được hẹn lại lần nữa")]
    SecondApology,
    #[error("ngày hẹn mới phải sau ngày hẹn trả hiện tại")]
    ApologyNotLater,
    #[error(
        "ngày hẹn mới ({new_due}) quá xa: chậm nhất {MAX_APOLOGY_DAYS} ngày sau ngày hẹn trả hiện tại ({limit})"
    )]
    ApologyTooFar { new_due: String, limit: String },
    #[error("hồ sơ đang do đơn vị «{0}» giải quyết; hãy chọn đơn vị khác để chuyển liên thông")]
    TransferToSelf(String),
    #[error("thời điểm thao tác ({at}) trước thao tác gần nhất ({last})")]
    BeforeLast { at: String, last: String },
    #[error("hãy chọn chuyên viên để chuyển xử lý")]
    AssigneeRequired,
}

/// What a specialist proposed to the leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Issue the result.
    Approve,
    /// Refuse, with reasons.
    Reject,
}

/// A result proposed to the leader, waiting for the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub decision: Decision,
    /// For an approval: whether the result is digitized.
    #[serde(default)]
    pub result_digitized: bool,
    /// For a refusal: the reasons.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub at: Timestamp,
}

impl Proposal {
    /// The step that settles the dossier as proposed (the leader's "Phê duyệt").
    pub fn settling_step(&self) -> Result<Step, String> {
        Ok(match self.decision {
            Decision::Approve => Step::Approve {
                result_digitized: self.result_digitized,
            },
            Decision::Reject => Step::Reject {
                reason: Reason::parse(&self.reason)?,
            },
        })
    }
}

/// The lifecycle state of a dossier, rebuilt from its steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lifecycle {
    pub status: Status,
    /// The unit handling the dossier now (the receiving unit until a transfer).
    pub handling_unit: UnitCode,
    /// Every stop of the clock, oldest first.
    pub pauses: Vec<PauseSpan>,
    /// Units that have requested a supplement (each may do so once).
    pub supplement_requested_by: Vec<UnitCode>,
    pub apology: Option<Apology>,
    /// When the last step was taken (steps cannot go back in time).
    pub last_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub outcome: Option<Outcome>,
    pub returned_at: Option<Timestamp>,
    pub result_digitized: Option<bool>,
    /// The specialist (user name) the dossier is assigned to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The result proposed to the leader, while waiting for the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<Proposal>,
}

impl Lifecycle {
    /// A dossier just received by `unit` at `at`.
    pub fn received(unit: UnitCode, at: Timestamp) -> Self {
        Self {
            status: Status::Received,
            handling_unit: unit,
            pauses: Vec::new(),
            supplement_requested_by: Vec::new(),
            apology: None,
            last_at: at,
            resolved_at: None,
            outcome: None,
            returned_at: None,
            result_digitized: None,
            assignee: None,
            proposal: None,
        }
    }

    /// The state of a dossier that came with no steps (imported from another system):
    /// settled as recorded, otherwise in processing at its unit.
    pub fn of_imported(d: &Dossier) -> Self {
        let status = match (d.outcome, d.returned_at) {
            (Some(Outcome::Withdrawn), _) => Status::Withdrawn,
            (Some(_), Some(_)) => Status::Returned,
            (Some(Outcome::Approved), None) => Status::Approved,
            (Some(Outcome::Rejected), None) => Status::Rejected,
            (None, _) => Status::InProcessing,
        };
        let last_at = [Some(d.received_at), d.resolved_at, d.returned_at]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(d.received_at);
        Self {
            status,
            handling_unit: d.unit_code.clone(),
            pauses: Vec::new(),
            supplement_requested_by: Vec::new(),
            apology: None,
            last_at,
            resolved_at: d.resolved_at,
            outcome: d.outcome,
            returned_at: d.returned_at,
            result_digitized: d.result_digitized,
            assignee: None,
            proposal: None,
        }
    }

    /// The pause in progress, if the clock is stopped.
    pub fn open_pause(&self) -> Option<&PauseSpan> {
        self.pauses.last().filter(|p| p.to.is_none())
    }

    /// Takes `step` at `at`; the state is unchanged when the step is refused.
    pub fn apply(&self, step: &Step, at: Timestamp) -> Result<Lifecycle, LifecycleError> {
        if at < self.last_at {
            return Err(LifecycleError::BeforeLast {
                at: at.to_rfc3339(),
                last: self.last_at.to_rfc3339(),
            });
        }
        if step.reason().is_some_and(|r| r.trim().is_empty()) {
            return Err(LifecycleError::ReasonRequired(step.name_vi()));
        }
        let illegal = || LifecycleError::Illegal {
            status: self.status.name_vi(),
            step: step.name_vi(),
        };
        if !self.status_allows(step.kind()) {
            return Err(illegal());
        }
        let mut next = self.clone();
        next.last_at = at;
        use Status as S;
        match step {
            Step::StartProcessing => next.status = S::InProcessing,
            Step::Assign { to } => {
                if to.trim().is_empty() {
                    return Err(LifecycleError::AssigneeRequired);
                }
                next.assignee = Some(to.trim().to_owned());
                next.status = S::InProcessing;
            }
            Step::ProposeApproval { result_digitized } => {
                next.status = S::AwaitingApproval;
                next.proposal = Some(Proposal {
                    decision: Decision::Approve,
                    result_digitized: *result_digitized,
                    reason: String::new(),
                    at,
                });
            }
            Step::ProposeRejection { reason } => {
                next.status = S::AwaitingApproval;
                next.proposal = Some(Proposal {
                    decision: Decision::Reject,
                    result_digitized: false,
                    reason: reason.trim().to_owned(),
                    at,
                });
            }
            Step::SendBack { .. } => {
                next.status = S::InProcessing;
                next.proposal = None;
            }
            Step::RequestSupplement { reason } => {
                if self.supplement_requested_by.contains(&self.handling_unit) {
                    return Err(LifecycleError::SecondSupplement(
                        self.handling_unit.to_string(),
                    ));
                }
                next.supplement_requested_by
                    .push(self.handling_unit.clone());
                next.pause(PauseKind::Supplement, at, reason);
                next.status = S::AwaitingSupplement;
            }
            Step::Supplemented { .. } | Step::Resume => {
                next.resume(at);
                next.status = S::InProcessing;
            }
            Step::Suspend { reason } => {
                next.pause(PauseKind::Suspension, at, reason);
                next.status = S::Suspended;
            }
            Step::Transfer { to, .. } => {
                if *to == self.handling_unit {
                    return Err(LifecycleError::TransferToSelf(to.to_string()));
                }
                next.handling_unit = to.clone();
                next.status = S::InProcessing;
                // The unit receiving it assigns its own specialist.
                next.assignee = None;
            }
            Step::Approve { result_digitized } => {
                next.status = S::Approved;
                next.resolved_at = Some(at);
                next.outcome = Some(Outcome::Approved);
                next.result_digitized = Some(*result_digitized);
                next.proposal = None;
            }
            Step::Reject { .. } => {
                next.status = S::Rejected;
                next.resolved_at = Some(at);
                next.outcome = Some(Outcome::Rejected);
                next.proposal = None;
            }
            Step::ReturnResult { .. } => {
                next.status = S::Returned;
                next.returned_at = Some(at);
            }
            Step::Withdraw { .. } => {
                if self.status.is_paused() {
                    next.resume(at);
                }
                next.status = S::Withdrawn;
                next.resolved_at = Some(at);
                next.outcome = Some(Outcome::Withdrawn);
                next.proposal = None;
            }
            Step::Apologize { new_due, reason } => {
                if self.apology.is_some() {
                    return Err(LifecycleError::SecondApology);
                }
                next.apology = Some(Apology {
                    at,
                    new_due: *new_due,
                    reason: reason.trim().to_owned(),
                });
            }
        }
        Ok(next)
    }

    /// Whether the status lets a step of `kind` be taken (its data aside).
    fn status_allows(&self, kind: StepKind) -> bool {
        use Status as S;
        use StepKind as K;
        match kind {
            K::StartProcessing => self.status == S::Received,
            K::RequestSupplement | K::Suspend | K::ProposeApproval | K::ProposeRejection => {
                self.status == S::InProcessing
            }
            K::Approve | K::Reject => matches!(self.status, S::InProcessing | S::AwaitingApproval),
            K::SendBack => self.status == S::AwaitingApproval,
            K::Supplemented => self.status == S::AwaitingSupplement,
            K::Resume => self.status == S::Suspended,
            K::Assign | K::Transfer => matches!(self.status, S::Received | S::InProcessing),
            K::ReturnResult => matches!(self.status, S::Approved | S::Rejected),
            K::Withdraw | K::Apologize => matches!(
                self.status,
                S::Received
                    | S::InProcessing
                    | S::AwaitingSupplement
                    | S::Suspended
                    | S::AwaitingApproval
            ),
        }
    }

    /// Whether a step of `kind` may be taken now, whatever data it will carry (the unit a
    /// transfer goes to, an apology's new date): the steps a dossier's page offers. A handling
    /// unit asks for a supplement once, and a dossier is apologised for once.
    pub fn allows(&self, kind: StepKind) -> bool {
        self.status_allows(kind)
            && match kind {
                StepKind::RequestSupplement => {
                    !self.supplement_requested_by.contains(&self.handling_unit)
                }
                StepKind::Apologize => self.apology.is_none(),
                _ => true,
            }
    }

    fn pause(&mut self, kind: PauseKind, at: Timestamp, reason: &str) {
        self.pauses.push(PauseSpan {
            kind,
            from: at,
            to: None,
            reason: reason.trim().to_owned(),
        });
    }

    fn resume(&mut self, at: Timestamp) {
        if let Some(p) = self.pauses.last_mut()
            && p.to.is_none()
        {
            p.to = Some(at);
        }
    }

    /// Checks an apology's new appointment against the current one (the working-day rule,
    /// at least one working day before the due date, needs the calendar and is checked by
    /// the caller).
    pub fn check_apology(current_due: Timestamp, new_due: Timestamp) -> Result<(), LifecycleError> {
        let limit =
            Timestamp::from_micros(current_due.as_micros() + MAX_APOLOGY_DAYS * 86_400_000_000);
        if new_due <= current_due {
            Err(LifecycleError::ApologyNotLater)
        } else if new_due > limit {
            Err(LifecycleError::ApologyTooFar {
                new_due: crate::display::local_time(new_due),
                limit: crate::display::local_time(limit),
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn unit(code: &str) -> UnitCode {
        UnitCode::parse(code).unwrap()
    }

    /// One step of every kind, with a reason where one is needed.
    fn every_step() -> Vec<Step> {
        let r: Reason = "lý do".parse().unwrap();
        vec![
            Step::StartProcessing,
            Step::Assign {
                to: "chuyen-vien".to_owned(),
            },
            Step::RequestSupplement { reason: r.clone() },
            Step::Supplemented { documents: vec![] },
            Step::Suspend { reason: r.clone() },
            Step::Resume,
            Step::Transfer {
                to: unit("vinh-linh.tu-phap"),
                reason: r.clone(),
            },
            Step::ProposeApproval {
                result_digitized: true,
            },
            Step::ProposeRejection { reason: r.clone() },
            Step::SendBack { reason: r.clone() },
            Step::Approve {
                result_digitized: true,
            },
            Step::Reject { reason: r.clone() },
            Step::ReturnResult {
                collected_by: Some(Collector {
                    name: "Lê Thị Hoa".to_owned(),
                    id_number: "045190000123".to_owned(),
                    relation: "con gái".to_owned(),
                }),
            },
            Step::Withdraw { reason: r.clone() },
            Step::Apologize {
                new_due: ts("2024-06-01T08:00:00+07:00"),
                reason: r,
            },
        ]
    }

    /// The transitions the rules allow: (from, step) → to.
    fn allowed(from: Status, step: &Step) -> Option<Status> {
        use Status as S;
        Some(match (from, step) {
            (S::Received, Step::StartProcessing) => S::InProcessing,
            (S::Received | S::InProcessing, Step::Assign { .. }) => S::InProcessing,
            (S::InProcessing, Step::RequestSupplement { .. }) => S::AwaitingSupplement,
            (S::AwaitingSupplement, Step::Supplemented { .. }) => S::InProcessing,
            (S::InProcessing, Step::ProposeApproval { .. } | Step::ProposeRejection { .. }) => {
                S::AwaitingApproval
            }
            (S::AwaitingApproval, Step::SendBack { .. }) => S::InProcessing,
            (S::InProcessing, Step::Suspend { .. }) => S::Suspended,
            (S::Suspended, Step::Resume) => S::InProcessing,
            (S::Received | S::InProcessing, Step::Transfer { .. }) => S::InProcessing,
            (S::InProcessing | S::AwaitingApproval, Step::Approve { .. }) => S::Approved,
            (S::InProcessing | S::AwaitingApproval, Step::Reject { .. }) => S::Rejected,
            (S::Approved | S::Rejected, Step::ReturnResult { .. }) => S::Returned,
            (
                S::Received
                | S::InProcessing
                | S::AwaitingSupplement
                | S::Suspended
                | S::AwaitingApproval,
                Step::Withdraw { .. },
            ) => S::Withdrawn,
            (
                s @ (S::Received
                | S::InProcessing
                | S::AwaitingSupplement
                | S::Suspended
                | S::AwaitingApproval),
                Step::Apologize { .. },
            ) => s,
            _ => return None,
        })
    }

    /// A dossier brought to `status` by legal steps.
    fn at_status(status: Status) -> Lifecycle {
        let t = ts("2024-05-02T08:00:00+07:00");
        let l = Lifecycle::received(unit("vinh-khe"), t);
        let path: Vec<Step> = match status {
            Status::Received => vec![],
            Status::InProcessing => vec![Step::StartProcessing],
            Status::AwaitingApproval => vec![
                Step::StartProcessing,
                Step::ProposeApproval {
                    result_digitized: true,
                },
            ],
            Status::AwaitingSupplement => vec![
                Step::StartProcessing,
                Step::RequestSupplement {
                    reason: "thiếu giấy tờ".parse().unwrap(),
                },
            ],
            Status::Suspended => vec![
                Step::StartProcessing,
                Step::Suspend {
                    reason: "chờ xác minh".parse().unwrap(),
                },
            ],
            Status::Approved => vec![
                Step::StartProcessing,
                Step::Approve {
                    result_digitized: true,
                },
            ],
            Status::Rejected => vec![
                Step::StartProcessing,
                Step::Reject {
                    reason: "không đủ điều kiện".parse().unwrap(),
                },
            ],
            Status::Withdrawn => vec![Step::Withdraw {
                reason: "người nộp xin rút".parse().unwrap(),
            }],
            Status::Returned => vec![
                Step::StartProcessing,
                Step::Approve {
                    result_digitized: true,
                },
                Step::ReturnResult { collected_by: None },
            ],
        };
        path.iter()
            .fold(l, |l, s| l.apply(s, t).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn every_transition_is_allowed_or_refused_as_the_rules_say() {
        let at = ts("2024-05-03T09:00:00+07:00");
        for status in Status::ALL {
            let state = at_status(status);
            assert_eq!(state.status, status);
            for step in every_step() {
                match (allowed(status, &step), state.apply(&step, at)) {
                    (Some(to), Ok(next)) => assert_eq!(next.status, to, "{status} {step:?}"),
                    (None, Err(e)) => {
                        assert!(
                            matches!(e, LifecycleError::Illegal { .. }),
                            "{status} {step:?}: {e}"
                        );
                        // The message names the step and the status, in Vietnamese.
                        let m = e.to_string();
                        assert!(
                            m.contains(step.name_vi()) && m.contains(status.name_vi()),
                            "{m}"
                        );
                    }
                    (Some(_), Err(e)) => panic!("{status} {step:?} refused: {e}"),
                    (None, Ok(n)) => panic!("{status} {step:?} allowed, to {}", n.status),
                }
            }
        }
    }

    #[test]
    fn pauses_stop_and_resume_the_clock() {
        let l = at_status(Status::InProcessing);
        let l = l
            .apply(
                &Step::RequestSupplement {
                    reason: "thiếu bản sao".parse().unwrap(),
                },
                ts("2024-05-03T09:00:00+07:00"),
            )
            .unwrap();
        assert!(l.status.is_paused());
        assert_eq!(l.open_pause().map(|p| p.kind), Some(PauseKind::Supplement));
        let l = l
            .apply(
                &Step::Supplemented { documents: vec![] },
                ts("2024-05-06T14:00:00+07:00"),
            )
            .unwrap();
        assert!(l.open_pause().is_none());
        assert_eq!(
            l.pauses,
            vec![PauseSpan {
                kind: PauseKind::Supplement,
                from: ts("2024-05-03T09:00:00+07:00"),
                to: Some(ts("2024-05-06T14:00:00+07:00")),
                reason: "thiếu bản sao".into(),
            }]
        );
        // A withdrawal during a pause closes it.
        let l = l
            .apply(
                &Step::Suspend {
                    reason: "chờ ý kiến".parse().unwrap(),
                },
                ts("2024-05-07T08:00:00+07:00"),
            )
            .unwrap()
            .apply(
                &Step::Withdraw {
                    reason: "xin rút".parse().unwrap(),
                },
                ts("2024-05-08T08:00:00+07:00"),
            )
            .unwrap();
        assert_eq!(l.pauses[1].to, Some(ts("2024-05-08T08:00:00+07:00")));
        assert_eq!(l.outcome, Some(Outcome::Withdrawn));
    }

    #[test]
    fn one_supplement_request_per_unit_and_one_apology() {
        let t = ts("2024-05-03T09:00:00+07:00");
        let ask = Step::RequestSupplement {
            reason: "thiếu".parse().unwrap(),
        };
        let l = at_status(Status::InProcessing)
            .apply(&ask, t)
            .unwrap()
            .apply(&Step::Supplemented { documents: vec![] }, t)
            .unwrap();
        assert!(matches!(
            l.apply(&ask, t),
            Err(LifecycleError::SecondSupplement(_))
        ));
        // After a transfer, the new unit may ask once.
        let l = l
            .apply(
                &Step::Transfer {
                    to: unit("vinh-linh.tu-phap"),
                    reason: "liên thông".parse().unwrap(),
                },
                t,
            )
            .unwrap();
        assert_eq!(l.handling_unit, unit("vinh-linh.tu-phap"));
        let l = l.apply(&ask, t).unwrap();
        assert_eq!(l.supplement_requested_by.len(), 2);

        let apology = Step::Apologize {
            new_due: ts("2024-05-20T08:00:00+07:00"),
            reason: "cần xác minh thêm".parse().unwrap(),
        };
        let l = l.apply(&apology, t).unwrap();
        assert!(l.apology.is_some());
        assert_eq!(l.apply(&apology, t), Err(LifecycleError::SecondApology));
        assert!(Lifecycle::check_apology(t, t).is_err());
    }

    #[test]
    fn reasons_are_required_and_time_moves_forward() {
        let l = at_status(Status::InProcessing);
        let e = l
            .apply(
                &Step::Reject {
                    reason: "  ".parse().unwrap(),
                },
                ts("2024-05-03T09:00:00+07:00"),
            )
            .unwrap_err();
        assert_eq!(e.to_string(), "cần ghi rõ lý do để từ chối giải quyết");
        assert!(matches!(
            l.apply(
                &Step::ReturnResult { collected_by: None },
                ts("2024-05-01T09:00:00+07:00")
            ),
            Err(LifecycleError::BeforeLast { .. })
        ));
        let e = l
            .apply(
                &Step::Transfer {
                    to: unit("vinh-khe"),
                    reason: "x".parse().unwrap(),
                },
                ts("2024-05-03T09:00:00+07:00"),
            )
            .unwrap_err();
        assert!(matches!(e, LifecycleError::TransferToSelf(_)));
    }

    #[test]
    fn steps_and_statuses_round_trip_as_json_and_text() {
        for step in every_step() {
            let json = serde_json::to_string(&step).unwrap();
            assert!(json.contains(step.as_str()), "{json}");
            assert_eq!(serde_json::from_str::<Step>(&json).unwrap(), step);
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn allows_says_which_steps_apply_would_take() {
        let later = ts("2030-01-01T08:00:00+07:00");
        for status in Status::ALL {
            let state = at_status(status);
            for step in every_step() {
                // The data a form would give: another unit, a later date.
                let step = match step {
                    Step::Apologize { reason, .. } => Step::Apologize {
                        new_due: later,
                        reason,
                    },
                    other => other,
                };
                assert_eq!(
                    state.allows(step.kind()),
                    state.apply(&step, state.last_at).is_ok(),
                    "{status:?} {step:?}"
                );
            }
        }
        let mut asked = at_status(Status::InProcessing);
        asked = asked
            .apply(
                &Step::RequestSupplement {
                    reason: "thiếu giấy tờ".parse().unwrap(),
                },
                asked.last_at,
            )
            .unwrap();
        asked = asked
            .apply(&Step::Supplemented { documents: vec![] }, asked.last_at)
            .unwrap();
        assert!(!asked.allows(StepKind::RequestSupplement));
        assert_eq!(StepKind::ALL.len(), every_step().len());
        for step in every_step() {
            assert_eq!(StepKind::parse(step.as_str()), Some(step.kind()));
        }
    }

    #[test]
    fn reasons_are_bounded_when_a_step_is_parsed() {
        let max = crate::freetext::MAX_REASON_CHARS;
        let step = |reason: &str| {
            serde_json::from_value::<Step>(serde_json::json!({"step": "reject", "reason": reason}))
        };
        let e = step(&"x".repeat(max + 1)).unwrap_err().to_string();
        assert!(
            e.contains("lý do dài 2001 ký tự, quá mức tối đa 2000 ký tự"),
            "{e}"
        );
        assert!(step(&"ý".repeat(max)).is_ok(), "characters, not bytes");
        let e = step("chờ\u{7}xác minh").unwrap_err().to_string();
        assert!(e.contains("ký tự điều khiển U+0007"), "{e}");
        assert!(step("dòng 1\r\ndòng 2").is_ok());
        assert!(Reason::parse(&"x".repeat(max + 1)).is_err());
    }

    #[test]
    fn a_new_appointment_comes_after_the_old_one_and_not_years_away() {
        let due = ts("2024-05-20T17:00:00+07:00");
        let days = |n: i64| Timestamp::from_micros(due.as_micros() + n * 86_400_000_000);
        assert_eq!(
            Lifecycle::check_apology(due, due),
            Err(LifecycleError::ApologyNotLater)
        );
        assert!(Lifecycle::check_apology(due, days(7)).is_ok());
        assert!(Lifecycle::check_apology(due, days(MAX_APOLOGY_DAYS)).is_ok());
        for far in [days(MAX_APOLOGY_DAYS + 1), ts("9999-12-31T17:00:00+07:00")] {
            let e = Lifecycle::check_apology(due, far).unwrap_err();
            assert!(matches!(e, LifecycleError::ApologyTooFar { .. }), "{e}");
            assert!(e.to_string().contains("quá xa"), "{e}");
        }
    }

    #[test]
    fn a_specialist_proposes_and_only_the_decision_settles() {
        let t = ts("2024-05-03T09:00:00+07:00");
        let l = at_status(Status::Received)
            .apply(
                &Step::Assign {
                    to: "chuyen-vien".to_owned(),
                },
                t,
            )
            .unwrap();
        assert_eq!(l.status, Status::InProcessing);
        assert_eq!(l.assignee.as_deref(), Some("chuyen-vien"));
        let proposed = l
            .apply(
                &Step::ProposeRejection {
                    reason: "không đủ điều kiện".parse().unwrap(),
                },
                t,
            )
            .unwrap();
        // A proposal settles nothing: no outcome, no settlement time.
        assert_eq!(proposed.status, Status::AwaitingApproval);
        assert!(!proposed.status.is_settled());
        assert_eq!((proposed.outcome, proposed.resolved_at), (None, None));
        let p = proposed.proposal.clone().unwrap();
        assert_eq!(p.decision, Decision::Reject);
        // Sent back: in processing again, the proposal gone, still assigned.
        let back = proposed
            .apply(
                &Step::SendBack {
                    reason: "bổ sung căn cứ".parse().unwrap(),
                },
                t,
            )
            .unwrap();
        assert_eq!(back.status, Status::InProcessing);
        assert_eq!(back.proposal, None);
        assert_eq!(back.assignee.as_deref(), Some("chuyen-vien"));
        // The leader's decision is the proposal's step, and it settles at its own time.
        let later = ts("2024-05-04T10:00:00+07:00");
        let settled = proposed.apply(&p.settling_step().unwrap(), later).unwrap();
        assert_eq!(settled.status, Status::Rejected);
        assert_eq!(settled.resolved_at, Some(later));
        assert_eq!(settled.proposal, None);
        // An empty assignee is refused.
        assert_eq!(
            at_status(Status::Received).apply(&Step::Assign { to: " ".into() }, t),
            Err(LifecycleError::AssigneeRequired)
        );
    }

    #[test]
    fn older_stored_states_and_steps_read_and_write_back_unchanged() {
        // A lifecycle stored before assignment existed: no new field appears when written.
        let l = at_status(Status::Returned);
        let json = serde_json::to_string(&l).unwrap();
        assert!(
            !json.contains("assignee") && !json.contains("proposal"),
            "{json}"
        );
        for old in [r#"{"step":"supplemented"}"#, r#"{"step":"return_result"}"#] {
            let step: Step = serde_json::from_str(old).unwrap();
            assert_eq!(serde_json::to_string(&step).unwrap(), old);
        }
    }
}
