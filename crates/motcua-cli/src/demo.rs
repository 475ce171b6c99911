//! `motcua demo`: the Vĩnh Linh sample data in a fresh embedded database, with live work
//! received in the last weeks (`live`) and a citizen's account with a fee to pay online and a
//! result to rate (`citizen`), served.

mod citizen;
mod live;

use std::fmt::Write as _;

use std::sync::Arc;

use anyhow::{Context, Result};
use motcua_app::payments::PaymentGateway;
use motcua_core::access::Role;
use motcua_core::interchange::ImportFiles;
use motcua_store::SqlStore;
use motcua_web::sandbox::{self, Sandbox, SandboxConfig};
use motcua_web::{AppState, ManualClock};

/// The sample data, embedded so the demo needs nothing beside the binary.
const UNITS: &[u8] = include_bytes!("../../../fixtures/vinh-linh-2024/units.csv");
const PROCEDURES: &[u8] = include_bytes!("../../../fixtures/vinh-linh-2024/procedures.csv");
const COMPONENTS: &[u8] =
    include_bytes!("../../../fixtures/vinh-linh-2024/procedure_components.csv");
const DOSSIERS: &[u8] = include_bytes!("../../../fixtures/vinh-linh-2024/dossiers.csv");

/// Loads the sample into the store.
pub async fn load(store: &SqlStore) -> Result<motcua_app::ImportSummary> {
    let summary = motcua_app::import_files(
        store,
        ImportFiles {
            units: Some(("units.csv", UNITS)),
            procedures: Some(("procedures.csv", PROCEDURES)),
            procedure_components: Some(("procedure_components.csv", COMPONENTS)),
            dossiers: Some(("dossiers.csv", DOSSIERS)),
        },
        &motcua_core::access::AuditContext {
            actor: "demo".to_owned(),
            remote_addr: None,
            at: crate::now()?,
        },
    )
    .await?;
    Ok(summary)
}

/// The demo's accounts, people by their full names: every role at the district (its
/// administrator is the reform office's), and a commune's desk, specialist and leader to show
/// that a commune sees only its own data.
const ACCOUNTS: [(&str, &str, &str, Role); 8] = [
    ("quan-tri", "Phạm Quốc Huy", "vinh-linh", Role::Admin),
    ("lanh-dao", "Trần Minh Đức", "vinh-linh", Role::Leader),
    (
        "chuyen-vien",
        "Nguyễn Thị Mai",
        "vinh-linh",
        Role::Specialist,
    ),
    ("tiep-nhan", "Lê Thị Hương", "vinh-linh", Role::Reception),
    ("xem", "Hoàng Văn Nam", "vinh-linh", Role::Viewer),
    ("tiep-nhan-ho-xa", "Võ Thị Lan", "ho-xa", Role::Reception),
    (
        "chuyen-vien-ho-xa",
        "Đặng Văn Tùng",
        "ho-xa",
        Role::Specialist,
    ),
    ("lanh-dao-ho-xa", "Bùi Thị Thu", "ho-xa", Role::Leader),
];

/// Creates the demo accounts with fresh random passwords; returns the lines to print.
async fn accounts(store: &SqlStore) -> Result<String> {
    let ctx = crate::cli_ctx()?;
    let mut out = String::new();
    for (username, name, unit, role) in ACCOUNTS {
        let password = motcua_app::auth::random_password()?;
        motcua_app::auth::create_user(store, username, name, unit, role, &password, &ctx).await?;
        let _ = writeln!(
            out,
            "  {:<18} {:<18} {:<16} {unit} ({name})",
            role.name_vi(),
            username,
            password
        );
    }
    Ok(out)
}

/// The demo's receiving accounts for transfers at the desk (VietQR): the district's, which
/// its departments and communes inherit, and Hồ Xá's own. VietinBank's BIN; made-up numbers.
/// With them the tax codes printed on the units' e-receipts (made up too, Quảng Trị's 32).
const BANK_ACCOUNTS: [(&str, &str, &str, &str, &str); 2] = [
    (
        "vinh-linh",
        "970415",
        "113000246810",
        "UBND HUYEN VINH LINH",
        "3200246810",
    ),
    (
        "ho-xa",
        "970415",
        "113000135790",
        "UBND THI TRAN HO XA",
        "3200135790",
    ),
];

/// Declares the demo's receiving accounts and tax codes.
async fn bank_accounts(store: &SqlStore) -> Result<()> {
    let ctx = crate::cli_ctx()?;
    for (unit, bin, number, holder, tax_code) in BANK_ACCOUNTS {
        let account = motcua_core::vietqr::BankAccount::parse(bin, number, holder)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        motcua_app::desk::set_bank_account(store, unit, &account, &ctx).await?;
        motcua_app::desk::set_tax_code(store, unit, tax_code, &ctx).await?;
    }
    Ok(())
}

