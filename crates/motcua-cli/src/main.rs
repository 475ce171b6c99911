//! `motcua`, the one binary: demo, serve, import, export, generate, indicators, close-month
//! (docs/spec/cli.md).
//!
//! This is the edge of the system: it reads the clock and the environment, opens the
//! database, and turns every error into one readable paragraph on standard error with a
//! non-zero exit status.

#![forbid(unsafe_code)]

mod accounts;
mod calendar;
mod demo;
mod errors;
mod mail;
mod oidc;
mod payments;
mod report;
mod text;
mod vnpay;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use motcua_core::Timestamp;
use motcua_core::timestamp::Month;
use motcua_web::AppState;
use report::ReportFormat;

/// motcua – phần mềm Bộ phận Một cửa: tiếp nhận, giải quyết hồ sơ thủ tục hành chính và
/// tính các chỉ số phục vụ người dân, doanh nghiệp.
#[derive(Debug, Parser)]
#[command(name = "motcua", version, about, long_about = None)]
struct Cli {
    /// Database: sqlite://PATH (created when missing) or postgres://USER@HOST:PORT/NAME.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://motcua.db",
        global = true
    )]
    database: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum TargetsCommand {
    /// The targets in force.
    Show,
    /// Changes the targets named, keeping the others: ID=PERCENT pairs, e.g.
    /// `e_receipt_rate=95 online_rate=60` (0 turns a target off).
    Set {
        #[arg(required = true)]
        pairs: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load the Vĩnh Linh sample data into a fresh embedded database and serve the web app.
    Demo {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Run the demo at this instant (RFC 3339) instead of the system clock's: its live
        /// dossiers and every request (for tests).
        #[arg(long, hide = true)]
        clock: Option<String>,
    },
    /// Serve the web app and the HTTP API.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Send session cookies over plain HTTP too (only when no HTTPS proxy stands in
        /// front, e.g. on a closed test network). By default they are marked Secure.
        #[arg(long)]
        insecure_cookies: bool,
        /// Folder of the scans (content-addressed); shared by every app node of a cluster.
        #[arg(long, env = "MOTCUA_FILES", default_value = "motcua-files")]
        files: std::path::PathBuf,
        /// Size limit of one scan, in MB.
        #[arg(long, default_value_t = 10)]
        max_scan_mb: u64,
        /// The address citizens reach the portal at (https://…): what the QR code of a
        /// slip opens. By default, the address the officer's browser used.
        #[arg(long, env = "MOTCUA_PUBLIC_URL")]
        public_url: Option<String>,
        /// The SMTP server of the e-mails to citizens: smtp://HOST:PORT (plain, a local
        /// relay), smtp://USER:PASSWORD@HOST:587?tls=required (STARTTLS) or
        /// smtps://USER:PASSWORD@HOST:465. Without it, e-mails are logged, not sent.
        #[arg(long, env = "MOTCUA_SMTP_URL", hide_env_values = true)]
        smtp_url: Option<String>,
        /// The sender of those e-mails: `noreply@example.vn` or `Name <noreply@example.vn>`.
        #[arg(long, env = "MOTCUA_MAIL_FROM")]
        mail_from: Option<String>,
        /// The SMS provider: `log` (logs each SMS; for development).
        #[arg(long, value_enum, default_value = "log")]
        sms: mail::SmsChoice,
        #[command(flatten)]
        oidc: oidc::OidcArgs,
        #[command(flatten)]
        vnpay: vnpay::VnpayArgs,
    },
    /// Import units.csv, procedures.csv and dossiers.csv (each optional) from DIR.
    Import {
        /// Folder holding the interchange files.
        dir: PathBuf,
        /// Let units.csv move a stored unit under another parent (refused otherwise: a move
        /// widens the new parent's officers' scope).
        #[arg(long)]
        allow_moves: bool,
    },
    /// Export units.csv, procedures.csv and dossiers.csv into DIR.
    Export {
        /// Folder to write (created when missing).
        dir: PathBuf,
    },
    /// Generate deterministic benchmark data (34 provinces, 3,321 communes, a procedure
    /// catalogue, N dossiers) as interchange files in DIR; needs no database.
    Generate {
        /// Folder to write (created when missing).
        #[arg(long)]
        out: PathBuf,
        /// Number of dossiers, e.g. 1000000.
        #[arg(long)]
        dossiers: u64,
        /// Seed: the same seed and options give the same files, byte for byte.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// First month of the period, YYYY-MM.
        #[arg(long, value_parser = parse_month, default_value = motcua_gen::DEFAULT_FIRST_MONTH)]
        from: Month,
        /// Number of months of the period (1–120).
        #[arg(long, default_value_t = motcua_gen::DEFAULT_MONTHS)]
        months: u32,
    },
    /// Print the service indicators of a unit's scope for a month.
    Indicators {
        /// Unit code, e.g. vinh-linh.
        #[arg(long)]
        unit: String,
        /// Month, YYYY-MM.
        #[arg(long, value_parser = parse_month)]
        month: Month,
        /// Print the JSON of docs/spec/indicators.md.
        #[arg(long)]
        json: bool,
    },
    /// Close a month (chốt số liệu): freeze the indicators of every unit for that month.
    /// Later changes to its dossiers are shown as differences against the frozen figures.
    /// Only a month that has ended, and only once.
    CloseMonth {
        /// Month, YYYY-MM.
        #[arg(long, value_parser = parse_month)]
        month: Month,
    },
    /// Recount the indicator aggregates from the dossiers and report any difference.
    Verify {
        /// Rebuild the aggregates from the dossiers when they differ.
        #[arg(long)]
        repair: bool,
    },
    /// The monthly report of a unit (docs/spec/report.md): text, HTML, DOCX or XLSX.
    Report {
        /// Unit code, e.g. vinh-linh.
        #[arg(long)]
        unit: String,
        /// Month, YYYY-MM.
        #[arg(long, value_parser = parse_month)]
        month: Month,
        /// The report's date, DD/MM/YYYY (default: the day after the month ends, or today
        /// while it runs); the remediation deadline follows it.
        #[arg(long, value_parser = report::parse_date)]
        date: Option<time::Date>,
        /// text, html, docx or xlsx.
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        /// File to write; text and HTML go to standard output when none is named.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// What a unit's reports print of it: issuing body, number symbol, place, signature
    /// (signer's name), recipients.
    #[command(subcommand)]
    ReportSettings(report::SettingsCommand),
    /// The report's targets per indicator (units below are flagged and followed up).
    #[command(subcommand)]
    Targets(TargetsCommand),
    /// A unit's tax code (mã số thuế), printed on its e-receipts: shows it, or sets it.
    TaxCode {
        #[arg(long)]
        unit: String,
        /// 10 digits, or 10 digits, '-' and 3 digits; omitted: show the code in force.
        code: Option<String>,
    },
    /// A unit's bank account for transfers at the desk (VietQR): shows it, or sets it.
    BankAccount(payments::BankAccountArgs),
    /// Payments: the bank statement of a unit's account.
    #[command(subcommand)]
    Payments(payments::PaymentsCommand),
    /// The working-day calendar: yearly schedules, due-date explanations.
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Accounts: create (the first administrator too), reset a password, list.
    #[command(subcommand)]
    User(accounts::UserCommand),
    /// API tokens for integrations: create, revoke.
    #[command(subcommand)]
    Token(accounts::TokenCommand),
}

fn parse_month(text: &str) -> Result<Month, String> {
    text.parse::<Month>().map_err(|e| e.to_string())
}

/// mimalloc rather than the system allocator: an import allocates millions of small blocks
/// (SQLite's page cache, row values), where glibc's malloc took a quarter of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,motcua=info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(colour(
            std::io::IsTerminal::is_terminal(&std::io::stderr()),
            std::env::var_os("NO_COLOR"),
        ))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("motcua: không khởi động được bộ thực thi: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("motcua: lỗi: {}", errors::text(&e));
            ExitCode::FAILURE
        }
    }
}

