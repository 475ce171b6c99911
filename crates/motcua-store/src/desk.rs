//! Dossiers received and handled in motcua: reception (with a code numbered per unit and
//! day) and lifecycle steps, each with its dossier event and audit record in one transaction
//! (and, for an API request with an Idempotency-Key, its answer: `crate::idempotency`).
//!
//! A change (a step, a scan, a payment, a rating) is written only if the dossier's stored lifecycle is still the one the step was
//! computed from (optimistic concurrency): two officers acting at once cannot both win.

use motcua_core::access::AuditContext;
use motcua_core::citizen::CitizenId;
use motcua_core::details::{Details, Scan, Slot};
use motcua_core::dossier::{Dossier, DossierCode, PaymentChannel};
use motcua_core::history::{self, EventDetail};
use motcua_core::lifecycle::{Lifecycle, Step};
use motcua_core::outbox::Message;
use motcua_core::rating::RatingInput;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use serde::Serialize;

use crate::StoreError;
use crate::history::append_event as event;
use crate::idempotency::IdempotencyRecord;
use crate::rows::{self, DOSSIER_COLUMNS};
use crate::sql::{SqlStore, stmt};

fn state_json(state: &Lifecycle) -> Result<String, StoreError> {
    Ok(serde_json::to_string(state)?)
}

impl SqlStore {
    /// A dossier with its lifecycle (the stored one, or the one derived from its fields for
    /// a dossier imported without one) and its details, read in one statement.
    pub async fn held_dossier(
        &self,
        code: &DossierCode,
    ) -> Result<Option<HeldDossier>, StoreError> {
        let row = self
            .db
            .query_one_raw(stmt(
                &self.db,
                &format!(
                    "SELECT {DOSSIER_COLUMNS}, lifecycle, details, citizen_id FROM dossiers \
                     WHERE code = $1"
                ),
                vec![code.as_str().into()],
            ))
            .await?;
        row.as_ref().map(held).transpose()
    }

    /// The dossiers whose code's compact key (`motcua_core::vietqr::statement::compact_key`:
    /// upper case, without `-` and `.`) is one of `keys`, on the index `dossiers_transfer_key`.
    pub async fn dossiers_by_transfer_keys(
        &self,
        keys: &[String],
    ) -> Result<Vec<HeldDossier>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
        let rows = self
            .db
            .query_all_raw(stmt(
                &self.db,
                &format!(
                    "SELECT {DOSSIER_COLUMNS}, lifecycle, details, citizen_id FROM dossiers \
                     WHERE {} IN ({}) ORDER BY code",
                    crate::transfers::KEY_SQL,
                    marks.join(", ")
                ),
                keys.iter().map(|k| k.as_str().into()).collect(),
            ))
            .await?;
        rows.iter().map(held).collect()
    }

    /// Stores a dossier received in motcua with its lifecycle (audited, with a `received`
    /// event). `new.code` is the code's prefix (e.g. `HO-XA-240520`); the store appends the
    /// next number of that prefix (`-0001`) and returns the dossier as stored. With `key`, as
    /// [`SqlStore::issue_receipt`].
    pub async fn receive_dossier(
        &self,
        new: &Dossier,
        state: &Lifecycle,
        details: &Details,
        ctx: &AuditContext,
        key: Option<IdempotencyRecord<Dossier>>,
    ) -> Result<Dossier, StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        let claimed = crate::idempotency::claim(&txn, key, ctx.at).await?;
        let dossier = insert_received(&txn, new, state, details, None, ctx).await?;
        crate::idempotency::commit(txn, claimed, &dossier).await?;
        Ok(dossier)
    }

    /// The lifecycle stored with a dossier; `None` for one imported without it.
    pub async fn lifecycle(&self, code: &DossierCode) -> Result<Option<Lifecycle>, StoreError> {
        let db = &self.db;
        json_column(db, code, "lifecycle").await
    }

    /// Writes a change of a received dossier (a step, a scan, a payment: audited, with its
    /// event, and `notices`, the messages that tell its citizen of it, put in the outbox),
    /// provided its lifecycle, details and payment are still those of `before` (optimistic
    /// concurrency); otherwise [`StoreError::Refused`], and nothing is written, no message
    /// either. With `key`, as [`SqlStore::issue_receipt`].
    #[allow(clippy::too_many_arguments)]
    pub async fn apply_change(
        &self,
        before: &HeldDossier,
        after: (&Dossier, &Lifecycle, Option<&Details>),
        change: &Change<'_>,
        notices: &[Message],
        ctx: &AuditContext,
        key: Option<IdempotencyRecord<()>>,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        let claimed = crate::idempotency::claim(&txn, key, ctx.at).await?;
        change_in(&txn, before, after, change, notices, ctx).await?;
        crate::idempotency::commit(txn, claimed, &()).await
    }
}

