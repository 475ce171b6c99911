//! Online submission (nộp hồ sơ trực tuyến): what a citizen sends before reception accepts it.
//!
//! A [`Submission`] is a citizen's request for a procedure at a unit, with its
//! [`SubmissionData`] (the applicant, the request, the component checklist with a scan per
//! component). Its [`SubmissionState`] moves by [`Transition`]s: a draft (nháp) is saved as
//! often as the citizen likes and submitted (đã nộp, chờ tiếp nhận) once [`check`] finds
//! nothing missing; reception then accepts it (đã tiếp nhận: it becomes a dossier, with its
//! code), returns it for completion (yêu cầu bổ sung, hoàn thiện: the citizen edits and submits
//! again) or refuses it (từ chối tiếp nhận). A dossier code is given only at acceptance.
//!
//! [`accepted_dossier`] is the dossier it becomes: channel online, the procedure's online
//! level, received when the complete dossier was submitted (the clock then starts at the next
//! session when that was outside one: deadlines.md), its appointment from the unit's calendar.

use std::collections::BTreeMap;
use std::fmt;

use motcua_calendar::{DeadlineRules, WorkCalendar};
use serde::{Deserialize, Serialize};

use crate::audit::AuditAction;
use crate::citizen::CitizenId;
use crate::details::{Applicant, Component, Details, MAX_TEXT_CHARS, Scan};
use crate::dossier::{Channel, Dossier, DossierCode, SourceSystem, SubmissionLevel};
use crate::freetext::check_line;
use crate::lifecycle::Lifecycle;
use crate::procedure::{OnlineLevel, Procedure, ProcedureCode};
use crate::timestamp::Timestamp;
use crate::unit::{Unit, UnitCode};

/// A submission's row id. Shown in the citizen's own addresses only (`/citizen/submissions/7`):
/// every read checks that the submission is the citizen's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SubmissionId(pub i64);

impl fmt::Display for SubmissionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where a submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    /// Nháp: the citizen is still filling it in.
    Draft,
    /// Đã nộp, chờ tiếp nhận: waiting in reception's online inbox.
    Submitted,
    /// Yêu cầu bổ sung, hoàn thiện trước tiếp nhận: back with the citizen, who completes it.
    Returned,
    /// Từ chối tiếp nhận: refused, with the reason; final.
    Refused,
    /// Đã tiếp nhận: a dossier now (with its code); final.
    Accepted,
}

impl SubmissionState {
    pub const ALL: [SubmissionState; 5] = [
        SubmissionState::Draft,
        SubmissionState::Submitted,
        SubmissionState::Returned,
        SubmissionState::Refused,
        SubmissionState::Accepted,
    ];

    /// The stored text.
    pub fn code(self) -> &'static str {
        match self {
            SubmissionState::Draft => "draft",
            SubmissionState::Submitted => "submitted",
            SubmissionState::Returned => "returned",
            SubmissionState::Refused => "refused",
            SubmissionState::Accepted => "accepted",
        }
    }

    /// The state whose [`code`](Self::code) is `text`.
    pub fn from_code(text: &str) -> Option<SubmissionState> {
        Self::ALL.into_iter().find(|s| s.code() == text)
    }

    /// What people read.
    pub fn label_vi(self) -> &'static str {
        match self {
            SubmissionState::Draft => "Nháp, chưa nộp",
            SubmissionState::Submitted => "Đã nộp, chờ tiếp nhận",
            SubmissionState::Returned => "Yêu cầu bổ sung, hoàn thiện",
            SubmissionState::Refused => "Từ chối tiếp nhận",
            SubmissionState::Accepted => "Đã tiếp nhận",
        }
    }

    /// Whether the citizen may still change it (a draft, or one returned for completion).
    pub fn editable(self) -> bool {
        matches!(self, SubmissionState::Draft | SubmissionState::Returned)
    }

    /// The state after `t`, or why `t` cannot be taken now.
    pub fn after(self, t: Transition) -> Result<SubmissionState, TransitionError> {
        use SubmissionState as S;
        match (self, t) {
            (S::Draft | S::Returned, Transition::Save) => Ok(self),
            (S::Draft | S::Returned, Transition::Submit) => Ok(S::Submitted),
            (S::Submitted, Transition::Return) => Ok(S::Returned),
            (S::Submitted, Transition::Refuse) => Ok(S::Refused),
            (S::Submitted, Transition::Accept) => Ok(S::Accepted),
            (state, transition) => Err(TransitionError { state, transition }),
        }
    }
}

