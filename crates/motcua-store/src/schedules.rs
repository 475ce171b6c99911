//! The yearly schedules stored to replace the bundled ones, and their replacement with the
//! appointments it moves, in one transaction.

use motcua_calendar::Schedule;
use motcua_core::access::AuditContext;
use motcua_core::dossier::{Dossier, DossierCode, DueMove};
use motcua_core::history::{DueReplanned, EventDetail};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

use crate::StoreError;
use crate::catalogue::all_units;
use crate::dossiers::dossiers_by_code;
use crate::sql::SqlStore;

impl SqlStore {
    /// The yearly schedules stored to replace the bundled ones, by year.
    pub async fn schedules(&self) -> Result<Vec<Schedule>, StoreError> {
        let rows = self
            .db
            .query_all_raw(self.statement(
                "SELECT year, body FROM calendar_schedules ORDER BY year".to_owned(),
                vec![],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                let year: i64 = row.try_get("", "year")?;
                let body: String = row.try_get("", "body")?;
                Schedule::from_json(&body).map_err(|e| StoreError::BadSchedule {
                    year,
                    reason: e.to_string(),
                })
            })
            .collect()
    }

    /// In one transaction: stores `schedule` (replacing the stored one of its year) and moves
    /// each appointment of `moves` whose dossier is still open with `due_at = before`,
    /// appending a dossier event for each and an audit record. Returns the moves applied.
    pub async fn replace_schedule(
        &self,
        schedule: &Schedule,
        moves: &[DueMove],
        ctx: &AuditContext,
    ) -> Result<Vec<DueMove>, StoreError> {
        let (actor, now) = (ctx.actor.as_str(), ctx.at);
        let body = schedule.to_json().map_err(|e| StoreError::BadSchedule {
            year: i64::from(schedule.year),
            reason: e.to_string(),
        })?;
        let txn = self.db.begin().await?;
        let codes: Vec<&DossierCode> = moves.iter().map(|m| &m.code).collect();
        // The units are read inside the transaction: a unit added meanwhile is locked too.
        let units = all_units(&txn).await?;
        crate::aggregates::lock_units(&txn, &units.iter().map(|u| &u.code).collect::<Vec<_>>())
            .await?;
        let stored = dossiers_by_code(&txn, &codes).await?;
        let mut delta = motcua_core::aggregate::Delta::default();
        let previous = txn
            .query_one_raw(Statement::from_sql_and_values(
                txn.get_database_backend(),
                "SELECT body FROM calendar_schedules WHERE year = $1",
                vec![i64::from(schedule.year).into()],
            ))
            .await?
            .map(|r| r.try_get::<String>("", "body"))
            .transpose()?
            .and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
            .unwrap_or(serde_json::Value::Null);
        txn.execute_raw(Statement::from_sql_and_values(
            txn.get_database_backend(),
            "INSERT INTO calendar_schedules (year, body, updated_at, updated_by)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (year) DO UPDATE SET body = excluded.body,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            vec![
                i64::from(schedule.year).into(),
                body.clone().into(),
                now.as_micros().into(),
                actor.into(),
            ],
        ))
        .await?;
        let mut applied = Vec::new();
        for m in moves {
            // Only a dossier still open with the appointment the caller saw is moved: anything
            // changed in between keeps its own appointment.
            let done = txn
                .execute_raw(Statement::from_sql_and_values(
                    txn.get_database_backend(),
                    "UPDATE dossiers SET due_at = $1
                     WHERE code = $2 AND due_at = $3 AND resolved_at IS NULL",
                    vec![
                        m.after.as_micros().into(),
                        m.code.as_str().into(),
                        m.before.as_micros().into(),
                    ],
                ))
                .await?;
            if done.rows_affected() == 0 {
                continue;
            }
            if let Some(before) = stored.get(&m.code) {
                let after = Dossier {
                    due_at: m.after,
                    ..before.clone()
                };
                delta.change(Some(before), Some(&after));
            }
            let detail = EventDetail::DueReplanned(DueReplanned {
                before: m.before,
                after: m.after,
                reason: format!("lịch nghỉ năm {} thay đổi", schedule.year),
            });
            crate::history::append_event(&txn, &m.code, ctx, &detail).await?;
            applied.push(m.clone());
        }
        let after: serde_json::Value =
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
        crate::access::audit(
            &txn,
            ctx,
            "calendar.set",
            &schedule.year.to_string(),
            &previous,
            &serde_json::json!({ "schedule": after, "moved": applied.len() }),
        )
        .await?;
        crate::aggregates::apply(&txn, delta).await?;
        txn.commit().await?;
        Ok(applied)
    }
}