/// [`SqlStore::apply_change`] inside the caller's transaction `txn` (the units' locks, the
/// optimistic check, the event, the notices, the audit record), for a write that makes a
/// change of a dossier part of a larger one (an online payment settled with its e-receipt).
pub(crate) async fn change_in<C: ConnectionTrait>(
    txn: &C,
    before: &HeldDossier,
    after: (&Dossier, &Lifecycle, Option<&Details>),
    change: &Change<'_>,
    notices: &[Message],
    ctx: &AuditContext,
) -> Result<(), StoreError> {
    let old = &before.dossier;
    let (new, state, details) = after;
    crate::aggregates::lock_units(txn, &[&old.unit_code, &new.unit_code]).await?;
    if let Change::Rating(input) = change {
        crate::ratings::insert(txn, &old.code, input, ctx).await?;
    }
    let stored = crate::dossiers::dossiers_by_code(txn, &[&old.code]).await?;
    let columns: Vec<&str> = DOSSIER_COLUMNS.split(',').map(str::trim).collect();
    let mut values = rows::dossier_values(new);
    let mut sets: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    for (column, value) in [
        ("lifecycle", Some(state_json(state)?)),
        ("status", Some(state.status.as_str().to_owned())),
        ("handling_unit", Some(state.handling_unit.to_string())),
        ("assignee", state.assignee.clone()),
        (
            "details",
            details_json(details.or(before.details.as_ref()))?,
        ),
    ] {
        values.push(value.into());
        sets.push(format!("{column} = ${}", values.len()));
    }
    // The applicant's search keys follow the details they come from.
    let search = crate::rows::search_values(details.or(before.details.as_ref()));
    for (column, value) in ["applicant_name", "applicant_phone", "applicant_id"]
        .into_iter()
        .zip(search)
    {
        values.push(value);
        sets.push(format!("{column} = ${}", values.len()));
    }
    values.push(old.code.as_str().into());
    let mut sql = format!(
        "UPDATE dossiers SET {} WHERE code = ${}",
        sets.join(", "),
        values.len()
    );
    // NULL-safe comparisons: `IS NOT DISTINCT FROM` means the same on both engines.
    for (column, value) in [
        (
            "lifecycle",
            before
                .stored_lifecycle()
                .map(state_json)
                .transpose()?
                .into(),
        ),
        ("details", details_json(before.details.as_ref())?.into()),
        ("paid_at", old.paid_at.map(|t| t.as_micros()).into()),
        // A rating given meanwhile is not overwritten by a change computed before it.
        ("rating", old.rating.map(|r| r.as_str().to_owned()).into()),
    ] {
        values.push(value);
        sql.push_str(&format!(
            " AND {column} IS NOT DISTINCT FROM ${}",
            values.len()
        ));
    }
    let done = txn.execute_raw(stmt(txn, &sql, values)).await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Refused(format!(
            "hồ sơ «{}» vừa được người khác cập nhật; hãy tải lại trang và thử lại",
            old.code
        )));
    }
    let mut delta = motcua_core::aggregate::Delta::default();
    delta.change(stored.get(&old.code), Some(new));
    crate::aggregates::apply(txn, delta).await?;
    let detail = match change {
        Change::Step(step) => EventDetail::Step(history::StepTaken {
            step: (*step).clone(),
            status: history::StatusChange {
                before: before.stored_lifecycle().map(|s| s.status),
                after: state.status,
            },
            due_at: history::Change {
                before: old.due_at,
                after: new.due_at,
            },
            handling_unit: state.handling_unit.clone(),
        }),
        Change::Scan { slot, scan } => EventDetail::ScanAttached(history::ScanAttached {
            slot: *slot,
            sha256: scan.sha256.clone(),
            size: scan.size,
            media_type: scan.media_type.clone(),
            file_name: scan.file_name.clone(),
            components_digitized: new.components_digitized,
        }),
        Change::Payment(channel) => EventDetail::PaymentRecorded(history::PaymentRecorded {
            payment_channel: *channel,
            amount_vnd: new.fee_vnd,
            bank_transfer: None,
        }),
        Change::Transfer(t) => {
            crate::transfers::insert(txn, t, &old.code, new.fee_vnd, ctx.at).await?;
            EventDetail::PaymentRecorded(history::PaymentRecorded {
                payment_channel: PaymentChannel::Offline,
                amount_vnd: new.fee_vnd,
                bank_transfer: Some(history::BankTransfer {
                    transaction_id: t.transaction_id.clone(),
                }),
            })
        }
        Change::Correction(c) => EventDetail::Corrected(Box::new((*c).clone())),
        Change::Rating(input) => EventDetail::Rated(history::Rated {
            rating: input.rating,
            channel: input.channel,
        }),
    };
    let detail = event(txn, &old.code, ctx, &detail).await?;
    crate::outbox::enqueue(txn, notices, Some(&old.code), ctx.at).await?;
    crate::access::audit(
        txn,
        ctx,
        &change.action(),
        old.code.as_str(),
        &serde_json::Value::Null,
        &detail,
    )
    .await?;
    Ok(())
}

