//! The indicators as a workbook of two sheets.
//!
//! - "Chỉ số": one row for the whole scope, then one per leaf unit; for each rate (in the
//!   order of [`RateId::ALL`]) the month's value, the previous month's and the change, in
//!   percent and percentage points rounded half-up to two decimals on the exact fractions
//!   (empty when undefined); then every count of the month ([`CountId::ALL`], headed by
//!   [`CountId::heading_vi`]).
//! - "Biểu 06": the results by field of Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP), 13
//!   numbered columns, the withdrawn dossiers in a note column, and a total row.
//!
//! Column (3), the dossiers to be handled, is `received + carried_over`: the form splits it
//! into (4) received online, (5) received directly or by post — both new in the month — and
//! (6) carried over from before the month. With the counts of `docs/spec/indicators.md`
//! ("received + carried_over = resolved + withdrawn + pending") this gives
//! (3) = (7) + (11) + withdrawn on every row.

use motcua_core::counts::{CountId, Counts};
use motcua_core::display;
use motcua_core::indicators::{FieldRow, IndicatorReport};
use motcua_core::rates::{Rate, RateId};
use motcua_core::timestamp::Month;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::ReportError;

const FONT: &str = "Times New Roman";

/// The formats of both sheets, all in Times New Roman 12 pt.
struct Formats {
    header: Format,
    title: Format,
    plain: Format,
    right: Format,
    cell_text: Format,
    cell_centre: Format,
    count: Format,
    percent: Format,
    total_text: Format,
    total_count: Format,
}

impl Formats {
    fn new() -> Self {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let cell = base.clone().set_border(FormatBorder::Thin);
        Formats {
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            title: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            plain: base.clone().set_text_wrap(),
            right: base.clone().set_italic().set_align(FormatAlign::Right),
            cell_text: cell.clone().set_text_wrap(),
            cell_centre: cell.clone().set_align(FormatAlign::Center),
            count: cell.clone().set_num_format("#,##0"),
            percent: cell.clone().set_num_format("0.00"),
            total_text: cell.clone().set_bold(),
            total_count: cell.set_bold().set_num_format("#,##0"),
        }
    }
}

fn xlsx_error(e: XlsxError) -> ReportError {
    ReportError::Xlsx(e.to_string())
}

fn month_text(m: Month) -> String {
    format!("tháng {}/{}", m.number(), m.year())
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A rate in percent, rounded half-up to two decimals on the exact fraction.
fn percent(rate: &Rate) -> Option<f64> {
    display::rate_hundredths(rate).map(|h| h as f64 / 100.0)
}

/// The change in percentage points, rounded half-up to two decimals on the exact fractions.
fn change(current: &Rate, previous: &Rate) -> Option<f64> {
    display::change_hundredths(current, previous).map(|h| h as f64 / 100.0)
}

fn write_optional(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<f64>,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => sheet.write_number_with_format(row, col, v, format)?,
        None => sheet.write_blank(row, col, format)?,
    };
    Ok(())
}

