//! Mutations of the interchange files for the property test of `validation.rs`: each knows
//! where it put its fault (file, physical line, and column when the fault is in one cell),
//! so that the test can check the importer names it.

use std::collections::HashSet;

/// The three files, in the order the importer reads them.
pub const FILES: [&str; 3] = ["units.csv", "procedures.csv", "dossiers.csv"];

/// The columns each file must have (a header without one of them is refused on line 1).
const REQUIRED: [&[&str]; 3] = [
    &["code", "name", "short_name", "kind", "label"],
    &[
        "code",
        "name",
        "field",
        "offered_by",
        "online_level",
        "processing_days",
        "fee_vnd",
        "components",
    ],
    &[
        "code",
        "procedure_code",
        "unit_code",
        "channel",
        "received_at",
        "components_total",
        "components_digitized",
        "fee_vnd",
        "source_system",
    ],
];

/// The columns holding codes, per file (where look-alike characters go).
const CODES: [&[&str]; 3] = [
    &["code", "parent_code"],
    &["code", "offered_by"],
    &["code", "procedure_code", "unit_code"],
];

/// One mutation: a kind and three numbers that pick the file, the row, the column, the
/// position and the bytes. Shrinking works on the numbers.
pub type Op = (u8, u32, u32, u32);

/// How many kinds of mutation there are.
pub const KINDS: u8 = 16;

/// A row with an identity that survives removals, copies and swaps.
#[derive(Clone)]
struct Row {
    id: usize,
    cells: Vec<Vec<u8>>,
}

#[derive(Clone)]
struct Table {
    header: Vec<Vec<u8>>,
    rows: Vec<Row>,
}

/// A slice of the fixture: every unit and procedure, the first dossiers.
#[derive(Clone)]
pub struct Slice {
    tables: Vec<Table>,
}

fn read_table(bytes: &[u8], limit: usize) -> Table {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut records = reader.byte_records().map_while(Result::ok);
    let header = records
        .next()
        .map(|r| r.iter().map(<[u8]>::to_vec).collect())
        .unwrap_or_default();
    let rows = records
        .take(limit)
        .enumerate()
        .map(|(id, r)| Row {
            id,
            cells: r.iter().map(<[u8]>::to_vec).collect(),
        })
        .collect();
    Table { header, rows }
}

impl Slice {
    /// The fixture's units and procedures and its first `dossiers` dossiers.
    pub fn of_fixture(dossiers: usize) -> Slice {
        let dir = motcua_testkit::vinh_linh();
        let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_default();
        Slice {
            tables: vec![
                read_table(&read(FILES[0]), usize::MAX),
                read_table(&read(FILES[1]), usize::MAX),
                read_table(&read(FILES[2]), dossiers),
            ],
        }
    }

    /// The files as they are, with `\n` line endings.
    pub fn files(&self) -> Vec<Vec<u8>> {
        (0..3)
            .map(|f| serialize(&self.tables[f], b"\n").0)
            .collect()
    }
}

/// Where the importer must report a fault.
#[derive(Debug, Clone)]
pub struct Expected {
    pub file: &'static str,
    pub line: u64,
    /// The column (1-based position and header name) when the fault is in one cell.
    pub column: Option<(usize, String)>,
    /// For a byte changed anywhere: the fault may also show as another row's issue naming
    /// this line (a code made equal to a later row's is reported there, "trùng với dòng L").
    pub loose: bool,
    pub what: String,
}

/// The mutated files and the faults known to be in them.
pub struct Mutated {
    pub files: Vec<Vec<u8>>,
    pub expected: Vec<Expected>,
}

/// A fault put in one cell of a row.
struct CellFault {
    file: usize,
    row: usize,
    column: String,
    what: String,
}

/// Line endings: `\n`, `\r\n` or `\r`.
pub fn ending(choice: u8) -> &'static [u8] {
    match choice % 3 {
        0 => b"\n",
        1 => b"\r\n",
        _ => b"\r",
    }
}

