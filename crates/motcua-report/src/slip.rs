//! A desk form or the e-receipt ([`Document`], whose content the core decides) as a printable
//! A4 page: the Decree 30 header (issuing body left, national title right, each on lines that
//! never wrap), the QR code top-left, the body's blocks and the signatures.

use askama::Template;
use motcua_core::forms::{Block, Document};

use crate::ReportError;

#[derive(Template)]
#[template(path = "slip.html")]
struct SlipPage<'a> {
    doc: &'a Document,
    qr: String,
}

/// The QR code of a text as inline SVG (byte mode, UTF-8): the slips' code, and the VietQR
/// code of a transfer on the dossier's page.
pub fn qr_svg(text: &str) -> Result<String, ReportError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| ReportError::Qr(e.to_string()))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(110, 110)
        .quiet_zone(true)
        .build())
}

/// The form as an HTML page.
pub fn slip_html(doc: &Document) -> Result<String, ReportError> {
    let qr = match &doc.qr {
        Some(text) => qr_svg(text)?,
        None => String::new(),
    };
    SlipPage { doc, qr }
        .render()
        .map_err(|e| ReportError::Html(e.to_string()))
}

/// What the template needs of a block, without matching on the enum in askama.
impl<'a> SlipPage<'a> {
    fn blocks(&self) -> &'a [Block] {
        &self.doc.blocks
    }
}
