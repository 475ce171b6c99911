//! Online submissions (`online_submissions`, `motcua_core::online`): a citizen's drafts and
//! submissions, reception's online inbox, and the acceptance that turns a submission into a
//! dossier in one transaction (numbered and written as the desk's reception writes one,
//! `desk::insert_received`, with the citizen's account). Every write is audited, and every
//! change is written only if the submission is still as it was read (its state and
//! `updated_at`): two officers deciding at once cannot both win, and a submission accepted
//! twice makes one dossier.

use motcua_core::access::AuditContext;
use motcua_core::audit::AuditAction;
use motcua_core::citizen::CitizenId;
use motcua_core::dossier::{Dossier, DossierCode};
use motcua_core::online::{
    Accepted, Submission, SubmissionData, SubmissionId, SubmissionState, Transition,
};
use motcua_core::outbox::Message;
use motcua_core::procedure::ProcedureCode;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, TransactionTrait, Value};
use serde_json::json;

use crate::StoreError;
use crate::sql::{SqlStore, stmt};

const COLUMNS: &str = "id, citizen_id, unit_code, procedure_code, state, data, created_at, \
     updated_at, submitted_at, decided_at, decided_by, reason, dossier_code";

/// The most submissions the inbox shows at once, oldest first.
pub const INBOX_LIMIT: u64 = 200;

fn submission(row: &sea_orm::QueryResult) -> Result<Submission, StoreError> {
    let id: i64 = row.try_get("", "id")?;
    let r = crate::rows::reader(row, "online_submissions", "id");
    let corrupt = |reason: String| StoreError::Corrupt {
        table: "online_submissions",
        key: id.to_string(),
        reason,
    };
    let data: String = r.get("data")?;
    Ok(Submission {
        id: SubmissionId(id),
        citizen: CitizenId(r.get("citizen_id")?),
        unit: r.parse("unit_code", |t| UnitCode::parse(t).ok())?,
        procedure: r.parse("procedure_code", ProcedureCode::parse)?,
        state: r.parse("state", SubmissionState::from_code)?,
        data: serde_json::from_str(&data).map_err(|e| corrupt(format!("data: {e}")))?,
        created_at: r.timestamp("created_at")?,
        updated_at: r.timestamp("updated_at")?,
        submitted_at: r.timestamp_opt("submitted_at")?,
        decided_at: r.timestamp_opt("decided_at")?,
        decided_by: r.get("decided_by")?,
        reason: r.get("reason")?,
        dossier: r.parse_opt("dossier_code", DossierCode::parse)?,
    })
}

/// What the trail keeps of a submission: its state, unit, procedure and what was decided
/// (the scans and the applicant's data stay in the submission).
fn audit_value(s: &Submission) -> serde_json::Value {
    json!({
        "state": s.state.code(),
        "unit": s.unit.as_str(),
        "procedure": s.procedure.as_str(),
        "reason": s.reason,
        "dossier": s.dossier.as_ref().map(DossierCode::as_str),
    })
}

/// Writes `after` over `before` inside `conn` if the stored row is still `before` (state and
/// `updated_at`); otherwise refused. Audited as `transition`.
async fn update<C: ConnectionTrait>(
    conn: &C,
    before: &Submission,
    after: &Submission,
    transition: Transition,
    ctx: &AuditContext,
) -> Result<(), StoreError> {
    let done = conn
        .execute_raw(stmt(
            conn,
            "UPDATE online_submissions SET state = $1, data = $2, updated_at = $3,
                 submitted_at = $4, decided_at = $5, decided_by = $6, reason = $7
             WHERE id = $8 AND state = $9 AND updated_at = $10",
            vec![
                after.state.code().into(),
                serde_json::to_string(&after.data)?.into(),
                after.updated_at.as_micros().into(),
                after.submitted_at.map(|t| t.as_micros()).into(),
                after.decided_at.map(|t| t.as_micros()).into(),
                after.decided_by.clone().into(),
                after.reason.clone().into(),
                before.id.0.into(),
                before.state.code().into(),
                before.updated_at.as_micros().into(),
            ],
        ))
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Refused(
            "hồ sơ trực tuyến này vừa được cập nhật ở nơi khác; hãy tải lại trang và thử lại"
                .to_owned(),
        ));
    }
    crate::access::audit(
        conn,
        ctx,
        &transition.audit_action().as_str(),
        &before.id.to_string(),
        &audit_value(before),
        &audit_value(after),
    )
    .await
}

