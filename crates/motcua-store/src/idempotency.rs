//! Idempotency-Key answers, written in the transaction of the work they answer.
//!
//! A write given an [`IdempotencyRecord`] takes the key as the first statement of its
//! transaction and writes the answer into the key's row just before it commits, so the work
//! and its answer are committed together or not at all: a crash before the commit leaves
//! neither (a retry does the work once), a crash after it leaves both (a retry gets the
//! answer). No committed row is ever "in flight". When the key is taken already, the write
//! stops, its transaction rolls back and the caller gets [`StoreError::KeyUsed`] with what the
//! key holds. A refusal or a failure rolls the key back with the rest: nothing is recorded.
//!
//! Two requests with one key at once: on PostgreSQL (READ COMMITTED) the second
//! `INSERT … ON CONFLICT DO NOTHING` waits on the first one's uncommitted index entry until
//! that transaction ends, then finds the key taken (committed: its answer is visible to the
//! next statement) or takes it (rolled back). On SQLite the insert is the transaction's first
//! write, so it waits for the write lock, which the first writer holds until it ends: the
//! same two outcomes. The key comes before any other lock, so it adds no lock cycle.

use motcua_core::Timestamp;
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use crate::StoreError;
use crate::sql::stmt;

/// An answer as its client got it: the HTTP status and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// What an Idempotency-Key already holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prior {
    /// The request was carried out once: its answer, to give again.
    Answered(Answer),
    /// The key was used for a different request.
    Mismatch,
}

type AnswerOf<T> = Box<dyn FnOnce(&T) -> Result<Answer, String> + Send + Sync>;

/// The Idempotency-Key of a write: whose key, the key, the request it stands for (method,
/// path and body) and how the answer follows from the write's result `T` (the new dossier's
/// code, the receipt's number…). Given to a write of [`crate::SqlStore`], it is stored with the
/// answer in the write's own transaction.
pub struct IdempotencyRecord<T> {
    principal: String,
    key: String,
    request: String,
    answer: AnswerOf<T>,
}

impl<T: 'static> IdempotencyRecord<T> {
    /// A record whose answer is `answer` of the write's result; an `Err` (the answer could not
    /// be made) fails the write, which then writes nothing.
    pub fn new(
        principal: impl Into<String>,
        key: impl Into<String>,
        request: impl Into<String>,
        answer: impl FnOnce(&T) -> Result<Answer, String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            principal: principal.into(),
            key: key.into(),
            request: request.into(),
            answer: Box::new(answer),
        }
    }

    /// Whose key it is (`user:…`, `token:…`).
    pub fn principal(&self) -> &str {
        &self.principal
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// The request the key stands for.
    pub fn request(&self) -> &str {
        &self.request
    }

    /// The same record for a write whose result `U` gives `T` through `f` (the store writes a
    /// dossier; the client is answered with the dossier and its lifecycle).
    pub fn map<U>(self, f: impl FnOnce(&U) -> T + Send + Sync + 'static) -> IdempotencyRecord<U> {
        let answer = self.answer;
        IdempotencyRecord {
            principal: self.principal,
            key: self.key,
            request: self.request,
            answer: Box::new(move |u: &U| answer(&f(u))),
        }
    }
}

/// What `key` of `principal` holds for `request`; `None` when it was never used (or only by
/// requests that were refused or failed).
pub(crate) async fn prior<C: ConnectionTrait>(
    conn: &C,
    principal: &str,
    key: &str,
    request: &str,
) -> Result<Option<Prior>, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn,
            "SELECT request, status, body FROM idempotency_keys
             WHERE principal = $1 AND idem_key = $2",
            vec![principal.into(), key.into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let stored: String = row.try_get("", "request")?;
    if stored != request {
        return Ok(Some(Prior::Mismatch));
    }
    let status: i64 = row.try_get("", "status")?;
    Ok(Some(Prior::Answered(Answer {
        status: u16::try_from(status).map_err(|_| StoreError::Corrupt {
            table: "idempotency_keys",
            key: key.to_owned(),
            reason: format!("mã trạng thái {status}"),
        })?,
        body: row.try_get("", "body")?,
    })))
}

impl crate::sql::SqlStore {
    /// What an Idempotency-Key of a principal holds for a request (its method, path and
    /// body): the stored answer, a mismatch, or `None` when no write with it was committed.
    pub async fn idempotency_answer(
        &self,
        principal: &str,
        key: &str,
        request: &str,
    ) -> Result<Option<Prior>, StoreError> {
        prior(&self.db, principal, key, request).await
    }
}

/// A key taken by a write transaction, answered by [`commit`].
pub(crate) struct Claimed<T>(IdempotencyRecord<T>);

/// Takes the key of `record` in `txn`: call it before any other statement of the
/// transaction. The row holds a placeholder answer that [`commit`] replaces before the
/// transaction commits, so no other transaction ever sees it. When the key is taken:
/// [`StoreError::KeyUsed`] (dropping `txn` rolls it back).
pub(crate) async fn claim<T>(
    txn: &DatabaseTransaction,
    record: Option<IdempotencyRecord<T>>,
    at: Timestamp,
) -> Result<Option<Claimed<T>>, StoreError> {
    let Some(record) = record else {
        return Ok(None);
    };
    let inserted = txn
        .execute_raw(stmt(
            txn,
            "INSERT INTO idempotency_keys (principal, idem_key, request, status, body, created_at)
             VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (principal, idem_key) DO NOTHING",
            vec![
                record.principal.as_str().into(),
                record.key.as_str().into(),
                record.request.as_str().into(),
                at.as_micros().into(),
            ],
        ))
        .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Some(Claimed(record)));
    }
    // Taken by a committed transaction (rows are never deleted): read what it holds.
    match prior(txn, &record.principal, &record.key, &record.request).await? {
        Some(prior) => Err(StoreError::KeyUsed(prior)),
        None => Err(StoreError::Corrupt {
            table: "idempotency_keys",
            key: record.key,
            reason: "khóa vừa bị chiếm nhưng không đọc được".to_owned(),
        }),
    }
}

/// Writes the answer that `value` gives into the claimed key's row, then commits `txn`: the
/// work and its answer are committed together.
pub(crate) async fn commit<T>(
    txn: DatabaseTransaction,
    claimed: Option<Claimed<T>>,
    value: &T,
) -> Result<(), StoreError> {
    if let Some(Claimed(record)) = claimed {
        let answer = (record.answer)(value).map_err(StoreError::Answer)?;
        let done = txn
            .execute_raw(stmt(
                &txn,
                "UPDATE idempotency_keys SET status = $1, body = $2
                 WHERE principal = $3 AND idem_key = $4",
                vec![
                    i64::from(answer.status).into(),
                    answer.body.into(),
                    record.principal.into(),
                    record.key.as_str().into(),
                ],
            ))
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Corrupt {
                table: "idempotency_keys",
                key: record.key,
                reason: "không ghi được câu trả lời".to_owned(),
            });
        }
    }
    txn.commit().await?;
    Ok(())
}
