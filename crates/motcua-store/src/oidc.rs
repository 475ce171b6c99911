//! Citizens' sign-ins through OpenID Connect (the national identity account, tài khoản định
//! danh điện tử): a sign-in under way ([`NewOidcState`], saved when the citizen is sent to the
//! provider and taken back once, [`TakenState`]), and the account of an identity provider's
//! account ([`OidcIdentity`] → [`OidcSignIn`]: found through `citizen_logins`, or created at
//! the first sign-in). Tables of `migration/citizens.rs`.
//!
//! Every write is audited in its own transaction: the state saved (`citizen.oidc_begin`), an
//! account created (`citizen.oidc_create`), a sign-in (`citizen.oidc_login`, by the citizen
//! `citizen:<id>`), a refusal ([`SqlStore::record_oidc_failure`]). Taking a state back is part
//! of the sign-in it ends, whose success or refusal is what the trail records.

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::audit::AuditAction;
use motcua_core::citizen::{Citizen, CitizenId, CitizenKind};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};

use crate::access::audit;
use crate::sql::stmt;
use crate::{SqlStore, StoreError};

/// How long a sign-in under way may take, from the citizen leaving for the provider to the
/// provider sending them back.
pub const OIDC_STATE_MINUTES: i64 = 10;

/// How long a used or expired state is kept (so a replay reads as a replay, not as an
/// unknown state) before the next saved one removes it.
const OIDC_STATE_KEPT_HOURS: i64 = 24;

const MICROS_PER_MINUTE: i64 = 60_000_000;

/// A sign-in under way, as saved when the citizen is sent to the provider.
#[derive(Clone, PartialEq, Eq)]
pub struct NewOidcState {
    /// SHA-256 of the `state` parameter sent to the provider (the parameter itself is not
    /// stored: a copy of the table cannot finish anybody's sign-in).
    pub state_hash: String,
    /// The provider's issuer URL.
    pub issuer: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE code verifier, sent with the code; the provider was given its S256 challenge.
    pub pkce_verifier: String,
    /// The local path the citizen goes back to once signed in.
    pub return_to: String,
}

// The nonce and the verifier are secrets until the sign-in ends: never in a log line.
impl std::fmt::Debug for NewOidcState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewOidcState")
            .field("issuer", &self.issuer)
            .field("return_to", &self.return_to)
            .finish_non_exhaustive()
    }
}

/// A saved sign-in taken back, once.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcState {
    pub issuer: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
}

impl std::fmt::Debug for OidcState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcState")
            .field("issuer", &self.issuer)
            .field("return_to", &self.return_to)
            .finish_non_exhaustive()
    }
}

/// What taking a state back found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakenState {
    /// The sign-in under way, now used: a second take finds [`TakenState::Used`].
    Taken(OidcState),
    /// No sign-in has this state (never saved, or removed long after it ended).
    Unknown,
    /// Taken already (a replayed answer of the provider).
    Used,
    /// Saved more than [`OIDC_STATE_MINUTES`] ago and never taken.
    Expired,
}

/// An identity provider's account, as its verified ID token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcIdentity {
    /// The provider's issuer URL (`iss`).
    pub issuer: String,
    /// The provider's identifier of the person (`sub`).
    pub subject: String,
    /// The name the ID token gives (the app puts a placeholder when it gives none).
    pub full_name: String,
    /// The telephone number, normalised as the accounts store it (`0912345678`).
    pub phone: Option<String>,
    /// The e-mail address, in lower case.
    pub email: Option<String>,
}

/// The account a sign-in through the provider reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OidcSignIn {
    pub citizen: CitizenId,
    /// The account was created by this sign-in (the provider's account was new here).
    pub created: bool,
}

