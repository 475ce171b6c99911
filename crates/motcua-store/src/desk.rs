//! Dossiers received and handled in motcua: reception (with a code numbered per unit and
//! day) and lifecycle steps, each with its dossier event and audit record in one transaction.
//!
//! A step is written only if the dossier's stored lifecycle is still the one the step was
//! computed from (optimistic concurrency): two officers acting at once cannot both win.

use motcua_core::access::AuditContext;
use motcua_core::dossier::{Dossier, DossierCode, EventKind};
use motcua_core::lifecycle::{Lifecycle, Step};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::StoreError;
use crate::access::{append_event as event, stmt};
use crate::rows::{self, DOSSIER_COLUMNS};

fn state_json(state: &Lifecycle) -> Result<String, StoreError> {
    serde_json::to_string(state).map_err(|e| StoreError::Refused(e.to_string()))
}

/// Stores a newly received dossier. Its code is `new.code` (the prefix, e.g. `HO-XA-240520`)
/// followed by the unit's next number of that prefix (`-0001`).
pub(crate) async fn receive_dossier(
    db: &DatabaseConnection,
    new: &Dossier,
    state: &Lifecycle,
    ctx: &AuditContext,
) -> Result<Dossier, StoreError> {
    let txn = db.begin().await?;
    // The next number of the prefix; numbers already taken by dossiers imported from another
    // system (same code scheme) are skipped.
    let code = loop {
        let row = txn
            .query_one_raw(stmt(
                &txn,
                "INSERT INTO dossier_counters (prefix, last_number) VALUES ($1, 1)
                 ON CONFLICT (prefix) DO UPDATE SET last_number = dossier_counters.last_number + 1
                 RETURNING last_number",
                vec![new.code.as_str().into()],
            ))
            .await?
            .ok_or_else(|| StoreError::Refused("không cấp được mã hồ sơ".to_owned()))?;
        let number: i64 = row.try_get_by_index(0)?;
        if number > 9999 {
            return Err(StoreError::Refused(format!(
                "đã hết số hồ sơ trong ngày cho tiền tố {}",
                new.code
            )));
        }
        let code = DossierCode::parse(&format!("{}-{number:04}", new.code))
            .ok_or_else(|| StoreError::Refused(format!("mã hồ sơ không hợp lệ: {}", new.code)))?;
        let taken = txn
            .query_one_raw(stmt(
                &txn,
                "SELECT 1 FROM dossiers WHERE code = $1",
                vec![code.as_str().into()],
            ))
            .await?;
        if taken.is_none() {
            break code;
        }
    };
    let dossier = Dossier {
        code,
        ..new.clone()
    };
    let mut values = rows::dossier_values(&dossier);
    values.push(state_json(state)?.into());
    values.push(state.status.as_str().into());
    values.push(state.handling_unit.as_str().into());
    let n = values.len();
    let placeholders: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    txn.execute_raw(stmt(
        &txn,
        &format!(
            "INSERT INTO dossiers ({DOSSIER_COLUMNS}, lifecycle, status, handling_unit) VALUES ({})",
            placeholders.join(", ")
        ),
        values,
    ))
    .await?;
    let detail = serde_json::json!({
        "procedure": dossier.procedure_code.as_str(),
        "unit": dossier.unit_code.as_str(),
        "channel": dossier.channel.as_str(),
        "due_at": dossier.due_at.to_rfc3339(),
    });
    event(&txn, &dossier.code, ctx, EventKind::Received, &detail).await?;
    crate::access::audit(
        &txn,
        ctx,
        "dossier.receive",
        dossier.code.as_str(),
        &serde_json::Value::Null,
        &detail,
    )
    .await?;
    txn.commit().await?;
    Ok(dossier)
}

/// The stored lifecycle of a dossier (`None` for dossiers imported without one).
pub(crate) async fn lifecycle(
    db: &DatabaseConnection,
    code: &DossierCode,
) -> Result<Option<Lifecycle>, StoreError> {
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT lifecycle FROM dossiers WHERE code = $1",
            vec![code.as_str().into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let text: Option<String> = row.try_get_by_index(0)?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| StoreError::Corrupt {
            table: "dossiers",
            key: code.to_string(),
            reason: format!("lifecycle: {e}"),
        })
    })
    .transpose()
}

