//! Ingest of dossier records pushed one at a time by other systems (the national public
//! service portal, a province's old one-stop system): each record is the dossier as it now
//! is, and is acknowledged only once it is committed to disk with its event, its audit
//! record and the aggregates.
//!
//! Writes are grouped (group commit): while one transaction commits, the records that arrive
//! queue up, and the next transaction takes them all, so one flush to disk serves many
//! records. A record is never acknowledged before the transaction holding it has committed;
//! a record refused by validation is answered at once and never holds back the others.

use std::collections::HashMap;
use std::sync::Arc;

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::dossier::{Dossier, DossierCode};
use motcua_core::interchange::{ImportPlan, Located};
use motcua_store::SqlStore;
use tokio::sync::{mpsc, oneshot};

use crate::AppError;

type Reply = oneshot::Sender<Result<(), String>>;

/// The handle producers submit records through; cheap to clone.
#[derive(Clone)]
pub struct Ingestor {
    queue: mpsc::Sender<(Dossier, Reply)>,
}

/// The clock of the audit records (the caller's, so the core and this module read none).
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

impl Ingestor {
    /// Starts the writer task: at most `max_batch` records per transaction, audited as
    /// `actor`.
    pub fn start(store: SqlStore, actor: &str, max_batch: usize, clock: Clock) -> Self {
        let (queue, mut rx) = mpsc::channel::<(Dossier, Reply)>(max_batch.max(1) * 4);
        let actor = actor.to_owned();
        let max_batch = max_batch.max(1);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < max_batch {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                write_batch(&store, &actor, batch, &clock).await;
            }
        });
        Self { queue }
    }

    /// Submits a record and waits until it is on disk (or refused).
    pub async fn submit(&self, dossier: Dossier) -> Result<(), AppError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((dossier, reply))
            .await
            .map_err(|_| AppError::Refused("bộ ghi hồ sơ đã dừng".to_owned()))?;
        answer
            .await
            .map_err(|_| AppError::Refused("bộ ghi hồ sơ đã dừng".to_owned()))?
            .map_err(AppError::Refused)
    }
}

async fn write_batch(store: &SqlStore, actor: &str, batch: Vec<(Dossier, Reply)>, clock: &Clock) {
    let catalogue = match store.catalogue().await {
        Ok(c) => c,
        Err(e) => {
            for (_, reply) in batch {
                let _ = reply.send(Err(e.to_string()));
            }
            return;
        }
    };
    // Validation: each record alone, as the import checks a row.
    let mut accepted: Vec<(Dossier, Reply)> = Vec::with_capacity(batch.len());
    for (d, reply) in batch {
        let mut problems: Vec<String> = d.check().into_iter().map(|e| e.message).collect();
        if catalogue.tree.get(&d.unit_code).is_none() {
            problems.push(format!("không có đơn vị mã «{}»", d.unit_code));
        }
        if !catalogue
            .procedures
            .iter()
            .any(|p| p.code == d.procedure_code)
        {
            problems.push(format!("không có thủ tục mã «{}»", d.procedure_code));
        }
        if problems.is_empty() {
            accepted.push((d, reply));
        } else {
            let _ = reply.send(Err(format!("hồ sơ «{}»: {}", d.code, problems.join("; "))));
        }
    }
    if accepted.is_empty() {
        return;
    }
    // Two records of one dossier in a batch: the later is what the dossier now is.
    let mut last: HashMap<DossierCode, usize> = HashMap::new();
    for (i, (d, _)) in accepted.iter().enumerate() {
        last.insert(d.code.clone(), i);
    }
    let dossiers: Vec<Located<Dossier>> = accepted
        .iter()
        .enumerate()
        .filter(|(i, (d, _))| last.get(&d.code) == Some(i))
        .map(|(i, (d, _))| Located {
            line: i as u64 + 1,
            value: d.clone(),
        })
        .collect();
    let plan = ImportPlan {
        units: Vec::new(),
        procedures: Vec::new(),
        dossiers,
    };
    let ctx = AuditContext {
        actor: actor.to_owned(),
        remote_addr: None,
        at: clock(),
    };
    let result = store
        .apply_import(&plan, &ctx)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string());
    for (_, reply) in accepted {
        let _ = reply.send(result.clone());
    }
}