impl SqlStore {
    /// Saves a sign-in under way, valid [`OIDC_STATE_MINUTES`] from `ctx.at`, and removes the
    /// states that ended a day ago or more. Audited (`citizen.oidc_begin`, with the issuer and
    /// the return path, never the nonce or the verifier).
    pub async fn save_oidc_state(
        &self,
        new: &NewOidcState,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let now = ctx.at.as_micros();
        let txn = self.db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "DELETE FROM citizen_oidc_states WHERE expires_at < $1",
            vec![(now - OIDC_STATE_KEPT_HOURS * 60 * MICROS_PER_MINUTE).into()],
        ))
        .await?;
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO citizen_oidc_states
                 (state_hash, issuer, nonce, pkce_verifier, return_to, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                new.state_hash.as_str().into(),
                new.issuer.as_str().into(),
                new.nonce.as_str().into(),
                new.pkce_verifier.as_str().into(),
                new.return_to.as_str().into(),
                now.into(),
                (now + OIDC_STATE_MINUTES * MICROS_PER_MINUTE).into(),
            ],
        ))
        .await?;
        audit(
            &txn,
            ctx,
            &AuditAction::CitizenOidcBegin.as_str(),
            &new.issuer,
            &serde_json::Value::Null,
            &serde_json::json!({ "issuer": new.issuer, "return_to": new.return_to }),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Takes back the sign-in whose state hashes to `state_hash`, once: the one statement
    /// that marks it used matches only a state neither used nor expired at `at`, so of two
    /// concurrent takes one gets it. When nothing matched, says why.
    pub async fn take_oidc_state(
        &self,
        state_hash: &str,
        at: Timestamp,
    ) -> Result<TakenState, StoreError> {
        let taken = self
            .db
            .execute_raw(stmt(
                &self.db,
                "UPDATE citizen_oidc_states SET used_at = $2
                 WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2",
                vec![state_hash.into(), at.as_micros().into()],
            ))
            .await?
            .rows_affected();
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                "SELECT issuer, nonce, pkce_verifier, return_to, used_at, expires_at
                 FROM citizen_oidc_states WHERE state_hash = $1",
                vec![state_hash.into()],
            ))
            .await?;
        let Some(row) = row else {
            return Ok(TakenState::Unknown);
        };
        let r = crate::rows::reader(&row, "citizen_oidc_states", "state");
        if taken == 1 {
            return Ok(TakenState::Taken(OidcState {
                issuer: r.get("issuer")?,
                nonce: r.get("nonce")?,
                pkce_verifier: r.get("pkce_verifier")?,
                return_to: r.get("return_to")?,
            }));
        }
        Ok(if r.timestamp_opt("used_at")?.is_some() {
            TakenState::Used
        } else {
            TakenState::Expired
        })
    }

    /// The account of the provider's account `identity`: the linked one, or a new one created
    /// with the name, telephone number and e-mail address of the ID token (a number or an
    /// address another account holds already is left out: the new account simply has none)
    /// and linked in `citizen_logins`. Audited as the citizen (`citizen:<id>`, whatever
    /// `ctx.actor` says): `citizen.oidc_create` for a new account, then `citizen.oidc_login`.
    pub async fn oidc_sign_in(
        &self,
        identity: &OidcIdentity,
        ctx: &AuditContext,
    ) -> Result<OidcSignIn, StoreError> {
        // Two first sign-ins of the same person at once: one of the two inserts breaks the
        // key of `citizen_logins` (or a unique telephone number), and its second try finds
        // the account the other created.
        match self.try_oidc_sign_in(identity, ctx).await {
            Ok(done) => Ok(done),
            Err(StoreError::Db(_)) => self.try_oidc_sign_in(identity, ctx).await,
            Err(e) => Err(e),
        }
    }

    async fn try_oidc_sign_in(
        &self,
        identity: &OidcIdentity,
        ctx: &AuditContext,
    ) -> Result<OidcSignIn, StoreError> {
        let txn = self.db.begin().await?;
        let linked = txn
            .query_one_raw(stmt(
                &txn,
                "SELECT citizen_id FROM citizen_logins WHERE issuer = $1 AND subject = $2",
                vec![
                    identity.issuer.as_str().into(),
                    identity.subject.as_str().into(),
                ],
            ))
            .await?;
        let (citizen, created) = match linked {
            Some(row) => (CitizenId(row.try_get("", "citizen_id")?), false),
            None => (create_linked(&txn, identity, ctx).await?, true),
        };
        let as_citizen = AuditContext {
            actor: citizen.actor(),
            ..ctx.clone()
        };
        audit(
            &txn,
            &as_citizen,
            &AuditAction::CitizenOidcLogin.as_str(),
            &identity.issuer,
            &serde_json::Value::Null,
            &serde_json::json!({ "issuer": identity.issuer, "subject": identity.subject }),
        )
        .await?;
        txn.commit().await?;
        Ok(OidcSignIn { citizen, created })
    }

    /// Records a refused sign-in through the provider `issuer`: `reason` says why in a word
    /// (`state_used`, `nonce`…), never a code, a token or a state.
    pub async fn record_oidc_failure(
        &self,
        issuer: &str,
        reason: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        audit(
            &txn,
            ctx,
            &AuditAction::CitizenOidcFailure.as_str(),
            issuer,
            &serde_json::Value::Null,
            &serde_json::json!({ "issuer": issuer, "reason": reason }),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The account linked to the provider's account (`issuer`, `subject`), if any.
    pub async fn oidc_citizen(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<Citizen>, StoreError> {
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                "SELECT c.id, c.kind, c.full_name, c.phone, c.email, c.id_number, c.tax_code
                 FROM citizen_logins l JOIN citizens c ON c.id = l.citizen_id
                 WHERE l.issuer = $1 AND l.subject = $2",
                vec![issuer.into(), subject.into()],
            ))
            .await?;
        row.map(|row| {
            let r = crate::rows::reader(&row, "citizens", subject);
            Ok(Citizen {
                id: CitizenId(r.get("id")?),
                kind: r.parse("kind", CitizenKind::from_code)?,
                full_name: r.get("full_name")?,
                phone: r.get("phone")?,
                email: r.get("email")?,
                id_number: r.get("id_number")?,
                tax_code: r.get("tax_code")?,
            })
        })
        .transpose()
    }
}

