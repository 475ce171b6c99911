//! The notices a change of a dossier sends to the citizen who submitted it online: which
//! (`motcua_core::outbox::StatusNotice::of_step`), worded from the dossier, its procedure and
//! units, to the account's verified telephone number (SMS) and e-mail address. The store
//! writes them in the outbox in the change's own transaction. The notices of a result invite
//! the rating while the dossier may be rated, with its rating link when the portal's address
//! is known (`crate::portal`).

use motcua_core::Timestamp;
use motcua_core::citizen::CitizenId;
use motcua_core::dossier::{Dossier, SubmissionLevel};
use motcua_core::lifecycle::Step;
use motcua_core::online::Submission;
use motcua_core::outbox::{Message, NoticeFacts, RatingInvite, StatusNotice};
use motcua_core::rating::may_rate;
use motcua_core::unit::Unit;
use motcua_store::{Change, SqlStore};

use super::{Handled, procedure};
use crate::AppError;

/// The messages that tell the dossier's citizen of `change` (from `before` to `after`, at
/// `at`): none for a dossier without a citizen, for a change that is not a step the citizen
/// waits for, or for an account without a verified address.
pub(crate) async fn of_change(
    store: &SqlStore,
    before: &Handled,
    after: &Handled,
    change: &Change<'_>,
    at: Timestamp,
) -> Result<Vec<Message>, AppError> {
    let (Some(citizen), Change::Step(step)) = (before.citizen, change) else {
        return Ok(Vec::new());
    };
    let Some(kind) = StatusNotice::of_step(
        step,
        before.stored_lifecycle().map(|l| l.status),
        after.lifecycle.status,
    ) else {
        return Ok(Vec::new());
    };
    let due_at = match step {
        Step::Apologize { new_due, .. } => Some(*new_due),
        _ => Some(after.dossier.due_at),
    };
    let Some(mut a) = addressed_facts(store, citizen, after, reason(step), due_at).await? else {
        return Ok(Vec::new());
    };
    if kind.invites_rating() && may_rate(&after.dossier).is_ok() {
        a.facts.rating = Some(rating_invite(store, after, at).await?);
    }
    Ok(a.messages(kind))
}

/// The invitation to rate `about`: its rating link under the portal's address, or, when no
/// address was ever given, none (a path alone would open nothing from a mail reader; the
/// e-mail then sends the citizen to their own list, where no token is needed).
async fn rating_invite(
    store: &SqlStore,
    about: &Handled,
    at: Timestamp,
) -> Result<RatingInvite, AppError> {
    let link = match crate::portal::address(store).await? {
        Some(base) => {
            Some(crate::ratings::rating_link(store, &base, &about.dossier.code, at).await?)
        }
        None => None,
    };
    Ok(RatingInvite { link })
}

/// What a notice about dossier `about` is worded from, and `citizen`'s verified addresses;
/// `None` for an unknown account.
pub(crate) async fn addressed_facts(
    store: &SqlStore,
    citizen: CitizenId,
    about: &Handled,
    reason: Option<&str>,
    due_at: Option<Timestamp>,
) -> Result<Option<AddressedFacts>, AppError> {
    let Some(account) = store.citizen(citizen).await? else {
        return Ok(None);
    };
    let tree = super::tree(store).await?;
    let unit_name = |code| tree.get(code).map(|u| u.name.clone());
    let dossier = &about.dossier;
    let facts = NoticeFacts {
        code: dossier.code.to_string(),
        citizen_name: account.full_name.clone(),
        procedure_name: procedure(store, &dossier.procedure_code).await?.name,
        unit_name: unit_name(&dossier.unit_code).unwrap_or_else(|| dossier.unit_code.to_string()),
        due_at,
        reason: reason.map(str::to_owned),
        handling_unit_name: unit_name(&about.lifecycle.handling_unit),
        result_online: dossier.online_level == Some(SubmissionLevel::Full),
        receipt: None,
        rating: None,
    };
    Ok(Some(AddressedFacts {
        facts,
        phone: account.phone,
        email: account.email,
    }))
}

/// A notice's facts with the addresses it goes to.
#[derive(Debug, Clone)]
pub(crate) struct AddressedFacts {
    pub(crate) facts: NoticeFacts,
    phone: Option<String>,
    email: Option<String>,
}

impl AddressedFacts {
    /// The messages of notice `kind`: an SMS to the phone, an e-mail to the address.
    pub(crate) fn messages(&self, kind: StatusNotice) -> Vec<Message> {
        kind.messages(&self.facts, self.phone.as_deref(), self.email.as_deref())
    }
}

/// What the notices of an online submission are worded from, and where they go: the facts
/// (the submission has no code yet, so `code` names the procedure in quotes) and the
/// account's verified phone and e-mail; `None` for an unknown account.
pub(crate) async fn submission_facts(
    store: &SqlStore,
    submission: &Submission,
    unit: &Unit,
) -> Result<Option<SubmissionNotices>, AppError> {
    let Some(account) = store.citizen(submission.citizen).await? else {
        return Ok(None);
    };
    let procedure_name = procedure(store, &submission.procedure).await?.name;
    Ok(Some(SubmissionNotices {
        facts: NoticeFacts {
            code: format!("«{procedure_name}»"),
            citizen_name: account.full_name.clone(),
            procedure_name,
            unit_name: unit.name.clone(),
            due_at: None,
            reason: submission.reason.clone(),
            handling_unit_name: None,
            result_online: false,
            receipt: None,
            rating: None,
        },
        phone: account.phone,
        email: account.email,
    }))
}

/// The notices of one online submission: its facts and the citizen's addresses.
pub(crate) struct SubmissionNotices {
    facts: NoticeFacts,
    phone: Option<String>,
    email: Option<String>,
}

impl SubmissionNotices {
    /// Notice `kind` of the submission (submitted, returned for completion, refused), with
    /// the `reason` reception gave.
    pub(crate) fn messages(&self, kind: StatusNotice, reason: Option<&str>) -> Vec<Message> {
        let facts = NoticeFacts {
            reason: reason.map(str::to_owned),
            ..self.facts.clone()
        };
        kind.messages(&facts, self.phone.as_deref(), self.email.as_deref())
    }

    /// The acceptance's notice, once the store has numbered `dossier`: its code and
    /// appointment.
    pub(crate) fn accepted(&self, dossier: &Dossier) -> Vec<Message> {
        let facts = NoticeFacts {
            code: dossier.code.to_string(),
            due_at: Some(dossier.due_at),
            reason: None,
            result_online: dossier.online_level == Some(SubmissionLevel::Full),
            ..self.facts.clone()
        };
        StatusNotice::Accepted.messages(&facts, self.phone.as_deref(), self.email.as_deref())
    }
}

/// The reason a step gives, if it carries one.
fn reason(step: &Step) -> Option<&str> {
    match step {
        Step::RequestSupplement { reason }
        | Step::Suspend { reason }
        | Step::Transfer { reason, .. }
        | Step::ProposeRejection { reason }
        | Step::SendBack { reason }
        | Step::Reject { reason }
        | Step::Withdraw { reason }
        | Step::Apologize { reason, .. } => Some(reason.as_str()),
        Step::StartProcessing
        | Step::Assign { .. }
        | Step::Supplemented { .. }
        | Step::Resume
        | Step::ProposeApproval { .. }
        | Step::Approve { .. }
        | Step::ReturnResult { .. } => None,
    }
}
