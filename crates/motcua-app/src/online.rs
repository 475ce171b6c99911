//! Online submission, both sides: the citizen's drafts, submission, dossiers, supplement and
//! result download, and reception's online inbox (accept, return for completion, refuse).
//!
//! A citizen reaches only their own submissions and dossiers: anything else answers as
//! something that does not exist ([`AppError::UnknownSubmission`], [`AppError::UnknownDossier`]),
//! so no answer tells another citizen's from one that was never made. Reception reaches the
//! submissions of its unit's subtree (`Principal::check` with `Action::ReceiveDossier`, scope
//! first, as for dossiers). Acceptance makes the dossier and marks the submission in one
//! transaction (`SqlStore::accept_submission`).

use motcua_core::access::{Action, AuditContext, Principal};
use motcua_core::citizen::{Citizen, CitizenId, CitizenKind};
use motcua_core::details::{Applicant, Details, Scan, Slot};
use motcua_core::dossier::{DossierCode, Outcome, SubmissionLevel};
use motcua_core::lifecycle::{Status, Step, SuppliedDocument};
use motcua_core::online::{
    self, FieldError, Representation, Submission, SubmissionData, SubmissionId, SubmissionState,
    Transition,
};
use motcua_core::outbox::StatusNotice;
use motcua_core::procedure::ProcedureCode;
use motcua_core::unit::{Unit, UnitCode};
use motcua_store::{Change, Files, HeldDossier, INBOX_LIMIT, SqlStore};

use crate::AppError;
use crate::desk::tree;

/// What the account knows of the applicant, for a new draft: a business by its name and tax
/// code, a person by their name and ID number.
pub fn applicant_of(citizen: &Citizen) -> Applicant {
    let (first, second) = match citizen.kind {
        CitizenKind::Business => (&citizen.tax_code, &citizen.id_number),
        CitizenKind::Person => (&citizen.id_number, &citizen.tax_code),
    };
    Applicant {
        name: citizen.full_name.clone(),
        id_number: first.clone().or_else(|| second.clone()).unwrap_or_default(),
        address: String::new(),
        phone: citizen.phone.clone().unwrap_or_default(),
        email: citizen.email.clone().unwrap_or_default(),
    }
}

/// The unit and the level at which `procedure` is offered online there; refused when it is
/// not (the public page offers the button only where it is).
pub async fn offering(
    store: &SqlStore,
    unit: &str,
    procedure: &str,
) -> Result<(Unit, motcua_core::procedure::Procedure, SubmissionLevel), AppError> {
    let tree = tree(store).await?;
    let unit = UnitCode::parse(unit)
        .ok()
        .and_then(|c| tree.get(&c).cloned())
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?;
    let code = ProcedureCode::try_parse(procedure).map_err(|e| AppError::Refused(e.to_string()))?;
    let procedure = crate::desk::procedure(store, &code).await?;
    let level = online::offered_level(&procedure, &unit).ok_or_else(|| {
        AppError::Refused(format!(
            "{} {} không nhận thủ tục «{}» trực tuyến",
            unit.label, unit.short_name, procedure.name
        ))
    })?;
    Ok((unit, procedure, level))
}

/// Starts a draft of `procedure` at `unit` for the citizen, the applicant prefilled from the
/// account and the checklist from the procedure.
pub async fn start_draft(
    store: &SqlStore,
    citizen: &Citizen,
    unit: &str,
    procedure: &str,
    ctx: &AuditContext,
) -> Result<Submission, AppError> {
    let (unit, procedure, _) = offering(store, unit, procedure).await?;
    let data = SubmissionData::new_draft(&procedure, applicant_of(citizen));
    Ok(store
        .create_submission(citizen.id, &unit.code, &procedure.code, &data, ctx)
        .await?)
}

/// The citizen's own submission; any other answers as one that does not exist.
pub async fn own_submission(
    store: &SqlStore,
    citizen: CitizenId,
    id: SubmissionId,
) -> Result<Submission, AppError> {
    match store.submission(id).await? {
        Some(s) if s.citizen == citizen => Ok(s),
        _ => Err(AppError::UnknownSubmission(id.0)),
    }
}

/// The citizen's submissions, the latest changed first.
pub async fn my_submissions(
    store: &SqlStore,
    citizen: CitizenId,
) -> Result<Vec<Submission>, AppError> {
    Ok(store.citizen_submissions(citizen).await?)
}

/// What the citizen sends from the draft form: the answers, and the scans by component
/// index (files already checked and stored, or scans kept from an earlier round of the form,
/// verified here against the scan store); when submitting for another, whom for and the
/// authorisation paper's scan (the stored one is kept when none comes).
#[derive(Debug, Clone, Default)]
pub struct DraftInput {
    pub applicant: Applicant,
    pub request: String,
    pub scans: Vec<(usize, Scan)>,
    pub represented: Option<Representation>,
    pub paper: Option<Scan>,
}

