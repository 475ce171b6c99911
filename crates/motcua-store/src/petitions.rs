//! Feedback and petitions (`petitions`, `petition_events`; `motcua_core::petition`): the
//! public form's submission (numbered `PAKN-UNIT-YYMMDD-NNNN` from the per-prefix counter of
//! dossier codes), reads, the officers' list by unit (keyset by due time), the public list of
//! published answers, and the steps, each written only over the version it was computed
//! from. Every write takes its units' aggregate locks first, adds its change to the
//! aggregates, appends its event and is audited, all in one transaction.

use motcua_calendar::WorkCalendar;
use motcua_core::access::AuditContext;
use motcua_core::aggregate::Delta;
use motcua_core::audit::AuditAction;
use motcua_core::petition::{NewPetition, Petition, PetitionCode, PetitionStep};
use motcua_core::timestamp::Timestamp;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, QueryResult, TransactionTrait, Value};
use serde_json::json;

use crate::StoreError;
use crate::sql::{SqlStore, stmt};

const COLUMNS: &str = "code, version, data";

/// The most rows a list page holds.
pub const PETITION_PAGE: usize = 100;

/// "Nothing due": sorts after every due time.
const NOTHING_DUE: i64 = i64::MAX;

/// A PAKN as stored, with the version a step must be written over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPetition {
    pub petition: Petition,
    pub version: i64,
}

fn read(row: &QueryResult) -> Result<StoredPetition, StoreError> {
    let code: String = row.try_get("", "code")?;
    let data: String = row.try_get("", "data")?;
    let petition: Petition = serde_json::from_str(&data).map_err(|e| StoreError::Corrupt {
        table: "petitions",
        key: code.clone(),
        reason: format!("data: {e}"),
    })?;
    Ok(StoredPetition {
        petition,
        version: row.try_get("", "version")?,
    })
}

fn audit_value(p: &Petition) -> serde_json::Value {
    json!({
        "unit": p.unit_code.as_str(),
        "state": p.state.id(),
        "assignee": p.assignee,
        "repeat_of": p.repeat_of.as_ref().map(PetitionCode::as_str),
        "dissatisfied": p.dissatisfied_at.is_some(),
    })
}

fn next_due(p: &Petition) -> i64 {
    p.next_due().map_or(NOTHING_DUE, Timestamp::as_micros)
}

