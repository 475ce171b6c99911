//! The bank statement import: each credit of the unit's account whose description names a
//! dossier (by its code, however the bank spelled it) and whose amount is that dossier's
//! unpaid fee pays it, at the transfer's time. Every line is reported with what became of it.
//!
//! A statement with any unreadable line writes nothing (every problem located by file, line
//! and column). A transaction recorded once (`bank_transfers`, keyed by the unit and the
//! bank's transaction id) is never recorded again: importing a statement twice, or two
//! overlapping statements, records each transfer once.

use std::collections::HashMap;

use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, Principal};
use motcua_core::dossier::DossierCode;
use motcua_core::unit::UnitCode;
use motcua_core::vietqr::statement::{self, StatementLine, compact_key, reference_keys};
use motcua_store::{HeldDossier, MatchedTransfer, SqlStore};

use super::transfer::pay_by_transfer;
use super::tree;
use crate::AppError;

/// What became of a line of the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferOutcome {
    /// The fee is recorded as paid by this transfer.
    Matched,
    /// The amount is not the dossier's fee (nothing recorded).
    AmountDiffers { fee_vnd: i64 },
    /// The dossier's fee was paid already (by this transfer, imported before, or otherwise).
    AlreadyPaid,
    /// The dossier has no fee to pay.
    NoFee,
    /// No dossier code in the description, or none that exists.
    NoDossier,
    /// The dossier belongs to a unit outside the importer's scope (its code is not shown).
    OutOfScope,
    /// Money leaving the account (or zero): not a payment.
    NotCredit,
}

impl TransferOutcome {
    /// The outcome in Vietnamese, for the report.
    pub fn label_vi(&self) -> String {
        match self {
            TransferOutcome::Matched => "Đã ghi nhận nộp phí, lệ phí".to_owned(),
            TransferOutcome::AmountDiffers { fee_vnd } => format!(
                "Số tiền khác phí, lệ phí phải nộp ({}): chưa ghi nhận",
                motcua_core::money::vnd_in_figures(*fee_vnd)
            ),
            TransferOutcome::AlreadyPaid => "Hồ sơ đã nộp phí, lệ phí trước đó".to_owned(),
            TransferOutcome::NoFee => "Hồ sơ không có phí, lệ phí phải nộp".to_owned(),
            TransferOutcome::NoDossier => "Không tìm thấy mã hồ sơ trong nội dung".to_owned(),
            TransferOutcome::OutOfScope => {
                "Hồ sơ không thuộc đơn vị của người nhập sao kê".to_owned()
            }
            TransferOutcome::NotCredit => "Không phải khoản tiền nhận vào".to_owned(),
        }
    }

    /// A short word for the tests and the CLI's summary.
    pub fn id(&self) -> &'static str {
        match self {
            TransferOutcome::Matched => "matched",
            TransferOutcome::AmountDiffers { .. } => "amount_differs",
            TransferOutcome::AlreadyPaid => "already_paid",
            TransferOutcome::NoFee => "no_fee",
            TransferOutcome::NoDossier => "no_dossier",
            TransferOutcome::OutOfScope => "out_of_scope",
            TransferOutcome::NotCredit => "not_credit",
        }
    }
}

/// A line of the statement and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    pub line: u64,
    pub transaction_id: String,
    pub booked_at: Timestamp,
    pub amount_vnd: i64,
    pub description: String,
    /// The dossier named, when it is in the importer's scope.
    pub dossier: Option<DossierCode>,
    pub outcome: TransferOutcome,
}

/// The import's report, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementReport {
    /// The unit whose account the statement is of.
    pub unit: UnitCode,
    pub rows: Vec<StatementRow>,
}

impl StatementReport {
    /// How many lines had `outcome` (by [`TransferOutcome::id`]).
    pub fn count(&self, id: &str) -> usize {
        self.rows.iter().filter(|r| r.outcome.id() == id).count()
    }
}