/// Quotes a cell the RFC 4180 way when it holds a comma, a quote or a line break.
fn quote(cell: &[u8], out: &mut Vec<u8>) {
    if cell
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
    {
        out.push(b'"');
        for &b in cell {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(cell);
    }
}

/// The bytes of a table, and the byte offset where each data row starts.
fn serialize(table: &Table, ending: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let mut out = Vec::new();
    let write = |cells: &[Vec<u8>], out: &mut Vec<u8>| {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            quote(cell, out);
        }
        out.extend_from_slice(ending);
    };
    write(&table.header, &mut out);
    let mut starts = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        starts.push(out.len());
        write(&row.cells, &mut out);
    }
    (out, starts)
}

/// The 1-based physical line of byte `offset`: LF, CRLF and a lone CR each end a line.
pub fn line_of(bytes: &[u8], offset: usize) -> u64 {
    let mut line = 1;
    let end = offset.min(bytes.len());
    for i in 0..end {
        match bytes[i] {
            b'\r' => line += 1,
            b'\n' if i == 0 || bytes[i - 1] != b'\r' => line += 1,
            _ => {}
        }
    }
    line
}

/// How many physical lines a file has.
pub fn line_count(bytes: &[u8]) -> u64 {
    match bytes.last() {
        None => 0,
        Some(b'\r' | b'\n') => line_of(bytes, bytes.len()) - 1,
        Some(_) => line_of(bytes, bytes.len()),
    }
}

/// The cells of a file's header as the importer reads them (BOM dropped).
pub fn header_cells(bytes: &[u8]) -> Vec<Vec<u8>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => record.iter().map(<[u8]>::to_vec).collect(),
        _ => Vec::new(),
    }
}

/// A char boundary of `cell` picked by `n` (the end when the cell is not UTF-8).
fn boundary(cell: &[u8], n: u32) -> usize {
    match std::str::from_utf8(cell) {
        Ok(text) => {
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            bounds[n as usize % bounds.len()]
        }
        Err(_) => cell.len(),
    }
}

fn insert(cell: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    let tail = cell.split_off(at);
    cell.extend_from_slice(bytes);
    cell.extend_from_slice(&tail);
}

/// Puts a fault in cell (`row`, `column`) of `table`; the description of what was done.
fn spoil_cell(table: &mut Table, row: usize, column: usize, kind: u8, b: u32, c: u32) -> String {
    let name = String::from_utf8_lossy(&table.header[column]).into_owned();
    let cell = &mut table.rows[row].cells[column];
    let at = boundary(cell, b);
    match kind {
        0 => {
            insert(cell, at, b"\0");
            "NUL".to_owned()
        }
        1 => {
            let text = String::from_utf8_lossy(cell).into_owned();
            let at = boundary(text.as_bytes(), b);
            let spoilt = match c % 7 {
                0 => format!("{}\u{200B}{}", &text[..at], &text[at..]),
                1 => format!("{}\u{2060}{}", &text[..at], &text[at..]),
                2 => format!("\u{FEFF}{text}"),
                3 if text.contains('-') => text.replacen('-', "\u{2011}", 1),
                3 => format!("{}\u{2011}{}", &text[..at], &text[at..]),
                4 => format!("{}/{}", &text[..at], &text[at..]),
                5 => format!("{}..{}", &text[..at], &text[at..]),
                _ => format!("{}\u{0410}{}", &text[..at], &text[at..]),
            };
            *cell = spoilt.into_bytes();
            format!("look-alike in {name}")
        }
        2 => {
            match c % 3 {
                0 => insert(cell, at, b"\xFF"),
                1 if cell.iter().any(|b| *b >= 0x80) => {
                    // Windows-1258-like: one byte per accented letter (a UTF-8 continuation
                    // byte alone, never valid).
                    let text = String::from_utf8_lossy(cell).into_owned();
                    *cell = text
                        .chars()
                        .map(|ch| {
                            if ch.is_ascii() {
                                ch as u8
                            } else {
                                0x80 + (u32::from(ch) % 0x40) as u8
                            }
                        })
                        .collect();
                }
                _ => insert(cell, at, b"\xE1\x80"),
            }
            "not UTF-8".to_owned()
        }
        3 => {
            let n = 70_000 + (b as usize % 200_000);
            let unit = if c.is_multiple_of(2) { "A" } else { "ễ" };
            *cell = unit.repeat(n).into_bytes();
            format!("{n} characters")
        }
        4 => {
            let controls = [
                "\u{7}", "\u{1b}", "\t", "\n", "\r", "\r\n", "\u{7f}", "\u{85}", "\u{2028}",
                "\u{202E}",
            ];
            let control = controls[c as usize % controls.len()];
            insert(cell, at, control.as_bytes());
            format!("control {control:?}")
        }
        _ => {
            // A quoted cell spanning many lines: the rows after it must be named by their
            // physical lines all the same.
            let n = 2 + b as usize % 20_000;
            let line = ["ab\n", "ab\r\n", "ab\r"][c as usize % 3];
            *cell = line.repeat(n).into_bytes();
            format!("{n} lines in a cell")
        }
    }
}

