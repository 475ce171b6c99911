//! Reading one CSV file into rows addressed by column name, with located problems.

use std::collections::HashMap;
use std::fmt;

use std::io::Read;

use csv::{ByteRecord, ReaderBuilder, StringRecord};

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
    pub issues: &'a mut Vec<Issue>,
}

impl Row<'_> {
    /// The trimmed cell of `column`; `None` when the cell is empty or the column absent.
    pub fn text(&self, column: &str) -> Option<&str> {
        let &i = self.header.columns.get(column)?;
        let v = self.values.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// Records a problem on `column` of this row.
    pub fn fail(&mut self, column: &str, reason: impl Into<String>) {
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

/// Which columns a file has, and which of them must be present in the header.
pub(crate) struct Layout {
    pub all: &'static [&'static str],
    pub required: &'static [&'static str],
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
    reader: csv::Reader<Unmarked<R>>,
    header: Header,
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
            .from_reader(input);
        let mut header_record = ByteRecord::new();
        match reader.read_byte_record(&mut header_record) {
            Ok(false) => return Err(vec![issue(1, "tệp rỗng: thiếu dòng tiêu đề".to_owned())]),
            Err(e) => {
                return Err(vec![issue(1, format!("dòng tiêu đề không đọc được: {e}"))]);
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
                        line: 1,
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
                    line: 1,
                    column: Some(col),
                    reason: format!(
                        "cột không được hỗ trợ «{name}»; các cột hợp lệ: {}",
                        layout.all.join(", ")
                    ),
                });
            } else if columns.insert(name.clone(), i).is_some() {
                issues.push(Issue {
                    file: file.to_owned(),
                    line: 1,
                    column: Some(col),
                    reason: format!("cột «{name}» xuất hiện hai lần"),
                });
            }
        }
        for name in layout.required {
            if !columns.contains_key(*name) {
                issues.push(issue(1, format!("thiếu cột bắt buộc «{name}»")));
            }
        }
        if !issues.is_empty() {
            return Err(issues);
        }
        Ok(Table {
            reader,
            header: Header {
                file: file.to_owned(),
                columns,
                names,
            },
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
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => {
                self.done = true;
                return false;
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                issues.push(issue(line, format!("dòng CSV không hợp lệ: {e}")));
                self.done = true;
                return false;
            }
        }
        let record = std::mem::take(&mut self.record);
        let line = record.position().map_or(0, |p| p.line());
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
        match StringRecord::from_byte_record(record) {
            Ok(values) => {
                let mut row = Row {
                    header: &self.header,
                    line,
                    values: &values,
                    issues,
                };
                each(&mut row);
                self.record = values.into_byte_record();
            }
            Err(e) => {
                let record = e.into_byte_record();
                for (i, raw) in record.iter().enumerate() {
                    if std::str::from_utf8(raw).is_err() {
                        issues.push(Issue {
                            file: self.header.file.clone(),
                            line,
                            column: self.header.column(&self.header.names[i]),
                            reason: "ô không phải văn bản UTF-8 (lưu tệp với mã hóa UTF-8)"
                                .to_owned(),
                        });
                    }
                }
                self.record = record;
            }
        }
        true
    }
}
