//! Feedback and petitions (phản ánh, kiến nghị — PAKN, `motcua_core::petition`), both sides:
//! a visitor sends one through the public form, follows it by code and contact (as a dossier
//! is tracked), replies when asked for more and may say "không hài lòng" with the published
//! answer; the officers of a unit's subtree (`Action::HandlePetition`, scope first) assign,
//! decide, ask for more, answer, publish and mark repeats. Every deadline is computed on the
//! unit's calendar when its stage opens.

use motcua_core::access::{Action, AuditContext, Principal};
use motcua_core::petition::{FormField, Petition, PetitionCode, PetitionForm, PetitionStep};
use motcua_core::unit::{Unit, UnitCode};
use motcua_store::{PETITION_PAGE, SqlStore, StoredPetition};

use crate::AppError;
use crate::desk::tree;

/// Why a form was not accepted: its errors beside their fields, or another failure.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("phản ánh, kiến nghị chưa đầy đủ")]
    Fields(Vec<(FormField, String)>),
    #[error(transparent)]
    App(#[from] AppError),
}

/// The units a visitor may address a PAKN to: every unit, in the tree's order.
pub async fn units(store: &SqlStore) -> Result<Vec<Unit>, AppError> {
    let tree = tree(store).await?;
    Ok(tree.iter_preorder().cloned().collect())
}

/// Receives a PAKN sent through the public form at `ctx.at` (audited as the visitor).
pub async fn submit(
    store: &SqlStore,
    form: &PetitionForm,
    ctx: &AuditContext,
) -> Result<Petition, SubmitError> {
    let new = form.check().map_err(SubmitError::Fields)?;
    let tree = tree(store).await?;
    let Some(unit) = tree.get(&new.unit_code) else {
        return Err(SubmitError::Fields(vec![(
            FormField::Unit,
            "Chọn cơ quan, đơn vị nhận trong danh sách".to_owned(),
        )]));
    };
    let calendars = crate::calendar::load(store).await?;
    let calendar = calendars.for_unit(unit);
    Ok(store
        .submit_petition(new, &calendar, ctx)
        .await
        .map_err(AppError::from)?)
}

/// The PAKN of `code` for a visitor who gives its contact (phone or e-mail, as typed): `None`
/// when either does not match, so no answer tells a wrong contact from a wrong code.
pub async fn for_visitor(
    store: &SqlStore,
    code: &str,
    contact: &str,
) -> Result<Option<StoredPetition>, AppError> {
    let (Some(code), Ok(contact)) = (
        PetitionCode::parse(code),
        motcua_core::citizen::Contact::parse(contact),
    ) else {
        return Ok(None);
    };
    Ok(store
        .petition(&code)
        .await?
        .filter(|s| s.petition.contact == contact))
}

/// A step of the petitioner (a reply when asked for more, "không hài lòng"), proved by the
/// code and contact.
pub async fn petitioner_step(
    store: &SqlStore,
    code: &str,
    contact: &str,
    step: &PetitionStep,
    ctx: &AuditContext,
) -> Result<StoredPetition, AppError> {
    if !matches!(
        step,
        PetitionStep::Reply { .. } | PetitionStep::Dissatisfied
    ) {
        return Err(AppError::Refused(
            "người gửi chỉ bổ sung thông tin hoặc cho biết không hài lòng".to_owned(),
        ));
    }
    let stored = for_visitor(store, code, contact)
        .await?
        .ok_or_else(|| AppError::Refused(format!("không có phản ánh, kiến nghị mã «{code}»")))?;
    apply(store, &stored, step, ctx).await
}

async fn apply(
    store: &SqlStore,
    stored: &StoredPetition,
    step: &PetitionStep,
    ctx: &AuditContext,
) -> Result<StoredPetition, AppError> {
    let tree = tree(store).await?;
    let unit = tree
        .get(&stored.petition.unit_code)
        .ok_or_else(|| AppError::UnknownUnit(stored.petition.unit_code.to_string()))?;
    let calendars = crate::calendar::load(store).await?;
    let after = stored
        .petition
        .apply(step, ctx.at, &calendars.for_unit(unit))
        .map_err(|e| AppError::Refused(e.to_string()))?;
    Ok(store.apply_petition_step(stored, &after, step, ctx).await?)
}

/// The PAKN of `code` for an officer of its unit's subtree (outside it, as unknown).
pub async fn for_officer(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
) -> Result<StoredPetition, AppError> {
    let unknown = || AppError::Refused(format!("không có phản ánh, kiến nghị mã «{code}»"));
    let code_parsed = PetitionCode::parse(code).ok_or_else(unknown)?;
    let stored = store.petition(&code_parsed).await?.ok_or_else(unknown)?;
    let tree = tree(store).await?;
    if !tree.is_within(&stored.petition.unit_code, &principal.unit) {
        return Err(unknown());
    }
    principal.check(&tree, Action::HandlePetition, &stored.petition.unit_code)?;
    Ok(stored)
}

/// An officer's step on the PAKN of `code`, written over `version` (the one the page
/// showed). An assignment goes to a unit of the officer's subtree only.
pub async fn officer_step(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
    version: i64,
    step: &PetitionStep,
    ctx: &AuditContext,
) -> Result<StoredPetition, AppError> {
    if matches!(
        step,
        PetitionStep::Reply { .. } | PetitionStep::Dissatisfied
    ) {
        return Err(AppError::Refused(
            "chỉ người gửi bổ sung thông tin hoặc cho biết không hài lòng".to_owned(),
        ));
    }
    let stored = for_officer(store, principal, code).await?;
    if stored.version != version {
        return Err(AppError::Refused(
            "phản ánh, kiến nghị này vừa được cập nhật ở nơi khác; hãy tải lại trang và thử lại"
                .to_owned(),
        ));
    }
    if let PetitionStep::Assign { unit, .. } = step {
        let tree = tree(store).await?;
        principal.check(&tree, Action::HandlePetition, unit)?;
    }
    if let PetitionStep::MarkRepeat { of } = step
        && store.petition(of).await?.is_none()
    {
        return Err(AppError::Refused(format!(
            "không có phản ánh, kiến nghị mã «{of}»"
        )));
    }
    apply(store, &stored, step, ctx).await
}

/// A page of the PAKN of `unit`'s subtree (a unit of the officer's), due soonest first.
pub async fn officer_list(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    after: Option<(i64, PetitionCode)>,
) -> Result<Vec<StoredPetition>, AppError> {
    let tree = tree(store).await?;
    principal.check(&tree, Action::HandlePetition, unit)?;
    let units: Vec<UnitCode> = tree
        .scope(unit)
        .into_iter()
        .map(|u| u.code.clone())
        .collect();
    Ok(store.unit_petitions(&units, after, PETITION_PAGE).await?)
}

/// A page of the published answers, newest first.
pub async fn published(
    store: &SqlStore,
    before: Option<(i64, PetitionCode)>,
) -> Result<Vec<Petition>, AppError> {
    Ok(store.published_petitions(before, PETITION_PAGE).await?)
}
