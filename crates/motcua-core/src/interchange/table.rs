//! Reading one CSV file into rows addressed by column name, with located problems.

use std::collections::HashMap;
use std::fmt;

use std::io::Read;

use csv::{ByteRecord, ReaderBuilder, StringRecord};

use super::lines::{LOOK_AHEAD, Lines};
use crate::code::{describe, is_forbidden_in_text, shown};

/// A column of a file: its 1-based position and its header name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub index: usize,
    pub name: String,
}

/// One problem in an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub file: String,
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    pub column: Option<Column>,
    /// Plain-language reason, in Vietnamese.
    pub reason: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(
                f,
                "{}, dòng {}, cột {} ({}): {}",
                self.file, self.line, c.index, c.name, self.reason
            ),
            None => write!(f, "{}, dòng {}: {}", self.file, self.line, self.reason),
        }
    }
}

/// A value with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub line: u64,
    pub value: T,
}

/// The parsed header of a file.
pub(crate) struct Header {
    pub file: String,
    columns: HashMap<String, usize>,
    names: Vec<String>,
}

impl Header {
    pub fn column(&self, name: &str) -> Option<Column> {
        self.columns.get(name).map(|&i| Column {
            index: i + 1,
            name: self.names[i].clone(),
        })
    }
}

/// One data row, with helpers that record problems against its columns.
pub(crate) struct Row<'a> {
    pub header: &'a Header,
    pub line: u64,
    values: &'a StringRecord,
    /// The cells already refused (not UTF-8, too long, a control character), by position:
    /// they read as neither a value nor an empty cell, and nothing more is said of them.
    broken: &'a [bool],
    pub issues: &'a mut Vec<Issue>,
}

impl Row<'_> {
    /// The trimmed cell of `column`; `None` when the cell is empty or the column absent.
    pub fn text(&self, column: &str) -> Option<&str> {
        let &i = self.header.columns.get(column)?;
        let v = self.values.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// Whether the cell of `column` was refused before the row was read.
    fn is_broken(&self, column: &str) -> bool {
        self.header
            .columns
            .get(column)
            .is_some_and(|&i| self.broken.get(i).copied().unwrap_or(false))
    }

    /// Records a problem on `column` of this row (none on a cell already refused).
    pub fn fail(&mut self, column: &str, reason: impl Into<String>) {
        if self.is_broken(column) {
            return;
        }
        self.issues.push(Issue {
            file: self.header.file.clone(),
            line: self.line,
            column: self.header.column(column),
            reason: reason.into(),
        });
    }

    /// A mandatory cell.
    pub fn required(&mut self, column: &str) -> Option<String> {
        match self.text(column) {
            Some(v) => Some(v.to_owned()),
            None => {
                self.fail(column, "ô bắt buộc đang để trống");
                None
            }
        }
    }

    /// An optional cell, parsed.
    pub fn optional<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ()> {
        if self.is_broken(column) {
            return Err(());
        }
        let Some(v) = self.text(column) else {
            return Ok(None);
        };
        match parse(v) {
            Ok(x) => Ok(Some(x)),
            Err(reason) => {
                self.fail(column, reason);
                Err(())
            }
        }
    }

    /// A mandatory cell, parsed.
    pub fn parse<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match self.optional(column, parse) {
            Ok(Some(x)) => Some(x),
            Ok(None) => {
                self.fail(column, "ô bắt buộc đang để trống");
                None
            }
            Err(()) => None,
        }
    }
}

/// Which columns a file has, which of them must be present in the header, and the longest
/// text each may hold (in characters; [`SHORT_CELL`] for those not listed).
pub(crate) struct Layout {
    pub all: &'static [&'static str],
    pub required: &'static [&'static str],
    pub limits: &'static [(&'static str, usize)],
}

/// The longest cell of a column not listed in its layout's limits: codes, choices, numbers,
/// timestamps (docs/spec/interchange.md, "Bounds").
pub const SHORT_CELL: usize = 64;

impl Layout {
    fn limit(&self, column: &str) -> usize {
        self.limits
            .iter()
            .find(|(name, _)| *name == column)
            .map_or(SHORT_CELL, |(_, n)| *n)
    }
}

/// Reads a whole file; calls `each` for every data row. Header problems stop the reading
/// (rows cannot be understood without their columns); row problems are collected.
pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    layout: &Layout,
    mut each: impl FnMut(&mut Row<'_>),
) -> Vec<Issue> {
    let mut issues = Vec::new();
    match Table::open(file, bytes, layout) {
        Ok(mut table) => while table.next(&mut issues, &mut each) {},
        Err(mut problems) => issues.append(&mut problems),
    }
    issues
}

/// A file read row by row, so that a large file is never held in memory whole.
pub(crate) struct Table<R: Read> {
    reader: csv::Reader<Lines<Unmarked<R>>>,
    header: Header,
    /// The longest text of each column, by position.
    limits: Vec<usize>,
    record: ByteRecord,
    done: bool,
}

