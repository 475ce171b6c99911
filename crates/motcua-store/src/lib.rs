//! Storage of motcua behind one trait, [`Store`], on SQLite (the embedded default) and
//! PostgreSQL (production).
//!
//! [`SqlStore`] is the implementation for both backends: sea-orm gives one connection type
//! and one migration runner for the two, and the SQL text in [`sql`] is written in the common
//! dialect (`$1` placeholders work on both through sqlx; `ON CONFLICT … DO UPDATE` too).
//! Where the two engines truly differ (auto-increment, triggers) the migration branches on the
//! backend. Timestamps are stored as microseconds since the epoch (`BIGINT`), so sorting and
//! range queries behave identically on both.

#![forbid(unsafe_code)]

mod access;
mod aggregates;
mod catalogue;
mod closes;
mod connect;
mod desk;
mod dossiers;
mod files;
mod followups;
mod history;
mod idempotency;
mod import;
mod lockout;
mod migration;
mod receipts;
mod recount;
mod rows;
mod schedules;
pub mod schema;
mod settings;
mod sql;
mod store_impl;

use std::future::Future;

use motcua_calendar::Schedule;
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, AuditFilter, AuditRecord, Principal, User, Username};
use motcua_core::dossier::{Dossier, DossierCode, DueMove};
use motcua_core::history::DossierEvent;
use motcua_core::interchange::{ImportPlan, Located};
use motcua_core::procedure::Procedure;
use motcua_core::timestamp::Month;
use motcua_core::unit::{Unit, UnitCode};

pub use access::{NewSession, NewToken, NewUser};
pub use desk::{Change, HeldDossier};
pub use files::{DEFAULT_MAX_SCAN_BYTES, FileError, Files};
pub use idempotency::{Answer, IdempotencyRecord, Prior};
pub use lockout::Lockout;
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

/// The validated dossiers of an import, handed to [`Store::import`] chunk by chunk so that a
/// file of millions of rows is never held in memory whole.
pub trait DossierChunks: Send {
    /// The next dossiers; empty at the end. An error stops the import: nothing is written.
    fn next_chunk(&mut self) -> Result<Vec<Located<Dossier>>, String>;
}

/// The dossiers of an [`ImportPlan`], in one chunk.
pub(crate) struct PlanChunks(pub(crate) Option<Vec<Located<Dossier>>>);

impl DossierChunks for PlanChunks {
    fn next_chunk(&mut self) -> Result<Vec<Located<Dossier>>, String> {
        Ok(self.0.take().unwrap_or_default())
    }
}

/// What [`Store::import`] writes.
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

