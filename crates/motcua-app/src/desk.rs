//! The one-stop desk's work: receive a dossier (its appointment from the calendar), and take
//! it through its lifecycle. Who may do what is checked here against the principal's role and
//! unit subtree; the step's rules are `motcua_core::lifecycle`'s; the store writes the step,
//! its event and its audit record together.

use motcua_core::Timestamp;
use motcua_core::access::{Action, AuditContext, Denied, Principal};
use motcua_core::details::{Details, Slot};
use motcua_core::dossier::{Dossier, DossierCode, SourceSystem};
use motcua_core::lifecycle::{Lifecycle, Step, StepKind};
use motcua_core::procedure::{Procedure, ProcedureCode};
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_store::{Change, Files, HeldDossier, IdempotencyRecord, SqlStore};
use serde::Serialize;

use crate::AppError;

mod correction;
mod fees;
mod handoff;
mod input;
mod keyed;
mod notify;
mod statement;
mod transfer;

use keyed::{once, write_change};

pub use correction::correct;
pub(crate) use fees::clear_tax_code;
pub use fees::{
    issue_receipt, issue_receipt_keyed, receipt_series, receipts, record_payment,
    record_payment_keyed, set_tax_code, tax_code,
};
pub use handoff::{Specialist, assigned_to_me, awaiting_approval, specialists};
pub use input::{ReceiptSeries, Reception};
pub(crate) use notify::addressed_facts;
pub(crate) use notify::of_change as notices_of_change;
pub(crate) use notify::submission_facts;
pub use statement::{StatementReport, StatementRow, TransferOutcome, import_statement};
pub(crate) use transfer::clear_bank_account;
pub use transfer::{bank_account, confirm_transfer, receiving_account, set_bank_account};

/// A dossier with its lifecycle and the desk's details (`None` for an imported dossier): the
/// store's [`HeldDossier`], read in one statement, under the name the API has always given it.
pub use motcua_store::HeldDossier as Handled;

pub(crate) async fn tree(store: &SqlStore) -> Result<UnitTree, AppError> {
    // The catalogue's tree, cached per catalogue revision (units change only by import, which
    // bumps it): no read of every unit per dossier action.
    Ok(store.catalogue().await?.tree.clone())
}

/// The code prefix of a dossier received by `unit` on the local day of `at`:
/// `HO-XA-240520` (the unit code in capitals, the date as YYMMDD).
pub(crate) fn code_prefix(unit: &UnitCode, at: Timestamp) -> String {
    let d = at.local_date();
    format!(
        "{}-{:02}{:02}{:02}",
        unit.as_str().to_uppercase(),
        d.year() % 100,
        d.month() as u8,
        d.day()
    )
}

/// Receives a dossier at the desk (or online): checks the principal, the unit and the
/// procedure, computes the appointment, stores it with a fresh code.
pub async fn receive(
    store: &SqlStore,
    principal: &Principal,
    r: &Reception,
    ctx: &AuditContext,
) -> Result<Handled, AppError> {
    receive_keyed(store, principal, r, ctx, None).await
}