/// Applies `ops` to the slice and writes the files with the given line endings.
pub fn mutate(slice: &Slice, endings: [u8; 3], ops: &[Op]) -> Mutated {
    // A byte changed anywhere is a case of its own: the lines of other faults would move.
    if let Some(&(kind, a, b, c)) = ops
        .iter()
        .find(|op| op.0 % KINDS >= 12 && op.0 % KINDS <= 14)
    {
        return spoil_bytes(slice, endings, kind % KINDS, a, b, c);
    }
    let mut tables = slice.tables.clone();
    let mut next_id = tables.iter().map(|t| t.rows.len()).sum::<usize>() + 1;
    let mut ops: Vec<Op> = ops
        .iter()
        .map(|op| (op.0 % KINDS, op.1, op.2, op.3))
        .collect();
    // Columns first, then rows, then cells, then whole-file encodings.
    let phase = |kind: u8| match kind {
        5..=7 => 0,
        8..=10 => 1,
        11 => 3,
        _ => 2,
    };
    ops.sort_by_key(|op| phase(op.0));
    let file_of = |a: u32| [0usize, 1, 2, 2, 2][a as usize % 5];
    let mut cells: Vec<CellFault> = Vec::new();
    let mut copies: Vec<(usize, usize, usize)> = Vec::new();
    let mut utf16: Vec<(usize, bool)> = Vec::new();
    for (kind, a, b, c) in ops {
        let f = file_of(a);
        let t = &mut tables[f];
        let width = t.header.len();
        let data = t.rows.len();
        match kind {
            5 if width > 1 => {
                let j = c as usize % width;
                t.header.remove(j);
                for r in &mut t.rows {
                    r.cells.remove(j);
                }
            }
            6 => {
                let j = c as usize % width;
                let to = b as usize % (width + 1);
                let h = t.header[j].clone();
                t.header.insert(to, h);
                for r in &mut t.rows {
                    let v = r.cells[j].clone();
                    r.cells.insert(to, v);
                }
            }
            7 if width > 1 => {
                let k = 1 + b as usize % (width - 1);
                t.header.rotate_left(k);
                for r in &mut t.rows {
                    r.cells.rotate_left(k);
                }
                if c.is_multiple_of(2) {
                    t.header.reverse();
                    for r in &mut t.rows {
                        r.cells.reverse();
                    }
                }
            }
            8 if data > 1 => {
                t.rows.remove(b as usize % data);
            }
            9 if data > 0 => {
                let i = b as usize % data;
                let mut copy = t.rows[i].clone();
                let original = copy.id;
                copy.id = next_id;
                next_id += 1;
                let at = if c.is_multiple_of(2) { i + 1 } else { data };
                copies.push((f, original, copy.id));
                t.rows.insert(at, copy);
            }
            10 if data > 1 => t.rows.swap(b as usize % data, c as usize % data),
            11 => utf16.push((f, c.is_multiple_of(2))),
            0..=4 | 15 if data > 0 => {
                let row = b as usize % data;
                let column = if kind == 1 {
                    let names: Vec<usize> = (0..width)
                        .filter(|j| CODES[f].iter().any(|n| t.header[*j] == n.as_bytes()))
                        .collect();
                    match names.get(c as usize % names.len().max(1)) {
                        Some(j) => *j,
                        None => continue,
                    }
                } else {
                    c as usize % width
                };
                let what = spoil_cell(t, row, column, kind, b.rotate_left(7), c.rotate_left(3));
                cells.push(CellFault {
                    file: f,
                    row: t.rows[row].id,
                    column: String::from_utf8_lossy(&t.header[column]).into_owned(),
                    what,
                });
            }
            _ => {}
        }
    }
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for f in 0..3 {
        let t = &tables[f];
        let (mut bytes, starts) = serialize(t, ending(endings[f]));
        let header: Vec<String> = t
            .header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect();
        let mut file_expected = Vec::new();
        let mut header_fault = false;
        for name in REQUIRED[f] {
            if !header.iter().any(|h| h == name) {
                header_fault = true;
                file_expected.push(Expected {
                    file: FILES[f],
                    line: 1,
                    column: None,
                    loose: false,
                    what: format!("column {name} removed"),
                });
            }
        }
        let mut seen = HashSet::new();
        for (j, h) in header.iter().enumerate() {
            if !seen.insert(h.clone()) {
                header_fault = true;
                file_expected.push(Expected {
                    file: FILES[f],
                    line: 1,
                    column: Some((j + 1, h.clone())),
                    loose: false,
                    what: format!("column {h} twice"),
                });
            }
        }
        let position = |id: usize| t.rows.iter().position(|r| r.id == id);
        let spoilt: HashSet<usize> = cells
            .iter()
            .filter(|c| c.file == f)
            .map(|c| c.row)
            .collect();
        if !header_fault {
            for fault in cells.iter().filter(|c| c.file == f) {
                let Some(i) = position(fault.row) else {
                    continue;
                };
                let index = header.iter().position(|h| *h == fault.column);
                file_expected.push(Expected {
                    file: FILES[f],
                    line: line_of(&bytes, starts[i]),
                    column: index.map(|j| (j + 1, fault.column.clone())),
                    loose: false,
                    what: fault.what.clone(),
                });
            }
            for &(file, original, copy) in &copies {
                if file != f || spoilt.contains(&original) || spoilt.contains(&copy) {
                    continue;
                }
                let (Some(x), Some(y)) = (position(original), position(copy)) else {
                    continue;
                };
                let later = x.max(y);
                let index = header.iter().position(|h| h == "code");
                file_expected.push(Expected {
                    file: FILES[f],
                    line: line_of(&bytes, starts[later]),
                    column: index.map(|j| (j + 1, "code".to_owned())),
                    loose: false,
                    what: "row twice".to_owned(),
                });
            }
        }
        if let Some(&(_, little)) = utf16.iter().find(|(file, _)| *file == f) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            bytes = if little {
                let mut out = vec![0xFF, 0xFE];
                out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                out
            } else {
                text.encode_utf16().flat_map(u16::to_be_bytes).collect()
            };
            file_expected = vec![Expected {
                file: FILES[f],
                line: 1,
                column: None,
                loose: false,
                what: "UTF-16".to_owned(),
            }];
        }
        expected.extend(file_expected);
        files.push(bytes);
    }
    Mutated { files, expected }
}

/// One byte flipped, inserted or deleted anywhere in one file.
fn spoil_bytes(slice: &Slice, endings: [u8; 3], kind: u8, a: u32, b: u32, c: u32) -> Mutated {
    let f = [0usize, 1, 2, 2, 2][a as usize % 5];
    let mut files: Vec<Vec<u8>> = (0..3)
        .map(|i| serialize(&slice.tables[i], ending(endings[i])).0)
        .collect();
    let bytes = &mut files[f];
    let len = bytes.len();
    let (at, what) = match kind {
        12 => {
            let at = b as usize % len;
            bytes[at] ^= (c % 255) as u8 + 1;
            (at, format!("byte {at} flipped"))
        }
        13 => {
            let at = b as usize % (len + 1);
            bytes.insert(at, c as u8);
            (at, format!("byte {:#04x} inserted at {at}", c as u8))
        }
        _ => {
            let at = b as usize % len;
            bytes.remove(at);
            (at.min(bytes.len()), format!("byte {at} deleted"))
        }
    };
    let line = line_of(bytes, at);
    Mutated {
        expected: vec![Expected {
            file: FILES[f],
            line,
            column: None,
            loose: true,
            what,
        }],
        files,
    }
}
