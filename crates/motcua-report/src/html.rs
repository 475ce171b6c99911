//! The monthly report as a printable HTML page (A4): the [`Letterhead`] (issuing body and
//! number, national title and motto, place and date, "Kính gửi"), the [`Narrative`]'s
//! sections, then "Nơi nhận" and the signature block: what `motcua report --format html`
//! writes and the web app serves.

use askama::Template;
use motcua_core::letterhead::Letterhead;
use motcua_core::report::Narrative;

use crate::ReportError;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    n: &'a Narrative,
    l: &'a Letterhead,
}

/// The report as an HTML page (printable, A4).
pub fn html(narrative: &Narrative, letterhead: &Letterhead) -> Result<String, ReportError> {
    ReportPage {
        n: narrative,
        l: letterhead,
    }
    .render()
    .map_err(|e| ReportError::Html(e.to_string()))
}
