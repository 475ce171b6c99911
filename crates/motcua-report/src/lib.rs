//! The monthly report as files (`docs/spec/report.md`, "Formats"), rendered from the pure core's
//! values into bytes: no IO, no clock, no database.
//!
//! - [`docx`]: the [`Narrative`] as an administrative report laid out per Decree
//!   30/2020/NĐ-CP (A4, Times New Roman, the national title, "BÁO CÁO", recipients and
//!   signature), with the issuer, number, date line, signature and recipients of a
//!   [`Letterhead`];
//! - [`html`]: the [`Narrative`] and its [`Letterhead`] as a printable A4 page (`templates/report.html` on the print
//!   layout `templates/print_base.html`, which the web app's slips share);
//! - [`xlsx`]: the [`IndicatorReport`] as a workbook: sheet "Chỉ số" (every indicator of the
//!   scope and of each leaf unit, with the previous month and the change) and sheet
//!   "Biểu 06" (the results by level and field of Circular 01/2020/TT-VPCP, from
//!   [`LevelRows`]), both with a title, the period and A4 landscape print setup ("Chỉ số"
//!   on pages of [`RATES_PER_PAGE`] rates or [`COUNTS_PER_PAGE`] counts, "Biểu 06" one page
//!   wide);
//! - [`slip_html`]: a desk form or e-receipt ([`motcua_core::forms::Document`]) as a
//!   printable A4 page (`templates/slip.html`), its QR code drawn as inline SVG;
//! - [`table_xlsx`]: a list of the officers' app (the worklist, the dossiers behind a figure)
//!   as a one-sheet workbook.
//!
//! The same values always give the same bytes: the workbook's creation date is the report's
//! date, never read from the clock.

#![forbid(unsafe_code)]

mod docx;
mod html;
mod slip;
mod table;
mod xlsx;

pub use docx::docx;
pub use html::html;
pub use motcua_core::indicators::{FieldRow, LevelRows};
pub use slip::{qr_svg, slip_html};
pub use table::table_xlsx;
pub use xlsx::{COUNTS_PER_PAGE, RATES_PER_PAGE, xlsx};

#[cfg(doc)]
use motcua_core::{indicators::IndicatorReport, letterhead::Letterhead, report::Narrative};

/// Why a report file could not be built. The messages are for the officer who asked for it.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("không tạo được tệp báo cáo Word (DOCX): {0}")]
    Docx(String),
    #[error("không tạo được tệp bảng tính Excel (XLSX): {0}")]
    Xlsx(String),
    #[error("không tạo được trang báo cáo (HTML): {0}")]
    Html(String),
    #[error("không tạo được mã QR của phiếu: {0}")]
    Qr(String),
}
