//! Follow-ups of units below target, in SQL: one row per unit and month; created by the unit
//! above, submitted once; and the settings (the report's targets). Each write is audited in
//! its transaction.

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::followup::{FollowUp, Submission};
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::StoreError;
use crate::access::audit;
use crate::sql::SqlStore;
use crate::sql::stmt;

fn key(unit: &UnitCode, month: Month) -> String {
    format!("{unit}/{month}")
}

impl SqlStore {
    /// Creates the follow-up of a unit and month (audited); refused when one exists.
    pub async fn create_follow_up(
        &self,
        f: &FollowUp,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let db = &self.db;
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

    /// Records the unit's report on its follow-up (audited); refused when there is none
    /// waiting.
    pub async fn submit_follow_up(
        &self,
        unit: &UnitCode,
        month: Month,
        s: &Submission,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let db = &self.db;
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
    pub async fn follow_ups(&self, month: Month) -> Result<Vec<FollowUp>, StoreError> {
        self.follow_ups_where("month = $1", vec![month.to_string().into()])
            .await
    }

    /// Every follow-up, newest month first, then by unit code.
    pub async fn all_follow_ups(&self) -> Result<Vec<FollowUp>, StoreError> {
        self.follow_ups_where("1 = 1", Vec::new()).await
    }

    /// The follow-ups asked of `unit` and not yet submitted, oldest month first (the notices
    /// of the unit's people).
    pub async fn waiting_follow_ups(&self, unit: &UnitCode) -> Result<Vec<FollowUp>, StoreError> {
        let mut f = self
            .follow_ups_where(
                "unit_code = $1 AND submitted_at IS NULL",
                vec![unit.as_str().into()],
            )
            .await?;
        f.reverse();
        Ok(f)
    }

    async fn follow_ups_where(
        &self,
        condition: &str,
        values: Vec<sea_orm::Value>,
    ) -> Result<Vec<FollowUp>, StoreError> {
        let db = &self.db;
        let rows = db
            .query_all_raw(stmt(
                db,
                &format!(
                    "SELECT unit_code, month, due_date, note, created_at, created_by, submitted_at, submitted_by, report
                     FROM follow_ups WHERE {condition} ORDER BY month DESC, unit_code"
                ),
                values,
            ))
            .await?;
        rows.iter()
            .map(|r| {
                let unit: String = r.try_get("", "unit_code")?;
                let corrupt = |reason: &str| StoreError::Corrupt {
                    table: "follow_ups",
                    key: unit.clone(),
                    reason: reason.to_owned(),
                };
                let month: String = r.try_get("", "month")?;
                let due: String = r.try_get("", "due_date")?;
                let submitted_at: Option<i64> = r.try_get("", "submitted_at")?;
                let submitted_by: Option<String> = r.try_get("", "submitted_by")?;
                let report: Option<String> = r.try_get("", "report")?;
                Ok(FollowUp {
                    unit: UnitCode::parse(&unit).map_err(|_| corrupt("mã đơn vị"))?,
                    month: month.parse().map_err(|_| corrupt("tháng"))?,
                    due: time::Date::parse(
                        &due,
                        time::macros::format_description!("[year]-[month]-[day]"),
                    )
                    .map_err(|_| corrupt("hạn báo cáo"))?,
                    note: r.try_get("", "note")?,
                    created_at: Timestamp::from_micros(r.try_get("", "created_at")?),
                    created_by: r.try_get("", "created_by")?,
                    submitted: submitted_at.map(|at| Submission {
                        at: Timestamp::from_micros(at),
                        by: submitted_by.unwrap_or_default(),
                        report: report.unwrap_or_default(),
                    }),
                })
            })
            .collect()
    }
}
