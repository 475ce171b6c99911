//! Citizens' and businesses' accounts in SQL (the tables of `migration/citizens.rs`): the
//! accounts, their failed sign-ins and lock, their sessions, their profile, and the dossiers
//! they submitted (the one-time codes that confirm a contact are `citizen_codes.rs`). Every write is audited, the
//! actor being `citizen:<id>` ([`motcua_core::citizen::CitizenId::actor`]) or, before an
//! account exists, the contact a code was sent to.

use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, LOCKOUT_MINUTES, LOCKOUT_THRESHOLD};
use motcua_core::audit::AuditAction;
use motcua_core::citizen::{Citizen, CitizenId, CitizenKind, Contact};
use motcua_core::dossier::DossierCode;
use motcua_core::lifecycle::Status;
use motcua_core::procedure::ProcedureCode;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, QueryResult, TransactionTrait};

use crate::access::{NewSession, audit};
use crate::sql::stmt;
use crate::{SqlStore, StoreError};

/// A new account, its contact confirmed; the password is already hashed (none for an account
/// that signs in through OpenID Connect only).
#[derive(Debug, Clone)]
pub struct NewCitizen {
    pub kind: CitizenKind,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub id_number: Option<String>,
    pub tax_code: Option<String>,
    pub password_hash: Option<String>,
}

/// An account as sign-in reads it: with its password hash and its failures.
#[derive(Debug, Clone)]
pub struct CitizenLogin {
    pub citizen: Citizen,
    pub password_hash: Option<String>,
    pub failed_logins: u32,
    pub locked_until: Option<Timestamp>,
}

/// What an account may change of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenProfile {
    pub full_name: String,
    pub id_number: Option<String>,
    pub tax_code: Option<String>,
}

/// A dossier an account submitted, as its list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenDossier {
    pub code: DossierCode,
    pub procedure_code: ProcedureCode,
    pub unit_code: UnitCode,
    /// `None` for a dossier stored without a lifecycle.
    pub status: Option<Status>,
    pub received_at: Timestamp,
}

const CITIZEN_COLUMNS: &str = "id, kind, full_name, phone, email, id_number, tax_code, \
     password_hash, failed_logins, locked_until";

pub(crate) fn corrupt(key: impl ToString, reason: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table: "citizens",
        key: key.to_string(),
        reason: reason.to_string(),
    }
}

fn citizen_row(row: &QueryResult) -> Result<CitizenLogin, StoreError> {
    let id: i64 = row.try_get("", "id")?;
    let kind: String = row.try_get("", "kind")?;
    let failed: i64 = row.try_get("", "failed_logins")?;
    let locked: Option<i64> = row.try_get("", "locked_until")?;
    Ok(CitizenLogin {
        citizen: Citizen {
            id: CitizenId(id),
            kind: CitizenKind::from_code(&kind)
                .ok_or_else(|| corrupt(id, format!("loại tài khoản «{kind}»")))?,
            full_name: row.try_get("", "full_name")?,
            phone: row.try_get("", "phone")?,
            email: row.try_get("", "email")?,
            id_number: row.try_get("", "id_number")?,
            tax_code: row.try_get("", "tax_code")?,
        },
        password_hash: row.try_get("", "password_hash")?,
        failed_logins: u32::try_from(failed).unwrap_or(u32::MAX),
        locked_until: locked.map(Timestamp::from_micros),
    })
}

/// What the audit trail shows of an account (never the password hash).
fn citizen_json(c: &Citizen) -> serde_json::Value {
    serde_json::json!({
        "kind": c.kind.label_vi(),
        "full_name": c.full_name,
        "phone": c.phone,
        "email": c.email,
        "id_number": c.id_number,
        "tax_code": c.tax_code,
    })
}

async fn citizen_login<C: ConnectionTrait>(
    conn: &C,
    id: CitizenId,
) -> Result<Option<CitizenLogin>, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn,
            &format!("SELECT {CITIZEN_COLUMNS} FROM citizens WHERE id = $1"),
            vec![id.0.into()],
        ))
        .await?;
    row.as_ref().map(citizen_row).transpose()
}

/// The refusal of a contact another account has.
fn taken(contact: &str) -> StoreError {
    StoreError::Refused(format!(
        "«{contact}» đã được dùng cho một tài khoản khác; hãy đăng nhập bằng tài khoản đó"
    ))
}

pub(crate) fn null() -> serde_json::Value {
    serde_json::Value::Null
}

