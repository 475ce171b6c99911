//! The outbox of messages to citizens: written in the transaction of the change a message
//! tells of (so a message exists if and only if its change was committed), sent later by the
//! app's worker.

use motcua_core::dossier::DossierCode;
use motcua_core::outbox::{Channel, Message};
use motcua_core::timestamp::Timestamp;
use sea_orm::ConnectionTrait;

use crate::sql::stmt;
use crate::{SqlStore, StoreError};

/// Adds `messages` to the outbox inside the caller's transaction, due at once.
pub(crate) async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    messages: &[Message],
    dossier: Option<&DossierCode>,
    at: Timestamp,
) -> Result<(), StoreError> {
    for message in messages {
        conn.execute_raw(stmt(
            conn,
            "INSERT INTO outbox (channel, recipient, subject, body, dossier_code, created_at,
                                 next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
            vec![
                message.channel.code().into(),
                message.to.clone().into(),
                message.subject.clone().into(),
                message.body.clone().into(),
                dossier.map(|c| c.as_str().to_owned()).into(),
                at.as_micros().into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

impl SqlStore {
    /// Adds `messages` to the outbox in a transaction of their own (messages that tell of no
    /// stored change; a change's messages go in with its own transaction).
    pub async fn enqueue_messages(
        &self,
        messages: &[Message],
        at: Timestamp,
    ) -> Result<(), StoreError> {
        use sea_orm::TransactionTrait;
        let txn = self.db.begin().await?;
        enqueue(&txn, messages, None, at).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Every message to `recipient` (an e-mail address or a telephone number, as stored),
    /// oldest first, sent or not.
    pub async fn messages_to(&self, recipient: &str) -> Result<Vec<Message>, StoreError> {
        let rows = self
            .db
            .query_all_raw(stmt(
                &self.db,
                "SELECT id, channel, recipient, subject, body FROM outbox
                 WHERE recipient = $1 ORDER BY id",
                vec![recipient.into()],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                let r = crate::rows::reader(row, "outbox", "recipient");
                Ok(Message {
                    channel: r.parse("channel", Channel::from_code)?,
                    to: r.get("recipient")?,
                    subject: r.get("subject")?,
                    body: r.get("body")?,
                })
            })
            .collect()
    }
}

/// After this many failed attempts a message is given up: it keeps its last error and is
/// never tried again.
pub const MAX_SEND_ATTEMPTS: u32 = 8;

/// The longest error text kept with a message (in characters).
const MAX_ERROR_CHARS: usize = 1000;

/// A message claimed for sending: its row, the message, and how many attempts failed before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub id: i64,
    pub message: Message,
    /// Failed attempts so far (0 for a message never tried).
    pub attempts: u32,
    pub dossier: Option<String>,
}

/// What became of a message whose attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// It will be tried again at the time given.
    Retry,
    /// It failed [`MAX_SEND_ATTEMPTS`] times: given up, never tried again.
    GivenUp,
}

/// The outbox at a glance: messages waiting (due or later), sent, given up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxOverview {
    pub pending: u64,
    pub sent: u64,
    pub given_up: u64,
}

impl SqlStore {
    /// Claims at most `limit` messages due at `now` (not sent, not given up, oldest due
    /// first) for the caller to send, leasing each until `lease_until`: its due time moves
    /// there, by an update that succeeds only if no other node moved it first, so two app
    /// nodes never claim the same message. A message whose sender died before marking it is
    /// due again when the lease ends.
    pub async fn claim_due_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let rows = self
            .db
            .query_all_raw(stmt(
                &self.db,
                "SELECT id, channel, recipient, subject, body, dossier_code, attempts,
                        next_attempt_at
                 FROM outbox
                 WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < $2
                 ORDER BY next_attempt_at, id LIMIT $3",
                vec![
                    now.as_micros().into(),
                    i64::from(MAX_SEND_ATTEMPTS).into(),
                    i64::from(limit).into(),
                ],
            ))
            .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("", "id")?;
            let r = crate::rows::reader(row, "outbox", "recipient");
            let seen: i64 = r.get("next_attempt_at")?;
            let done = self
                .db
                .execute_raw(stmt(
                    &self.db,
                    "UPDATE outbox SET next_attempt_at = $1
                     WHERE id = $2 AND next_attempt_at = $3 AND sent_at IS NULL",
                    vec![lease_until.as_micros().into(), id.into(), seen.into()],
                ))
                .await?;
            if done.rows_affected() != 1 {
                // Another node claimed it between the read and the update.
                continue;
            }
            claimed.push(Outgoing {
                id,
                message: Message {
                    channel: r.parse("channel", Channel::from_code)?,
                    to: r.get("recipient")?,
                    subject: r.get("subject")?,
                    body: r.get("body")?,
                },
                attempts: r.count("attempts")?,
                dossier: r.get("dossier_code")?,
            });
        }
        Ok(claimed)
    }

    /// Records that message `id` was sent at `at`.
    pub async fn mark_sent(&self, id: i64, at: Timestamp) -> Result<(), StoreError> {
        self.db
            .execute_raw(stmt(
                &self.db,
                "UPDATE outbox SET sent_at = $1, attempts = attempts + 1
                 WHERE id = $2 AND sent_at IS NULL",
                vec![at.as_micros().into(), id.into()],
            ))
            .await?;
        Ok(())
    }

    /// Records a failed attempt at message `id` with its error: tried again at `retry_at`,
    /// or given up when this was its [`MAX_SEND_ATTEMPTS`]th failure (it keeps the error).
    pub async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Timestamp,
    ) -> Result<Failure, StoreError> {
        let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2
                 WHERE id = $3 AND sent_at IS NULL
                 RETURNING attempts",
                vec![error.into(), retry_at.as_micros().into(), id.into()],
            ))
            .await?;
        let attempts: i64 = match row {
            Some(row) => row.try_get("", "attempts")?,
            None => return Err(StoreError::Refused(format!("không có thư chờ gửi số {id}"))),
        };
        Ok(if attempts >= i64::from(MAX_SEND_ATTEMPTS) {
            Failure::GivenUp
        } else {
            Failure::Retry
        })
    }

    /// How many messages wait, were sent, were given up.
    pub async fn outbox_overview(&self) -> Result<OutboxOverview, StoreError> {
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                "SELECT
                    COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts < $1 THEN 1 ELSE 0 END), 0)
                        AS pending,
                    COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent,
                    COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts >= $1 THEN 1 ELSE 0 END), 0)
                        AS given_up
                 FROM outbox",
                vec![i64::from(MAX_SEND_ATTEMPTS).into()],
            ))
            .await?;
        let Some(row) = row else {
            return Ok(OutboxOverview::default());
        };
        let count = |column: &str| -> Result<u64, StoreError> {
            let n: i64 = row.try_get("", column)?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        Ok(OutboxOverview {
            pending: count("pending")?,
            sent: count("sent")?,
            given_up: count("given_up")?,
        })
    }

    /// The last error of every message given up, with its recipient, newest first (at most
    /// `limit`): what an operator looks at.
    pub async fn given_up_messages(
        &self,
        limit: u32,
    ) -> Result<Vec<(Message, String)>, StoreError> {
        let rows = self
            .db
            .query_all_raw(stmt(
                &self.db,
                "SELECT channel, recipient, subject, body, last_error FROM outbox
                 WHERE sent_at IS NULL AND attempts >= $1 ORDER BY id DESC LIMIT $2",
                vec![i64::from(MAX_SEND_ATTEMPTS).into(), i64::from(limit).into()],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                let r = crate::rows::reader(row, "outbox", "recipient");
                Ok((
                    Message {
                        channel: r.parse("channel", Channel::from_code)?,
                        to: r.get("recipient")?,
                        subject: r.get("subject")?,
                        body: r.get("body")?,
                    },
                    r.get::<Option<String>>("last_error")?.unwrap_or_default(),
                ))
            })
            .collect()
    }
}