impl SqlStore {
    /// The desk's details of a dossier; `None` for one imported.
    pub async fn details(&self, code: &DossierCode) -> Result<Option<Details>, StoreError> {
        let db = &self.db;
        json_column(db, code, "details").await
    }
}

/// Receives `new` inside the caller's transaction: numbers its code (`new.code` is the prefix,
/// e.g. `HO-XA-240520`; numbers taken by imported dossiers are skipped), inserts it with its
/// lifecycle, details and the citizen who submitted it online, adds it to the aggregates,
/// appends its `received` event and audits it. The desk's reception and the acceptance of an
/// online submission both write a new dossier through it.
pub(crate) async fn insert_received<C: ConnectionTrait>(
    txn: &C,
    new: &Dossier,
    state: &Lifecycle,
    details: &Details,
    citizen: Option<CitizenId>,
    ctx: &AuditContext,
) -> Result<Dossier, StoreError> {
    crate::aggregates::lock_units(txn, &[&new.unit_code]).await?;
    // The next number of the prefix; numbers already taken by dossiers imported from another
    // system (same code scheme) are skipped.
    let code = loop {
        let row = txn
            .query_one_raw(stmt(
                txn,
                "INSERT INTO dossier_counters (prefix, last_number) VALUES ($1, 1)
                 ON CONFLICT (prefix) DO UPDATE SET last_number = dossier_counters.last_number + 1
                 RETURNING last_number",
                vec![new.code.as_str().into()],
            ))
            .await?
            .ok_or_else(|| StoreError::Refused("không cấp được mã hồ sơ".to_owned()))?;
        let number: i64 = row.try_get("", "last_number")?;
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
                txn,
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
    values.push(details_json(Some(details))?.into());
    values.extend(crate::rows::search_values(Some(details)));
    values.push(citizen.map(|c| c.0).into());
    let n = values.len();
    let placeholders: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    txn.execute_raw(stmt(
        txn,
        &format!(
            "INSERT INTO dossiers ({DOSSIER_COLUMNS}, lifecycle, status, handling_unit, details, \
             applicant_name, applicant_phone, applicant_id, citizen_id) VALUES ({})",
            placeholders.join(", ")
        ),
        values,
    ))
    .await?;
    let mut delta = motcua_core::aggregate::Delta::default();
    delta.change(None, Some(&dossier));
    crate::aggregates::apply(txn, delta).await?;
    let detail = EventDetail::Received(history::Received {
        procedure: dossier.procedure_code.clone(),
        unit: dossier.unit_code.clone(),
        channel: dossier.channel,
        due_at: dossier.due_at,
    });
    let detail = event(txn, &dossier.code, ctx, &detail).await?;
    crate::access::audit(
        txn,
        ctx,
        "dossier.receive",
        dossier.code.as_str(),
        &serde_json::Value::Null,
        &detail,
    )
    .await?;
    Ok(dossier)
}

/// A JSON column of a dossier, read as `T` (`None` when the dossier or the value is absent).
async fn json_column<T: serde::de::DeserializeOwned>(
    db: &DatabaseConnection,
    code: &DossierCode,
    column: &'static str,
) -> Result<Option<T>, StoreError> {
    let row = db
        .query_one_raw(stmt(
            db,
            &format!("SELECT {column} FROM dossiers WHERE code = $1"),
            vec![code.as_str().into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let text: Option<String> = row.try_get("", column)?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| StoreError::Corrupt {
            table: "dossiers",
            key: code.to_string(),
            reason: format!("{column}: {e}"),
        })
    })
    .transpose()
}

/// What a change of a received dossier is: it names the dossier event and the audit action.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// A lifecycle step.
    Step(&'a Step),
    /// A scan stored in a slot of the dossier's details.
    Scan { slot: Slot, scan: &'a Scan },
    /// The fee was paid.
    Payment(PaymentChannel),
    /// The fee was paid by bank transfer at the desk (channel offline): confirmed by the
    /// officer, or matched from the unit's bank statement (then its transaction is kept in
    /// `bank_transfers`, which refuses it a second time).
    Transfer(&'a crate::transfers::MatchedTransfer),
    /// Reception corrected its record before processing started.
    Correction(&'a history::Corrected),
    /// The citizen rated the dossier (its comment and channel go to `dossier_ratings`).
    Rating(&'a RatingInput),
}

impl Change<'_> {
    fn action(&self) -> String {
        use motcua_core::audit::AuditAction;
        match self {
            Change::Step(step) => AuditAction::DossierStep(step.kind()),
            Change::Scan { .. } => AuditAction::DossierScan,
            Change::Payment(_) | Change::Transfer(_) => AuditAction::DossierPayment,
            Change::Correction(_) => AuditAction::DossierCorrect,
            Change::Rating(_) => AuditAction::DossierRate,
        }
        .as_str()
    }
}

// One type read (in one statement, `SqlStore::held_dossier`) and held by the desk: what a
// change is computed from and checked against, and what the API answers (as `Handled`: the
// doc comment below and the serialized fields are the API document's, unchanged).
/// A dossier with its lifecycle and the desk's details (`None` for an imported dossier).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Handled))]
pub struct HeldDossier {
    pub dossier: Dossier,
    // The lifecycle in effect: the stored one, or for a dossier imported without one, the
    // one derived from its fields (`Lifecycle::of_imported`).
    pub lifecycle: Lifecycle,
    pub details: Option<Details>,
    // The citizen's account that submitted the dossier online (`None` for every other
    // dossier): who may see it from the portal and who is told of its changes.
    #[serde(skip)]
    pub citizen: Option<CitizenId>,
    // Whether `lifecycle` is stored with the dossier (what a change must find unchanged).
    #[serde(skip)]
    pub lifecycle_stored: bool,
}

/// A dossier row with its `lifecycle` and `details` columns.
pub(crate) fn held(row: &sea_orm::QueryResult) -> Result<HeldDossier, StoreError> {
    let dossier = rows::dossier(row)?;
    let r = rows::reader(row, "dossiers", "code");
    let stored: Option<Lifecycle> = r.json_opt("lifecycle")?;
    Ok(HeldDossier {
        lifecycle_stored: stored.is_some(),
        lifecycle: stored.unwrap_or_else(|| Lifecycle::of_imported(&dossier)),
        details: r.json_opt("details")?,
        citizen: r.get::<Option<i64>>("citizen_id")?.map(CitizenId),
        dossier,
    })
}

impl HeldDossier {
    /// A dossier whose lifecycle is stored with it (as after reception or any change).
    pub fn stored(dossier: Dossier, lifecycle: Lifecycle, details: Option<Details>) -> Self {
        Self {
            dossier,
            lifecycle,
            details,
            citizen: None,
            lifecycle_stored: true,
        }
    }

    /// The lifecycle as stored (`None` for a dossier imported without one).
    pub fn stored_lifecycle(&self) -> Option<&Lifecycle> {
        self.lifecycle_stored.then_some(&self.lifecycle)
    }
}

fn details_json(details: Option<&Details>) -> Result<Option<String>, StoreError> {
    details
        .map(|d| serde_json::to_string(d).map_err(StoreError::from))
        .transpose()
}