/// The sheet "Chỉ số".
fn indicators_sheet(
    sheet: &mut Worksheet,
    report: &IndicatorReport,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Chỉ số")?;
    let month = capitalise(&month_text(report.month));
    let previous = capitalise(&month_text(report.month.previous()));
    let first_count = 1 + 3 * RateId::ALL.len() as u16;

    // Row 1: the sub-headings; row 0 (the merged group headings) is written after autofit,
    // so that the long indicator names do not widen their first column.
    sheet.write_string_with_format(1, 0, "Đơn vị", &f.header)?;
    for (i, _) in RateId::ALL.iter().enumerate() {
        let col = 1 + 3 * i as u16;
        sheet.write_string_with_format(1, col, format!("{month} (%)"), &f.header)?;
        sheet.write_string_with_format(1, col + 1, format!("{previous} (%)"), &f.header)?;
        sheet.write_string_with_format(1, col + 2, "Thay đổi (điểm %)", &f.header)?;
    }
    for (j, c) in CountId::ALL.iter().enumerate() {
        sheet.write_string_with_format(1, first_count + j as u16, c.heading_vi(), &f.header)?;
    }

    let scope_name = format!(
        "Toàn {} {}",
        report.unit_label.to_lowercase(),
        report.unit_short_name
    );
    let rows = std::iter::once((
        scope_name,
        &report.counts,
        &report.rates,
        &report.previous.rates,
    ))
    .chain(
        report
            .units
            .iter()
            .map(|u| (u.name.clone(), &u.counts, &u.rates, &u.previous.rates)),
    );
    for (r, (name, counts, rates, before)) in rows.enumerate() {
        let row = 2 + r as u32;
        let text = if r == 0 { &f.total_text } else { &f.cell_text };
        sheet.write_string_with_format(row, 0, name, text)?;
        for (i, id) in RateId::ALL.iter().enumerate() {
            let col = 1 + 3 * i as u16;
            let (now, then) = (rates.get(*id), before.get(*id));
            write_optional(sheet, row, col, percent(now), &f.percent)?;
            write_optional(sheet, row, col + 1, percent(then), &f.percent)?;
            write_optional(sheet, row, col + 2, change(now, then), &f.percent)?;
        }
        let number = if r == 0 { &f.total_count } else { &f.count };
        for (j, c) in CountId::ALL.iter().enumerate() {
            let value = counts.get(*c) as f64;
            sheet.write_number_with_format(row, first_count + j as u16, value, number)?;
        }
    }
    sheet.autofit();
    sheet.set_column_width(0, 42)?;

    sheet.merge_range(0, 0, 1, 0, "Đơn vị", &f.header)?;
    for (i, id) in RateId::ALL.iter().enumerate() {
        let col = 1 + 3 * i as u16;
        sheet.merge_range(0, col, 0, col + 2, id.name_vi(), &f.header)?;
    }
    let last = first_count + CountId::ALL.len() as u16 - 1;
    sheet.merge_range(
        0,
        first_count,
        0,
        last,
        &format!("Số hồ sơ {}", month_text(report.month)),
        &f.header,
    )?;
    sheet.set_row_height(0, 48)?;
    sheet.set_row_height(1, 48)?;
    sheet.set_freeze_panes(2, 1)?;
    Ok(())
}

/// The 13 numbered columns of Biểu 06 for one row's counts, from (3) on, and the withdrawn.
fn form_06_figures(c: &Counts) -> [u64; 11] {
    [
        c.received + c.carried_over,
        c.received_online,
        c.received_direct,
        c.carried_over,
        c.resolved,
        c.resolved_early,
        c.resolved_on_time,
        c.resolved_late,
        c.pending,
        c.pending_within_due,
        c.pending_overdue,
    ]
}