/// The bytes of a file without its UTF-8 byte order mark, if it has one.
type Unmarked<R> = std::io::Chain<std::io::Cursor<Vec<u8>>, R>;

fn strip_bom<R: Read>(mut input: R) -> std::io::Result<Unmarked<R>> {
    let mut start = Vec::with_capacity(3);
    while start.len() < 3 {
        let mut byte = [0u8; 3];
        let want = 3 - start.len();
        match input.read(&mut byte[..want]) {
            Ok(0) => break,
            Ok(n) => start.extend_from_slice(&byte[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if start == b"\xEF\xBB\xBF" {
        start.clear();
    }
    Ok(std::io::Cursor::new(start).chain(input))
}

impl<R: Read> Table<R> {
    /// Opens a file and reads its header. Header problems are returned: rows cannot be
    /// understood without their columns.
    pub fn open(file: &str, input: R, layout: &Layout) -> Result<Self, Vec<Issue>> {
        let issue = |line: u64, reason: String| Issue {
            file: file.to_owned(),
            line,
            column: None,
            reason,
        };
        let input =
            strip_bom(input).map_err(|e| vec![issue(1, format!("không đọc được tệp: {e}"))])?;
        let mut reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(LOOK_AHEAD)
            .from_reader(Lines::new(input));
        let mut header_record = ByteRecord::new();
        reader.get_mut().start_row(0);
        let read = reader.read_byte_record(&mut header_record);
        let line = reader.get_ref().line();
        match read {
            Ok(false) => return Err(vec![issue(1, "tệp rỗng: thiếu dòng tiêu đề".to_owned())]),
            Err(e) => {
                return Err(vec![issue(
                    line,
                    format!("dòng tiêu đề không đọc được: {}", csv_error(&e)),
                )]);
            }
            Ok(true) => {}
        }
        let mut issues = Vec::new();
        let mut names = Vec::new();
        for (i, raw) in header_record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) => names.push(s.trim().to_owned()),
                Err(_) => {
                    issues.push(Issue {
                        file: file.to_owned(),
                        line,
                        column: Some(Column {
                            index: i + 1,
                            name: String::new(),
                        }),
                        reason: "tên cột không phải văn bản UTF-8".to_owned(),
                    });
                    names.push(String::new());
                }
            }
        }
        let mut columns = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let col = Column {
                index: i + 1,
                name: name.clone(),
            };
            if !layout.all.contains(&name.as_str()) {
                issues.push(Issue {
                    file: file.to_owned(),
                    line,
                    column: Some(Column {
                        index: col.index,
                        name: shown(name),
                    }),
                    reason: format!(
                        "cột không được hỗ trợ «{}»; các cột hợp lệ: {}",
                        shown(name),
                        layout.all.join(", ")
                    ),
                });
            } else if columns.insert(name.clone(), i).is_some() {
                issues.push(Issue {
                    file: file.to_owned(),
                    line,
                    column: Some(col),
                    reason: format!("cột «{name}» xuất hiện hai lần"),
                });
            }
        }
        for name in layout.required {
            if !columns.contains_key(*name) {
                issues.push(issue(line, format!("thiếu cột bắt buộc «{name}»")));
            }
        }
        if !issues.is_empty() {
            return Err(issues);
        }
        let limits = names.iter().map(|n| layout.limit(n)).collect();
        Ok(Table {
            reader,
            header: Header {
                file: file.to_owned(),
                columns,
                names,
            },
            limits,
            record: ByteRecord::new(),
            done: false,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Reads the next data row and calls `each` on it when it can be understood; problems
    /// go to `issues`. Returns false at the end of the file (or where it cannot be read on).
    pub fn next(&mut self, issues: &mut Vec<Issue>, each: impl FnOnce(&mut Row<'_>)) -> bool {
        if self.done {
            return false;
        }
        let file = &self.header.file;
        let issue = |line: u64, reason: String| Issue {
            file: file.clone(),
            line,
            column: None,
            reason,
        };
        let start = self.reader.position().byte();
        self.reader.get_mut().start_row(start);
        let read = self.reader.read_byte_record(&mut self.record);
        let line = self.reader.get_ref().line();
        match read {
            Ok(true) => {}
            Ok(false) => {
                self.done = true;
                return false;
            }
            Err(e) => {
                issues.push(issue(line, csv_error(&e)));
                self.done = true;
                return false;
            }
        }
        let record = std::mem::take(&mut self.record);
        let width = self.header.names.len();
        // A blank line at the end of a file written by a spreadsheet is not a row.
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            self.record = record;
            return true;
        }
        if record.len() != width {
            issues.push(issue(
                line,
                format!(
                    "dòng có {} ô nhưng tiêu đề có {} cột (kiểm tra dấu phẩy và dấu ngoặc kép)",
                    record.len(),
                    width
                ),
            ));
            self.record = record;
            return true;
        }
        // Every cell is UTF-8 text within its column's bound and without control or
        // invisible characters before any of them is read as a value. A refused cell is
        // blanked and marked broken: the row's other cells are still checked (every problem
        // of a row at once), but a row with a broken cell never becomes a value.
        let mut broken = vec![false; width];
        let mut record = record;
        for (i, raw) in record.iter().enumerate() {
            if let Some(reason) = cell_problem(raw, self.limits[i]) {
                broken[i] = true;
                issues.push(Issue {
                    file: self.header.file.clone(),
                    line,
                    column: Some(Column {
                        index: i + 1,
                        name: self.header.names[i].clone(),
                    }),
                    reason,
                });
            }
        }
        if broken.contains(&true) {
            let mut blanked = ByteRecord::new();
            for (i, raw) in record.iter().enumerate() {
                blanked.push_field(if broken[i] { b"" } else { raw });
            }
            record = blanked;
        }
        match StringRecord::from_byte_record(record) {
            Ok(values) => {
                let mut row = Row {
                    header: &self.header,
                    line,
                    values: &values,
                    broken: &broken,
                    issues,
                };
                each(&mut row);
                self.record = values.into_byte_record();
            }
            Err(e) => self.record = e.into_byte_record(),
        }
        true
    }
}

/// What is wrong with one cell, before its value is read: not UTF-8, longer than `limit`
/// characters, or holding a control or invisible character. The cell itself is never
/// repeated (it may be megabytes long, or hold what a terminal would obey).
fn cell_problem(raw: &[u8], limit: usize) -> Option<String> {
    let Ok(text) = std::str::from_utf8(raw) else {
        return Some("ô không phải văn bản UTF-8 (lưu tệp với mã hóa UTF-8)".to_owned());
    };
    let len = text.chars().count();
    if len > limit {
        return Some(format!("ô dài {len} ký tự, tối đa {limit} ký tự"));
    }
    let (position, c) = text
        .chars()
        .enumerate()
        .find(|(_, c)| is_forbidden_in_text(*c))?;
    Some(format!(
        "ô có ký tự điều khiển hoặc ký tự vô hình {} ở vị trí {}",
        describe(c),
        position + 1
    ))
}

/// A reading error of the CSV reader, in Vietnamese.
fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(e) => format!("không đọc tiếp được tệp: {e}"),
        _ => format!("dòng CSV không hợp lệ: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: Layout = Layout {
        all: &["code", "name", "note"],
        required: &["code", "name"],
        limits: &[("name", 10)],
    };

    /// Reads `text` with [`LAYOUT`], checking `code` as a code; returns the issues and the
    /// codes of the rows that became values.
    fn read_codes(text: &str) -> (Vec<Issue>, Vec<String>) {
        let mut codes = Vec::new();
        let issues = read("t.csv", text.as_bytes(), &LAYOUT, |row| {
            let code = row.parse("code", |t| {
                crate::code::check_code(crate::code::CodeKind::Unit, t)
                    .map(|()| t.to_owned())
                    .map_err(|e| e.to_string())
            });
            let name = row.required("name");
            let note = row.optional("note", |t| Ok(t.to_owned()));
            if let (Some(code), Some(_), Ok(_)) = (code, name, note) {
                codes.push(code);
            }
        });
        (issues, codes)
    }

    #[test]
    fn every_problem_of_a_row_is_reported_and_a_broken_row_is_no_value() {
        // A name too long and a look-alike letter in the code, on one row: both are said.
        let (issues, codes) = read_codes("code,name,note\nok,Tên,\nxО,Tên quá dài rồi,\n");
        let mut at: Vec<(u64, Option<&str>, &str)> = issues
            .iter()
            .map(|i| {
                let column = i.column.as_ref().map(|c| c.name.as_str());
                (i.line, column, i.reason.as_str())
            })
            .collect();
        at.sort_unstable();
        assert_eq!(at.len(), 2, "{issues:#?}");
        assert_eq!((at[0].0, at[0].1), (3, Some("code")));
        assert!(at[0].2.contains("U+041E"), "{issues:#?}");
        assert_eq!((at[1].0, at[1].1), (3, Some("name")));
        assert!(at[1].2.starts_with("ô dài 15 ký tự"), "{issues:#?}");
        assert_eq!(codes, ["ok"]);
        // A broken optional cell is not read as empty: the row gives no value, and the
        // required cell it blanks is not also called empty.
        let (issues, codes) = read_codes("code,name,note\nab,\u{7},x\u{200B}\n");
        assert_eq!(issues.len(), 2, "{issues:#?}");
        assert!(issues.iter().all(|i| !i.reason.contains("để trống")));
        assert!(codes.is_empty());
    }
}
