//! A dossier's history: its events appended in the transaction of each write, and read back.

use motcua_core::access::AuditContext;
use motcua_core::dossier::DossierCode;
use motcua_core::history::{DossierEvent, EventDetail};
use sea_orm::ConnectionTrait;

use crate::StoreError;
use crate::rows;
use crate::sql::{SqlStore, stmt};

/// Appends one event to a dossier's history (inside the caller's transaction); returns the
/// detail as stored (JSON), for the audit trail.
pub(crate) async fn append_event<C: ConnectionTrait>(
    conn: &C,
    code: &DossierCode,
    ctx: &AuditContext,
    detail: &EventDetail,
) -> Result<serde_json::Value, StoreError> {
    let payload = detail.payload()?;
    conn.execute_raw(stmt(
        conn,
        "INSERT INTO dossier_events (dossier_code, at, actor, kind, detail)
         VALUES ($1, $2, $3, $4, $5)",
        vec![
            code.as_str().into(),
            ctx.at.as_micros().into(),
            ctx.actor.clone().into(),
            detail.kind().as_str().into(),
            payload.to_string().into(),
        ],
    ))
    .await?;
    Ok(payload)
}

impl SqlStore {
    /// The history of a dossier, oldest first.
    pub async fn dossier_events(
        &self,
        code: &DossierCode,
    ) -> Result<Vec<DossierEvent>, StoreError> {
        let rows = self
            .db
            .query_all_raw(
                self.statement(
                    "SELECT dossier_code, at, actor, kind, detail FROM dossier_events
                 WHERE dossier_code = $1 ORDER BY id"
                        .to_owned(),
                    vec![code.as_str().into()],
                ),
            )
            .await?;
        rows.iter().map(rows::event).collect()
    }
}