/// Writes a step: the dossier's new fields and lifecycle, if its lifecycle is still `before`.
pub(crate) async fn apply_step(
    db: &DatabaseConnection,
    before: (&Dossier, Option<&Lifecycle>),
    after: (&Dossier, &Lifecycle),
    step: &Step,
    ctx: &AuditContext,
) -> Result<(), StoreError> {
    let (old, old_state) = before;
    let (new, state) = after;
    let txn = db.begin().await?;
    let columns: Vec<&str> = DOSSIER_COLUMNS.split(',').map(str::trim).collect();
    let mut values = rows::dossier_values(new);
    let mut sets: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    for (column, value) in [
        ("lifecycle", state_json(state)?),
        ("status", state.status.as_str().to_owned()),
        ("handling_unit", state.handling_unit.to_string()),
    ] {
        values.push(value.into());
        sets.push(format!("{column} = ${}", values.len()));
    }
    values.push(old.code.as_str().into());
    let mut sql = format!(
        "UPDATE dossiers SET {} WHERE code = ${}",
        sets.join(", "),
        values.len()
    );
    match old_state {
        Some(s) => {
            values.push(state_json(s)?.into());
            sql.push_str(&format!(" AND lifecycle = ${}", values.len()));
        }
        None => sql.push_str(" AND lifecycle IS NULL"),
    }
    let done = txn.execute_raw(stmt(&txn, &sql, values)).await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Refused(format!(
            "hồ sơ «{}» vừa được người khác cập nhật; hãy tải lại trang và thử lại",
            old.code
        )));
    }
    let detail = serde_json::json!({
        "step": step,
        "status": { "before": old_state.map(|s| s.status.as_str()), "after": state.status.as_str() },
        "due_at": { "before": old.due_at.to_rfc3339(), "after": new.due_at.to_rfc3339() },
        "handling_unit": state.handling_unit.as_str(),
    });
    event(&txn, &old.code, ctx, EventKind::Step, &detail).await?;
    crate::access::audit(
        &txn,
        ctx,
        &format!("dossier.{}", step.as_str()),
        old.code.as_str(),
        &serde_json::Value::Null,
        &detail,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What the store knows of an Idempotency-Key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First use: the caller runs the request, then records its answer.
    New,
    /// Already answered: the first answer.
    Answered { status: u16, body: String },
    /// The first request with this key is still running.
    InFlight,
    /// The key was used for a different request.
    Mismatch,
}

pub(crate) async fn claim_idempotency(
    db: &DatabaseConnection,
    principal: &str,
    key: &str,
    request: &str,
    now: motcua_core::Timestamp,
) -> Result<Claim, StoreError> {
    let inserted = db
        .execute_raw(stmt(
            db,
            "INSERT INTO idempotency_keys (principal, idem_key, request, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (principal, idem_key) DO NOTHING",
            vec![
                principal.into(),
                key.into(),
                request.into(),
                now.as_micros().into(),
            ],
        ))
        .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::New);
    }
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT request, status, body FROM idempotency_keys WHERE principal = $1 AND idem_key = $2",
            vec![principal.into(), key.into()],
        ))
        .await?;
    let Some(row) = row else {
        // Released between the two statements: treat as running, the client retries.
        return Ok(Claim::InFlight);
    };
    let stored: String = row.try_get_by_index(0)?;
    if stored != request {
        return Ok(Claim::Mismatch);
    }
    let status: Option<i64> = row.try_get_by_index(1)?;
    let body: Option<String> = row.try_get_by_index(2)?;
    Ok(match status {
        Some(s) => Claim::Answered {
            status: u16::try_from(s).unwrap_or(500),
            body: body.unwrap_or_default(),
        },
        None => Claim::InFlight,
    })
}

pub(crate) async fn finish_idempotency(
    db: &DatabaseConnection,
    principal: &str,
    key: &str,
    answer: Option<(u16, &str)>,
) -> Result<(), StoreError> {
    match answer {
        Some((status, body)) => {
            db.execute_raw(stmt(
                db,
                "UPDATE idempotency_keys SET status = $1, body = $2
                 WHERE principal = $3 AND idem_key = $4",
                vec![
                    i64::from(status).into(),
                    body.into(),
                    principal.into(),
                    key.into(),
                ],
            ))
            .await?;
        }
        None => {
            db.execute_raw(stmt(
                db,
                "DELETE FROM idempotency_keys WHERE principal = $1 AND idem_key = $2",
                vec![principal.into(), key.into()],
            ))
            .await?;
        }
    }
    Ok(())
}