/// The stored submission with `input` applied: the checklist's names stay the procedure's,
/// only the scans of its lines change.
async fn apply_input(
    files: &Files,
    before: &Submission,
    input: &DraftInput,
) -> Result<SubmissionData, Vec<FieldError>> {
    let mut data = before.data.clone();
    data.applicant = input.applicant.clone();
    data.request = input.request.clone();
    let kept = before
        .data
        .represented
        .as_ref()
        .and_then(|r| r.paper.clone());
    data.represented = input.represented.clone().map(|mut r| {
        if r.paper.is_none() {
            r.paper = kept;
        }
        r
    });
    let mut errors = online::check_draft(&data);
    if let (Some(scan), Some(r)) = (&input.paper, data.represented.as_mut()) {
        if matches!(files.verify(&scan.sha256).await, Ok(true)) {
            r.paper = Some(scan.clone());
        } else {
            errors.push(FieldError::new(
                online::Field::AuthorisationPaper,
                "Tệp đã tải lên không còn trên máy chủ: hãy tải lên lại",
            ));
        }
    }
    for (index, scan) in &input.scans {
        if !matches!(files.verify(&scan.sha256).await, Ok(true)) {
            errors.push(FieldError::new(
                online::Field::Component(*index),
                "Tệp đã tải lên không còn trên máy chủ: hãy tải lên lại",
            ));
            continue;
        }
        if let Err(e) = data.attach(*index, scan.clone()) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

/// Saves the citizen's draft (Lưu nháp): the answers and scans are kept as they are, only
/// their bounds are checked.
pub async fn save_draft(
    store: &SqlStore,
    files: &Files,
    citizen: CitizenId,
    id: SubmissionId,
    input: &DraftInput,
    ctx: &AuditContext,
) -> Result<Submission, AppError> {
    let before = own_submission(store, citizen, id).await?;
    let state = before.state.after(Transition::Save).map_err(refused)?;
    let data = apply_input(files, &before, input)
        .await
        .map_err(AppError::Incomplete)?;
    let after = Submission {
        state,
        data,
        updated_at: ctx.at,
        ..before.clone()
    };
    store
        .change_submission(&before, &after, Transition::Save, &[], ctx)
        .await?;
    Ok(after)
}

/// Submits the citizen's draft (Nộp hồ sơ) once nothing is missing: every problem comes back
/// at once, beside its field, and nothing is written then.
pub async fn submit(
    store: &SqlStore,
    files: &Files,
    citizen: CitizenId,
    id: SubmissionId,
    input: &DraftInput,
    ctx: &AuditContext,
) -> Result<Submission, AppError> {
    let before = own_submission(store, citizen, id).await?;
    let state = before.state.after(Transition::Submit).map_err(refused)?;
    let data = apply_input(files, &before, input)
        .await
        .map_err(AppError::Incomplete)?;
    let tree = tree(store).await?;
    let unit = tree
        .get(&before.unit)
        .ok_or_else(|| AppError::UnknownUnit(before.unit.to_string()))?;
    let procedure = crate::desk::procedure(store, &before.procedure).await?;
    online::check(&data, &procedure, unit).map_err(AppError::Incomplete)?;
    let after = Submission {
        state,
        data,
        updated_at: ctx.at,
        submitted_at: Some(ctx.at),
        reason: None,
        ..before.clone()
    };
    let notices = match crate::desk::submission_facts(store, &after, unit).await? {
        Some(n) => n.messages(StatusNotice::SubmittedOnline, None),
        None => Vec::new(),
    };
    store
        .change_submission(&before, &after, Transition::Submit, &notices, ctx)
        .await?;
    Ok(after)
}

fn refused(e: online::TransitionError) -> AppError {
    AppError::Refused(e.to_string())
}

/// Reception's online inbox: the submissions waiting at `unit` and below (a unit of the
/// principal's subtree), the oldest first (at most `motcua_store::INBOX_LIMIT`).
pub async fn inbox(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
) -> Result<Vec<Submission>, AppError> {
    let tree = tree(store).await?;
    if tree.get(unit).is_none() {
        return Err(AppError::UnknownUnit(unit.to_string()));
    }
    principal.check(&tree, Action::ReceiveDossier, unit)?;
    let units: Vec<&UnitCode> = tree.scope(unit).into_iter().map(|u| &u.code).collect();
    Ok(store.online_inbox(&units, INBOX_LIMIT).await?)
}

/// How many submissions wait in the principal's inbox (0 for a role that does not receive).
pub async fn inbox_count(store: &SqlStore, principal: &Principal) -> Result<u64, AppError> {
    if !principal.may(Action::ReceiveDossier) {
        return Ok(0);
    }
    let tree = tree(store).await?;
    let units: Vec<&UnitCode> = tree
        .scope(&principal.unit)
        .into_iter()
        .map(|u| &u.code)
        .collect();
    Ok(store.online_inbox_count(&units).await?)
}

/// A submission reception may see: of its subtree, and sent (never a citizen's draft).
pub async fn received_submission(
    store: &SqlStore,
    principal: &Principal,
    id: SubmissionId,
) -> Result<Submission, AppError> {
    let tree = tree(store).await?;
    let unknown = || AppError::UnknownSubmission(id.0);
    let s = store.submission(id).await?.ok_or_else(unknown)?;
    if s.state == SubmissionState::Draft || s.submitted_at.is_none() {
        return Err(unknown());
    }
    principal
        .check(&tree, Action::ReceiveDossier, &s.unit)
        .map_err(|e| match e {
            motcua_core::access::Denied::Scope(_) => unknown(),
            other => other.into(),
        })?;
    Ok(s)
}

/// Returns a submission to the citizen for completion before reception, or refuses it, with
/// the reason.
pub async fn decide(
    store: &SqlStore,
    principal: &Principal,
    id: SubmissionId,
    transition: Transition,
    reason: &str,
    ctx: &AuditContext,
) -> Result<Submission, AppError> {
    if !matches!(transition, Transition::Return | Transition::Refuse) {
        return Err(AppError::Refused(
            "chỉ trả lại để bổ sung hoặc từ chối tiếp nhận".to_owned(),
        ));
    }
    let before = received_submission(store, principal, id).await?;
    let state = before.state.after(transition).map_err(refused)?;
    let reason = motcua_core::freetext::Reason::parse(reason.trim()).map_err(AppError::Refused)?;
    if reason.as_str().is_empty() {
        return Err(AppError::Refused(
            "hãy ghi lý do để công dân biết cần làm gì".to_owned(),
        ));
    }
    let after = Submission {
        state,
        updated_at: ctx.at,
        decided_at: Some(ctx.at),
        decided_by: Some(ctx.actor.clone()),
        reason: Some(reason.as_str().to_owned()),
        ..before.clone()
    };
    let tree = tree(store).await?;
    let unit = tree
        .get(&before.unit)
        .ok_or_else(|| AppError::UnknownUnit(before.unit.to_string()))?;
    let kind = match transition {
        Transition::Refuse => StatusNotice::RefusedAtReception,
        _ => StatusNotice::CompletionRequested,
    };
    let notices = match crate::desk::submission_facts(store, &after, unit).await? {
        Some(n) => n.messages(kind, Some(reason.as_str())),
        None => Vec::new(),
    };
    store
        .change_submission(&before, &after, transition, &notices, ctx)
        .await?;
    Ok(after)
}

/// Accepts a submission (tiếp nhận): the dossier, online at the procedure's level, received
/// when the complete dossier was submitted, its appointment from the unit's calendar, its code
/// given now; in one transaction with the submission's acceptance.
pub async fn accept(
    store: &SqlStore,
    principal: &Principal,
    id: SubmissionId,
    ctx: &AuditContext,
) -> Result<HeldDossier, AppError> {
    let before = received_submission(store, principal, id).await?;
    let tree = tree(store).await?;
    let unit = tree
        .get(&before.unit)
        .ok_or_else(|| AppError::UnknownUnit(before.unit.to_string()))?;
    let procedure = crate::desk::procedure(store, &before.procedure).await?;
    let calendars = crate::calendar::load(store).await?;
    let prefix = DossierCode::parse(&crate::desk::code_prefix(&unit.code, ctx.at))
        .ok_or_else(|| AppError::Refused("mã đơn vị không tạo được mã hồ sơ".to_owned()))?;
    let accepted =
        online::accepted_dossier(&before, &procedure, unit, &calendars.for_unit(unit), prefix)
            .map_err(|e| match e {
                online::AcceptError::Incomplete(errors) => AppError::Incomplete(errors),
                other => AppError::Refused(other.to_string()),
            })?;
    let notices = crate::desk::submission_facts(store, &before, unit).await?;
    let dossier = store
        .accept_submission(
            &before,
            &accepted,
            |d| notices.map(|n| n.accepted(d)).unwrap_or_default(),
            ctx,
        )
        .await?;
    let mut held = HeldDossier::stored(dossier, accepted.lifecycle, Some(accepted.details));
    held.citizen = Some(before.citizen);
    Ok(held)
}

/// The citizen's own dossier with its history; any other answers as one that does not exist.
pub async fn my_dossier(
    store: &SqlStore,
    citizen: CitizenId,
    code: &str,
) -> Result<crate::tracking::Tracked, AppError> {
    let unknown = || AppError::UnknownDossier(code.to_owned());
    let parsed = DossierCode::parse(code.trim()).ok_or_else(unknown)?;
    let held = store.held_dossier(&parsed).await?.ok_or_else(unknown)?;
    if held.citizen != Some(citizen) {
        return Err(unknown());
    }
    let events = store.dossier_events(&parsed).await?;
    Ok(crate::tracking::Tracked { held, events })
}

/// Whether the citizen may download the result of `held`: approved, toàn trình, its result
/// digitized.
pub fn result_downloadable(held: &HeldDossier) -> Option<&Scan> {
    let d = &held.dossier;
    let full = d.online_level == Some(SubmissionLevel::Full);
    let approved = d.outcome == Some(Outcome::Approved);
    match (&held.details, full && approved) {
        (Some(details), true) => details.result_scan.as_ref(),
        _ => None,
    }
}

/// The digitized result of the citizen's own toàn trình dossier, as stored: its scan and bytes.
pub async fn download_result(
    store: &SqlStore,
    files: &Files,
    citizen: CitizenId,
    code: &str,
) -> Result<(Scan, Vec<u8>), AppError> {
    let tracked = my_dossier(store, citizen, code).await?;
    let scan = result_downloadable(&tracked.held).cloned().ok_or_else(|| {
        AppError::Refused("hồ sơ này chưa có kết quả điện tử để tải về".to_owned())
    })?;
    let bytes = files
        .get(&scan.sha256)
        .await
        .map_err(|e| AppError::Files(e.to_string()))?
        .ok_or_else(|| AppError::Files(format!("thiếu tệp {}", scan.sha256)))?;
    Ok((scan, bytes))
}

/// A document the citizen sends as the supplement asked during processing: its name and its
/// scan (already checked and stored).
#[derive(Debug, Clone)]
pub struct SuppliedScan {
    pub name: String,
    pub scan: Scan,
}

/// The citizen answers a supplement request online: the documents are added to the
/// checklist with their scans, and the dossier takes the `Supplemented` step for them (the
/// clock resumes, the appointment moves by the time it was stopped), in one write.
pub async fn supplement(
    store: &SqlStore,
    files: &Files,
    citizen: CitizenId,
    code: &str,
    supplied: &[SuppliedScan],
    ctx: &AuditContext,
) -> Result<HeldDossier, AppError> {
    let loaded = my_dossier(store, citizen, code).await?.held;
    if loaded.lifecycle.status != Status::AwaitingSupplement {
        return Err(AppError::Refused(
            "hồ sơ này không có yêu cầu bổ sung đang chờ".to_owned(),
        ));
    }
    if supplied.is_empty() {
        return Err(AppError::Refused(
            "hãy tải lên ít nhất một giấy tờ bổ sung".to_owned(),
        ));
    }
    for s in supplied {
        if !matches!(files.verify(&s.scan.sha256).await, Ok(true)) {
            return Err(AppError::Refused(format!(
                "tệp «{}» không còn trên máy chủ: hãy tải lên lại",
                s.scan.file_name
            )));
        }
    }
    let documents: Vec<SuppliedDocument> = supplied
        .iter()
        .map(|s| SuppliedDocument {
            name: s.name.trim().to_owned(),
            originals: 1,
            copies: 0,
        })
        .collect();
    let step = Step::Supplemented { documents };
    let next = loaded
        .lifecycle
        .apply(&step, ctx.at)
        .map_err(AppError::from)?;
    let mut details: Details = loaded.details.clone().unwrap_or_default();
    let Step::Supplemented { documents } = &step else {
        return Err(AppError::Refused("bước không hợp lệ".to_owned()));
    };
    let lines = motcua_core::lifecycle::add_documents(&mut details, documents)
        .map_err(AppError::Refused)?;
    for (line, s) in lines.iter().zip(supplied) {
        details
            .attach(Slot::Component(*line), s.scan.clone())
            .map_err(AppError::Refused)?;
    }
    let tree = tree(store).await?;
    let unit = tree
        .get(&loaded.dossier.unit_code)
        .ok_or_else(|| AppError::UnknownUnit(loaded.dossier.unit_code.to_string()))?;
    let calendars = crate::calendar::load(store).await?;
    let updated = crate::desk::updated_dossier(
        store,
        &calendars,
        unit,
        &loaded.dossier,
        &loaded.lifecycle,
        &next,
        Some(&details),
    )
    .await?;
    let mut held = HeldDossier::stored(updated, next, Some(details));
    held.citizen = Some(citizen);
    let change = Change::Step(&step);
    let notices = crate::desk::notices_of_change(store, &loaded, &held, &change, ctx.at).await?;
    store
        .apply_change(
            &loaded,
            (&held.dossier, &held.lifecycle, held.details.as_ref()),
            &change,
            &notices,
            ctx,
            None,
        )
        .await?;
    Ok(held)
}
