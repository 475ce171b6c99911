//! The desk's writes with an Idempotency-Key (`motcua_store::IdempotencyRecord`).

use motcua_core::access::AuditContext;
use motcua_store::{Change, IdempotencyRecord, SqlStore, StoreError};

use super::Handled;
use crate::AppError;

/// Runs `write` with an optional Idempotency-Key. What the key holds (the first answer, or
/// another request) is the result instead of the write, as
/// `AppError::Store(StoreError::KeyUsed(…))`: looked up first, found by the write's own
/// transaction, and looked up again after a refusal, which may come from the very state that
/// an earlier request with the same key has just committed (the fee it paid, the step it
/// took): that request's answer is the one to give.
pub(super) async fn once<T, R, Fut>(
    store: &SqlStore,
    key: Option<IdempotencyRecord<T>>,
    write: impl FnOnce(Option<IdempotencyRecord<T>>) -> Fut,
) -> Result<R, AppError>
where
    T: 'static,
    Fut: Future<Output = Result<R, AppError>>,
{
    let Some(record) = key else {
        return write(None).await;
    };
    let id = (
        record.principal().to_owned(),
        record.key().to_owned(),
        record.request().to_owned(),
    );
    let held = || store.idempotency_answer(&id.0, &id.1, &id.2);
    if let Some(prior) = held().await? {
        return Err(StoreError::KeyUsed(prior).into());
    }
    match write(Some(record)).await {
        Err(e) if !matches!(e, AppError::Store(StoreError::KeyUsed(_))) => match held().await {
            Ok(Some(prior)) => Err(StoreError::KeyUsed(prior).into()),
            _ => Err(e),
        },
        done => done,
    }
}

/// Writes `after` (the dossier, its lifecycle and details once `change` is applied) if the
/// stored dossier is still `before`, with the key's answer and the notices to its citizen in
/// the same transaction; `after` is the answer.
pub(super) async fn write_change(
    store: &SqlStore,
    before: &Handled,
    after: Handled,
    change: &Change<'_>,
    ctx: &AuditContext,
    key: Option<IdempotencyRecord<Handled>>,
) -> Result<Handled, AppError> {
    let notices = super::notify::of_change(store, before, &after, change, ctx.at).await?;
    store
        .apply_change(
            before,
            (&after.dossier, &after.lifecycle, after.details.as_ref()),
            change,
            &notices,
            ctx,
            answered(key, &after),
        )
        .await?;
    Ok(after)
}

/// The record of a change whose answer, `handled`, is known before it is written.
fn answered(
    key: Option<IdempotencyRecord<Handled>>,
    handled: &Handled,
) -> Option<IdempotencyRecord<()>> {
    key.map(|k| {
        let handled = handled.clone();
        k.map(move |_: &()| handled)
    })
}
