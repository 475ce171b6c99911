//! A list as a one-sheet workbook (the officers' lists exported: the worklist, the dossiers
//! behind a figure): a bold header row, then one row of text per line, columns wide enough
//! to read, the header row frozen.

use rust_xlsxwriter::{Format, FormatBorder, Workbook};

use crate::ReportError;

const FONT: &str = "Times New Roman";

/// The workbook of one sheet named `sheet` (at most 31 characters, as Excel requires), with
/// `headers` and `rows` (each as long as `headers`), all as text.
pub fn table_xlsx(
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, ReportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ReportError::Xlsx(e.to_string());
    let base = Format::new().set_font_name(FONT).set_font_size(12);
    let header = base.clone().set_bold().set_border(FormatBorder::Thin);
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let name: String = sheet.chars().take(31).collect();
    ws.set_name(&name).map_err(err)?;
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)
            .map_err(err)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string_with_format(r as u32 + 1, c as u16, cell, &base)
                .map_err(err)?;
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(8, 60) as f64 + 2.0)
            .map_err(err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    book.save_to_buffer().map_err(err)
}
