//! `motcua bank-account` (the unit's receiving account of the VietQR code), `motcua
//! payments import-statement` (the bank statement that pays dossiers' fees) and `motcua
//! payments reconcile` (one sweep of the online payments left pending).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use motcua_app::desk::{StatementReport, TransferOutcome};
use motcua_app::payments::{Payments, Swept, reconcile};
use motcua_core::access::{AuditContext, Credential, Principal, Role};
use motcua_core::vietqr::BankAccount;
use motcua_store::SqlStore;

use crate::{cli_ctx, say};

/// `motcua bank-account`: shows a unit's account, or sets it.
#[derive(Debug, Args)]
pub struct BankAccountArgs {
    #[arg(long)]
    unit: String,
    /// The bank's BIN, 6 digits (970415 VietinBank, 970436 Vietcombank, 970418 BIDV,
    /// 970405 Agribank…); with --number and --holder, sets the account.
    #[arg(long, requires_all = ["number", "holder"])]
    bin: Option<String>,
    /// The account number, at most 19 letters or digits.
    #[arg(long, requires = "bin")]
    number: Option<String>,
    /// The account holder as the bank names it.
    #[arg(long, requires = "bin")]
    holder: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PaymentsCommand {
    /// Imports a bank statement (CSV: transaction_id, booked_at, amount_vnd, description) of
    /// the unit's account: each transfer whose description names a dossier and whose amount
    /// is its unpaid fee records the payment.
    ImportStatement {
        /// The unit whose account the statement is of.
        #[arg(long)]
        unit: String,
        file: PathBuf,
    },
    /// Sweeps once: asks the payment gateway about every online payment left pending more
    /// than a few minutes and settles each by its answer (the e-receipt issued for a paid
    /// one); prints what it settled. Needs the gateway's options, as `serve`.
    Reconcile {
        #[command(flatten)]
        vnpay: crate::vnpay::VnpayArgs,
        /// The portal's public address (the links in the notices sent to citizens).
        #[arg(long, env = "MOTCUA_PUBLIC_URL")]
        public_url: Option<String>,
    },
}

pub async fn bank_account(store: &SqlStore, args: BankAccountArgs) -> Result<()> {
    let unit = args.unit;
    let account = match (args.bin, args.number, args.holder) {
        (Some(bin), Some(number), Some(holder)) => {
            let account = BankAccount::parse(&bin, &number, &holder).map_err(|errors| {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                anyhow::anyhow!("tài khoản chưa hợp lệ: {}", list.join("; "))
            })?;
            motcua_app::desk::set_bank_account(store, &unit, &account, &cli_ctx()?).await?;
            Some(account)
        }
        _ => {
            let tree = motcua_core::unit::UnitTree::new(store.units().await?)?;
            let u = tree
                .find(&unit)
                .ok_or_else(|| anyhow::anyhow!("không có đơn vị mã «{unit}»"))?;
            motcua_app::desk::bank_account(store, &u.code).await?
        }
    };
    match account {
        None => say(&format!(
            "Đơn vị «{unit}» chưa khai báo tài khoản nhận chuyển khoản.\n"
        )),
        Some(a) => say(&format!(
            "Tài khoản nhận chuyển khoản của đơn vị «{unit}»:\n  Ngân hàng:      {}\n  Số tài khoản:   {}\n  Chủ tài khoản:  {}\n",
            a.bank_name(),
            a.number,
            a.holder
        )),
    }
}

pub async fn run(store: &SqlStore, command: PaymentsCommand) -> Result<()> {
    match command {
        PaymentsCommand::ImportStatement { unit, file } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("không đọc được «{}»", file.display()))?;
            let ctx = cli_ctx()?;
            // The command line acts as the unit's reception: its scope is the unit's subtree.
            let principal = Principal {
                id: 0,
                name: ctx.actor.clone(),
                unit: motcua_core::unit::UnitCode::parse(&unit)
                    .map_err(|_| anyhow::anyhow!("không có đơn vị mã «{unit}»"))?,
                credential: Credential::User {
                    role: Role::Reception,
                },
            };
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.display().to_string());
            let report =
                motcua_app::desk::import_statement(store, &principal, &unit, &name, &bytes, &ctx)
                    .await?;
            say(&report_text(&report))
        }
        PaymentsCommand::Reconcile { vnpay, public_url } => {
            let Some(gateway) = vnpay.gateway()? else {
                anyhow::bail!(
                    "đối soát thanh toán cần cấu hình cổng VNPay: --vnpay-tmn-code và khóa bí mật"
                );
            };
            let portal_url = public_url
                .map(|url| {
                    motcua_web::PublicUrl::parse(&url)
                        .map(|u| u.as_str().to_owned())
                        .map_err(anyhow::Error::msg)
                })
                .transpose()?
                .unwrap_or_default();
            let p = Payments {
                store,
                gateway: gateway.as_ref(),
                portal_url: &portal_url,
            };
            let ctx = AuditContext {
                actor: format!("gateway:{}", gateway.name()),
                ..cli_ctx()?
            };
            let swept = reconcile(&p, &ctx).await?;
            say(&swept_text(&swept))
        }
    }
}

/// What one sweep settled, as text.
fn swept_text(s: &Swept) -> String {
    format!(
        "Đối soát: hỏi cổng thanh toán {} giao dịch; đã thanh toán {}, không thành công {}, hết hạn {}, còn chờ {}.\n",
        s.asked, s.paid, s.failed, s.expired, s.pending
    )
}

/// The report as text: one line per transaction, then the counts.
fn report_text(report: &StatementReport) -> String {
    let mut out = String::new();
    for r in &report.rows {
        out.push_str(&format!(
            "dòng {:>4}  {:<20} {:>16}  {:<26} {}\n",
            r.line,
            r.transaction_id,
            motcua_core::money::vnd_in_figures(r.amount_vnd),
            r.dossier.as_ref().map(|c| c.as_str()).unwrap_or("–"),
            r.outcome.label_vi()
        ));
    }
    let n = |o: TransferOutcome| report.count(o.id());
    out.push_str(&format!(
        "{} giao dịch: ghi nhận {}, số tiền khác {}, đã nộp trước {}, không tìm thấy hồ sơ {}, ngoài phạm vi {}.\n",
        report.rows.len(),
        n(TransferOutcome::Matched),
        n(TransferOutcome::AmountDiffers { fee_vnd: 0 }),
        n(TransferOutcome::AlreadyPaid),
        n(TransferOutcome::NoDossier),
        n(TransferOutcome::OutOfScope),
    ));
    out
}
