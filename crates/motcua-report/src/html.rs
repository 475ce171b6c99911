//! The monthly report as a printable HTML page (A4), the [`Narrative`]'s sections under the
//! national title: what `motcua report --format html` writes and the web app serves.

use askama::Template;
use motcua_core::report::Narrative;

use crate::ReportError;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    n: &'a Narrative,
    issuer_upper: String,
}

/// The report as an HTML page (printable, A4).
pub fn html(narrative: &Narrative) -> Result<String, ReportError> {
    ReportPage {
        n: narrative,
        issuer_upper: narrative.issuer.to_uppercase(),
    }
    .render()
    .map_err(|e| ReportError::Html(e.to_string()))
}
