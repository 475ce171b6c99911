//! `motcua demo`: the Vĩnh Linh sample data in a fresh embedded database, served.

use anyhow::{Context, Result};
use motcua_core::interchange::ImportFiles;
use motcua_store::SqlStore;

/// The sample data, embedded so the demo needs nothing beside the binary.
const UNITS: &[u8] = include_bytes!("../demo/vinh-linh-2024/units.csv");
const PROCEDURES: &[u8] = include_bytes!("../demo/vinh-linh-2024/procedures.csv");
const DOSSIERS: &[u8] = include_bytes!("../demo/vinh-linh-2024/dossiers.csv");

/// Loads the sample into the store.
pub async fn load(store: &SqlStore) -> Result<motcua_app::ImportSummary> {
    let summary = motcua_app::import_files(
        store,
        ImportFiles {
            units: Some(("units.csv", UNITS)),
            procedures: Some(("procedures.csv", PROCEDURES)),
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

pub async fn run(listen: &str) -> Result<()> {
    // A fresh database each run, removed on exit: the demo never touches real data.
    let dir = tempfile_dir()?;
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let store = SqlStore::connect(&url).await?;
    let s = load(&store).await?;
    let banner = format!(
        "motcua – bản trình diễn với dữ liệu mẫu huyện Vĩnh Linh (tháng 4–5/2024)\n\
         Đã nạp {} đơn vị, {} thủ tục, {} hồ sơ vào cơ sở dữ liệu tạm {}\n\
         Trang chỉ số tháng 5/2024: http://{listen}/?unit=vinh-linh&month=2024-05\n\
         Tài khoản: chưa có (phân quyền người dùng sẽ có ở bản sau; mọi trang hiện chỉ để xem).",
        s.units,
        s.procedures,
        s.dossiers_inserted,
        dir.display()
    );
    let result = crate::serve(store, listen, Some(banner)).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("motcua-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("không tạo được thư mục tạm {}", dir.display()))?;
    Ok(dir)
}