/// What is done to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The citizen saves the draft (Lưu nháp).
    Save,
    /// The citizen submits it (Nộp hồ sơ).
    Submit,
    /// Reception returns it for completion, with a reason.
    Return,
    /// Reception refuses it, with a reason.
    Refuse,
    /// Reception accepts it: it becomes a dossier.
    Accept,
}

impl Transition {
    /// What the audit trail records it as.
    pub fn audit_action(self) -> AuditAction {
        match self {
            Transition::Save => AuditAction::OnlineSave,
            Transition::Submit => AuditAction::OnlineSubmit,
            Transition::Return => AuditAction::OnlineReturn,
            Transition::Refuse => AuditAction::OnlineRefuse,
            Transition::Accept => AuditAction::OnlineAccept,
        }
    }
}

/// A transition the state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct TransitionError {
    pub state: SubmissionState,
    pub transition: Transition,
}

impl TransitionError {
    fn message(&self) -> String {
        match self.state {
            SubmissionState::Accepted => "hồ sơ này đã được tiếp nhận".to_owned(),
            SubmissionState::Refused => "hồ sơ này đã bị từ chối tiếp nhận".to_owned(),
            SubmissionState::Submitted => {
                "hồ sơ đã nộp, đang chờ tiếp nhận: không sửa được nữa".to_owned()
            }
            SubmissionState::Draft | SubmissionState::Returned => {
                "hồ sơ chưa được nộp nên chưa thể tiếp nhận, trả lại hay từ chối".to_owned()
            }
        }
    }
}

/// What the citizen fills in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmissionData {
    pub applicant: Applicant,
    /// Nội dung yêu cầu giải quyết (the procedure's name when left empty).
    pub request: String,
    /// The procedure's own form fields, by name (none in today's catalogue: it lists none).
    pub fields: BTreeMap<String, String>,
    /// The checklist: the procedure's components, each with the citizen's scan once uploaded.
    pub components: Vec<Component>,
    /// Nộp thay theo ủy quyền: the person or organisation the citizen submits for, when not
    /// for themselves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub represented: Option<Representation>,
}

/// Whom a citizen submits for under an authorisation paper (giấy ủy quyền): the dossier's
/// applicant becomes them, the citizen its representative (người nộp thay).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Representation {
    /// Họ tên, or the organisation's name.
    pub name: String,
    /// Their số định danh cá nhân (12 digits) or, a business, its mã số thuế (10 or 13).
    pub id_number: String,
    /// The scan of the authorisation paper.
    pub paper: Option<Scan>,
}

/// The component line the authorisation paper becomes in the dossier.
pub const AUTHORISATION_PAPER: &str = "Giấy ủy quyền";

impl SubmissionData {
    /// A new draft for `procedure`: the applicant as the account knows them, the checklist
    /// from the procedure's components (one line when the catalogue lists none).
    pub fn new_draft(procedure: &Procedure, applicant: Applicant) -> Self {
        let mut components: Vec<Component> = procedure
            .component_list
            .iter()
            .map(|c| Component {
                name: c.name.clone(),
                originals: c.originals,
                copies: c.copies,
                scan: None,
            })
            .collect();
        if components.is_empty() {
            components.push(Component {
                name: GENERIC_COMPONENT.to_owned(),
                originals: 1,
                copies: 0,
                scan: None,
            });
        }
        Self {
            applicant,
            request: String::new(),
            fields: BTreeMap::new(),
            components,
            represented: None,
        }
    }

    /// The component at `index` gets `scan` (replacing any earlier one).
    pub fn attach(&mut self, index: usize, scan: Scan) -> Result<(), FieldError> {
        let count = self.components.len();
        match self.components.get_mut(index) {
            Some(c) => {
                c.scan = Some(scan);
                Ok(())
            }
            None => Err(FieldError::new(
                Field::Component(index),
                format!("hồ sơ không có thành phần thứ {} (có {count})", index + 1),
            )),
        }
    }
}