/// Runs the demo until Ctrl-C or SIGTERM; the temporary database is removed either way.
/// `clock` fixes the demo's instant (its live work and every request; tests), else the
/// system clock's. Online payments go to a sandbox VNPay gateway started on a free local
/// port with a demo terminal code and a fresh secret.
pub async fn run(
    listen: &str,
    clock: Option<motcua_core::Timestamp>,
    mut stop: motcua_web::Shutdown,
) -> Result<()> {
    // A fresh database each run, removed on exit: the demo never touches real data.
    let dir = tempfile_dir()?;
    let result = async {
        let listener = crate::bind(listen).await?;
        let clock = clock.map(ManualClock::new);
        let addr = listener.local_addr()?;
        let (sandbox, gateway) = payment_sandbox(addr, clock.clone()).await?;
        let files =
            motcua_store::Files::new(dir.join("files"), motcua_store::DEFAULT_MAX_SCAN_BYTES);
        // A stop asked for while the sample loads ends the demo there; the same listener
        // then stops the server, so no signal falls between two listeners. The banner gives
        // the address bound (a port 0 asked for is a real port by now).
        let at = clock.as_ref().map(ManualClock::now);
        let shown = addr.to_string();
        let prepared = tokio::select! {
            r = prepare(&dir, &shown, at, &sandbox, &files) => Some(r?),
            () = stop.wait() => None,
        };
        let Some((store, banner)) = prepared else {
            sandbox.stop();
            return Ok(());
        };
        // Plain HTTP on this machine: cookies without Secure, or the browser would drop them.
        let mut state = AppState::new(store.clone(), files)
            .with_secure_cookies(false)
            .with_payment_gateway(gateway);
        if let Some(clock) = &clock {
            state = state.with_clock(clock.clone());
        }
        // The notices of the demo's dossiers are logged, never sent.
        let senders = motcua_app::outbox::Senders::logged();
        let served = crate::serve(state, listener, Some(banner), stop, (senders, at)).await;
        sandbox.stop();
        // Closed before its folder goes, so that nothing writes into it afterwards.
        store.close().await?;
        served
    }
    .await;
    let removed = std::fs::remove_dir_all(&dir)
        .with_context(|| format!("không xóa được thư mục tạm «{}»", dir.display()));
    result.and(removed)
}

/// The demo's sandbox payment gateway, sending its IPNs to the demo at `addr`, and motcua's
/// VNPay client configured to it (the demo terminal code and a fresh secret).
async fn payment_sandbox(
    addr: std::net::SocketAddr,
    clock: Option<ManualClock>,
) -> Result<(Sandbox, Arc<dyn PaymentGateway>)> {
    let keys = SandboxConfig::demo_keys()?;
    sandbox::start_for(
        &format!("http://{addr}"),
        keys,
        "Ủy ban nhân dân huyện Vĩnh Linh",
        clock,
    )
    .await
    .context("không khởi động được cổng thanh toán thử nghiệm")
}

/// The demo's database, loaded, with its accounts and its citizen (scans in `files`); and the
/// banner to print, with the demo's addresses at `listen`.
async fn prepare(
    dir: &std::path::Path,
    listen: &str,
    clock: Option<motcua_core::Timestamp>,
    sandbox: &Sandbox,
    files: &motcua_store::Files,
) -> Result<(SqlStore, String)> {
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let store = SqlStore::connect(&url).await?;
    let s = load(&store).await?;
    bank_accounts(&store).await?;
    let accounts = accounts(&store).await?;
    let now = match clock {
        Some(at) => at,
        None => crate::now()?,
    };
    // Before the dossiers' steps, whose notices link to the demo's own address.
    motcua_app::portal::remember(&store, &format!("http://{listen}"), &crate::cli_ctx()?).await?;
    let live = live::add(&store, now).await?;
    let citizen = citizen::add(&store, files, now)
        .await?
        .banner(&format!("http://{listen}"));
    let sandbox_terminal = motcua_web::sandbox::DEMO_TERMINAL;
    let banner = format!(
        "motcua – bản trình diễn với dữ liệu mẫu huyện Vĩnh Linh (tháng 4–5/2024)\n\
         Đã nạp {} đơn vị, {} thủ tục, {} hồ sơ vào cơ sở dữ liệu tạm {}\n\
         Thêm {live} hồ sơ đang giải quyết, tiếp nhận trong những ngày gần đây (có hồ sơ quá hạn, đến hạn hôm nay, sắp đến hạn)\n\
         Trang chỉ số tháng 5/2024: http://{listen}/?unit=vinh-linh&month=2024-05\n\
         Cổng thanh toán thử nghiệm (VNPay, mã website {}): {}/\n\
         Tài khoản trình diễn (mật khẩu ngẫu nhiên, chỉ cho lần chạy này):\n\
         \x20 {:<18} {:<18} {:<16} đơn vị\n{accounts}{citizen}",
        s.units,
        s.procedures,
        s.dossiers_inserted,
        dir.display(),
        sandbox_terminal,
        sandbox.base_url(),
        "vai trò",
        "tên đăng nhập",
        "mật khẩu",
    );
    Ok((store, banner))
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("motcua-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("không tạo được thư mục tạm {}", dir.display()))?;
    Ok(dir)
}
