//! The indicators as a workbook of two sheets, each with a title and its period, printed A4
//! landscape with its heading rows on every page.
//!
//! - "Chỉ số": one row for the whole scope, then one per leaf unit; for each rate (in the
//!   order of [`RateId::ALL`]) the month's value, the previous month's and the change, in
//!   percent and percentage points rounded half-up to two decimals on the exact fractions
//!   and shown as the report writes them (`33,8`, `94,33`, `1`: the General format of the
//!   rounded value; empty when undefined); then every count of the month ([`CountId::ALL`],
//!   headed by [`CountId::heading_vi`]). Too wide for one sheet of paper, it prints as
//!   pages of [`RATES_PER_PAGE`] rates and then of [`COUNTS_PER_PAGE`] counts, each page
//!   with the units' column and the headings repeated, at a scale that keeps them legible.
//! - "Biểu 06": the results by field of Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP): the
//!   reporting and the receiving unit, 13 numbered columns under "Tổng số" / "Trong đó",
//!   the rows grouped by level of government (each level with its subtotal, "Khác" last),
//!   the withdrawn dossiers in a note column, and a total row; printed one page wide.
//!
//! Column (3), the dossiers to be handled, is `received + carried_over`: the form splits it
//! into (4) received online, (5) received directly or by post — both new in the month — and
//! (6) carried over from before the month. With the counts of `docs/spec/indicators.md`
//! ("received + carried_over = resolved + withdrawn + pending") this gives
//! (3) = (7) + (11) + withdrawn on every row.

use motcua_core::counts::{CountId, Counts};
use motcua_core::display;
use motcua_core::indicators::{IndicatorReport, LevelRows};
use motcua_core::letterhead::Letterhead;
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
    heading: Format,
    italic: Format,
    level_text: Format,
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
            heading: base.clone().set_bold().set_font_size(14),
            italic: base.clone().set_italic(),
            level_text: cell.clone().set_bold().set_italic(),
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
            // General: the value is already rounded as the report rounds it, and General
            // shows it without trailing zeros (33,8 rather than 33,80).
            percent: cell.clone(),
            total_text: cell.clone().set_bold(),
            total_count: cell.set_bold().set_num_format("#,##0"),
        }
    }
}

fn xlsx_error(e: XlsxError) -> ReportError {
    ReportError::Xlsx(e.to_string())
}