/// The one line of a checklist for a procedure whose components the catalogue does not list.
pub const GENERIC_COMPONENT: &str = "Đơn đề nghị và giấy tờ kèm theo theo quy định của thủ tục";

/// A field of the submission form, as errors name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Field {
    /// The procedure and unit themselves (not offered online there).
    Procedure,
    ApplicantName,
    ApplicantIdNumber,
    ApplicantPhone,
    ApplicantEmail,
    ApplicantAddress,
    Request,
    /// The component at this index of the checklist.
    Component(usize),
    /// The name of whom the citizen submits for.
    RepresentedName,
    /// Their ID number or tax code.
    RepresentedIdNumber,
    /// The scan of the authorisation paper.
    AuthorisationPaper,
}

impl Field {
    /// The form field's name and the anchor of its error (`applicant_name`, `component_0`).
    pub fn name(self) -> String {
        match self {
            Field::Procedure => "procedure".to_owned(),
            Field::ApplicantName => "applicant_name".to_owned(),
            Field::ApplicantIdNumber => "applicant_id_number".to_owned(),
            Field::ApplicantPhone => "applicant_phone".to_owned(),
            Field::ApplicantEmail => "applicant_email".to_owned(),
            Field::ApplicantAddress => "applicant_address".to_owned(),
            Field::Request => "request".to_owned(),
            Field::Component(i) => format!("component_{i}"),
            Field::RepresentedName => "represented_name".to_owned(),
            Field::RepresentedIdNumber => "represented_id_number".to_owned(),
            Field::AuthorisationPaper => "authorisation_paper".to_owned(),
        }
    }
}

/// What is wrong with one field, in Vietnamese, saying how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl FieldError {
    pub fn new(field: Field, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// The online level of `procedure` at `unit`, when the unit offers it online.
pub fn offered_level(procedure: &Procedure, unit: &Unit) -> Option<SubmissionLevel> {
    if !procedure.is_online_offering_of(unit) {
        return None;
    }
    match procedure.online_level {
        OnlineLevel::Full => Some(SubmissionLevel::Full),
        OnlineLevel::Partial => Some(SubmissionLevel::Partial),
        OnlineLevel::None => None,
    }
}

/// Checks what a draft holds as it is saved: text bounds only (nothing is required yet).
pub fn check_draft(data: &SubmissionData) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let a = &data.applicant;
    let empty = Representation::default();
    let r = data.represented.as_ref().unwrap_or(&empty);
    for (field, value) in [
        (Field::ApplicantName, &a.name),
        (Field::ApplicantIdNumber, &a.id_number),
        (Field::ApplicantPhone, &a.phone),
        (Field::ApplicantEmail, &a.email),
        (Field::ApplicantAddress, &a.address),
        (Field::Request, &data.request),
        (Field::RepresentedName, &r.name),
        (Field::RepresentedIdNumber, &r.id_number),
    ] {
        if let Err(e) = check_line(value, MAX_TEXT_CHARS) {
            errors.push(FieldError::new(field, format!("Nội dung này {e}")));
        }
    }
    errors
}

/// Checks a submission before it is sent: the procedure is offered online at the unit, the
/// applicant has a name and a phone or an ID number (each well formed), every component has
/// its scan. Every problem is returned, each beside its field; on success, the online level.
pub fn check(
    data: &SubmissionData,
    procedure: &Procedure,
    unit: &Unit,
) -> Result<SubmissionLevel, Vec<FieldError>> {
    let mut errors = check_draft(data);
    let level = offered_level(procedure, unit);
    if level.is_none() {
        errors.push(FieldError::new(
            Field::Procedure,
            format!(
                "{} {} không nhận thủ tục «{}» trực tuyến: hãy nộp trực tiếp tại bộ phận một cửa",
                unit.label, unit.short_name, procedure.name
            ),
        ));
    }
    let a = &data.applicant;
    if a.name.trim().is_empty() {
        errors.push(FieldError::new(
            Field::ApplicantName,
            "Nhập họ tên người nộp hồ sơ",
        ));
    }
    let phone = a.phone.trim();
    let id = a.id_number.trim();
    if phone.is_empty() && id.is_empty() {
        errors.push(FieldError::new(
            Field::ApplicantPhone,
            "Nhập số điện thoại hoặc số định danh cá nhân để cơ quan liên hệ khi cần",
        ));
    }
    if !phone.is_empty() && !is_phone(phone) {
        errors.push(FieldError::new(
            Field::ApplicantPhone,
            "Nhập số điện thoại gồm 10 chữ số, bắt đầu bằng 0",
        ));
    }
    if !id.is_empty() && !is_id_number(id) {
        errors.push(FieldError::new(
            Field::ApplicantIdNumber,
            "Nhập số định danh cá nhân gồm 12 chữ số (hoặc mã số thuế gồm 10 hoặc 13 chữ số)",
        ));
    }
    if let Some(r) = &data.represented {
        check_representation(r, &mut errors);
    }
    for (i, c) in data.components.iter().enumerate() {
        if c.scan.is_none() {
            errors.push(FieldError::new(
                Field::Component(i),
                format!("Tải lên bản quét của «{}» (PDF, JPEG hoặc PNG)", c.name),
            ));
        }
    }
    match level {
        Some(level) if errors.is_empty() => Ok(level),
        _ => Err(errors),
    }
}