/// The sheet "Biểu 06".
fn form_06_sheet(
    sheet: &mut Worksheet,
    report: &IndicatorReport,
    by_field: &[FieldRow],
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Biểu 06")?;
    const NOTE: u16 = 13;
    let m = report.month;
    let last_day = m.next().first_day().previous_day().unwrap_or(m.first_day());
    let scope = capitalise(&format!("{} {}", report.unit_label, report.unit_short_name));

    sheet.merge_range(0, 0, 0, 1, "Biểu số 06/VPCP/KSTT", &f.title)?;
    sheet.merge_range(
        1,
        0,
        1,
        1,
        "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020",
        &f.plain,
    )?;
    sheet.merge_range(
        0,
        2,
        0,
        10,
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        &f.title,
    )?;
    sheet.merge_range(
        1,
        2,
        1,
        10,
        &format!(
            "({}: từ ngày {:02}/{:02}/{} đến ngày {:02}/{:02}/{})",
            capitalise(&month_text(m)),
            m.first_day().day(),
            m.number(),
            m.year(),
            last_day.day(),
            m.number(),
            m.year()
        ),
        &f.plain.clone().set_align(FormatAlign::Center),
    )?;
    sheet.merge_range(0, 11, 0, NOTE, &scope, &f.title)?;
    sheet.merge_range(2, 0, 2, NOTE, "Đơn vị tính: Số hồ sơ TTHC", &f.right)?;

    // Two header rows, the groups merged, then the column numbers.
    sheet.merge_range(3, 0, 4, 0, "STT", &f.header)?;
    sheet.merge_range(3, 1, 4, 1, "Lĩnh vực giải quyết", &f.header)?;
    sheet.merge_range(3, 2, 3, 5, "Số hồ sơ nhận giải quyết", &f.header)?;
    sheet.merge_range(3, 6, 3, 9, "Số hồ sơ đã giải quyết", &f.header)?;
    sheet.merge_range(3, 10, 3, 12, "Số hồ sơ đang giải quyết", &f.header)?;
    sheet.merge_range(3, NOTE, 4, NOTE, "Ghi chú: số hồ sơ rút", &f.header)?;
    let sub = [
        "Tổng số",
        "Trực tuyến",
        "Trực tiếp, dịch vụ bưu chính",
        "Từ kỳ trước",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Trong hạn",
        "Quá hạn",
    ];
    for (i, text) in sub.iter().enumerate() {
        sheet.write_string_with_format(4, 2 + i as u16, *text, &f.header)?;
    }
    for col in 0..13u16 {
        sheet.write_string_with_format(5, col, format!("({})", col + 1), &f.cell_centre)?;
    }
    sheet.write_blank(5, NOTE, &f.cell_centre)?;

    let write_row = |sheet: &mut Worksheet,
                     row: u32,
                     stt: Option<usize>,
                     name: &str,
                     c: &Counts,
                     total: bool|
     -> Result<(), XlsxError> {
        let (text, number) = if total {
            (&f.total_text, &f.total_count)
        } else {
            (&f.cell_text, &f.count)
        };
        match stt {
            Some(n) => sheet.write_number_with_format(row, 0, n as f64, &f.cell_centre)?,
            None => sheet.write_blank(row, 0, &f.cell_centre)?,
        };
        sheet.write_string_with_format(row, 1, name, text)?;
        for (i, v) in form_06_figures(c).into_iter().enumerate() {
            sheet.write_number_with_format(row, 2 + i as u16, v as f64, number)?;
        }
        // The note column says only what there is to say.
        if c.withdrawn > 0 {
            sheet.write_number_with_format(row, NOTE, c.withdrawn as f64, number)?;
        } else {
            sheet.write_blank(row, NOTE, number)?;
        }
        Ok(())
    };
    let mut total = Counts::default();
    for (i, r) in by_field.iter().enumerate() {
        write_row(sheet, 6 + i as u32, Some(i + 1), &r.field, &r.counts, false)?;
        total += r.counts;
    }
    write_row(
        sheet,
        6 + by_field.len() as u32,
        None,
        "Tổng cộng",
        &total,
        true,
    )?;

    sheet.set_column_width(0, 6)?;
    sheet.set_column_width(1, 38)?;
    for col in 2..=NOTE {
        sheet.set_column_width(col, 11)?;
    }
    sheet.set_row_height(0, 32)?;
    sheet.set_row_height(1, 32)?;
    sheet.set_row_height(3, 32)?;
    sheet.set_row_height(4, 48)?;
    sheet.set_freeze_panes(6, 2)?;
    // Printed as the form is: A4 landscape, one page wide, the headings on every page.
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(3, 5)?;
    Ok(())
}

/// The indicators of `report` and the results of `by_field` as XLSX bytes.
pub fn xlsx(report: &IndicatorReport, by_field: &[FieldRow]) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    // The creation date is the first day after the period, the earliest the report can be
    // made: the same figures always give the same bytes, and no clock is read here.
    let next = report.month.next();
    let created =
        ExcelDateTime::from_ymd(next.year() as u16, next.number(), 1).map_err(xlsx_error)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Chỉ số phục vụ {} – {} {}",
                month_text(report.month),
                report.unit_label,
                report.unit_short_name
            ))
            .set_creation_datetime(&created),
    );
    indicators_sheet(book.add_worksheet(), report, &f).map_err(xlsx_error)?;
    form_06_sheet(book.add_worksheet(), report, by_field, &f).map_err(xlsx_error)?;
    book.save_to_buffer().map_err(xlsx_error)
}
