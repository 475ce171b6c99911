//! The notices of a signed-in person (`motcua_core::notice`): what waits for their unit. Each
//! kind's source is one function here; the header shows what [`notices`] returns.

use motcua_core::Timestamp;
use motcua_core::access::{Action, Principal};
use motcua_core::notice::{Notice, NoticeKind};
use motcua_store::SqlStore;

use crate::AppError;

/// The notices of `principal` at `now`, in [`NoticeKind::ALL`] order, only those with a count.
pub async fn notices(
    store: &SqlStore,
    principal: &Principal,
    _now: Timestamp,
) -> Result<Vec<Notice>, AppError> {
    let mut out = Vec::new();
    if let Some(n) = follow_ups_asked(store, principal).await? {
        out.push(n);
    }
    let online = crate::online::inbox_count(store, principal).await?;
    if online > 0 {
        out.push(Notice {
            kind: NoticeKind::OnlineWaiting,
            count: online,
            href: "/desk/online".to_owned(),
        });
    }
    Ok(out)
}

/// The remediation reports asked of the principal's own unit and not yet sent, for those who
/// send them (leaders and administrators of the unit): the list of the oldest month waiting.
async fn follow_ups_asked(
    store: &SqlStore,
    principal: &Principal,
) -> Result<Option<Notice>, AppError> {
    if !principal.may(Action::FollowUp) {
        return Ok(None);
    }
    let waiting = store.waiting_follow_ups(&principal.unit).await?;
    let Some(oldest) = waiting.first() else {
        return Ok(None);
    };
    Ok(Some(Notice {
        kind: NoticeKind::FollowUpAsked,
        count: waiting.len() as u64,
        href: format!("/follow-ups?month={}", oldest.month),
    }))
}
