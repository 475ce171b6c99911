//! The steps the dossier page offers, as forms: one primary action (the step that moves the
//! dossier on), the others secondary, the irreversible or backward ones as danger with a
//! confirmation box; the internal hand-off ("Chuyển xử lý", to a specialist of the unit) apart
//! from the transfer to another unit ("Chuyển liên thông"); the apology only when the
//! appointment is near and none was sent. A refused form comes back with what was typed and
//! each error beside its field.

use motcua_app::desk::{self, Specialist};
use motcua_core::access::Principal;
use motcua_core::lifecycle::{Decision, Lifecycle, StepKind};

use super::step_form::{DOCUMENT_LINES, FieldError, StepForm};

/// One step's form.
pub(super) struct StepRow {
    /// The `step` the form sends.
    pub step: &'static str,
    pub label: String,
    /// `primary`, `secondary` or `danger`.
    pub class: &'static str,
    pub needs_reason: bool,
    pub confirm: bool,
    pub takes_unit: bool,
    pub takes_new_due: bool,
    pub takes_assignee: bool,
    pub takes_collector: bool,
    pub takes_documents: bool,
    /// Fields the form sends as they are (the leader's decision carries the proposal's).
    pub hidden: Vec<(&'static str, String)>,
    /// What was typed, when this form was refused.
    pub typed: StepForm,
    pub errors: Vec<FieldError>,
    /// The lines of the supplement form (1…).
    pub document_lines: Vec<usize>,
}

impl StepRow {
    /// The error beside `field` (empty when none).
    pub fn error(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| motcua_core::display::capitalise(&e.message))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The value typed in a supplement line's field (`name`, `originals`, `copies`).
    pub fn doc(&self, line: &usize, field: &str) -> String {
        let t = &self.typed;
        let v = match (*line, field) {
            (1, "name") => &t.doc_name_1,
            (1, "originals") => &t.doc_originals_1,
            (1, "copies") => &t.doc_copies_1,
            (2, "name") => &t.doc_name_2,
            (2, "originals") => &t.doc_originals_2,
            (2, "copies") => &t.doc_copies_2,
            (3, "name") => &t.doc_name_3,
            (3, "originals") => &t.doc_originals_3,
            (3, "copies") => &t.doc_copies_3,
            _ => return String::new(),
        };
        v.clone()
    }
}

/// The forms of the page, grouped as it shows them.
#[derive(Default)]
pub(super) struct Actions {
    /// The steps inside the unit, the primary one first.
    pub main: Vec<StepRow>,
    /// "Chuyển liên thông", shown apart.
    pub transfer: Option<StepRow>,
    /// The apology, when the appointment is near.
    pub apology: Option<StepRow>,
}

/// Which step is the primary action, in this order of preference.
const PRIMARY: [StepKind; 8] = [
    StepKind::Approve,
    StepKind::Assign,
    StepKind::ProposeApproval,
    StepKind::Supplemented,
    StepKind::Resume,
    StepKind::ReturnResult,
    StepKind::StartProcessing,
    StepKind::Reject,
];

/// The forms a principal gets for a dossier in `lifecycle`. `result_scanned`: a scan of
/// the result exists (the "kết quả đã số hóa" the approval sends follows it). `apology_due`:
/// the appointment is near enough for an apology. `refused`: the form refused, with errors.
pub(super) fn actions(
    principal: &Principal,
    lifecycle: &Lifecycle,
    result_scanned: bool,
    apology_due: bool,
    refused: Option<(&StepForm, Vec<FieldError>)>,
) -> Actions {
    let mut kinds = desk::possible_steps(principal, lifecycle);
    // With a proposal waiting, the leader decides it: one "Phê duyệt" as proposed, or back.
    let proposal = lifecycle.proposal.as_ref();
    if proposal.is_some() {
        kinds.retain(|k| {
            !matches!(k, StepKind::Approve | StepKind::Reject) || {
                let wanted = match proposal.map(|p| p.decision) {
                    Some(Decision::Reject) => StepKind::Reject,
                    _ => StepKind::Approve,
                };
                *k == wanted
            }
        });
    } else if kinds.contains(&StepKind::ProposeApproval) {
        // The specialist's page offers the proposal, not a decision it may not take.
        kinds.retain(|k| !matches!(k, StepKind::Approve | StepKind::Reject));
    }
    if !apology_due {
        kinds.retain(|k| *k != StepKind::Apologize);
    }
    let primary = PRIMARY.into_iter().find(|p| kinds.contains(p));
    let mut out = Actions::default();
    for kind in kinds {
        let mut row = StepRow {
            step: kind.as_str(),
            label: crate::view::timeline::step_label(kind),
            class: if Some(kind) == primary {
                "primary"
            } else {
                kind.emphasis().as_str()
            },
            needs_reason: kind.needs_reason(),
            confirm: kind.needs_confirmation(),
            takes_unit: kind == StepKind::Transfer,
            takes_new_due: kind == StepKind::Apologize,
            takes_assignee: kind == StepKind::Assign,
            takes_collector: kind == StepKind::ReturnResult,
            takes_documents: kind == StepKind::Supplemented,
            hidden: Vec::new(),
            typed: StepForm::default(),
            errors: Vec::new(),
            document_lines: (1..=DOCUMENT_LINES).collect(),
        };
        match kind {
            StepKind::ProposeApproval | StepKind::Approve => {
                row.hidden.push((
                    "result_digitized",
                    if result_scanned { "true" } else { "" }.to_owned(),
                ));
            }
            StepKind::Assign => row.label = "Chuyển xử lý".to_owned(),
            _ => {}
        }
        if let Some(p) = proposal
            && matches!(kind, StepKind::Approve | StepKind::Reject)
        {
            row.label = match p.decision {
                Decision::Approve => "Phê duyệt: cấp kết quả".to_owned(),
                Decision::Reject => "Phê duyệt: từ chối giải quyết".to_owned(),
            };
            row.needs_reason = false;
            row.hidden.push(("reason", p.reason.clone()));
        }
        if let Some((form, errors)) = &refused
            && form.step == kind.as_str()
        {
            row.typed = (*form).clone();
            row.errors = errors.clone();
        }
        match kind {
            StepKind::Transfer => out.transfer = Some(row),
            StepKind::Apologize => out.apology = Some(row),
            _ if row.class == "primary" => out.main.insert(0, row),
            _ => out.main.push(row),
        }
    }
    out
}

/// The specialists an assignment offers, as (user name, full name, selected).
pub(super) fn assignee_options(
    specialists: &[Specialist],
    lifecycle: &Lifecycle,
    typed: &str,
) -> Vec<(String, String, bool)> {
    let current = if typed.is_empty() {
        lifecycle.assignee.as_deref().unwrap_or_default()
    } else {
        typed
    };
    specialists
        .iter()
        .map(|s| {
            (
                s.username.clone(),
                s.display_name.clone(),
                s.username == current,
            )
        })
        .collect()
}
