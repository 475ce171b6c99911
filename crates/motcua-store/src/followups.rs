//! Follow-ups of units below target, in SQL: one row per unit and month; created by the unit
//! above, submitted once; and the settings (the report's targets). Each write is audited in
//! its transaction.

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::followup::{FollowUp, Submission};
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::StoreError;
use crate::access::{audit, stmt};

fn key(unit: &UnitCode, month: Month) -> String {
    format!("{unit}/{month}")
}

pub(crate) async fn create(
    db: &DatabaseConnection,
    f: &FollowUp,
    ctx: &AuditContext,
) -> Result<(), StoreError> {
    let txn = db.begin().await?;
    let done = txn
        .execute_raw(stmt(
            &txn,
            "INSERT INTO follow_ups (unit_code, month, due_date, note, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_code, month) DO NOTHING",
            vec![
                f.unit.as_str().into(),
                f.month.to_string().into(),
                f.due.to_string().into(),
                f.note.clone().into(),
                f.created_at.as_micros().into(),
                f.created_by.clone().into(),
            ],
        ))
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Refused(format!(
            "đã có yêu cầu báo cáo khắc phục của đơn vị này cho tháng {}/{}",
            f.month.number(),
            f.month.year()
        )));
    }
    let detail = serde_json::json!({ "due": f.due.to_string(), "note": f.note });
    audit(
        &txn,
        ctx,
        "followup.create",
        &key(&f.unit, f.month),
        &serde_json::Value::Null,
        &detail,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub(crate) async fn submit(
    db: &DatabaseConnection,
    unit: &UnitCode,
    month: Month,
    s: &Submission,
    ctx: &AuditContext,
) -> Result<(), StoreError> {
    let txn = db.begin().await?;
    let done = txn
        .execute_raw(stmt(
            &txn,
            "UPDATE follow_ups SET submitted_at = $1, submitted_by = $2, report = $3
             WHERE unit_code = $4 AND month = $5 AND submitted_at IS NULL",
            vec![
                s.at.as_micros().into(),
                s.by.clone().into(),
                s.report.clone().into(),
                unit.as_str().into(),
                month.to_string().into(),
            ],
        ))
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Refused(
            "không có yêu cầu báo cáo đang chờ của đơn vị cho tháng này (chưa được yêu cầu hoặc đã báo cáo)"
                .to_owned(),
        ));
    }
    let detail = serde_json::json!({ "report": s.report });
    audit(
        &txn,
        ctx,
        "followup.submit",
        &key(unit, month),
        &serde_json::Value::Null,
        &detail,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The follow-ups of a month, by unit code.
pub(crate) async fn list(
    db: &DatabaseConnection,
    month: Month,
) -> Result<Vec<FollowUp>, StoreError> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT unit_code, due_date, note, created_at, created_by, submitted_at, submitted_by, report
             FROM follow_ups WHERE month = $1 ORDER BY unit_code",
            vec![month.to_string().into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            let unit: String = r.try_get_by_index(0)?;
            let corrupt = |reason: &str| StoreError::Corrupt {
                table: "follow_ups",
                key: unit.clone(),
                reason: reason.to_owned(),
            };
            let due: String = r.try_get_by_index(1)?;
            let submitted_at: Option<i64> = r.try_get_by_index(5)?;
            let submitted_by: Option<String> = r.try_get_by_index(6)?;
            let report: Option<String> = r.try_get_by_index(7)?;
            Ok(FollowUp {
                unit: UnitCode::parse(&unit).map_err(|_| corrupt("mã đơn vị"))?,
                month,
                due: time::Date::parse(
                    &due,
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .map_err(|_| corrupt("hạn báo cáo"))?,
                note: r.try_get_by_index(2)?,
                created_at: Timestamp::from_micros(r.try_get_by_index(3)?),
                created_by: r.try_get_by_index(4)?,
                submitted: submitted_at.map(|at| Submission {
                    at: Timestamp::from_micros(at),
                    by: submitted_by.unwrap_or_default(),
                    report: report.unwrap_or_default(),
                }),
            })
        })
        .collect()
}

/// A setting's value.
pub(crate) async fn setting(
    db: &DatabaseConnection,
    name: &str,
) -> Result<Option<String>, StoreError> {
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT value FROM settings WHERE name = $1",
            vec![name.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get_by_index(0)?),
        None => None,
    })
}

/// Sets a setting (audited with its value before and after).
pub(crate) async fn set_setting(
    db: &DatabaseConnection,
    name: &str,
    value: &str,
    ctx: &AuditContext,
) -> Result<(), StoreError> {
    let txn = db.begin().await?;
    let before = txn
        .query_one_raw(stmt(
            &txn,
            "SELECT value FROM settings WHERE name = $1",
            vec![name.into()],
        ))
        .await?
        .map(|r| r.try_get_by_index::<String>(0))
        .transpose()?;
    txn.execute_raw(stmt(
        &txn,
        "INSERT INTO settings (name, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET value = $2, updated_at = $3, updated_by = $4",
        vec![
            name.into(),
            value.into(),
            ctx.at.as_micros().into(),
            ctx.actor.clone().into(),
        ],
    ))
    .await?;
    audit(
        &txn,
        ctx,
        "settings.set",
        name,
        &serde_json::json!(before),
        &serde_json::json!(value),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
