//! [`AppError`]: what an operation of the application layer can fail with.

use std::path::PathBuf;

use motcua_core::interchange::Issue;
use motcua_store::StoreError;

use crate::io_text;

/// What an operation can fail with. Every variant reads as one paragraph for a person.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("thư mục «{0}» không tồn tại hoặc không phải thư mục")]
    NotADirectory(PathBuf),
    #[error(
        "thư mục «{0}» không có tệp nào để nhập (cần ít nhất một trong units.csv, procedures.csv, dossiers.csv)"
    )]
    NothingToImport(PathBuf),
    #[error("«{0}» không phải tệp: units.csv, procedures.csv và dossiers.csv phải là tệp")]
    NotAFile(PathBuf),
    #[error("không đọc/ghi được «{path}»: {}", io_text::reason(error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("dữ liệu nhập có {} lỗi, không có gì được ghi vào cơ sở dữ liệu:\n{}", .0.len(), issues_text(.0))]
    Invalid(Vec<Issue>),
    #[error("không có đơn vị mã «{0}»")]
    UnknownUnit(String),
    #[error("danh sách đơn vị đã lưu không tạo thành một cây: {0}")]
    BrokenTree(#[from] motcua_core::unit::TreeError),
    #[error("không có hồ sơ mã «{0}»")]
    UnknownDossier(String),
    #[error("{0}")]
    Auth(String),
    /// An online submission that does not exist, or is not the caller's to see.
    #[error("không có hồ sơ trực tuyến số {0}")]
    UnknownSubmission(i64),
    /// An online submission with answers missing or wrong: every one, beside its field.
    #[error("hồ sơ trực tuyến chưa đầy đủ: {}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))]
    Incomplete(Vec<motcua_core::online::FieldError>),
    #[error("lịch làm việc: {0}")]
    Calendar(String),
    #[error("{0}")]
    Denied(#[from] motcua_core::access::Denied),
    /// A step or a request refused by a rule; the message says which.
    #[error("{0}")]
    Refused(String),
    /// A month close refused: closed already, or not ended yet.
    #[error("{0}")]
    Close(#[from] motcua_core::close::CloseError),
    #[error("{0}")]
    Store(StoreError),
    /// The scan store failed (disk full, permissions): an operator's problem.
    #[error("kho tệp: {0}")]
    Files(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(m) => AppError::Refused(m),
            StoreError::Close(e) => AppError::Close(e),
            other => AppError::Store(other),
        }
    }
}

impl AppError {
    /// A refusal of the lifecycle's rules that names units by their names (the rules know
    /// only codes): «UBND xã Vĩnh Tú đã yêu cầu bổ sung…», never «đơn vị «vinh-tu»».
    pub fn lifecycle(
        e: motcua_core::lifecycle::LifecycleError,
        tree: &motcua_core::unit::UnitTree,
    ) -> Self {
        use motcua_core::lifecycle::LifecycleError as L;
        let name = |code: &str| {
            tree.find(code)
                .map_or_else(|| format!("đơn vị «{code}»"), |u| u.name.clone())
        };
        AppError::Refused(match &e {
            L::SecondSupplement(code) => format!(
                "{} đã yêu cầu bổ sung hồ sơ này một lần; theo quy định mỗi cơ quan chỉ được yêu cầu bổ sung một lần",
                name(code)
            ),
            L::TransferToSelf(code) => format!(
                "Hồ sơ đang do {} giải quyết; hãy chọn đơn vị khác để chuyển liên thông",
                name(code)
            ),
            _ => e.to_string(),
        })
    }
}

impl From<motcua_core::lifecycle::LifecycleError> for AppError {
    fn from(e: motcua_core::lifecycle::LifecycleError) -> Self {
        AppError::Refused(e.to_string())
    }
}

fn issues_text(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| format!("  - {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}