/// `huyện Vĩnh Linh`, `Phòng Tư pháp`.
fn report_scope(report: &IndicatorReport) -> String {
    motcua_core::report::unit_name(&report.unit_label, &report.unit_short_name)
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

/// `từ ngày 01/05/2024 đến ngày 31/05/2024`.
fn period(m: Month) -> String {
    let last_day = m.next().first_day().previous_day().unwrap_or(m.first_day());
    format!(
        "từ ngày {} đến ngày {}",
        display::date(m.first_day()),
        display::date(last_day)
    )
}

/// A4 landscape, the heading rows `rows` on every page.
fn print_setup(sheet: &mut Worksheet, rows: (u32, u32)) -> Result<(), XlsxError> {
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_center_horizontally(true);
    sheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_repeat_rows(rows.0, rows.1)?;
    Ok(())
}

/// The rates printed on one page of "Chỉ số" (three columns each).
pub const RATES_PER_PAGE: usize = 3;
/// The counts printed on one page of "Chỉ số".
pub const COUNTS_PER_PAGE: usize = 9;
/// The widths of a rate's and a count's columns, and the print scale (percent) at which the
/// units' column and a page's worth of either fit the width of A4 landscape.
const RATE_WIDTH: f64 = 11.0;
const COUNT_WIDTH: f64 = 10.0;
const INDICATORS_SCALE: u16 = 72;

/// The heading rows of "Chỉ số" (below the title, the period and a blank row).
const HEAD: u32 = 3;

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
    sheet.write_string_with_format(HEAD + 1, 0, "Đơn vị", &f.header)?;
    for (i, _) in RateId::ALL.iter().enumerate() {
        let col = 1 + 3 * i as u16;
        sheet.write_string_with_format(HEAD + 1, col, format!("{month} (%)"), &f.header)?;
        sheet.write_string_with_format(HEAD + 1, col + 1, format!("{previous} (%)"), &f.header)?;
        sheet.write_string_with_format(HEAD + 1, col + 2, "Thay đổi (điểm %)", &f.header)?;
    }
    for (j, c) in CountId::ALL.iter().enumerate() {
        sheet.write_string_with_format(
            HEAD + 1,
            first_count + j as u16,
            c.heading_vi(),
            &f.header,
        )?;
    }

    let scope_name = format!("Toàn {}", report_scope(report));
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
        let row = HEAD + 2 + r as u32;
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
    sheet.set_column_width(0, 42)?;
    for i in 0..3 * RateId::ALL.len() as u16 {
        sheet.set_column_width(1 + i, RATE_WIDTH)?;
    }
    for j in 0..CountId::ALL.len() as u16 {
        sheet.set_column_width(first_count + j, COUNT_WIDTH)?;
    }

    // The title and the period wrap inside the units' column, which every printed page
    // repeats: each page says what it is.
    let wrapped = |format: &Format| format.clone().set_text_wrap().set_align(FormatAlign::Top);
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "CHỈ SỐ KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {}",
            month_text(report.month).to_uppercase()
        ),
        &wrapped(&f.heading),
    )?;
    sheet.write_string_with_format(
        1,
        0,
        format!(
            "Đơn vị: {}. Kỳ báo cáo: {} ({}).",
            capitalise(&report_scope(report)),
            month_text(report.month),
            period(report.month)
        ),
        &wrapped(&f.italic),
    )?;
    sheet.merge_range(HEAD, 0, HEAD + 1, 0, "Đơn vị", &f.header)?;
    for (i, id) in RateId::ALL.iter().enumerate() {
        let col = 1 + 3 * i as u16;
        sheet.merge_range(HEAD, col, HEAD, col + 2, id.name_vi(), &f.header)?;
    }
    // The counts' heading over each page's counts, so that every printed page has it.
    let counts_heading = format!("Số hồ sơ {}", month_text(report.month));
    let mut breaks = Vec::new();
    for page in (0..RateId::ALL.len()).step_by(RATES_PER_PAGE).skip(1) {
        breaks.push(1 + 3 * page as u32);
    }
    for page in (0..CountId::ALL.len()).step_by(COUNTS_PER_PAGE) {
        let first = first_count + page as u16;
        let last = first_count + (page + COUNTS_PER_PAGE).min(CountId::ALL.len()) as u16 - 1;
        if first == last {
            sheet.write_string_with_format(HEAD, first, &counts_heading, &f.header)?;
        } else {
            sheet.merge_range(HEAD, first, HEAD, last, &counts_heading, &f.header)?;
        }
        breaks.push(u32::from(first));
    }
    sheet.set_row_height(0, 40)?;
    sheet.set_row_height(1, 48)?;
    sheet.set_row_height(HEAD, 48)?;
    sheet.set_row_height(HEAD + 1, 80)?;
    sheet.set_freeze_panes(HEAD + 2, 1)?;
    print_setup(sheet, (HEAD, HEAD + 1))?;
    sheet.set_repeat_columns(0, 0)?;
    sheet.set_print_scale(INDICATORS_SCALE);
    sheet.set_vertical_page_breaks(&breaks)?;
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

/// The heading rows of "Biểu 06" and the row of column numbers.
const FORM_HEAD: u32 = 3;
const FORM_NUMBERS: u32 = FORM_HEAD + 3;

/// The Roman numeral of a level's group row (I, II, III, IV).
fn roman(n: usize) -> &'static str {
    ["I", "II", "III", "IV", "V"].get(n).copied().unwrap_or("")
}