/// Whether log lines carry colours: only on a terminal, and never when `NO_COLOR` is set to
/// anything but the empty string (no-color.org). A file or a pipe gets plain text.
fn colour(terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

/// The current instant; the only clock read of the system besides the server's own.
pub(crate) fn now() -> Result<Timestamp> {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc())
        .context("đồng hồ hệ thống không hợp lệ")
}

/// The audit context of a write from the command line.
pub(crate) fn cli_ctx() -> Result<motcua_core::access::AuditContext> {
    Ok(motcua_core::access::AuditContext {
        actor: actor(),
        remote_addr: None,
        at: now()?,
    })
}

/// Who acts when the command line writes: the operating-system user.
pub(crate) fn actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("cli:{user}")
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Demo { listen, clock } => {
            let clock = clock
                .map(|c| {
                    Timestamp::parse(&c).with_context(|| format!("thời điểm không hợp lệ: «{c}»"))
                })
                .transpose()?;
            demo::run(&listen, clock, listen_for_stop()?).await
        }
        Command::Serve {
            listen,
            insecure_cookies,
            files,
            max_scan_mb,
            public_url,
            smtp_url,
            mail_from,
            sms,
            oidc,
            vnpay,
        } => {
            let public_url = public_url
                .map(|url| motcua_web::PublicUrl::parse(&url).map_err(anyhow::Error::msg))
                .transpose()?;
            let oidc = oidc.client(public_url.as_ref())?;
            let payment_gateway = vnpay.gateway()?;
            let stop = listen_for_stop()?;
            let senders = mail::senders(smtp_url.as_deref(), mail_from.as_deref(), sms)?;
            let store = crate::errors::open(&cli.database).await?;
            // Remembered for the links of the notices, worded outside any request.
            if let Some(url) = &public_url {
                motcua_app::portal::remember(&store, url.as_str(), &cli_ctx()?).await?;
            }
            if store.users().await?.is_empty() {
                tracing::warn!(
                    "no account yet: create the first administrator with `motcua user add --role admin`"
                );
            }
            let files = motcua_store::Files::new(files, max_scan_mb.saturating_mul(1024 * 1024));
            let mut state = AppState::new(store, files).with_secure_cookies(!insecure_cookies);
            if let Some(url) = public_url {
                state = state.with_public_url(url);
            }
            if let Some(oidc) = oidc {
                state = state.with_oidc(oidc);
            }
            if let Some(gateway) = payment_gateway {
                state = state.with_payment_gateway(gateway);
            }
            serve(state, bind(&listen).await?, None, stop, (senders, None)).await
        }
        Command::User(command) => {
            let store = crate::errors::open(&cli.database).await?;
            accounts::user(&store, command).await
        }
        Command::Token(command) => {
            let store = crate::errors::open(&cli.database).await?;
            accounts::token(&store, command).await
        }
        Command::Import { dir, allow_moves } => {
            let store = crate::errors::open(&cli.database).await?;
            let s = motcua_app::import_dir_with(&store, &dir, &cli_ctx()?, allow_moves).await?;
            say(&format!(
                "Đã nhập từ {}: {} đơn vị mới hoặc thay đổi ({} không đổi), {} thủ tục mới hoặc thay đổi ({} không đổi); hồ sơ: {} mới, {} cập nhật, {} không đổi.\n",
                dir.display(),
                s.units,
                s.units_unchanged,
                s.procedures,
                s.procedures_unchanged,
                s.dossiers_inserted,
                s.dossiers_updated,
                s.dossiers_unchanged
            ))
        }
        Command::Export { dir } => {
            let store = crate::errors::open(&cli.database).await?;
            let s = motcua_app::export_dir(&store, &dir).await?;
            say(&format!(
                "Đã xuất vào {}: {} đơn vị, {} thủ tục, {} hồ sơ.\n",
                dir.display(),
                s.units,
                s.procedures,
                s.dossiers
            ))
        }
        Command::Generate {
            out,
            dossiers,
            seed,
            from,
            months,
        } => generate(&out, motcua_gen::Config::new(seed, dossiers, from, months)),
        Command::Calendar(command) => {
            let store = crate::errors::open(&cli.database).await?;
            calendar::run(&store, command).await
        }
        Command::Report {
            unit,
            month,
            date,
            format,
            output,
        } => {
            let store = crate::errors::open(&cli.database).await?;
            report::report(&store, &unit, month, date, format, output).await
        }
        Command::ReportSettings(command) => {
            let store = crate::errors::open(&cli.database).await?;
            report::settings(&store, command).await
        }
        Command::TaxCode { unit, code } => {
            let store = crate::errors::open(&cli.database).await?;
            let code = match code {
                Some(code) => {
                    motcua_app::desk::set_tax_code(&store, &unit, &code, &cli_ctx()?).await?
                }
                None => {
                    let tree = motcua_core::unit::UnitTree::new(store.units().await?)?;
                    let u = tree
                        .find(&unit)
                        .ok_or_else(|| anyhow::anyhow!("không có đơn vị mã «{unit}»"))?;
                    motcua_app::desk::tax_code(&store, &u.code).await?
                }
            };
            match code.as_str() {
                "" => say(&format!("Đơn vị «{unit}» chưa khai báo mã số thuế.\n")),
                code => say(&format!("Mã số thuế của đơn vị «{unit}»: {code}\n")),
            }
        }
        Command::BankAccount(args) => {
            let store = crate::errors::open(&cli.database).await?;
            payments::bank_account(&store, args).await
        }
        Command::Payments(command) => {
            let store = crate::errors::open(&cli.database).await?;
            payments::run(&store, command).await
        }
        Command::Targets(command) => {
            let store = crate::errors::open(&cli.database).await?;
            let targets = match command {
                TargetsCommand::Show => motcua_app::targets(&store).await?,
                TargetsCommand::Set { pairs } => {
                    motcua_app::set_targets(&store, &pairs.join(" "), &cli_ctx()?).await?
                }
            };
            let mut out = String::from("Chỉ tiêu (đơn vị dưới mức bị đánh dấu chưa đạt):\n");
            for (id, min) in &targets.minimums {
                out.push_str(&format!(
                    "  {:<28} {:>3}%  {}\n",
                    id.id(),
                    min,
                    id.name_vi()
                ));
            }
            say(&out)
        }
        Command::Verify { repair } => {
            let store = crate::errors::open(&cli.database).await?;
            let differences = motcua_app::verify(&store).await?;
            if differences.is_empty() {
                return say("Số liệu tổng hợp khớp với số đếm lại từ hồ sơ.\n");
            }
            let mut out = format!(
                "Số liệu tổng hợp lệch so với số đếm lại từ hồ sơ ở {} chỗ:\n",
                motcua_core::display::count(differences.len() as u64)
            );
            for d in differences.iter().take(50) {
                out.push_str(&format!(
                    "  - đơn vị {}, tháng {}, {}: lưu {}, đếm lại {}\n",
                    d.unit, d.month, d.field, d.stored, d.recounted
                ));
            }
            if differences.len() > 50 {
                out.push_str("  - …\n");
            }
            if repair {
                let units = store.rebuild_aggregates().await?;
                out.push_str(&format!(
                    "Đã dựng lại số liệu tổng hợp của {} đơn vị từ hồ sơ.\n",
                    motcua_core::display::count(units as u64)
                ));
                return say(&out);
            }
            say(&out)?;
            anyhow::bail!(
                "số liệu tổng hợp lệch; chạy `motcua verify --repair` để dựng lại từ hồ sơ"
            )
        }
        Command::CloseMonth { month } => {
            let store = crate::errors::open(&cli.database).await?;
            let close = motcua_app::close_month(&store, month, &cli_ctx()?).await?;
            say(&format!(
                "Đã chốt số liệu tháng {} lúc {} (người chốt: {}).\n\
                 Số liệu của tháng được giữ nguyên như lúc chốt; hồ sơ của tháng sửa sau này được \
                 hiển thị là chênh lệch so với số liệu đã chốt.\n",
                motcua_core::close::month_vi(close.month),
                motcua_core::display::local_time(close.closed_at),
                close.actor
            ))
        }
        Command::Indicators { unit, month, json } => {
            let store = crate::errors::open(&cli.database).await?;
            let report = motcua_app::indicators(&store, &unit, month).await?;
            if json {
                say(&(serde_json::to_string_pretty(&report)? + "\n"))
            } else {
                say(&text::indicators(&report))
            }
        }
    }
}

