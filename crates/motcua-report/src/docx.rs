//! The narrative as an administrative report (BÁO CÁO) in the layout of Decree
//! 30/2020/NĐ-CP, Appendix I (`docs/research/regulations.md` §8):
//!
//! - A4 portrait, margins 20 mm top and bottom, 30 mm left, 15 mm right;
//! - Times New Roman in every run (ascii, hAnsi, eastAsia and cs fonts);
//! - a borderless two-column table: the issuing body (its parent in capitals, itself in bold
//!   capitals, a short rule, "Số: …/BC-UBND") on the left; the national title and motto (with
//!   a rule as long as the motto) and the place and date in italics on the right;
//! - "BÁO CÁO" and the subject centred in bold, a short rule under them;
//! - the body at 14 pt, justified, first line indented 1 cm, 6 pt after each paragraph;
//! - a borderless two-column table: "Nơi nhận:" bottom left, the signature block bottom right;
//! - page numbers centred in the header from page 2 on (a blank first-page header, `titlePg`).
//!
//! Rules are paragraph bottom borders on short, indented, empty paragraphs, as the decree's
//! recipe suggests, so they survive any renderer that understands paragraphs.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, Docx, Header, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts,
    SpecialIndentType, Table, TableCell, TableRow, WidthType,
};
use motcua_core::report::Narrative;

use crate::ReportError;

/// What the report's header says besides the narrative.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxHeader {
    /// The superior body, printed in capitals above the issuer (`UBND TỈNH QUẢNG TRỊ`), or
    /// `None` to print only the issuer (people's committees print no parent body).
    pub parent: Option<String>,
    /// The issuing body (`UBND huyện Vĩnh Linh`), printed in bold capitals.
    pub issuer: String,
    /// The place and date line, as the caller writes it
    /// (`Vĩnh Linh, ngày 05 tháng 6 năm 2024`): the renderer reads no clock.
    pub place_date: String,
}

const FONT: &str = "Times New Roman";

// Page geometry in twentieths of a point (twips): 1 mm = 56.7 twips.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP: i32 = 1134; // 20 mm
const MARGIN_BOTTOM: i32 = 1134; // 20 mm
const MARGIN_LEFT: i32 = 1701; // 30 mm
const MARGIN_RIGHT: i32 = 850; // 15 mm
const HEADER_DISTANCE: i32 = 567; // 10 mm: the page number sits in the top margin
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;

// The header table: about 38/62, wide enough on the right for the national title at 12 pt on
// one line.
const LEFT_COLUMN: usize = 3600;
const RIGHT_COLUMN: usize = TEXT_WIDTH - LEFT_COLUMN;
// The closing table: recipients on the left, signature on the right.
const CLOSING_LEFT: usize = 4400;
const CLOSING_RIGHT: usize = TEXT_WIDTH - CLOSING_LEFT;

const FIRST_LINE_INDENT: i32 = 567; // 1 cm
const AFTER_PARAGRAPH: u32 = 120; // 6 pt
const LINE_1_2: i32 = 288; // 1.2 lines (in 240ths of a line)

// Sizes are in half-points.
const PT_11: usize = 22;
const PT_12: usize = 24;
const PT_13: usize = 26;
const PT_14: usize = 28;

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT)
}

/// A run of text in Times New Roman at `size` half-points.
fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts()).size(size)
}

/// A paragraph with the given alignment and no space around it, its mark in Times New Roman.
fn paragraph(align: AlignmentType, size: usize) -> Paragraph {
    Paragraph::new()
        .align(align)
        .fonts(fonts())
        .size(size)
        .line_spacing(LineSpacing::new().before(0).after(0))
}

fn centred(r: Run, size: usize) -> Paragraph {
    paragraph(AlignmentType::Center, size).add_run(r)
}

/// A solid rule `width` twips long, centred in a space `space` twips wide: an empty paragraph
/// one point high with a bottom border, narrowed by equal indents.
fn rule(width: usize, space: usize) -> Paragraph {
    let side = i32::try_from(space.saturating_sub(width) / 2).unwrap_or(0);
    Paragraph::new()
        .fonts(fonts())
        .size(2)
        .indent(Some(side), None, Some(side), None)
        .line_spacing(
            // 3 pt above, clear of the dots below (Ệ, Ậ) of the line the rule underlines.
            LineSpacing::new()
                .before(60)
                .after(0)
                .line(20)
                .line_rule(LineSpacingType::Exact),
        )
        .set_borders(
            ParagraphBorders::with_empty().set(
                ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                    .val(BorderType::Single)
                    .size(6)
                    .space(1)
                    .color("000000"),
            ),
        )
}

/// A body paragraph: 14 pt, justified, first line indented 1 cm, 6 pt after.
fn body(text: &str, bold: bool) -> Paragraph {
    let r = run(text, PT_14);
    Paragraph::new()
        .align(AlignmentType::Both)
        .fonts(fonts())
        .size(PT_14)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE_INDENT)),
            None,
            None,
        )
        .line_spacing(
            LineSpacing::new()
                .before(0)
                .after(AFTER_PARAGRAPH)
                .line(LINE_1_2)
                .line_rule(LineSpacingType::Auto),
        )
        .add_run(if bold { r.bold() } else { r })
}

