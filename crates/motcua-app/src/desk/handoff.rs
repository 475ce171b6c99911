//! The hand-off inside a unit (chuyển xử lý → trình lãnh đạo → phê duyệt): who may be
//! assigned a dossier, what a supplement adds to the checklist, and the two queues — the
//! dossiers assigned to a specialist, and those waiting for a leader's decision.

use motcua_core::access::{Action, Principal, Role};
use motcua_core::details::Details;
use motcua_core::lifecycle::{SuppliedDocument, add_documents as merge};
use motcua_core::unit::UnitCode;
use motcua_store::SqlStore;

use super::{Handled, tree};
use crate::AppError;

/// A specialist a dossier may be assigned to: the account's user name and full name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Specialist {
    pub username: String,
    pub display_name: String,
}

/// The specialists who may handle a dossier of `unit` (accounts with that role in the unit
/// or a unit above it: a district's specialists handle its departments' dossiers), by full
/// name.
pub async fn specialists(store: &SqlStore, unit: &UnitCode) -> Result<Vec<Specialist>, AppError> {
    let tree = tree(store).await?;
    let mut list: Vec<Specialist> = store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Specialist && !u.disabled && tree.is_within(unit, &u.unit))
        .map(|u| Specialist {
            username: u.username.to_string(),
            display_name: u.display_name,
        })
        .collect();
    let order = motcua_core::collation::VietnameseOrder::new();
    list.sort_by(|a, b| {
        order
            .compare(&a.display_name, &b.display_name)
            .then_with(|| a.username.cmp(&b.username))
    });
    Ok(list)
}

/// Refuses an assignment to anyone but a specialist of the unit handling the dossier.
pub(super) async fn check_assignee(
    store: &SqlStore,
    username: &str,
    unit: &UnitCode,
) -> Result<(), AppError> {
    if specialists(store, unit)
        .await?
        .iter()
        .any(|s| s.username == username)
    {
        Ok(())
    } else {
        Err(AppError::Refused(format!(
            "«{username}» không phải chuyên viên của đơn vị đang giải quyết hồ sơ; hãy chọn chuyên viên trong danh sách"
        )))
    }
}

/// Adds the documents of a supplement to the checklist (see `lifecycle::add_documents`).
pub(super) fn add_documents(
    details: &mut Details,
    documents: &[SuppliedDocument],
) -> Result<Vec<usize>, AppError> {
    merge(details, documents).map_err(AppError::Refused)
}

/// "Hồ sơ được giao cho tôi": the open dossiers assigned to the signed-in specialist,
/// earliest appointment first (at most `motcua_store::QUEUE_LIMIT`).
pub async fn assigned_to_me(
    store: &SqlStore,
    principal: &Principal,
) -> Result<Vec<Handled>, AppError> {
    if !principal.may(Action::ProposeResult) || principal.role().is_none() {
        return Err(motcua_core::access::Denied::Action.into());
    }
    Ok(store.assigned_to(&principal.name).await?)
}

/// "Chờ phê duyệt": the dossiers whose proposed result waits for a decision, handled by a
/// unit of the leader's subtree, earliest appointment first.
pub async fn awaiting_approval(
    store: &SqlStore,
    principal: &Principal,
) -> Result<Vec<Handled>, AppError> {
    if !principal.may(Action::ApproveDossier) {
        return Err(motcua_core::access::Denied::Action.into());
    }
    let tree = tree(store).await?;
    let units: Vec<&UnitCode> = tree
        .scope(&principal.unit)
        .into_iter()
        .map(|u| &u.code)
        .collect();
    Ok(store.awaiting_approval(&units).await?)
}