/// [`receive`] for a request with an Idempotency-Key: the answer that `key` makes of the
/// result is stored in the transaction that stores the dossier. A key used already writes
/// nothing: `AppError::Store(StoreError::KeyUsed(…))` says what it holds (the first answer,
/// or another request), even when the state its first request made refuses this one.
pub async fn receive_keyed(
    store: &SqlStore,
    principal: &Principal,
    r: &Reception,
    ctx: &AuditContext,
    key: Option<IdempotencyRecord<Handled>>,
) -> Result<Handled, AppError> {
    once(store, key, |key| async move {
        let tree = tree(store).await?;
        let unit = tree
            .find(&r.unit)
            .ok_or_else(|| AppError::UnknownUnit(r.unit.clone()))?
            .clone();
        principal.check(&tree, Action::ReceiveDossier, &unit.code)?;
        let code =
            ProcedureCode::try_parse(&r.procedure).map_err(|e| AppError::Refused(e.to_string()))?;
        let procedure = procedure(store, &code).await?;
        if !procedure.offered_by_unit(&unit) {
            return Err(AppError::Refused(format!(
                "thủ tục «{}» không thuộc thẩm quyền tiếp nhận của {} {}",
                procedure.name, unit.label, unit.short_name
            )));
        }
        let calendars = crate::calendar::load(store).await?;
        let due_at = calendars
            .due_at(ctx.at, &procedure, &unit)
            .map_err(AppError::Calendar)?;
        let prefix = DossierCode::parse(&code_prefix(&unit.code, ctx.at))
            .ok_or_else(|| AppError::Refused("mã đơn vị không tạo được mã hồ sơ".to_owned()))?;
        let mut details = Details {
            applicant: r.applicant.clone(),
            request: r.request.trim().to_owned(),
            components: r.components.clone(),
            result_scan: None,
            representative: None,
        };
        for c in &mut details.components {
            c.name = c.name.trim().to_owned();
            c.scan = None;
        }
        if details.request.is_empty() {
            details.request = procedure.name.clone();
        }
        details.check().map_err(AppError::Refused)?;
        let (components_total, components_digitized) = if details.components.is_empty() {
            (r.components_total, r.components_digitized)
        } else {
            (details.components.len() as u32, 0)
        };
        let dossier = Dossier {
            code: prefix,
            procedure_code: procedure.code.clone(),
            unit_code: unit.code.clone(),
            channel: r.channel,
            online_level: r.online_level,
            received_at: ctx.at,
            due_at,
            resolved_at: None,
            outcome: None,
            returned_at: None,
            components_total,
            components_digitized,
            result_digitized: None,
            fee_vnd: r.fee_vnd,
            payment_channel: None,
            paid_at: None,
            e_receipt: None,
            source_system: SourceSystem::New,
            rating: None,
        };
        if let Some(e) = dossier.check().into_iter().next() {
            return Err(AppError::Refused(e.message));
        }
        let lifecycle = Lifecycle::received(unit.code.clone(), ctx.at);
        let key = key.map(|k| {
            let (lifecycle, details) = (lifecycle.clone(), details.clone());
            k.map(move |dossier: &Dossier| {
                Handled::stored(dossier.clone(), lifecycle, Some(details))
            })
        });
        let dossier = store
            .receive_dossier(&dossier, &lifecycle, &details, ctx, key)
            .await?;
        Ok(Handled::stored(dossier, lifecycle, Some(details)))
    })
    .await
}

/// A procedure of the catalogue, by code.
pub async fn procedure(store: &SqlStore, code: &ProcedureCode) -> Result<Procedure, AppError> {
    store
        .procedures()
        .await?
        .into_iter()
        .find(|p| &p.code == code)
        .ok_or_else(|| AppError::Refused(format!("không có thủ tục mã «{code}»")))
}

/// The dossier and its lifecycle, if the principal may see it (its unit or the unit
/// handling it lies in the principal's subtree).
pub async fn get(store: &SqlStore, principal: &Principal, code: &str) -> Result<Handled, AppError> {
    let tree = tree(store).await?;
    let l = load(store, code).await?;
    check_scope(
        &tree,
        principal,
        Action::ViewIndicators,
        &l.dossier,
        &l.lifecycle,
    )?;
    Ok(l)
}

/// A dossier with its lifecycle and details, read in one statement.
async fn load(store: &SqlStore, code: &str) -> Result<HeldDossier, AppError> {
    let unknown = || AppError::UnknownDossier(code.to_owned());
    let code = DossierCode::parse(code).ok_or_else(unknown)?;
    store.held_dossier(&code).await?.ok_or_else(unknown)
}

/// A principal reaches a dossier through the unit that received it or the unit handling it.
fn check_scope(
    tree: &UnitTree,
    principal: &Principal,
    action: Action,
    dossier: &Dossier,
    lifecycle: &Lifecycle,
) -> Result<(), AppError> {
    // Scope first: outside its subtree a principal gets the answer of a dossier that does not
    // exist, whatever its role (the code of another unit's dossier is not told).
    if !(tree.is_within(&dossier.unit_code, &principal.unit)
        || tree.is_within(&lifecycle.handling_unit, &principal.unit))
    {
        return Err(AppError::UnknownDossier(dossier.code.to_string()));
    }
    if !principal.may(action) {
        return Err(Denied::Action.into());
    }
    Ok(())
}

/// How pressing a dossier of the worklist is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Past its appointment.
    Overdue,
    /// Due before the end of today.
    DueToday,
    /// Due within two working days.
    DueSoon,
    /// The clock is stopped (supplement, suspension).
    Paused,
    OnTrack,
    /// Settled; the result (or the refusal) waits to be handed back.
    AwaitingReturn,
}

