//! Correction of a dossier before processing starts (sửa thông tin hồ sơ): reception fixes a
//! typo in the applicant's data, the request or the component checklist of a dossier it
//! received and nobody has taken up yet. The change is audited with the old values kept in the
//! history (`history::Corrected`); nothing the indicators count changes (it is not a
//! withdrawal, and the appointment and the received time stay).

use motcua_core::access::{Action, AuditContext, Principal};
use motcua_core::details::Details;
use motcua_core::history::Corrected;
use motcua_core::lifecycle::Status;
use motcua_store::{Change, SqlStore};

use super::{Handled, check_scope, load, tree};
use crate::AppError;

/// Replaces the applicant, the request and the component lines of a received dossier with
/// those of `corrected` (the scans of the lines kept by position; a line removed loses its
/// scan). Refused once processing started, and when nothing changed.
pub async fn correct(
    store: &SqlStore,
    principal: &Principal,
    code: &str,
    corrected: &Details,
    ctx: &AuditContext,
) -> Result<Handled, AppError> {
    let tree = tree(store).await?;
    let loaded = load(store, code).await?;
    check_scope(
        &tree,
        principal,
        Action::ReceiveDossier,
        &loaded.dossier,
        &loaded.lifecycle,
    )?;
    if loaded.lifecycle.status != Status::Received {
        return Err(AppError::Refused(format!(
            "hồ sơ đã chuyển xử lý (trạng thái «{}»): không sửa được thông tin nữa; nếu cần, \
             đề nghị đơn vị giải quyết yêu cầu bổ sung hồ sơ",
            loaded.lifecycle.status.name_vi()
        )));
    }
    let before = loaded.details.clone().ok_or_else(|| {
        AppError::Refused(
            "hồ sơ nhập từ hệ thống khác không có thông tin tiếp nhận để sửa".to_owned(),
        )
    })?;
    let mut after = before.clone();
    after.applicant = corrected.applicant.clone();
    after.request = corrected.request.trim().to_owned();
    if after.request.is_empty() {
        after.request = before.request.clone();
    }
    after.components = corrected
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut line = c.clone();
            line.name = line.name.trim().to_owned();
            line.scan = before.components.get(i).and_then(|old| old.scan.clone());
            line
        })
        .collect();
    if after.components.iter().any(|c| c.name.is_empty()) {
        return Err(AppError::Refused(
            "tên giấy tờ không được để trống".to_owned(),
        ));
    }
    after.check().map_err(AppError::Refused)?;
    let change = Corrected::between(&before, &after);
    if change.is_empty() {
        return Err(AppError::Refused(
            "không có thông tin nào thay đổi".to_owned(),
        ));
    }
    let mut dossier = loaded.dossier.clone();
    if !after.components.is_empty() {
        dossier.components_total = after.components.len() as u32;
        dossier.components_digitized = after.digitized();
    }
    store
        .apply_change(
            &loaded,
            (&dossier, &loaded.lifecycle, Some(&after)),
            &Change::Correction(&change),
            &[],
            ctx,
            None,
        )
        .await?;
    Ok(Handled::stored(
        dossier,
        loaded.lifecycle.clone(),
        Some(after),
    ))
}