/// Imports `bytes`, the statement `file_name` of `unit`'s account: reads it whole (any
/// problem: `AppError::Invalid`, nothing written), then records each matching transfer. The
/// principal must be able to receive dossiers of `unit`.
pub async fn import_statement(
    store: &SqlStore,
    principal: &Principal,
    unit: &str,
    file_name: &str,
    bytes: &[u8],
    ctx: &AuditContext,
) -> Result<StatementReport, AppError> {
    let tree = tree(store).await?;
    let unit = tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?
        .code
        .clone();
    principal.check(&tree, motcua_core::access::Action::ReceiveDossier, &unit)?;
    let lines = statement::read(file_name, bytes, ctx.at).map_err(AppError::Invalid)?;
    let ids: Vec<&str> = lines.iter().map(|l| l.transaction_id.as_str()).collect();
    let recorded = store.recorded_transfers(&unit, &ids).await?;
    let mut rows = Vec::with_capacity(lines.len());
    for line in lines {
        let (dossier, outcome) = if line.amount_vnd <= 0 {
            (None, TransferOutcome::NotCredit)
        } else if let Some(code) = recorded.get(&line.transaction_id) {
            (Some(code.clone()), TransferOutcome::AlreadyPaid)
        } else {
            settle(store, &tree, principal, &unit, &line, ctx).await?
        };
        rows.push(StatementRow {
            line: line.line,
            transaction_id: line.transaction_id,
            booked_at: line.booked_at,
            amount_vnd: line.amount_vnd,
            description: line.description,
            dossier,
            outcome,
        });
    }
    Ok(StatementReport { unit, rows })
}

/// Finds the dossier a credit names and records the payment when everything agrees.
async fn settle(
    store: &SqlStore,
    tree: &motcua_core::unit::UnitTree,
    principal: &Principal,
    unit: &UnitCode,
    line: &StatementLine,
    ctx: &AuditContext,
) -> Result<(Option<DossierCode>, TransferOutcome), AppError> {
    let keys = reference_keys(&line.description);
    let found = store.dossiers_by_transfer_keys(&keys).await?;
    let Some(held) = named(&keys, found) else {
        return Ok((None, TransferOutcome::NoDossier));
    };
    let d = &held.dossier;
    let reachable = |u: &UnitCode| tree.is_within(u, &principal.unit) && tree.is_within(u, unit);
    if !(reachable(&d.unit_code) || reachable(&held.lifecycle.handling_unit)) {
        return Ok((None, TransferOutcome::OutOfScope));
    }
    let code = Some(d.code.clone());
    if d.fee_vnd <= 0 {
        return Ok((code, TransferOutcome::NoFee));
    }
    if d.paid_at.is_some() {
        return Ok((code, TransferOutcome::AlreadyPaid));
    }
    if d.fee_vnd != line.amount_vnd {
        return Ok((code, TransferOutcome::AmountDiffers { fee_vnd: d.fee_vnd }));
    }
    let transfer = MatchedTransfer {
        unit: unit.clone(),
        transaction_id: Some(line.transaction_id.clone()),
        booked_at: line.booked_at,
    };
    match pay_by_transfer(store, tree, principal, &held, &transfer, ctx).await {
        Ok(_) => Ok((code, TransferOutcome::Matched)),
        // Paid meanwhile by someone else, or the same transaction by a concurrent import.
        Err(AppError::Refused(_)) | Err(AppError::Store(motcua_store::StoreError::Refused(_))) => {
            Ok((code, TransferOutcome::AlreadyPaid))
        }
        Err(e) => Err(e),
    }
}

/// The dossier the description names: the one of the longest key that names exactly one.
fn named(keys: &[String], found: Vec<HeldDossier>) -> Option<HeldDossier> {
    let mut by_key: HashMap<String, Vec<HeldDossier>> = HashMap::new();
    for h in found {
        by_key
            .entry(compact_key(h.dossier.code.as_str()))
            .or_default()
            .push(h);
    }
    keys.iter()
        .find_map(|k| by_key.remove(k).filter(|v| v.len() == 1))
        .and_then(|mut v| v.pop())
}