/// The storage of motcua. Every method is one transaction; no method deletes dossier events.
pub trait Store: Lockout + Clone + Send + Sync + 'static {
    /// Checks that the database answers.
    fn ping(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every unit.
    fn units(&self) -> impl Future<Output = Result<Vec<Unit>, StoreError>> + Send;

    /// The whole procedure catalogue, by code.
    fn procedures(&self) -> impl Future<Output = Result<Vec<Procedure>, StoreError>> + Send;

    /// Every dossier, by code.
    fn dossiers(&self) -> impl Future<Output = Result<Vec<Dossier>, StoreError>> + Send;

    /// The dossiers of `units` that the indicators of `month` (and of the month before) need:
    /// received before the end of `month` and not settled before the start of the previous
    /// month.
    fn dossiers_for_indicators(
        &self,
        units: &[UnitCode],
        month: Month,
    ) -> impl Future<Output = Result<Vec<Dossier>, StoreError>> + Send;

    /// The catalogue (units, procedures, online offerings, the units' order), read once and
    /// shared until a change of units or procedures (on any node) bumps its revision.
    fn catalogue(
        &self,
    ) -> impl Future<Output = Result<std::sync::Arc<motcua_core::catalogue::Catalogue>, StoreError>> + Send;

    /// The aggregate counts of `units` (every unit when `None`) for each of `months`, from
    /// at most one stored row per unit and month (units without any dossier are left out;
    /// `online_services_offered` is zero: it comes from the catalogue).
    fn unit_counts(
        &self,
        units: Option<&[UnitCode]>,
        months: &[Month],
    ) -> impl Future<
        Output = Result<
            std::collections::HashMap<UnitCode, Vec<motcua_core::counts::Counts>>,
            StoreError,
        >,
    > + Send;

    /// Closes `month` (chốt số liệu), audited: in one transaction holding every unit's write
    /// lock, freezes the counts of every unit for the month as [`Store::unit_counts`] reads
    /// them (with the online services offered from the catalogue) and records the close.
    /// Refused ([`StoreError::Close`]) when the month has not ended at `ctx.at` or is closed
    /// already. A close is final: nothing changes the frozen counts afterwards.
    fn close_month(
        &self,
        month: Month,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<motcua_core::close::MonthClose, StoreError>> + Send;

    /// Every closed month, oldest first.
    fn month_closes(
        &self,
    ) -> impl Future<Output = Result<Vec<motcua_core::close::MonthClose>, StoreError>> + Send;

    /// The frozen counts of `units` (every unit when `None`) for those of `months` that are
    /// closed, by month and unit; a unit created after a close has no frozen counts.
    fn closed_counts(
        &self,
        units: Option<&[UnitCode]>,
        months: &[Month],
    ) -> impl Future<
        Output = Result<
            std::collections::HashMap<
                Month,
                std::collections::HashMap<UnitCode, motcua_core::counts::Counts>,
            >,
            StoreError,
        >,
    > + Send;

    /// Recounts the aggregates from the stored dossiers, in one snapshot, and returns every
    /// difference from the stored ones (none when they are right).
    fn check_aggregates(
        &self,
    ) -> impl Future<Output = Result<Vec<motcua_core::aggregate::Difference>, StoreError>> + Send;

    /// Writes a validated import in one transaction: units, procedures and dossiers are
    /// inserted, updated or left alone when identical; every dossier insert or update appends
    /// a dossier event; an import that changed something is recorded in the audit trail (one
    /// that changed nothing writes nothing, not even that).
    fn apply_import(
        &self,
        plan: &ImportPlan,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<ImportSummary, StoreError>> + Send;

    /// [`Store::apply_import`] with the dossiers read chunk by chunk, in one transaction:
    /// all or nothing, whatever the number of dossiers.
    fn import(
        &self,
        batch: ImportBatch<'_>,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<ImportSummary, StoreError>> + Send;

    /// The latest reception time of any dossier, to open dashboards on a month with data.
    fn last_received_at(
        &self,
    ) -> impl Future<Output = Result<Option<Timestamp>, StoreError>> + Send;

    /// The dossiers not settled yet (no `resolved_at`).
    fn open_dossiers(&self) -> impl Future<Output = Result<Vec<Dossier>, StoreError>> + Send;

    /// One dossier.
    fn dossier(
        &self,
        code: &DossierCode,
    ) -> impl Future<Output = Result<Option<Dossier>, StoreError>> + Send;

    /// The yearly schedules stored to replace the bundled ones, by year.
    fn schedules(&self) -> impl Future<Output = Result<Vec<Schedule>, StoreError>> + Send;

    /// In one transaction: stores `schedule` (replacing the stored one of its year) and moves
    /// each appointment of `moves` whose dossier is still open with `due_at = before`,
    /// appending a dossier event for each and an audit record. Returns the moves applied.
    fn replace_schedule(
        &self,
        schedule: &Schedule,
        moves: &[DueMove],
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<Vec<DueMove>, StoreError>> + Send;

    /// Creates an account (audited, without the password hash).
    fn create_user(
        &self,
        new: &NewUser,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<User, StoreError>> + Send;

    /// An account and its password hash, by user name.
    fn user_by_name(
        &self,
        name: &Username,
    ) -> impl Future<Output = Result<Option<(User, String)>, StoreError>> + Send;

    /// Every account, by user name.
    fn users(&self) -> impl Future<Output = Result<Vec<User>, StoreError>> + Send;

    /// Replaces an account's password hash, ends its sessions, clears a lock (audited).
    fn set_password(
        &self,
        user_id: i64,
        hash: &str,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Counts a wrong password; locks the account at the threshold (audited). Returns the
    /// account as it now is.
    fn record_login_failure(
        &self,
        user_id: i64,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<User, StoreError>> + Send;

    /// A successful sign-in: resets the failures and opens a session (audited).
    fn start_session(
        &self,
        user_id: i64,
        session: &NewSession,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The account of a live session, with the session's CSRF token.
    fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> impl Future<Output = Result<Option<(User, String)>, StoreError>> + Send;

    /// Ends a session (audited).
    fn end_session(
        &self,
        token_hash: &str,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Creates an API token (audited).
    fn create_token(
        &self,
        new: &NewToken,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The principal of a live API token.
    fn token(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<Principal>, StoreError>> + Send;

    /// Revokes an API token by name (audited); false when there was none live.
    fn revoke_token(
        &self,
        name: &str,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Appends an audit record for an event that writes nothing else (a refused sign-in).
    fn record_audit(
        &self,
        ctx: &AuditContext,
        action: &str,
        target: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The audit trail, newest first.
    fn audit(
        &self,
        filter: &AuditFilter,
    ) -> impl Future<Output = Result<Vec<AuditRecord>, StoreError>> + Send;

    /// Issues an e-receipt with the next number of its unit and year (audited, with a
    /// dossier event; marks the dossier's fee as e-receipted). With `key`, its answer is
    /// stored in the same transaction ([`IdempotencyRecord`]; [`StoreError::KeyUsed`] when
    /// the key was used already).
    fn issue_receipt(
        &self,
        new: &motcua_core::fees::NewReceipt,
        ctx: &AuditContext,
        key: Option<IdempotencyRecord<motcua_core::fees::Receipt>>,
    ) -> impl Future<Output = Result<motcua_core::fees::Receipt, StoreError>> + Send;

    /// The receipts of a unit for a year, by number.
    fn receipts(
        &self,
        unit: &UnitCode,
        year: i32,
    ) -> impl Future<Output = Result<Vec<motcua_core::fees::Receipt>, StoreError>> + Send;

    /// Stores a dossier received in motcua with its lifecycle (audited, with a `received`
    /// event). `new.code` is the code's prefix; the store appends the next number of that
    /// prefix (`-0001`) and returns the dossier as stored. With `key`, as
    /// [`Store::issue_receipt`].
    fn receive_dossier(
        &self,
        new: &Dossier,
        state: &motcua_core::lifecycle::Lifecycle,
        details: &motcua_core::details::Details,
        ctx: &AuditContext,
        key: Option<IdempotencyRecord<Dossier>>,
    ) -> impl Future<Output = Result<Dossier, StoreError>> + Send;

    /// The lifecycle stored with a dossier; `None` for one imported without it.
    fn lifecycle(
        &self,
        code: &DossierCode,
    ) -> impl Future<Output = Result<Option<motcua_core::lifecycle::Lifecycle>, StoreError>> + Send;

    /// A dossier with its lifecycle (the stored one, or the one derived from its fields for
    /// a dossier imported without one) and its details, read in one statement.
    fn held_dossier(
        &self,
        code: &DossierCode,
    ) -> impl Future<Output = Result<Option<HeldDossier>, StoreError>> + Send;

    /// Writes a change of a received dossier (a step, a scan, a payment: audited, with its
    /// event), provided its lifecycle, details and payment are still those of `before`;
    /// otherwise [`StoreError::Refused`]. With `key`, as [`Store::issue_receipt`].
    fn apply_change(
        &self,
        before: &HeldDossier,
        after: (
            &Dossier,
            &motcua_core::lifecycle::Lifecycle,
            Option<&motcua_core::details::Details>,
        ),
        change: &Change<'_>,
        ctx: &AuditContext,
        key: Option<IdempotencyRecord<()>>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The desk's details of a dossier; `None` for one imported.
    fn details(
        &self,
        code: &DossierCode,
    ) -> impl Future<Output = Result<Option<motcua_core::details::Details>, StoreError>> + Send;

    /// The receipts issued for a dossier, by number.
    fn dossier_receipts(
        &self,
        code: &DossierCode,
    ) -> impl Future<Output = Result<Vec<motcua_core::fees::Receipt>, StoreError>> + Send;

    /// What an Idempotency-Key of a principal holds for a request (its method, path and
    /// body): the stored answer, a mismatch, or `None` when no write with it was committed.
    fn idempotency_answer(
        &self,
        principal: &str,
        key: &str,
        request: &str,
    ) -> impl Future<Output = Result<Option<Prior>, StoreError>> + Send;

    /// The history of a dossier, oldest first.
    fn dossier_events(
        &self,
        code: &DossierCode,
    ) -> impl Future<Output = Result<Vec<DossierEvent>, StoreError>> + Send;

    /// Creates the follow-up of a unit and month (audited); refused when one exists.
    fn create_follow_up(
        &self,
        f: &motcua_core::followup::FollowUp,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Records the unit's report on its follow-up (audited); refused when there is none
    /// waiting.
    fn submit_follow_up(
        &self,
        unit: &UnitCode,
        month: Month,
        s: &motcua_core::followup::Submission,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The follow-ups of a month.
    fn follow_ups(
        &self,
        month: Month,
    ) -> impl Future<Output = Result<Vec<motcua_core::followup::FollowUp>, StoreError>> + Send;

    /// A setting's value (`None` when never set).
    fn setting(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;

    /// Sets a setting (audited).
    fn set_setting(
        &self,
        name: &str,
        value: &str,
        ctx: &AuditContext,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}
