//! The audit trail's reads (the [`crate::SqlStore`] methods of that concern): a filtered page
//! of records, newest first, by keyset; their count; who appears in it; and the accounts and
//! tokens behind a page's actors, read in one statement.

use motcua_core::Timestamp;
use motcua_core::access::{AuditFilter, AuditRecord};
use motcua_core::audit::KnownActor;
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, Value};

use crate::StoreError;
use crate::access::{corrupt, stmt};
use crate::sql::SqlStore;

impl SqlStore {
    /// The audit trail, newest first, from the record after `filter.before_id`.
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        let conn = &self.db;
        let (mut sql, mut values) = audit_where(filter);
        let limit = if filter.limit == 0 {
            1000
        } else {
            filter.limit
        };
        values.push(i64::from(limit).into());
        sql = format!(
            "SELECT id, at, actor, remote_addr, action, target, before_value, after_value
             FROM audit_log WHERE {sql} ORDER BY id DESC LIMIT ${}",
            values.len()
        );
        let rows = conn.query_all_raw(stmt(conn, &sql, values)).await?;
        rows.iter()
            .map(|r| {
                let before: String = r.try_get("", "before_value")?;
                let after: String = r.try_get("", "after_value")?;
                let parse = |t: &str| serde_json::from_str(t).unwrap_or(serde_json::Value::Null);
                Ok(AuditRecord {
                    id: r.try_get("", "id")?,
                    at: Timestamp::from_micros(r.try_get("", "at")?),
                    actor: r.try_get("", "actor")?,
                    remote_addr: r.try_get("", "remote_addr")?,
                    action: r.try_get("", "action")?,
                    target: r.try_get("", "target")?,
                    before: parse(&before),
                    after: parse(&after),
                })
            })
            .collect()
    }

    /// How many records match the filter (its `before_id` and `limit` aside).
    pub async fn audit_count(&self, filter: &AuditFilter) -> Result<u64, StoreError> {
        let conn = &self.db;
        let whole = AuditFilter {
            before_id: None,
            ..filter.clone()
        };
        let (sql, values) = audit_where(&whole);
        let row = conn
            .query_one_raw(stmt(
                conn,
                &format!("SELECT COUNT(*) AS n FROM audit_log WHERE {sql}"),
                values,
            ))
            .await?;
        let n: i64 = match row {
            Some(r) => r.try_get("", "n")?,
            None => 0,
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Everyone who appears in the audit trail (for its filter's list of people).
    pub async fn audit_actors(&self) -> Result<Vec<String>, StoreError> {
        let conn = &self.db;
        let rows = conn
            .query_all_raw(stmt(
                conn,
                "SELECT DISTINCT actor FROM audit_log ORDER BY actor",
                vec![],
            ))
            .await?;
        rows.iter().map(|r| Ok(r.try_get("", "actor")?)).collect()
    }

    /// The accounts and tokens behind stored actors (`user:NAME`, `token:NAME`), in one
    /// statement: what a page needs to name everyone on it.
    pub async fn known_actors(&self, actors: &[String]) -> Result<Vec<KnownActor>, StoreError> {
        let users: Vec<&str> = actors
            .iter()
            .filter_map(|a| a.strip_prefix("user:"))
            .collect();
        let tokens: Vec<&str> = actors
            .iter()
            .filter_map(|a| a.strip_prefix("token:"))
            .collect();
        // A citizen's id is a number: anything else after `citizen:` names no account.
        let citizens: Vec<i64> = actors
            .iter()
            .filter_map(|a| a.strip_prefix("citizen:"))
            .filter_map(|id| id.parse().ok())
            .collect();
        if users.is_empty() && tokens.is_empty() && citizens.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: Vec<Value> = Vec::new();
        let mut list = |names: &[&str]| {
            let start = values.len();
            values.extend(names.iter().map(|n| Value::from(*n)));
            let marks: Vec<String> = (start + 1..=values.len())
                .map(|i| format!("${i}"))
                .collect();
            if marks.is_empty() {
                "NULL".to_owned()
            } else {
                marks.join(", ")
            }
        };
        let (u, t) = (list(&users), list(&tokens));
        let c = if citizens.is_empty() {
            "NULL".to_owned()
        } else {
            let start = values.len();
            values.extend(citizens.iter().map(|id| Value::from(*id)));
            (start + 1..=values.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sql = format!(
            "SELECT 'user' AS kind, username AS name, display_name, unit_code FROM users
             WHERE username IN ({u})
             UNION ALL
             SELECT 'token' AS kind, name, name AS display_name, unit_code FROM api_tokens
             WHERE name IN ({t})
             UNION ALL
             SELECT 'citizen' AS kind, CAST(id AS TEXT) AS name, full_name AS display_name,
                    NULL AS unit_code FROM citizens
             WHERE id IN ({c})"
        );
        let conn = &self.db;
        let rows = conn.query_all_raw(stmt(conn, &sql, values)).await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("", "kind")?;
                let name: String = r.try_get("", "name")?;
                let unit: Option<String> = r.try_get("", "unit_code")?;
                Ok(KnownActor {
                    actor: format!("{kind}:{name}"),
                    name: r.try_get("", "display_name")?,
                    unit: unit
                        .map(|u| UnitCode::parse(&u).map_err(|e| corrupt(&name, e)))
                        .transpose()?,
                })
            })
            .collect()
    }
}

/// The `WHERE` condition of an audit filter, with its values (`$1`…).
fn audit_where(filter: &AuditFilter) -> (String, Vec<Value>) {
    let mut sql = "1 = 1".to_owned();
    let mut values: Vec<Value> = Vec::new();
    let mut add = |clause: &str, v: Value| {
        values.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", values.len())));
    };
    if let Some(actor) = &filter.actor {
        add(" AND actor = ?", actor.as_str().into());
    }
    if let Some(action) = &filter.action {
        add(" AND action = ?", action.as_str().into());
    }
    if let Some(actors) = &filter.actors {
        // An empty list matches nothing: `actor = ''` never holds.
        let mut first = true;
        for actor in actors
            .iter()
            .map(String::as_str)
            .chain(actors.is_empty().then_some(""))
        {
            add(
                if first {
                    " AND (actor = ?"
                } else {
                    " OR actor = ?"
                },
                actor.into(),
            );
            first = false;
        }
        add(" OR actor = ?)", "".into());
    }
    if let Some(from) = filter.from {
        add(" AND at >= ?", from.as_micros().into());
    }
    if let Some(to) = filter.to {
        add(" AND at < ?", to.as_micros().into());
    }
    if let Some(id) = filter.before_id {
        add(" AND id < ?", id.into());
    }
    (sql, values)
}
