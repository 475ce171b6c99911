//! Application services of motcua: the operations that the command line and the web app
//! share, composed from the store ([`SqlStore`](motcua_store::SqlStore)) and the pure core.
//!
//! - [`import_dir`]: read an interchange folder, validate it whole, write it in one
//!   transaction (`import.rs`);
//! - [`export_dir`]: write the interchange files of everything stored (`export.rs`);
//! - [`indicators`]: the indicator report of a unit's scope for a month, [`trend`] over
//!   several months, [`indicators_recounted`] and [`verify`] from the dossiers
//!   (`indicators.rs`, loading what `scope.rs` reads);
//! - [`monthly_report`]: the indicators with their narrative; [`report_by_field`]: the results
//!   by field (Biểu 06); [`report_file`]: DOCX or XLSX; the targets (`report.rs`); each
//!   unit's [`report_settings`] (issuer lines, symbol, signature, recipients:
//!   `report_settings.rs`);
//! - [`close_month`]: month close (chốt số liệu); the indicators and the report of a closed
//!   month are its frozen figures, with the changes since, as `motcua_core::figures` decides
//!   (`close.rs`);
//! - [`calendar`]: the working-day calendar in force, due-date explanations, schedule changes;
//! - [`citizens`]: citizens' and businesses' accounts (sign-up by a one-time code, sign-in,
//!   sessions, profile);
//! - [`auth`], [`desk`], [`followup`], [`ingest`]: accounts and sessions, the desk's
//!   operations, remediation reports, records pushed by other systems; [`lists`]: the
//!   worklist, the dossiers behind a figure and the search, a page at a time; [`tracking`]:
//!   a dossier followed from the public portal by its code and the applicant's number;
//!   [`outbox`]: the delivery of the messages to citizens (SMTP, SMS providers, the worker).
//!   [`oidc`]: citizens signing in through OpenID Connect (the national identity account).
//! - [`payments`]: online payment of fees through a gateway (`PaymentGateway`).
//! - [`ratings`]: citizens rating the service of their dossier once its result exists, by
//!   the dossier's link, from their account or on the desk's tablet; [`portal`]: the
//!   portal's public address, which the notices' links start with.
//! - [`unit_settings`]: a unit's fee settings (receiving bank account, tax code) as its
//!   administrators read and change them.
//!
//! This is where reading files happens; the core only ever sees bytes. [`AppError`]
//! (`error.rs`) is what every operation fails with.

#![forbid(unsafe_code)]

pub mod auth;
pub mod calendar;
pub mod citizens;
mod close;
pub mod desk;
mod error;
mod export;
pub mod followup;
mod import;
mod indicators;
pub mod ingest;
pub mod io_text;
pub mod lists;
pub mod notices;
pub mod oidc;
pub mod online;
pub mod outbox;
pub mod payments;
pub mod petitions;
pub mod portal;
pub mod ratings;
mod report;
mod report_settings;
mod scope;
pub mod tracking;
pub mod unit_settings;

pub use close::{close_month, month_closes};
pub use error::AppError;
pub use export::{ExportSummary, export_dir};
pub use import::{import_dir, import_dir_with, import_files};
pub use indicators::{
    dossiers_behind, indicators, indicators_recounted, indicators_with, trend, trend_with, verify,
};
pub use motcua_store::ImportSummary;
pub use report::{
    MonthlyReport, TARGETS_SETTING, monthly_report, report_by_field, report_date, report_file,
    set_targets, targets,
};
pub use report_settings::{report_settings, report_settings_key, set_report_settings};