impl Urgency {
    pub fn name_vi(self) -> &'static str {
        match self {
            Urgency::Overdue => "Quá hạn",
            Urgency::DueToday => "Đến hạn hôm nay",
            Urgency::DueSoon => "Đến hạn trong 2 ngày làm việc",
            Urgency::Paused => "Đang dừng tính thời gian",
            Urgency::OnTrack => "Trong hạn",
            Urgency::AwaitingReturn => "Chờ trả kết quả",
        }
    }
}

/// The kinds of step a principal may take on a dossier now (the buttons of its page).
pub fn possible_steps(principal: &Principal, lifecycle: &Lifecycle) -> Vec<StepKind> {
    StepKind::ALL
        .into_iter()
        .filter(|k| principal.may(k.action()) && lifecycle.allows(*k))
        .collect()
}

/// Takes a step on a dossier: checks the principal, applies the lifecycle's rules, moves the
/// appointment when the clock resumes after a pause, and stores it all.
pub async fn take_step(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
    step: &Step,
    ctx: &AuditContext,
) -> Result<Handled, AppError> {
    take_step_keyed(store, principal, code, step, ctx, None).await
}

/// [`take_step`] for a request with an Idempotency-Key, as [`receive_keyed`].
pub async fn take_step_keyed(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
    step: &Step,
    ctx: &AuditContext,
    key: Option<IdempotencyRecord<Handled>>,
) -> Result<Handled, AppError> {
    once(store, key, |key| async move {
        let tree = tree(store).await?;
        let loaded = load(store, code).await?;
        let (dossier, lifecycle) = (&loaded.dossier, &loaded.lifecycle);
        check_scope(&tree, principal, step.kind().action(), dossier, lifecycle)?;
        let next = lifecycle
            .apply(step, ctx.at)
            .map_err(|e| AppError::lifecycle(e, &tree))?;
        if let Step::Transfer { to, .. } = step
            && tree.get(to).is_none()
        {
            return Err(AppError::UnknownUnit(to.to_string()));
        }
        if let Step::Assign { to } = step {
            handoff::check_assignee(store, to.trim(), &next.handling_unit).await?;
        }
        let mut details = loaded.details.clone();
        if let Step::Supplemented { documents } = step
            && !documents.is_empty()
        {
            let d = details.as_mut().ok_or_else(|| {
                AppError::Refused(
                    "hồ sơ nhập từ hệ thống khác không có danh mục thành phần để ghi giấy tờ bổ sung"
                        .to_owned(),
                )
            })?;
            handoff::add_documents(d, documents)?;
        }
        let unit = tree
            .get(&dossier.unit_code)
            .ok_or_else(|| AppError::UnknownUnit(dossier.unit_code.to_string()))?;
        let calendars = crate::calendar::load(store).await?;
        if let Step::Apologize { new_due, .. } = step {
            // While the clock is stopped the dossier cannot run late: its letter (Mẫu 04)
            // would say something untrue.
            if lifecycle.open_pause().is_some() {
                return Err(AppError::Refused(
                    "hồ sơ đang tạm dừng (chờ bổ sung hoặc tạm dừng giải quyết), thời hạn giải quyết không chạy: chỉ xin lỗi và hẹn lại khi hồ sơ đang được giải quyết"
                        .to_owned(),
                ));
            }
            Lifecycle::check_apology(dossier.due_at, *new_due)?;
            let limit = calendars
                .working_days_after(ctx.at, 1, unit)
                .map_err(AppError::Calendar)?;
            if limit > dossier.due_at {
                return Err(AppError::Refused(
                    "phiếu xin lỗi và hẹn lại phải gửi chậm nhất 01 ngày làm việc trước ngày hẹn trả"
                        .to_owned(),
                ));
            }
        }
        let updated =
            updated_dossier(store, &calendars, unit, dossier, lifecycle, &next, details.as_ref())
                .await?;
        let after = Handled::stored(updated, next, details);
        write_change(store, &loaded, after, &Change::Step(step), ctx, key).await
    })
    .await
}