/// A representation names whom it is for, by a well-formed ID number or tax code, and has
/// the paper's scan.
fn check_representation(r: &Representation, errors: &mut Vec<FieldError>) {
    if r.name.trim().is_empty() {
        errors.push(FieldError::new(
            Field::RepresentedName,
            "Nhập họ tên người hoặc tên tổ chức được nộp thay",
        ));
    }
    let id = r.id_number.trim();
    let digits: String = id.chars().filter(|c| *c != '-').collect();
    let well_formed =
        matches!(digits.len(), 10 | 12 | 13) && digits.chars().all(|c| c.is_ascii_digit());
    if !well_formed {
        errors.push(FieldError::new(
            Field::RepresentedIdNumber,
            "Nhập số định danh cá nhân gồm 12 chữ số, hoặc mã số thuế gồm 10 hoặc 13 chữ số của \
             tổ chức được nộp thay",
        ));
    }
    if r.paper.is_none() {
        errors.push(FieldError::new(
            Field::AuthorisationPaper,
            "Tải lên bản quét giấy ủy quyền (PDF, JPEG hoặc PNG)",
        ));
    }
}

/// A Vietnamese mobile or landline number as typed: 10 digits from 0 (spaces and dots allowed).
fn is_phone(text: &str) -> bool {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
    digits.len() == 10 && digits.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit())
}

/// A personal ID number (12 digits; 9 on the old cards) or a tax code (10 or 13 digits, the
/// branch's as `0101234567-001`).
fn is_id_number(text: &str) -> bool {
    let digits: String = text.chars().filter(|c| *c != '-').collect();
    matches!(digits.len(), 9 | 10 | 12 | 13) && digits.chars().all(|c| c.is_ascii_digit())
}

/// A stored submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub id: SubmissionId,
    pub citizen: CitizenId,
    pub unit: UnitCode,
    pub procedure: ProcedureCode,
    pub state: SubmissionState,
    pub data: SubmissionData,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When it was last submitted complete (the dossier's reception time if accepted).
    pub submitted_at: Option<Timestamp>,
    /// When reception decided (accepted, returned or refused).
    pub decided_at: Option<Timestamp>,
    /// The audit actor of the officer who decided (`user:NAME`).
    pub decided_by: Option<String>,
    /// Why it was returned or refused.
    pub reason: Option<String>,
    /// The dossier it became.
    pub dossier: Option<DossierCode>,
}

/// What acceptance makes of a submission: the dossier (its `code` is the code's prefix, the
/// store numbers it), its lifecycle and the desk's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub dossier: Dossier,
    pub lifecycle: Lifecycle,
    pub details: Details,
}

/// Why a submission cannot become a dossier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcceptError {
    #[error("{0}")]
    State(#[from] TransitionError),
    #[error("hồ sơ chưa đủ điều kiện tiếp nhận: {}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))]
    Incomplete(Vec<FieldError>),
    #[error("không tính được ngày hẹn trả: {0}")]
    Calendar(String),
    #[error("{0}")]
    Dossier(String),
}

