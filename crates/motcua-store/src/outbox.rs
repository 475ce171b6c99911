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