/// The dossier after a step moved its lifecycle from `lifecycle` to `next` (and its details
/// to `details`): the settlement's fields, the appointment moved when the clock resumed after
/// a pause, the component counts; checked.
pub(crate) async fn updated_dossier(
    store: &SqlStore,
    calendars: &crate::calendar::Calendars,
    unit: &motcua_core::unit::Unit,
    dossier: &Dossier,
    lifecycle: &Lifecycle,
    next: &Lifecycle,
    details: Option<&Details>,
) -> Result<Dossier, AppError> {
    let mut updated = dossier.clone();
    updated.resolved_at = next.resolved_at;
    updated.outcome = next.outcome;
    updated.returned_at = next.returned_at;
    updated.result_digitized = next.result_digitized;
    if next.pauses.iter().filter(|p| p.to.is_some()).count()
        != lifecycle.pauses.iter().filter(|p| p.to.is_some()).count()
    {
        // The clock resumed: the appointment moves by the working time it was stopped.
        let procedure = procedure(store, &dossier.procedure_code).await?;
        updated.due_at = calendars
            .due_with_pauses(dossier.received_at, &procedure, unit, &next.pauses)
            .map_err(AppError::Calendar)?;
    }
    if let Some(d) = details
        && !d.components.is_empty()
    {
        updated.components_total = d.components.len() as u32;
        updated.components_digitized = d.digitized();
    }
    if let Some(e) = updated.check().into_iter().next() {
        return Err(AppError::Refused(e.message));
    }
    Ok(updated)
}

/// Stores the scan of a component (the desk) or of the result (the desk or the handling
/// officers): the file is checked (size, type) before anything is written, the component is
/// marked digitized and the dossier's count of digitized components follows.
#[allow(clippy::too_many_arguments)]
pub async fn attach_scan(
    store: &SqlStore,
    files: &Files,
    principal: &Principal,
    code: &str,
    slot: Slot,
    file_name: &str,
    bytes: &[u8],
    ctx: &AuditContext,
) -> Result<Handled, AppError> {
    let tree = tree(store).await?;
    let loaded = load(store, code).await?;
    let action = match slot {
        Slot::Result if principal.may(Action::ProcessDossier) => Action::ProcessDossier,
        _ => Action::ReceiveDossier,
    };
    check_scope(&tree, principal, action, &loaded.dossier, &loaded.lifecycle)?;
    let mut details = loaded.details.clone().ok_or_else(|| {
        AppError::Refused(
            "hồ sơ nhập từ hệ thống khác không có danh mục thành phần để đính kèm bản quét"
                .to_owned(),
        )
    })?;
    // Everything that can refuse is checked before the file is written.
    files
        .check(file_name, bytes)
        .map_err(|e| AppError::Refused(e.to_string()))?;
    details.check_slot(slot).map_err(AppError::Refused)?;
    let scan = files.put(file_name, bytes).await.map_err(|e| match e {
        motcua_store::FileError::Io { .. } => AppError::Files(e.to_string()),
        other => AppError::Refused(other.to_string()),
    })?;
    details
        .attach(slot, scan.clone())
        .map_err(AppError::Refused)?;
    let mut updated = loaded.dossier.clone();
    if !details.components.is_empty() {
        updated.components_total = details.components.len() as u32;
        updated.components_digitized = details.digitized();
    }
    let mut next = loaded.lifecycle.clone();
    if slot == Slot::Result && updated.outcome == Some(motcua_core::dossier::Outcome::Approved) {
        // The result issued on paper is digitized now.
        updated.result_digitized = Some(true);
        next.result_digitized = Some(true);
    }
    store
        .apply_change(
            &loaded,
            (&updated, &next, Some(&details)),
            &Change::Scan { slot, scan: &scan },
            &[],
            ctx,
            None,
        )
        .await?;
    Ok(Handled::stored(updated, next, Some(details)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_carry_the_unit_and_the_local_day() -> Result<(), Box<dyn std::error::Error>> {
        let at = Timestamp::parse("2024-05-19T23:30:00+07:00")?;
        assert_eq!(code_prefix(&UnitCode::parse("ho-xa")?, at), "HO-XA-240519");
        // 17:30 UTC is already the next day in Vietnam.
        let at = Timestamp::parse("2024-05-19T17:30:00Z")?;
        assert_eq!(code_prefix(&UnitCode::parse("ho-xa")?, at), "HO-XA-240520");
        Ok(())
    }
}