fn blank(size: usize) -> Paragraph {
    paragraph(AlignmentType::Left, size)
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new().width(width, WidthType::Dxa), |c, p| {
            c.add_paragraph(p)
        })
        .clear_all_border()
}

/// A borderless table of one row and two columns.
fn two_columns(widths: [usize; 2], left: Vec<Paragraph>, right: Vec<Paragraph>) -> Table {
    Table::without_borders(vec![
        TableRow::new(vec![cell(widths[0], left), cell(widths[1], right)]).cant_split(),
    ])
    .set_grid(widths.to_vec())
    .width(TEXT_WIDTH, WidthType::Dxa)
}

/// The rough width of `text` in bold capitals at `half_points`, in twips, for the length of
/// the rule under it (Times New Roman bold averages about 0.6 em per letter, mixed case 0.5).
fn text_width(text: &str, half_points: usize, em: f64) -> usize {
    let chars = text.chars().count() as f64;
    (chars * em * half_points as f64 * 10.0) as usize
}

/// The header table: issuing body and number on the left; national title, motto and the
/// place and date on the right.
fn header_table(h: &DocxHeader) -> Table {
    let mut left = Vec::new();
    if let Some(parent) = h.parent.as_deref().filter(|p| !p.trim().is_empty()) {
        left.push(centred(run(&parent.to_uppercase(), PT_13), PT_13));
    }
    let issuer = h.issuer.to_uppercase();
    left.push(centred(run(&issuer, PT_13).bold(), PT_13));
    // A third of the issuer's name, as the decree asks (1/3 to 1/2).
    left.push(rule(text_width(&issuer, PT_13, 0.6) / 3, LEFT_COLUMN));
    left.push(blank(PT_11));
    left.push(centred(run("Số:        /BC-UBND", PT_13), PT_13));

    let motto = "Độc lập - Tự do - Hạnh phúc";
    let right = vec![
        centred(
            run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", PT_12).bold(),
            PT_12,
        ),
        centred(run(motto, PT_13).bold(), PT_13),
        rule(text_width(motto, PT_13, 0.5), RIGHT_COLUMN),
        blank(PT_11),
        // Under the motto, in the right-hand box (box 4 of the decree's layout).
        centred(run(&h.place_date, PT_14).italic(), PT_14),
    ];
    two_columns([LEFT_COLUMN, RIGHT_COLUMN], left, right)
}

/// "Nơi nhận:" on the left, the signature block on the right.
fn closing_table() -> Table {
    let recipient = |text: &str| paragraph(AlignmentType::Left, PT_11).add_run(run(text, PT_11));
    let left = vec![
        paragraph(AlignmentType::Left, PT_12).add_run(run("Nơi nhận:", PT_12).bold().italic()),
        recipient("- Như trên;"),
        recipient("- Lưu: VT."),
    ];
    let mut right = vec![
        centred(run("TM. ỦY BAN NHÂN DÂN", PT_14).bold(), PT_14),
        centred(run("CHỦ TỊCH", PT_14).bold(), PT_14),
    ];
    // Room for the signature and the seal; the name is written by hand or by the signing
    // software.
    right.extend((0..4).map(|_| blank(PT_14)));
    two_columns([CLOSING_LEFT, CLOSING_RIGHT], left, right)
}

/// The page number, centred in the header (13 pt), for every page but the first.
fn page_number_header() -> Header {
    Header::new()
        .add_paragraph(paragraph(AlignmentType::Center, PT_13).add_page_num(PageNum::new()))
}

/// The subject line: the title with the scope after its last dash kept on one line
/// (`… tháng 5/2024 –` / `huyện Vĩnh Linh`), rather than a lone last word wrapping.
fn subject(title: &str) -> String {
    match title.rsplit_once(" – ") {
        Some((head, scope)) => format!("{head}\u{a0}– {}", scope.replace(' ', "\u{a0}")),
        None => title.to_owned(),
    }
}

/// The narrative as a Decree 30/2020 report, packed as DOCX bytes.
pub fn docx(narrative: &Narrative, number_place_date: &DocxHeader) -> Result<Vec<u8>, ReportError> {
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(HEADER_DISTANCE)
                .footer(HEADER_DISTANCE),
        )
        .default_fonts(fonts())
        .default_size(PT_14)
        .header(page_number_header())
        // An empty first-page header: `first_header` also sets `titlePg`, so page 1 carries
        // no number, as the decree requires.
        .first_header(Header::new().add_paragraph(blank(PT_13)))
        .add_table(header_table(number_place_date))
        .add_paragraph(blank(PT_14))
        .add_paragraph(centred(run("BÁO CÁO", PT_14).bold(), PT_14))
        .add_paragraph(centred(
            run(&subject(&narrative.title), PT_14).bold(),
            PT_14,
        ))
        .add_paragraph(rule(
            text_width(&narrative.title, PT_14, 0.5).min(TEXT_WIDTH) / 3,
            TEXT_WIDTH,
        ))
        .add_paragraph(blank(PT_14));
    for section in &narrative.sections {
        doc = doc.add_paragraph(body(&section.heading, true));
        for p in &section.paragraphs {
            doc = doc.add_paragraph(body(p, false));
        }
    }
    doc = doc
        .add_paragraph(blank(PT_14).keep_next(true))
        .add_table(closing_table());

    let mut out = Cursor::new(Vec::new());
    doc.pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