/// The dossier `submission` becomes when reception accepts it at `at`: channel online, the
/// procedure's online level at the unit, received when the complete dossier was submitted,
/// the appointment from `calendar` (the unit's), which starts the clock at the next session
/// when the submission came outside one. `prefix` is the code's prefix the store numbers.
pub fn accepted_dossier(
    submission: &Submission,
    procedure: &Procedure,
    unit: &Unit,
    calendar: &WorkCalendar,
    prefix: DossierCode,
) -> Result<Accepted, AcceptError> {
    submission.state.after(Transition::Accept)?;
    let level = check(&submission.data, procedure, unit).map_err(AcceptError::Incomplete)?;
    let received_at = submission
        .submitted_at
        .ok_or_else(|| AcceptError::Dossier("hồ sơ chưa có thời điểm nộp".to_owned()))?;
    let due = motcua_calendar::due_at(
        received_at.to_local(),
        procedure.processing_days,
        DeadlineRules {
            cutoff_15h: procedure.cutoff_15h,
        },
        &[],
        calendar,
    )
    .map_err(|e| AcceptError::Calendar(e.to_string()))?;
    let due_at =
        Timestamp::from_datetime(due.due_at).map_err(|e| AcceptError::Calendar(e.to_string()))?;
    let data = &submission.data;
    let mut details = Details {
        applicant: trimmed(&data.applicant),
        request: data.request.trim().to_owned(),
        components: data.components.clone(),
        result_scan: None,
        representative: None,
    };
    if let Some(r) = &data.represented {
        // The represented party applies; the account holder, who submitted for them, stays
        // the contact (phone, e-mail) and is recorded as the representative.
        let representative = details.applicant.clone();
        details.applicant = Applicant {
            name: r.name.trim().to_owned(),
            id_number: r.id_number.trim().to_owned(),
            address: String::new(),
            phone: representative.phone.clone(),
            email: representative.email.clone(),
        };
        details.representative = Some(representative);
        details.components.push(Component {
            name: AUTHORISATION_PAPER.to_owned(),
            originals: 1,
            copies: 0,
            scan: r.paper.clone(),
        });
    }
    if details.request.is_empty() {
        details.request = procedure.name.clone();
    }
    details.check().map_err(AcceptError::Dossier)?;
    let dossier = Dossier {
        code: prefix,
        procedure_code: procedure.code.clone(),
        unit_code: unit.code.clone(),
        channel: Channel::Online,
        online_level: Some(level),
        received_at,
        due_at,
        resolved_at: None,
        outcome: None,
        returned_at: None,
        components_total: details.components.len() as u32,
        components_digitized: details.digitized(),
        result_digitized: None,
        fee_vnd: procedure.fee_vnd,
        payment_channel: None,
        paid_at: None,
        e_receipt: None,
        source_system: SourceSystem::New,
        rating: None,
    };
    if let Some(e) = dossier.check().into_iter().next() {
        return Err(AcceptError::Dossier(e.message));
    }
    Ok(Accepted {
        lifecycle: Lifecycle::received(unit.code.clone(), received_at),
        dossier,
        details,
    })
}

