//! The narrative as an administrative report (BÁO CÁO) in the layout of Decree
//! 30/2020/NĐ-CP, Appendix I (`docs/research/regulations.md` §8):
//!
//! - A4 portrait, margins 20 mm top and bottom, 30 mm left, 15 mm right;
//! - Times New Roman in every run (ascii, hAnsi, eastAsia and cs fonts);
//! - a borderless two-column table: the issuing body of the unit's [`Letterhead`] (its parent
//!   upright, itself in bold capitals, a short rule, "Số: …/BC-UBND") on the left; the national title and motto (with
//!   a rule as long as the motto) and the place and date in italics on the right;
//! - "BÁO CÁO" and the subject centred in bold, a short rule under them, "Kính gửi:" when
//!   the report is addressed;
//! - the body at 14 pt, justified, first line indented 1 cm, 6 pt after each paragraph;
//! - a borderless two-column table: "Nơi nhận:" bottom left, the signature block (TM./KT./
//!   Q./TL., the titles, the signer's name) bottom right;
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
use motcua_core::letterhead::Letterhead;
use motcua_core::report::Narrative;

use crate::ReportError;

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

/// The header table: the parent body (upright) and the issuing body (bold) in capitals, a
/// rule, and the number on the left; national title, motto (with a rule as long as it) and
/// the place and date on the right.
fn header_table(h: &Letterhead) -> Table {
    let mut left = Vec::new();
    if let Some(parent) = h.parent_body.as_deref().filter(|p| !p.trim().is_empty()) {
        left.push(centred(run(&parent.to_uppercase(), PT_13), PT_13));
    }
    let mut widest = 0;
    for line in &h.issuer {
        let line = line.to_uppercase();
        widest = widest.max(text_width(&line, PT_13, 0.6).min(LEFT_COLUMN));
        left.push(centred(run(&line, PT_13).bold(), PT_13));
    }
    // Between a third and a half of the issuer's name, as the decree asks.
    left.push(rule(widest * 2 / 5, LEFT_COLUMN));
    left.push(blank(PT_11));
    left.push(centred(run(&h.number, PT_13), PT_13));

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

/// "Kính gửi:" (box 9a) under the subject: one addressee on the same line, several on lines
/// of their own, the dashes under the colon.
fn addressees(h: &Letterhead) -> Vec<Paragraph> {
    let line = |text: &str, left: i32| {
        paragraph(AlignmentType::Left, PT_14)
            .indent(Some(left), None, None, None)
            .add_run(run(text, PT_14))
    };
    // "Kính gửi: " is about 2.2 cm at 14 pt; the block starts 3 cm in.
    const BLOCK: i32 = 1701;
    const LABEL: i32 = 1247;
    match h.addressees.as_slice() {
        [] => Vec::new(),
        [one] => vec![line(&format!("Kính gửi: {one}"), BLOCK)],
        many => std::iter::once(line("Kính gửi:", BLOCK))
            .chain(many.iter().map(|a| line(a, BLOCK + LABEL)))
            .collect(),
    }
}

/// "Nơi nhận:" on the left, the signature block and the signer's name on the right.
fn closing_table(h: &Letterhead) -> Table {
    let recipient = |text: &str| paragraph(AlignmentType::Left, PT_11).add_run(run(text, PT_11));
    let left = std::iter::once(
        paragraph(AlignmentType::Left, PT_12).add_run(run("Nơi nhận:", PT_12).bold().italic()),
    )
    .chain(h.recipients.iter().map(|r| recipient(r)))
    .collect();
    let mut right: Vec<Paragraph> = h
        .signature
        .iter()
        .map(|l| centred(run(l, PT_14).bold(), PT_14))
        .collect();
    // Room for the signature and the seal.
    right.extend((0..4).map(|_| blank(PT_14)));
    right.push(centred(run(&h.signer, PT_14).bold(), PT_14));
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
pub fn docx(narrative: &Narrative, letterhead: &Letterhead) -> Result<Vec<u8>, ReportError> {
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
        .add_table(header_table(letterhead))
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
    for p in addressees(letterhead) {
        doc = doc.add_paragraph(p);
    }
    if !letterhead.addressees.is_empty() {
        doc = doc.add_paragraph(blank(PT_14));
    }
    for section in &narrative.sections {
        doc = doc.add_paragraph(body(&section.heading, true));
        for p in &section.paragraphs {
            doc = doc.add_paragraph(body(p, false));
        }
    }
    doc = doc
        .add_paragraph(blank(PT_14).keep_next(true))
        .add_table(closing_table(letterhead));

    let mut out = Cursor::new(Vec::new());
    doc.pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