/// `motcua generate`: writes the data set and says what it wrote and how long it took.
fn generate(out: &std::path::Path, config: motcua_gen::Config) -> Result<()> {
    use motcua_core::display::count;
    // Tenths with a decimal comma: 2456 → `245,6`.
    let tenths = |n: u64| format!("{},{}", count(n / 10), n % 10);
    let started = std::time::Instant::now();
    let s = motcua_gen::write_dir(out, config)?;
    let elapsed = started.elapsed();
    say(&format!(
        "Đã tạo dữ liệu thử nghiệm trong {} (hạt giống {}, {} tháng từ tháng {}/{}):\n\
         \x20 units.csv: {} đơn vị ({} gốc cả nước, {} tỉnh, thành phố, {} xã, phường, đặc khu)\n\
         \x20 procedures.csv: {} thủ tục\n\
         \x20 dossiers.csv: {} hồ sơ ({} MB)\n\
         Thời gian: {} giây.\n",
        out.display(),
        config.seed,
        config.months,
        config.first_month.number(),
        config.first_month.year(),
        count(s.units as u64),
        count((s.units - s.provinces - s.communes) as u64),
        count(s.provinces as u64),
        count(s.communes as u64),
        count(s.procedures as u64),
        count(s.dossiers),
        tenths(s.dossiers_bytes / 100_000),
        tenths(u64::try_from(elapsed.as_millis() / 100).unwrap_or(u64::MAX)),
    ))
}