fn trimmed(a: &Applicant) -> Applicant {
    Applicant {
        name: a.name.trim().to_owned(),
        id_number: a.id_number.trim().to_owned(),
        address: a.address.trim().to_owned(),
        phone: a.phone.trim().to_owned(),
        email: a.email.trim().to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::details::Scan;
    use crate::procedure::{Offerer, ProcedureComponent, ProcessingDays};
    use crate::unit::UnitKind;
    use motcua_calendar::OfficeHours;

    fn unit() -> Unit {
        Unit {
            code: UnitCode::parse("vinh-khe").unwrap(),
            name: "UBND xã Vĩnh Khê".into(),
            short_name: "Vĩnh Khê".into(),
            kind: UnitKind::Commune,
            label: "xã".into(),
            parent: None,
            office_hours: None,
            address: None,
            phone: None,
        }
    }

    fn procedure(level: OnlineLevel, days: u16) -> Procedure {
        Procedure {
            code: ProcedureCode::parse("1.001193").unwrap(),
            name: "Đăng ký khai sinh".into(),
            field: "Hộ tịch".into(),
            offered_by: vec![Offerer::Kind(UnitKind::Commune)],
            online_level: level,
            processing_days: ProcessingDays::days(days),
            fee_vnd: 0,
            components: 2,
            component_list: ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
                .into_iter()
                .map(|name| ProcedureComponent {
                    name: name.into(),
                    originals: 1,
                    copies: 0,
                    template_url: None,
                })
                .collect(),
            cutoff_15h: false,
            steps: vec![],
            how_to_submit: None,
        }
    }

    fn scan(n: u8) -> Scan {
        Scan {
            sha256: format!("{n:02x}").repeat(32),
            size: 100,
            media_type: "application/pdf".into(),
            file_name: format!("giay-{n}.pdf"),
        }
    }

    fn complete(p: &Procedure) -> SubmissionData {
        let mut d = SubmissionData::new_draft(
            p,
            Applicant {
                name: "Nguyễn Thị Lan".into(),
                phone: "0912 345 678".into(),
                ..Applicant::default()
            },
        );
        for i in 0..d.components.len() {
            d.attach(i, scan(i as u8)).unwrap();
        }
        d
    }

    fn submission(p: &Procedure, submitted_at: &str) -> Submission {
        let at = Timestamp::parse(submitted_at).unwrap();
        Submission {
            id: SubmissionId(1),
            citizen: CitizenId(7),
            unit: unit().code,
            procedure: p.code.clone(),
            state: SubmissionState::Submitted,
            data: complete(p),
            created_at: at,
            updated_at: at,
            submitted_at: Some(at),
            decided_at: None,
            decided_by: None,
            reason: None,
            dossier: None,
        }
    }

    fn calendar() -> WorkCalendar {
        WorkCalendar::bundled(2026..=2026, OfficeHours::default()).unwrap()
    }

    fn accept(p: &Procedure, at: &str) -> Accepted {
        accepted_dossier(
            &submission(p, at),
            p,
            &unit(),
            &calendar(),
            DossierCode::parse("VINH-KHE-261207").unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn states_move_only_as_the_desk_allows() {
        use SubmissionState as S;
        use Transition as T;
        assert_eq!(S::Draft.after(T::Save), Ok(S::Draft));
        assert_eq!(S::Draft.after(T::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.after(T::Return), Ok(S::Returned));
        assert_eq!(S::Returned.after(T::Save), Ok(S::Returned));
        assert_eq!(S::Returned.after(T::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.after(T::Accept), Ok(S::Accepted));
        assert_eq!(S::Submitted.after(T::Refuse), Ok(S::Refused));
        for final_state in [S::Accepted, S::Refused] {
            for t in [T::Save, T::Submit, T::Return, T::Refuse, T::Accept] {
                assert!(final_state.after(t).is_err(), "{final_state:?} {t:?}");
            }
        }
        let e = S::Submitted.after(T::Save).unwrap_err();
        assert_eq!(
            e.to_string(),
            "hồ sơ đã nộp, đang chờ tiếp nhận: không sửa được nữa"
        );
        assert!(S::Draft.after(T::Accept).is_err());
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn a_draft_lists_the_procedures_components() {
        let p = procedure(OnlineLevel::Full, 1);
        let d = SubmissionData::new_draft(&p, Applicant::default());
        let names: Vec<&str> = d.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]);
        let mut bare = p.clone();
        bare.component_list.clear();
        let d = SubmissionData::new_draft(&bare, Applicant::default());
        assert_eq!(d.components.len(), 1);
        assert_eq!(d.components[0].name, GENERIC_COMPONENT);
    }

    #[test]
    fn every_missing_answer_is_told_beside_its_field() {
        let p = procedure(OnlineLevel::Full, 1);
        let mut d = SubmissionData::new_draft(&p, Applicant::default());
        d.attach(1, scan(1)).unwrap();
        let errors = check(&d, &p, &unit()).unwrap_err();
        let fields: Vec<(String, &str)> = errors
            .iter()
            .map(|e| (e.field.name(), e.message.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("applicant_name".to_owned(), "Nhập họ tên người nộp hồ sơ"),
                (
                    "applicant_phone".to_owned(),
                    "Nhập số điện thoại hoặc số định danh cá nhân để cơ quan liên hệ khi cần"
                ),
                (
                    "component_0".to_owned(),
                    "Tải lên bản quét của «Tờ khai đăng ký khai sinh» (PDF, JPEG hoặc PNG)"
                ),
            ]
        );
        d.applicant.name = "Trần Văn Bình".into();
        d.applicant.phone = "091234".into();
        d.applicant.id_number = "12AB".into();
        let errors = check(&d, &p, &unit()).unwrap_err();
        let fields: Vec<String> = errors.iter().map(|e| e.field.name()).collect();
        assert_eq!(
            fields,
            ["applicant_phone", "applicant_id_number", "component_0"]
        );
        assert_eq!(
            errors[0].message,
            "Nhập số điện thoại gồm 10 chữ số, bắt đầu bằng 0"
        );
    }

    #[test]
    fn an_id_number_alone_is_enough_to_be_reached() {
        let p = procedure(OnlineLevel::Partial, 1);
        let mut d = complete(&p);
        d.applicant.phone.clear();
        d.applicant.id_number = "001234567890".into();
        assert_eq!(check(&d, &p, &unit()), Ok(SubmissionLevel::Partial));
    }

    #[test]
    fn a_procedure_not_offered_online_at_the_unit_is_refused() {
        let p = procedure(OnlineLevel::None, 1);
        let errors = check(&complete(&p), &p, &unit()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, Field::Procedure);
        assert_eq!(
            errors[0].message,
            "xã Vĩnh Khê không nhận thủ tục «Đăng ký khai sinh» trực tuyến: hãy nộp trực tiếp tại bộ phận một cửa"
        );
        let mut elsewhere = procedure(OnlineLevel::Full, 1);
        elsewhere.offered_by = vec![Offerer::Kind(UnitKind::District)];
        assert!(check(&complete(&elsewhere), &elsewhere, &unit()).is_err());
    }

    #[test]
    fn the_dossier_is_online_at_its_level_and_received_when_submitted() {
        let p = procedure(OnlineLevel::Full, 1);
        // Tuesday 8 December 2026, 09:00: inside a session, the clock starts at once.
        let a = accept(&p, "2026-12-08T09:00:00+07:00");
        assert_eq!(a.dossier.channel, Channel::Online);
        assert_eq!(a.dossier.online_level, Some(SubmissionLevel::Full));
        assert_eq!(
            a.dossier.received_at,
            Timestamp::parse("2026-12-08T09:00:00+07:00").unwrap()
        );
        assert_eq!(
            a.dossier.due_at,
            Timestamp::parse("2026-12-09T09:00:00+07:00").unwrap()
        );
        assert_eq!(a.dossier.components_total, 2);
        assert_eq!(a.dossier.components_digitized, 2);
        assert_eq!(a.details.request, "Đăng ký khai sinh");
        assert_eq!(a.details.applicant.phone, "0912 345 678");
        assert_eq!(a.lifecycle.last_at, a.dossier.received_at);
        assert_eq!(a.dossier.code.as_str(), "VINH-KHE-261207");
    }

    #[test]
    fn friday_1630_counts_its_half_hour_then_monday() {
        // Friday 4 December 2026, 16:30: half an hour of Friday's afternoon session, then
        // seven and a half hours of Monday.
        let a = accept(
            &procedure(OnlineLevel::Full, 1),
            "2026-12-04T16:30:00+07:00",
        );
        assert_eq!(
            a.dossier.received_at,
            Timestamp::parse("2026-12-04T16:30:00+07:00").unwrap()
        );
        assert_eq!(
            a.dossier.due_at,
            Timestamp::parse("2026-12-07T16:30:00+07:00").unwrap()
        );
    }

    #[test]
    fn after_1700_or_on_saturday_the_clock_starts_monday_morning() {
        let p = procedure(OnlineLevel::Partial, 1);
        for at in ["2026-12-04T17:30:00+07:00", "2026-12-05T10:00:00+07:00"] {
            let a = accept(&p, at);
            // Received when submitted (what the indicators count), due one working day after
            // Monday 07:00: Monday's end, shown as Tuesday's first session.
            assert_eq!(a.dossier.received_at, Timestamp::parse(at).unwrap());
            assert_eq!(
                a.dossier.due_at,
                Timestamp::parse("2026-12-08T07:00:00+07:00").unwrap(),
                "{at}"
            );
        }
    }

    #[test]
    fn only_a_complete_submitted_submission_becomes_a_dossier() {
        let p = procedure(OnlineLevel::Full, 1);
        let mut s = submission(&p, "2026-12-08T09:00:00+07:00");
        s.state = SubmissionState::Draft;
        let prefix = DossierCode::parse("VINH-KHE-261207").unwrap();
        let e = accepted_dossier(&s, &p, &unit(), &calendar(), prefix.clone()).unwrap_err();
        assert!(matches!(e, AcceptError::State(_)));
        s.state = SubmissionState::Submitted;
        s.data.components[1].scan = None;
        let e = accepted_dossier(&s, &p, &unit(), &calendar(), prefix).unwrap_err();
        assert!(
            matches!(e, AcceptError::Incomplete(ref v) if v.len() == 1),
            "{e}"
        );
    }

    fn represented(paper: Option<Scan>) -> Representation {
        Representation {
            name: "Công ty TNHH Vĩnh Khê Xanh".into(),
            id_number: "0101234567".into(),
            paper,
        }
    }

    #[test]
    fn a_representation_needs_a_name_an_id_number_and_the_paper() {
        let p = procedure(OnlineLevel::Full, 1);
        let mut d = complete(&p);
        d.represented = Some(Representation::default());
        let errors = check(&d, &p, &unit()).unwrap_err();
        let fields: Vec<(String, &str)> = errors
            .iter()
            .map(|e| (e.field.name(), e.message.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "represented_name".to_owned(),
                    "Nhập họ tên người hoặc tên tổ chức được nộp thay"
                ),
                (
                    "represented_id_number".to_owned(),
                    "Nhập số định danh cá nhân gồm 12 chữ số, hoặc mã số thuế gồm 10 hoặc 13 chữ số của tổ chức được nộp thay"
                ),
                (
                    "authorisation_paper".to_owned(),
                    "Tải lên bản quét giấy ủy quyền (PDF, JPEG hoặc PNG)"
                ),
            ]
        );
        let mut r = represented(None);
        r.id_number = "12345".into();
        d.represented = Some(r);
        let fields: Vec<String> = check(&d, &p, &unit())
            .unwrap_err()
            .iter()
            .map(|e| e.field.name())
            .collect();
        assert_eq!(fields, ["represented_id_number", "authorisation_paper"]);
        for id in ["001234567890", "0101234567", "0101234567-001"] {
            let mut r = represented(Some(scan(9)));
            r.id_number = id.into();
            d.represented = Some(r);
            assert_eq!(check(&d, &p, &unit()), Ok(SubmissionLevel::Full), "{id}");
        }
    }

    #[test]
    fn a_dossier_submitted_for_another_names_them_and_keeps_the_paper() {
        let p = procedure(OnlineLevel::Full, 1);
        let mut s = submission(&p, "2026-12-08T09:00:00+07:00");
        s.data.applicant.id_number = "001234567890".into();
        s.data.represented = Some(represented(Some(scan(9))));
        let a = accepted_dossier(
            &s,
            &p,
            &unit(),
            &calendar(),
            DossierCode::parse("VINH-KHE-261207").unwrap(),
        )
        .unwrap();
        assert_eq!(a.details.applicant.name, "Công ty TNHH Vĩnh Khê Xanh");
        assert_eq!(a.details.applicant.id_number, "0101234567");
        assert_eq!(a.details.applicant.phone, "0912 345 678");
        let rep = a.details.representative.as_ref().unwrap();
        assert_eq!(rep.name, "Nguyễn Thị Lan");
        assert_eq!(rep.id_number, "001234567890");
        let last = a.details.components.last().unwrap();
        assert_eq!(last.name, AUTHORISATION_PAPER);
        assert_eq!(last.scan, Some(scan(9)));
        assert_eq!(a.dossier.components_total, 3);
        assert_eq!(a.dossier.components_digitized, 3);
    }

    #[test]
    fn old_rows_without_a_representation_still_read() {
        let p = procedure(OnlineLevel::Full, 1);
        let d = complete(&p);
        let json = serde_json::to_value(&d).unwrap();
        assert!(json.get("represented").is_none());
        let back: SubmissionData = serde_json::from_value(json).unwrap();
        assert_eq!(back, d);
        let details: Details =
            serde_json::from_str(r#"{"applicant":{"name":"Nguyễn Thị Lan"}}"#).unwrap();
        assert_eq!(details.representative, None);
        assert!(
            accept(&p, "2026-12-08T09:00:00+07:00")
                .details
                .representative
                .is_none()
        );
    }
}