async fn append_event<C: ConnectionTrait>(
    conn: &C,
    p: &Petition,
    step: &str,
    at: Timestamp,
    actor: &str,
    data: &serde_json::Value,
) -> Result<(), StoreError> {
    conn.execute_raw(stmt(
        conn,
        "INSERT INTO petition_events (code, at, step, actor, data) VALUES ($1, $2, $3, $4, $5)",
        vec![
            p.code.as_str().into(),
            at.as_micros().into(),
            step.into(),
            actor.into(),
            data.to_string().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// One event of a PAKN's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionEvent {
    pub at: Timestamp,
    /// The step's id (`admit`, `answer`…), or `received`.
    pub step: String,
    /// The audit actor (`user:…`, `visitor`).
    pub actor: String,
}

/// The PAKN stored after `last` in code order, at most `n` (the recount reads them all).
pub(crate) async fn petitions_after<C: ConnectionTrait>(
    conn: &C,
    last: Option<&PetitionCode>,
    n: usize,
) -> Result<Vec<Petition>, StoreError> {
    let rows = conn
        .query_all_raw(stmt(
            conn,
            &format!(
                "SELECT {COLUMNS} FROM petitions WHERE code > $1 ORDER BY code LIMIT {}",
                n.max(1)
            ),
            vec![last.map_or("", PetitionCode::as_str).into()],
        ))
        .await?;
    rows.iter().map(|r| read(r).map(|s| s.petition)).collect()
}

impl SqlStore {
    /// Receives a PAKN sent through the form at `ctx.at`: numbers it, computes its deadlines
    /// on `calendar` (its unit's), and stores it with its first event, its aggregates and
    /// its audit record (`petition.submit`).
    pub async fn submit_petition(
        &self,
        new: NewPetition,
        calendar: &WorkCalendar,
        ctx: &AuditContext,
    ) -> Result<Petition, StoreError> {
        let txn = self.db.begin().await?;
        crate::aggregates::lock_units(&txn, &[&new.unit_code]).await?;
        let prefix = PetitionCode::prefix(&new.unit_code, ctx.at);
        let row = txn
            .query_one_raw(stmt(
                &txn,
                "INSERT INTO dossier_counters (prefix, last_number) VALUES ($1, 1)
                 ON CONFLICT (prefix) DO UPDATE SET last_number = dossier_counters.last_number + 1
                 RETURNING last_number",
                vec![prefix.as_str().into()],
            ))
            .await?
            .ok_or_else(|| StoreError::Refused("không cấp được mã phản ánh".to_owned()))?;
        let number: i64 = row.try_get("", "last_number")?;
        if number > 9999 {
            return Err(StoreError::Refused(format!(
                "đã hết số phản ánh, kiến nghị trong ngày cho tiền tố {prefix}"
            )));
        }
        let code = PetitionCode::parse(&format!("{prefix}-{number:04}"))
            .ok_or_else(|| StoreError::Refused(format!("mã không hợp lệ: {prefix}")))?;
        let p = Petition::receive(code, new, ctx.at, calendar)
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO petitions (code, unit_code, state, contact, received_at, next_due,
                 published_at, version, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)",
            vec![
                p.code.as_str().into(),
                p.unit_code.as_str().into(),
                p.state.id().into(),
                p.contact.as_str().into(),
                p.received_at.as_micros().into(),
                next_due(&p).into(),
                p.published_at.map(|t| t.as_micros()).into(),
                serde_json::to_string(&p)?.into(),
            ],
        ))
        .await?;
        append_event(&txn, &p, "received", ctx.at, &ctx.actor, &json!({})).await?;
        let mut delta = Delta::default();
        delta.change_petition(None, Some(&p));
        crate::aggregates::apply(&txn, delta).await?;
        crate::access::audit(
            &txn,
            ctx,
            &AuditAction::PetitionSubmit.as_str(),
            p.code.as_str(),
            &serde_json::Value::Null,
            &audit_value(&p),
        )
        .await?;
        txn.commit().await?;
        Ok(p)
    }

    /// The PAKN of `code`, with its version.
    pub async fn petition(
        &self,
        code: &PetitionCode,
    ) -> Result<Option<StoredPetition>, StoreError> {
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                &format!("SELECT {COLUMNS} FROM petitions WHERE code = $1"),
                vec![code.as_str().into()],
            ))
            .await?;
        row.as_ref().map(read).transpose()
    }

    /// Writes `after`, computed from `before` by `step`, only if the stored PAKN is still
    /// `before` (its version); its aggregates, event and audit record (`petition.step`) in
    /// the same transaction.
    pub async fn apply_petition_step(
        &self,
        before: &StoredPetition,
        after: &Petition,
        step: &PetitionStep,
        ctx: &AuditContext,
    ) -> Result<StoredPetition, StoreError> {
        let txn = self.db.begin().await?;
        crate::aggregates::lock_units(&txn, &[&before.petition.unit_code, &after.unit_code])
            .await?;
        let done = txn
            .execute_raw(stmt(
                &txn,
                "UPDATE petitions SET unit_code = $1, state = $2, next_due = $3,
                     published_at = $4, version = version + 1, data = $5
                 WHERE code = $6 AND version = $7",
                vec![
                    after.unit_code.as_str().into(),
                    after.state.id().into(),
                    next_due(after).into(),
                    after.published_at.map(|t| t.as_micros()).into(),
                    serde_json::to_string(after)?.into(),
                    before.petition.code.as_str().into(),
                    before.version.into(),
                ],
            ))
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Refused(
                "phản ánh, kiến nghị này vừa được cập nhật ở nơi khác; hãy tải lại trang và thử lại"
                    .to_owned(),
            ));
        }
        append_event(
            &txn,
            after,
            step.id(),
            ctx.at,
            &ctx.actor,
            &serde_json::to_value(step)?,
        )
        .await?;
        let mut delta = Delta::default();
        delta.change_petition(Some(&before.petition), Some(after));
        crate::aggregates::apply(&txn, delta).await?;
        let mut after_value = audit_value(after);
        after_value["step"] = step.id().into();
        crate::access::audit(
            &txn,
            ctx,
            &AuditAction::PetitionStep.as_str(),
            after.code.as_str(),
            &audit_value(&before.petition),
            &after_value,
        )
        .await?;
        txn.commit().await?;
        Ok(StoredPetition {
            petition: after.clone(),
            version: before.version + 1,
        })
    }

    /// A page of the PAKN of `units`, due soonest first (then those with nothing due), after
    /// the `after` key (`(next_due, code)` of the last row of the page before).
    pub async fn unit_petitions(
        &self,
        units: &[UnitCode],
        after: Option<(i64, PetitionCode)>,
        limit: usize,
    ) -> Result<Vec<StoredPetition>, StoreError> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let backend = self.db.get_database_backend();
        let mut values: Vec<Value> = units.iter().map(|u| u.as_str().into()).collect();
        let n = values.len();
        let (due, code) = after.map_or((i64::MIN, String::new()), |(d, c)| {
            (d, c.as_str().to_owned())
        });
        values.push(due.into());
        values.push(code.into());
        let sql = format!(
            "SELECT {COLUMNS}, next_due FROM petitions WHERE unit_code IN ({})
               AND (next_due > ${} OR (next_due = ${} AND code > ${}))
             ORDER BY next_due, code LIMIT {}",
            crate::sql::in_list(backend, n, 1),
            n + 1,
            n + 1,
            n + 2,
            limit.clamp(1, PETITION_PAGE)
        );
        let rows = self.db.query_all_raw(stmt(&self.db, &sql, values)).await?;
        rows.iter().map(read).collect()
    }

    /// The published answers, newest first, optionally those whose content or answer holds
    /// `query` (diacritics and case as typed), at most `limit`, before the `before` key
    /// (`(published_at, code)` of the last row of the page before).
    pub async fn published_petitions(
        &self,
        before: Option<(i64, PetitionCode)>,
        limit: usize,
    ) -> Result<Vec<Petition>, StoreError> {
        let (at, code) = before.map_or((i64::MAX, String::new()), |(t, c)| {
            (t, c.as_str().to_owned())
        });
        let rows = self
            .db
            .query_all_raw(stmt(
                &self.db,
                &format!(
                    "SELECT {COLUMNS} FROM petitions WHERE published_at IS NOT NULL
                       AND (published_at < $1 OR (published_at = $1 AND code < $2))
                     ORDER BY published_at DESC, code DESC LIMIT {}",
                    limit.clamp(1, PETITION_PAGE)
                ),
                vec![at.into(), code.into()],
            ))
            .await?;
        rows.iter().map(|r| read(r).map(|s| s.petition)).collect()
    }

    /// A PAKN's history, oldest first.
    pub async fn petition_events(
        &self,
        code: &PetitionCode,
    ) -> Result<Vec<PetitionEvent>, StoreError> {
        let rows = self
            .db
            .query_all_raw(stmt(
                &self.db,
                "SELECT at, step, actor FROM petition_events WHERE code = $1 ORDER BY id",
                vec![code.as_str().into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                let at: i64 = r.try_get("", "at")?;
                Ok(PetitionEvent {
                    at: Timestamp::from_micros(at),
                    step: r.try_get("", "step")?,
                    actor: r.try_get("", "actor")?,
                })
            })
            .collect()
    }
}