impl SqlStore {
    /// Creates an account (audited, actor the new account). A phone or e-mail another
    /// account has is refused ([`StoreError::Refused`]).
    pub async fn create_citizen(
        &self,
        new: &NewCitizen,
        ctx: &AuditContext,
    ) -> Result<Citizen, StoreError> {
        let txn = self.db.begin().await?;
        for contact in new.phone.iter().chain(new.email.iter()) {
            let row = txn
                .query_one_raw(stmt(
                    &txn,
                    "SELECT id FROM citizens WHERE phone = $1 OR email = $1",
                    vec![contact.as_str().into()],
                ))
                .await?;
            if row.is_some() {
                return Err(taken(contact));
            }
        }
        let inserted = txn
            .query_one_raw(stmt(
                &txn,
                "INSERT INTO citizens (kind, full_name, phone, email, id_number, tax_code,
                                       password_hash, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    new.kind.code().into(),
                    new.full_name.as_str().into(),
                    new.phone.clone().into(),
                    new.email.clone().into(),
                    new.id_number.clone().into(),
                    new.tax_code.clone().into(),
                    new.password_hash.clone().into(),
                    ctx.at.as_micros().into(),
                ],
            ))
            .await;
        let row = match inserted {
            Ok(row) => row.ok_or_else(|| corrupt(&new.full_name, "no id returned"))?,
            // Another request took the contact between the check and the insert.
            Err(e) if is_unique_violation(&e) => {
                let contact = new.phone.as_deref().or(new.email.as_deref()).unwrap_or("");
                return Err(taken(contact));
            }
            Err(e) => return Err(e.into()),
        };
        let id = CitizenId(row.try_get("", "id")?);
        let citizen = citizen_login(&txn, id)
            .await?
            .ok_or_else(|| corrupt(id.0, "not found after insert"))?
            .citizen;
        let ctx = AuditContext {
            actor: id.actor(),
            ..ctx.clone()
        };
        let action = AuditAction::CitizenSignUp.as_str();
        audit(
            &txn,
            &ctx,
            &action,
            &id.actor(),
            &null(),
            &citizen_json(&citizen),
        )
        .await?;
        txn.commit().await?;
        Ok(citizen)
    }

    /// An account by id.
    pub async fn citizen(&self, id: CitizenId) -> Result<Option<Citizen>, StoreError> {
        Ok(citizen_login(&self.db, id).await?.map(|l| l.citizen))
    }

    /// The account whose phone or e-mail is `contact`, with what sign-in needs.
    pub async fn citizen_by_contact(
        &self,
        contact: &Contact,
    ) -> Result<Option<CitizenLogin>, StoreError> {
        let column = match contact {
            Contact::Phone(_) => "phone",
            Contact::Email(_) => "email",
        };
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                &format!("SELECT {CITIZEN_COLUMNS} FROM citizens WHERE {column} = $1"),
                vec![contact.as_str().into()],
            ))
            .await?;
        row.as_ref().map(citizen_row).transpose()
    }

    /// Counts a wrong password of an account; locks it at the officers' threshold
    /// ([`LOCKOUT_THRESHOLD`] in a row, [`LOCKOUT_MINUTES`]). Audited. Returns the end of the
    /// lock when the account is locked now.
    pub async fn record_citizen_login_failure(
        &self,
        id: CitizenId,
        ctx: &AuditContext,
    ) -> Result<Option<Timestamp>, StoreError> {
        let txn = self.db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE citizens SET failed_logins = failed_logins + 1 WHERE id = $1",
            vec![id.0.into()],
        ))
        .await?;
        let now = citizen_login(&txn, id)
            .await?
            .ok_or_else(|| corrupt(id.0, "no such citizen"))?;
        let mut until = None;
        let mut action = AuditAction::CitizenSignInFailure;
        if now.failed_logins >= LOCKOUT_THRESHOLD {
            let end = Timestamp::from_micros(ctx.at.as_micros() + LOCKOUT_MINUTES * 60_000_000);
            // The counter restarts: after the lock, as many tries again before the next one.
            txn.execute_raw(stmt(
                &txn,
                "UPDATE citizens SET failed_logins = 0, locked_until = $1 WHERE id = $2",
                vec![end.as_micros().into(), id.0.into()],
            ))
            .await?;
            until = Some(end);
            action = AuditAction::CitizenLocked;
        }
        let after = serde_json::json!({
            "failed_logins": now.failed_logins,
            "locked_until": until.map(|t| t.to_rfc3339()),
        });
        audit(&txn, ctx, &action.as_str(), &id.actor(), &null(), &after).await?;
        txn.commit().await?;
        Ok(until)
    }

    /// Opens a session of an account and clears its failed sign-ins (audited, actor the
    /// account). Also drops the expired sessions of every account.
    pub async fn start_citizen_session(
        &self,
        id: CitizenId,
        session: &NewSession,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE citizens SET failed_logins = 0, locked_until = NULL WHERE id = $1",
            vec![id.0.into()],
        ))
        .await?;
        txn.execute_raw(stmt(
            &txn,
            "DELETE FROM citizen_sessions WHERE expires_at < $1",
            vec![ctx.at.as_micros().into()],
        ))
        .await?;
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO citizen_sessions (token_hash, citizen_id, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            vec![
                session.token_hash.as_str().into(),
                id.0.into(),
                session.csrf.as_str().into(),
                ctx.at.as_micros().into(),
                session.expires_at.as_micros().into(),
            ],
        ))
        .await?;
        let ctx = AuditContext {
            actor: id.actor(),
            ..ctx.clone()
        };
        let action = AuditAction::CitizenSignIn.as_str();
        audit(&txn, &ctx, &action, &id.actor(), &null(), &null()).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The account of a live session, with the session's CSRF token.
    pub async fn citizen_session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(Citizen, String)>, StoreError> {
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                "SELECT citizen_id, csrf FROM citizen_sessions
                 WHERE token_hash = $1 AND expires_at > $2",
                vec![token_hash.into(), now.as_micros().into()],
            ))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let id = CitizenId(row.try_get("", "citizen_id")?);
        let csrf: String = row.try_get("", "csrf")?;
        Ok(citizen_login(&self.db, id)
            .await?
            .map(|l| (l.citizen, csrf)))
    }

    /// Ends a session (audited, actor the context's: the account).
    pub async fn end_citizen_session(
        &self,
        token_hash: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "DELETE FROM citizen_sessions WHERE token_hash = $1",
            vec![token_hash.into()],
        ))
        .await?;
        let action = AuditAction::CitizenSignOut.as_str();
        audit(&txn, ctx, &action, &ctx.actor, &null(), &null()).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Replaces what an account may change of itself (audited with before and after).
    pub async fn update_citizen_profile(
        &self,
        id: CitizenId,
        profile: &CitizenProfile,
        ctx: &AuditContext,
    ) -> Result<Citizen, StoreError> {
        let txn = self.db.begin().await?;
        let before = citizen_login(&txn, id)
            .await?
            .ok_or_else(|| corrupt(id.0, "no such citizen"))?
            .citizen;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE citizens SET full_name = $1, id_number = $2, tax_code = $3 WHERE id = $4",
            vec![
                profile.full_name.as_str().into(),
                profile.id_number.clone().into(),
                profile.tax_code.clone().into(),
                id.0.into(),
            ],
        ))
        .await?;
        let after = citizen_login(&txn, id)
            .await?
            .ok_or_else(|| corrupt(id.0, "no such citizen"))?
            .citizen;
        let action = AuditAction::CitizenProfile.as_str();
        let (b, a) = (citizen_json(&before), citizen_json(&after));
        audit(&txn, ctx, &action, &id.actor(), &b, &a).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// The dossiers an account submitted, newest first.
    pub async fn citizen_dossiers(&self, id: CitizenId) -> Result<Vec<CitizenDossier>, StoreError> {
        let rows = self
            .db
            .query_all_raw(stmt(
                &self.db,
                "SELECT code, procedure_code, unit_code, status, received_at FROM dossiers
                 WHERE citizen_id = $1 ORDER BY received_at DESC, code DESC",
                vec![id.0.into()],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                let r = crate::rows::reader(row, "dossiers", "code");
                Ok(CitizenDossier {
                    code: r.parse("code", DossierCode::parse)?,
                    procedure_code: r.parse("procedure_code", ProcedureCode::parse)?,
                    unit_code: r.parse("unit_code", |t| UnitCode::parse(t).ok())?,
                    status: r.parse_opt("status", Status::parse)?,
                    received_at: r.timestamp("received_at")?,
                })
            })
            .collect()
    }
}

/// Whether a database error is a unique constraint's refusal (SQLite or PostgreSQL).
fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
