//! Storage of motcua, one concrete type [`SqlStore`] with plain methods, on SQLite (the
//! embedded default) and PostgreSQL (production). Every write method is one transaction; no
//! method deletes dossier events.
//!
//! [`SqlStore`] serves both backends: sea-orm gives one connection type
//! and one migration runner for the two, and the SQL text in [`sql`] is written in the common
//! dialect (`$1` placeholders work on both through sqlx; `ON CONFLICT … DO UPDATE` too).
//! Where the two engines truly differ (auto-increment, triggers) the migration branches on the
//! backend. Timestamps are stored as microseconds since the epoch (`BIGINT`), so sorting and
//! range queries behave identically on both.

#![forbid(unsafe_code)]

mod access;
mod accounts;
mod aggregates;
mod applicants;
mod audit_trail;
mod catalogue;
mod citizen_codes;
mod citizens;
mod closes;
mod connect;
mod desk;
mod dossiers;
mod files;
mod followups;
mod history;
mod idempotency;
mod import;
mod lists;
mod lockout;
mod migration;
mod oidc;
mod online;
mod outbox;
mod petitions;
mod queues;
mod receipts;
mod recount;
mod rows;
mod schedules;
pub mod schema;
mod settings;
mod sql;

use motcua_core::dossier::Dossier;
use motcua_core::interchange::Located;
use motcua_core::procedure::Procedure;
use motcua_core::unit::{Unit, UnitCode};

pub use access::{NewSession, NewToken, NewUser};
pub use citizen_codes::{CodeCheck, NewCode};
pub use citizens::{CitizenDossier, CitizenLogin, CitizenProfile, NewCitizen};
pub use desk::{Change, HeldDossier};
pub use files::{DEFAULT_MAX_SCAN_BYTES, FileError, Files};
pub use idempotency::{Answer, IdempotencyRecord, Prior};
pub use lists::{ListPage, ListRequest, Population, Scope, Soon, WorkClock, WorkCounts};
pub use oidc::{NewOidcState, OIDC_STATE_MINUTES, OidcIdentity, OidcSignIn, OidcState, TakenState};
pub use online::INBOX_LIMIT;
pub use outbox::{Failure, MAX_SEND_ATTEMPTS, OutboxOverview, Outgoing};
pub use petitions::{PETITION_PAGE, PetitionEvent, StoredPetition};
pub use queues::QUEUE_LIMIT;
pub use sql::SqlStore;

/// What can go wrong in storage. Messages are for operators; the web layer never shows them.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "địa chỉ cơ sở dữ liệu không hợp lệ «{url}»: cần dạng sqlite://ĐƯỜNG_DẪN hoặc postgres://NGƯỜI_DÙNG@MÁY:CỔNG/TÊN ({reason})"
    )]
    BadUrl { url: String, reason: String },
    #[error("không kết nối được cơ sở dữ liệu «{url}»: {reason}")]
    Connect { url: String, reason: String },
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// A write refused by a business rule (the message says which).
    #[error("{0}")]
    Refused(String),
    /// A month close refused (already closed, not ended yet).
    #[error("{0}")]
    Close(#[from] motcua_core::close::CloseError),
    #[error("lịch nghỉ đã lưu của năm {year} không đọc được: {reason}")]
    BadSchedule { year: i64, reason: String },
    /// The dossiers of an import stopped coming (the file has a problem): nothing written.
    #[error("việc nhập dữ liệu đã dừng, không ghi gì: {0}")]
    ImportStopped(String),
    /// A write given an Idempotency-Key that was used already: nothing written; what the
    /// key holds (the first answer, or another request).
    #[error("Idempotency-Key này đã được dùng; không ghi gì thêm")]
    KeyUsed(Prior),
    /// The answer of a write with an Idempotency-Key could not be made: nothing written.
    #[error("không tạo được câu trả lời để lưu theo Idempotency-Key: {0}")]
    Answer(String),
    /// A value could not be written as the store's JSON (a bug, never the caller's input).
    #[error("không ghi được dữ liệu dạng JSON: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("dữ liệu lưu trữ không hợp lệ ở bảng {table}, bản ghi «{key}»: {reason}")]
    Corrupt {
        table: &'static str,
        key: String,
        reason: String,
    },
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Units inserted or changed.
    pub units: usize,
    /// Units of the files identical to the stored ones (not written).
    pub units_unchanged: usize,
    /// Procedures inserted or changed.
    pub procedures: usize,
    pub procedures_unchanged: usize,
    pub dossiers_inserted: usize,
    pub dossiers_updated: usize,
    pub dossiers_unchanged: usize,
}

/// The validated dossiers of an import, handed to [`SqlStore::import`] chunk by chunk so that a
/// file of millions of rows is never held in memory whole.
pub trait DossierChunks: Send {
    /// The next dossiers; empty at the end. An error stops the import: nothing is written.
    fn next_chunk(&mut self) -> Result<Vec<Located<Dossier>>, String>;
}

/// The dossiers of an [`ImportPlan`](motcua_core::interchange::ImportPlan), in one chunk.
pub(crate) struct PlanChunks(pub(crate) Option<Vec<Located<Dossier>>>);

impl DossierChunks for PlanChunks {
    fn next_chunk(&mut self) -> Result<Vec<Located<Dossier>>, String> {
        Ok(self.0.take().unwrap_or_default())
    }
}

/// What [`SqlStore::import`] writes.
pub struct ImportBatch<'a> {
    /// Units to insert or update, parents before children.
    pub units: &'a [Unit],
    pub procedures: &'a [Procedure],
    /// The units of the dossiers, locked before anything is read (the units a dossier moves
    /// away from are locked when found).
    pub dossier_units: Vec<UnitCode>,
    /// How many dossiers will come (a large import grows SQLite's page cache).
    pub dossier_count: usize,
    pub dossiers: &'a mut dyn DossierChunks,
}
