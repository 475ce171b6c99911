//! The one-time codes that confirm a citizen's phone or e-mail (table `citizen_codes` of
//! `migration/citizens.rs`): only the code's hash is kept, with what it confirms (`payload`);
//! its message goes to the outbox in the code's own transaction. A code takes at most
//! [`CODE_MAX_ATTEMPTS`] wrong tries, dies at its expiry, and serves once. Audited, the actor
//! being the contact the code went to.

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::audit::AuditAction;
use motcua_core::citizen::{CODE_MAX_ATTEMPTS, CodePurpose, Contact};
use motcua_core::outbox::Message;
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::access::audit;
use crate::citizens::{corrupt, null};
use crate::sql::stmt;
use crate::{SqlStore, StoreError};

/// A one-time code to store: only the hash of the code, and what it confirms.
#[derive(Debug, Clone)]
pub struct NewCode {
    pub purpose: CodePurpose,
    pub recipient: Contact,
    pub code_hash: String,
    /// What the code confirms (JSON, e.g. the pending sign-up); never shown.
    pub payload: String,
    pub expires_at: Timestamp,
}

/// What checking a one-time code found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCheck {
    /// The code was right, live and unused: it is now used. Its payload.
    Confirmed(String),
    /// The code was wrong; so many tries are left on the live code.
    Wrong { attempts_left: u32 },
    /// The live code took [`CODE_MAX_ATTEMPTS`] wrong tries, or expired: a new one is needed.
    Dead,
    /// No code waits for this recipient (never sent, or used already).
    NoCode,
}

impl SqlStore {
    /// Stores a one-time code and puts its `messages` in the outbox, in one transaction
    /// (audited, actor the recipient). Returns the code's id.
    pub async fn issue_citizen_code(
        &self,
        code: &NewCode,
        messages: &[Message],
        ctx: &AuditContext,
    ) -> Result<i64, StoreError> {
        let txn = self.db.begin().await?;
        let row = txn
            .query_one_raw(stmt(
                &txn,
                "INSERT INTO citizen_codes (purpose, recipient, code_hash, payload, created_at,
                                            expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vec![
                    code.purpose.code().into(),
                    code.recipient.as_str().into(),
                    code.code_hash.as_str().into(),
                    code.payload.as_str().into(),
                    ctx.at.as_micros().into(),
                    code.expires_at.as_micros().into(),
                ],
            ))
            .await?
            .ok_or_else(|| corrupt(code.recipient.as_str(), "no id returned"))?;
        let id: i64 = row.try_get("", "id")?;
        crate::outbox::enqueue(&txn, messages, None, ctx.at).await?;
        audit(
            &txn,
            ctx,
            &AuditAction::CitizenCodeSent.as_str(),
            code.recipient.as_str(),
            &null(),
            &serde_json::json!({
                "purpose": code.purpose.code(),
                "expires_at": code.expires_at.to_rfc3339(),
            }),
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// How many codes were sent to `recipient` since `since` (the throttle's count).
    pub async fn citizen_codes_since(
        &self,
        recipient: &Contact,
        since: Timestamp,
    ) -> Result<u32, StoreError> {
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                "SELECT COUNT(*) AS n FROM citizen_codes WHERE recipient = $1 AND created_at >= $2",
                vec![recipient.as_str().into(), since.as_micros().into()],
            ))
            .await?;
        let n: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The payload of the latest unused code of `purpose` sent to `recipient`, live or not
    /// (what a new code for the same request carries).
    pub async fn pending_citizen_code(
        &self,
        purpose: CodePurpose,
        recipient: &Contact,
    ) -> Result<Option<String>, StoreError> {
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                "SELECT payload FROM citizen_codes
                 WHERE purpose = $1 AND recipient = $2 AND used_at IS NULL
                 ORDER BY id DESC LIMIT 1",
                vec![purpose.code().into(), recipient.as_str().into()],
            ))
            .await?;
        Ok(row.map(|r| r.try_get("", "payload")).transpose()?)
    }

    /// Checks a code typed back by `recipient` against the latest unused code of `purpose`
    /// sent to it: at most [`CODE_MAX_ATTEMPTS`] wrong tries, never after its expiry, used
    /// once (the update that marks it used must be the one that changes the row). Audited:
    /// a wrong try, or the confirmation.
    pub async fn check_citizen_code(
        &self,
        purpose: CodePurpose,
        recipient: &Contact,
        code_hash: &str,
        ctx: &AuditContext,
    ) -> Result<CodeCheck, StoreError> {
        let txn = self.db.begin().await?;
        let row = txn
            .query_one_raw(stmt(
                &txn,
                "SELECT id, code_hash, payload, attempts, expires_at FROM citizen_codes
                 WHERE purpose = $1 AND recipient = $2 AND used_at IS NULL
                 ORDER BY id DESC LIMIT 1",
                vec![purpose.code().into(), recipient.as_str().into()],
            ))
            .await?;
        let Some(row) = row else {
            txn.commit().await?;
            return Ok(CodeCheck::NoCode);
        };
        let id: i64 = row.try_get("", "id")?;
        let stored: String = row.try_get("", "code_hash")?;
        let attempts: i64 = row.try_get("", "attempts")?;
        let expires_at = Timestamp::from_micros(row.try_get("", "expires_at")?);
        if expires_at <= ctx.at || attempts >= i64::from(CODE_MAX_ATTEMPTS) {
            txn.commit().await?;
            return Ok(CodeCheck::Dead);
        }
        let target = recipient.as_str();
        if stored != code_hash {
            txn.execute_raw(stmt(
                &txn,
                "UPDATE citizen_codes SET attempts = attempts + 1 WHERE id = $1",
                vec![id.into()],
            ))
            .await?;
            let tried = attempts + 1;
            let attempts_left = u32::try_from(i64::from(CODE_MAX_ATTEMPTS) - tried).unwrap_or(0);
            let after = serde_json::json!({ "attempts": tried });
            let action = AuditAction::CitizenCodeWrong.as_str();
            audit(&txn, ctx, &action, target, &null(), &after).await?;
            txn.commit().await?;
            return Ok(if attempts_left == 0 {
                CodeCheck::Dead
            } else {
                CodeCheck::Wrong { attempts_left }
            });
        }
        // Single use: of two requests with the same code, only one changes the row.
        let done = txn
            .execute_raw(stmt(
                &txn,
                "UPDATE citizen_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL",
                vec![id.into(), ctx.at.as_micros().into()],
            ))
            .await?;
        if done.rows_affected() != 1 {
            txn.commit().await?;
            return Ok(CodeCheck::NoCode);
        }
        // The older codes of the same request die with it: none confirms it a second time.
        txn.execute_raw(stmt(
            &txn,
            "UPDATE citizen_codes SET used_at = $3
             WHERE purpose = $1 AND recipient = $2 AND used_at IS NULL",
            vec![
                purpose.code().into(),
                target.into(),
                ctx.at.as_micros().into(),
            ],
        ))
        .await?;
        let action = AuditAction::CitizenCodeConfirmed.as_str();
        audit(&txn, ctx, &action, target, &null(), &null()).await?;
        txn.commit().await?;
        Ok(CodeCheck::Confirmed(row.try_get("", "payload")?))
    }
}