/// Whether `sql` (a select of the accounts holding a number or an address) finds one.
async fn held(txn: &DatabaseTransaction, sql: &str, value: &str) -> Result<bool, StoreError> {
    Ok(txn
        .query_one_raw(stmt(txn, sql, vec![value.into()]))
        .await?
        .is_some())
}

/// Creates the account of a provider's account seen for the first time, and links it.
async fn create_linked(
    txn: &DatabaseTransaction,
    identity: &OidcIdentity,
    ctx: &AuditContext,
) -> Result<CitizenId, StoreError> {
    let mut phone = identity.phone.as_deref();
    if let Some(p) = phone
        && held(txn, "SELECT id FROM citizens WHERE phone = $1", p).await?
    {
        phone = None;
    }
    let mut email = identity.email.as_deref();
    if let Some(e) = email
        && held(txn, "SELECT id FROM citizens WHERE email = $1", e).await?
    {
        email = None;
    }
    let row = txn
        .query_one_raw(stmt(
            txn,
            "INSERT INTO citizens (kind, full_name, phone, email, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            vec![
                CitizenKind::Person.code().into(),
                identity.full_name.as_str().into(),
                phone.map(str::to_owned).into(),
                email.map(str::to_owned).into(),
                ctx.at.as_micros().into(),
            ],
        ))
        .await?
        .ok_or_else(|| StoreError::Corrupt {
            table: "citizens",
            key: identity.subject.clone(),
            reason: "no id returned".to_owned(),
        })?;
    let citizen = CitizenId(row.try_get("", "id")?);
    txn.execute_raw(stmt(
        txn,
        "INSERT INTO citizen_logins (issuer, subject, citizen_id, created_at)
         VALUES ($1, $2, $3, $4)",
        vec![
            identity.issuer.as_str().into(),
            identity.subject.as_str().into(),
            citizen.0.into(),
            ctx.at.as_micros().into(),
        ],
    ))
    .await?;
    let as_citizen = AuditContext {
        actor: citizen.actor(),
        ..ctx.clone()
    };
    audit(
        txn,
        &as_citizen,
        &AuditAction::CitizenOidcCreate.as_str(),
        &identity.issuer,
        &serde_json::Value::Null,
        &serde_json::json!({
            "issuer": identity.issuer,
            "subject": identity.subject,
            "name": identity.full_name,
            "phone": phone,
            "email": email,
        }),
    )
    .await?;
    Ok(citizen)
}