/// The sheet "Biểu 06".
fn form_06_sheet(
    sheet: &mut Worksheet,
    report: &IndicatorReport,
    levels: &[LevelRows],
    letterhead: &Letterhead,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Biểu 06")?;
    const NOTE: u16 = 13;
    let m = report.month;

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
        9,
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        &f.title,
    )?;
    sheet.merge_range(
        1,
        2,
        1,
        9,
        &format!("(Kỳ báo cáo: {}, {})", month_text(m), period(m)),
        &f.plain.clone().set_align(FormatAlign::Center),
    )?;
    let reporting = format!("Đơn vị báo cáo: {}", capitalise(&report_scope(report)));
    let receiving = format!(
        "Đơn vị nhận báo cáo: {}",
        if letterhead.addressed_to.is_empty() {
            "…".to_owned()
        } else {
            letterhead.addressed_to.join("; ")
        }
    );
    sheet.merge_range(0, 10, 0, NOTE, &reporting, &f.plain)?;
    sheet.merge_range(1, 10, 1, NOTE, &receiving, &f.plain)?;
    sheet.merge_range(2, 0, 2, NOTE, "Đơn vị tính: Số hồ sơ TTHC", &f.right)?;

    // Three heading rows: the groups, "Tổng số" / "Trong đó", the parts; then the numbers.
    let (a, b, c) = (FORM_HEAD, FORM_HEAD + 1, FORM_HEAD + 2);
    sheet.merge_range(a, 0, c, 0, "STT", &f.header)?;
    sheet.merge_range(a, 1, c, 1, "Lĩnh vực giải quyết", &f.header)?;
    sheet.merge_range(a, NOTE, c, NOTE, "Ghi chú: số hồ sơ rút", &f.header)?;
    let groups: [(&str, u16, &[&str]); 3] = [
        (
            "Số hồ sơ nhận giải quyết",
            2,
            &["Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước"],
        ),
        (
            "Số hồ sơ đã giải quyết",
            6,
            &["Giải quyết trước hạn", "Đúng hạn", "Quá hạn"],
        ),
        ("Số hồ sơ đang giải quyết", 10, &["Trong hạn", "Quá hạn"]),
    ];
    for (title, first, parts) in groups {
        let last = first + parts.len() as u16;
        sheet.merge_range(a, first, a, last, title, &f.header)?;
        sheet.merge_range(b, first, c, first, "Tổng số", &f.header)?;
        if parts.len() > 1 {
            sheet.merge_range(b, first + 1, b, last, "Trong đó", &f.header)?;
        } else {
            sheet.write_string_with_format(b, first + 1, "Trong đó", &f.header)?;
        }
        for (i, part) in parts.iter().enumerate() {
            sheet.write_string_with_format(c, first + 1 + i as u16, *part, &f.header)?;
        }
    }
    for col in 0..13u16 {
        sheet.write_string_with_format(
            FORM_NUMBERS,
            col,
            format!("({})", col + 1),
            &f.cell_centre,
        )?;
    }
    sheet.write_blank(FORM_NUMBERS, NOTE, &f.cell_centre)?;

    let write_row = |sheet: &mut Worksheet,
                     row: u32,
                     stt: &str,
                     name: &str,
                     c: &Counts,
                     style: (&Format, &Format)|
     -> Result<(), XlsxError> {
        let (text, number) = style;
        sheet.write_string_with_format(row, 0, stt, &f.cell_centre)?;
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
    let mut row = FORM_NUMBERS + 1;
    for (l, level) in levels.iter().enumerate() {
        let mut subtotal = Counts::default();
        for r in &level.rows {
            subtotal += r.counts;
        }
        write_row(
            sheet,
            row,
            roman(l),
            &level.level,
            &subtotal,
            (&f.level_text, &f.total_count),
        )?;
        row += 1;
        for (i, r) in level.rows.iter().enumerate() {
            write_row(
                sheet,
                row,
                &(i + 1).to_string(),
                &r.field,
                &r.counts,
                (&f.cell_text, &f.count),
            )?;
            row += 1;
        }
        total += subtotal;
    }
    write_row(
        sheet,
        row,
        "",
        "Tổng cộng",
        &total,
        (&f.total_text, &f.total_count),
    )?;

    sheet.set_column_width(0, 6)?;
    sheet.set_column_width(1, 38)?;
    for col in 2..=NOTE {
        sheet.set_column_width(col, 11)?;
    }
    sheet.set_row_height(0, 32)?;
    sheet.set_row_height(1, 32)?;
    sheet.set_row_height(a, 32)?;
    sheet.set_row_height(b, 20)?;
    sheet.set_row_height(c, 48)?;
    sheet.set_freeze_panes(FORM_NUMBERS + 1, 2)?;
    // Printed as the form is: A4 landscape, one page wide, the headings on every page.
    print_setup(sheet, (FORM_HEAD, FORM_NUMBERS))?;
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The indicators of `report` and the results of `levels` as XLSX bytes, dated and titled
/// as the report of `letterhead`.
pub fn xlsx(
    report: &IndicatorReport,
    levels: &[LevelRows],
    letterhead: &Letterhead,
) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    // The creation date is the report's: the same figures always give the same bytes, and
    // no clock is read here.
    let d = letterhead.date;
    let created = ExcelDateTime::from_ymd(
        u16::try_from(d.year()).unwrap_or(1900),
        u8::from(d.month()),
        d.day(),
    )
    .map_err(xlsx_error)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Chỉ số phục vụ {} – {}",
                month_text(report.month),
                report_scope(report)
            ))
            .set_author("motcua")
            .set_creation_datetime(&created),
    );
    indicators_sheet(book.add_worksheet(), report, &f).map_err(xlsx_error)?;
    form_06_sheet(book.add_worksheet(), report, levels, letterhead, &f).map_err(xlsx_error)?;
    book.save_to_buffer().map_err(xlsx_error)
}
