//! The hand-off queues: the open dossiers assigned to a specialist, and those waiting for a
//! leader's decision in a set of units. Each is one indexed statement, at most
//! [`QUEUE_LIMIT`] dossiers, the earliest appointment first.

use motcua_core::lifecycle::Status;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, Value};

use crate::StoreError;
use crate::desk::{HeldDossier, held};
use crate::rows::DOSSIER_COLUMNS;
use crate::sql::SqlStore;

/// The most dossiers a queue answers at once.
pub const QUEUE_LIMIT: usize = 100;

/// The statuses of a dossier still being handled (not settled).
fn open_statuses() -> Vec<&'static str> {
    Status::ALL
        .into_iter()
        .filter(|s| !s.is_settled())
        .map(Status::as_str)
        .collect()
}

impl SqlStore {
    /// The open dossiers assigned to the specialist `username`, earliest appointment first.
    pub async fn assigned_to(&self, username: &str) -> Result<Vec<HeldDossier>, StoreError> {
        let statuses = open_statuses();
        let mut values: Vec<Value> = vec![username.into()];
        values.extend(statuses.iter().map(|s| Value::from(*s)));
        let marks: Vec<String> = (2..=statuses.len() + 1).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {DOSSIER_COLUMNS}, lifecycle, details, citizen_id FROM dossiers
             WHERE assignee = $1 AND status IN ({}) ORDER BY due_at, code LIMIT {QUEUE_LIMIT}",
            marks.join(", ")
        );
        let rows = self.db.query_all_raw(self.statement(sql, values)).await?;
        rows.iter().map(held).collect()
    }

    /// The dossiers handled by one of `units` whose proposed result waits for the leader,
    /// earliest appointment first.
    pub async fn awaiting_approval(
        &self,
        units: &[&UnitCode],
    ) -> Result<Vec<HeldDossier>, StoreError> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: Vec<Value> = vec![Status::AwaitingApproval.as_str().into()];
        values.extend(units.iter().map(|u| Value::from(u.as_str())));
        let marks: Vec<String> = (2..=units.len() + 1).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {DOSSIER_COLUMNS}, lifecycle, details, citizen_id FROM dossiers
             WHERE status = $1 AND handling_unit IN ({}) ORDER BY due_at, code LIMIT {QUEUE_LIMIT}",
            marks.join(", ")
        );
        let rows = self.db.query_all_raw(self.statement(sql, values)).await?;
        rows.iter().map(held).collect()
    }
}