impl SqlStore {
    /// Stores a new draft of `citizen` for `procedure` at `unit` (audited as `online.create`).
    pub async fn create_submission(
        &self,
        citizen: CitizenId,
        unit: &UnitCode,
        procedure: &ProcedureCode,
        data: &SubmissionData,
        ctx: &AuditContext,
    ) -> Result<Submission, StoreError> {
        let txn = self.db.begin().await?;
        let row = txn
            .query_one_raw(stmt(
                &txn,
                &format!(
                    "INSERT INTO online_submissions (citizen_id, unit_code, procedure_code, state,
                         data, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}"
                ),
                vec![
                    citizen.0.into(),
                    unit.as_str().into(),
                    procedure.as_str().into(),
                    SubmissionState::Draft.code().into(),
                    serde_json::to_string(data)?.into(),
                    ctx.at.as_micros().into(),
                ],
            ))
            .await?
            .ok_or_else(|| StoreError::Refused("không lưu được hồ sơ nháp".to_owned()))?;
        let created = submission(&row)?;
        crate::access::audit(
            &txn,
            ctx,
            &AuditAction::OnlineCreate.as_str(),
            &created.id.to_string(),
            &serde_json::Value::Null,
            &audit_value(&created),
        )
        .await?;
        txn.commit().await?;
        Ok(created)
    }

    /// A submission by id (whoever owns it: the app checks).
    pub async fn submission(&self, id: SubmissionId) -> Result<Option<Submission>, StoreError> {
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                &format!("SELECT {COLUMNS} FROM online_submissions WHERE id = $1"),
                vec![id.0.into()],
            ))
            .await?;
        row.as_ref().map(submission).transpose()
    }

    /// Writes a change the citizen or reception made (`Save`, `Submit`, `Return`, `Refuse`),
    /// computed from `before`, if the submission is still `before`; audited, with the
    /// `notices` that tell the citizen of it put in the outbox by the same transaction.
    pub async fn change_submission(
        &self,
        before: &Submission,
        after: &Submission,
        transition: Transition,
        notices: &[Message],
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        if transition == Transition::Accept {
            return Err(StoreError::Refused(
                "tiếp nhận hồ sơ trực tuyến phải tạo hồ sơ cùng lúc".to_owned(),
            ));
        }
        let txn = self.db.begin().await?;
        update(&txn, before, after, transition, ctx).await?;
        crate::outbox::enqueue(&txn, notices, None, ctx.at).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Accepts a submission in one transaction: the submission is marked accepted (if it is
    /// still `before`, waiting in the inbox), the dossier of `accepted` is received — numbered,
    /// written, counted, its event and audit record as at the desk — with the citizen's
    /// account, and the submission keeps the dossier's code. A second acceptance finds the
    /// submission changed and writes nothing. `notices` words the citizen's notices from the
    /// dossier as numbered; they go into the outbox in the same transaction.
    pub async fn accept_submission(
        &self,
        before: &Submission,
        accepted: &Accepted,
        notices: impl FnOnce(&Dossier) -> Vec<Message> + Send,
        ctx: &AuditContext,
    ) -> Result<Dossier, StoreError> {
        let txn = self.db.begin().await?;
        let mut after = before.clone();
        after.state = SubmissionState::Accepted;
        after.updated_at = ctx.at;
        after.decided_at = Some(ctx.at);
        after.decided_by = Some(ctx.actor.clone());
        after.reason = None;
        update(&txn, before, &after, Transition::Accept, ctx).await?;
        let dossier = crate::desk::insert_received(
            &txn,
            &accepted.dossier,
            &accepted.lifecycle,
            &accepted.details,
            Some(before.citizen),
            ctx,
        )
        .await?;
        txn.execute_raw(stmt(
            &txn,
            "UPDATE online_submissions SET dossier_code = $1 WHERE id = $2",
            vec![dossier.code.as_str().into(), before.id.0.into()],
        ))
        .await?;
        crate::outbox::enqueue(&txn, &notices(&dossier), Some(&dossier.code), ctx.at).await?;
        txn.commit().await?;
        Ok(dossier)
    }

    /// The citizen's submissions, the latest changed first (accepted ones included, with the
    /// code of their dossier).
    pub async fn citizen_submissions(
        &self,
        citizen: CitizenId,
    ) -> Result<Vec<Submission>, StoreError> {
        let rows = self
            .db
            .query_all_raw(stmt(
                &self.db,
                &format!(
                    "SELECT {COLUMNS} FROM online_submissions WHERE citizen_id = $1
                     ORDER BY updated_at DESC, id DESC"
                ),
                vec![citizen.0.into()],
            ))
            .await?;
        rows.iter().map(submission).collect()
    }

    /// Reception's online inbox: the submissions waiting at `units`, the oldest submitted
    /// first, at most `limit`.
    pub async fn online_inbox(
        &self,
        units: &[&UnitCode],
        limit: u64,
    ) -> Result<Vec<Submission>, StoreError> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let (sql, values) = inbox_query(&format!("SELECT {COLUMNS}"), units);
        let sql = format!("{sql} ORDER BY submitted_at, id LIMIT {limit}");
        let rows = self.db.query_all_raw(stmt(&self.db, &sql, values)).await?;
        rows.iter().map(submission).collect()
    }

    /// How many submissions wait at `units` (the header's notice).
    pub async fn online_inbox_count(&self, units: &[&UnitCode]) -> Result<u64, StoreError> {
        if units.is_empty() {
            return Ok(0);
        }
        let (sql, values) = inbox_query("SELECT COUNT(*) AS n", units);
        let row = self.db.query_one_raw(stmt(&self.db, &sql, values)).await?;
        let n: i64 = match row {
            Some(r) => r.try_get("", "n")?,
            None => 0,
        };
        Ok(u64::try_from(n).unwrap_or_default())
    }
}

/// `select` from the submissions waiting at `units`, with its parameters.
fn inbox_query(select: &str, units: &[&UnitCode]) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = vec![SubmissionState::Submitted.code().into()];
    let marks: Vec<String> = units
        .iter()
        .map(|u| {
            values.push(u.as_str().into());
            format!("${}", values.len())
        })
        .collect();
    (
        format!(
            "{select} FROM online_submissions WHERE state = $1 AND unit_code IN ({})",
            marks.join(", ")
        ),
        values,
    )
}