/// Writes to standard output; a reader that went away (`| head`) is not an error.
pub(crate) fn say(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("không ghi được ra đầu ra chuẩn")
        }
        _ => Ok(()),
    }
}

/// Listens for Ctrl-C and SIGTERM from now on: before anything is loaded or printed, so a
/// stop asked for at any moment is heard.
fn listen_for_stop() -> Result<motcua_web::Shutdown> {
    motcua_web::Shutdown::listen().context("không lắng nghe được tín hiệu dừng (Ctrl+C, SIGTERM)")
}

/// Opens the address the server listens on.
async fn bind(listen: &str) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| {
            format!("không mở được địa chỉ {listen} (đang có chương trình khác dùng cổng này?)")
        })
}

/// Serves the web app on `listen` until `stop`, with the outbox's worker delivering through
/// `senders` in the background at `clock` (the system's when `None`; stopped with the
/// server) and, when a payment gateway is configured, the payment sweep; `banner` is
/// printed once the socket is open.
async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    banner: Option<String>,
    stop: motcua_web::Shutdown,
    (senders, clock): (motcua_app::outbox::Senders, Option<Timestamp>),
) -> Result<()> {
    let addr = listener.local_addr()?;
    if let Some(b) = banner {
        say(&format!("{b}\n"))?;
    }
    say(&format!(
        "Đang phục vụ tại http://{addr}/ (Ctrl+C để dừng)\n"
    ))?;
    let worker = mail::Worker::start(state.store.clone(), senders, clock);
    let sweeper = vnpay::Sweeper::start(&state, clock);
    let served = motcua_web::serve(listener, state, stop).await;
    worker.stop().await;
    if let Some(sweeper) = sweeper {
        sweeper.stop().await;
    }
    served?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::colour;

    #[test]
    fn colours_only_on_a_terminal_and_never_with_no_color() {
        assert!(colour(true, None));
        assert!(!colour(false, None), "a file or a pipe");
        assert!(!colour(true, Some("1".into())));
        assert!(
            colour(true, Some("".into())),
            "an empty NO_COLOR does not count"
        );
    }
}
