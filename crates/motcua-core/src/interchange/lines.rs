//! Physical line numbers of a file read through the `csv` crate.
//!
//! `csv`'s own `Position::line()` counts `\n` only, and a record's position is where the
//! previous record's terminator was cut, so every record of a CRLF file is named one line too
//! early and every record of a CR file is on "line 1". [`Lines`] sits between the file and
//! the CSV reader and notes the line breaks (LF, CRLF and a lone CR each end one line) as the
//! bytes pass; the table asks it for the line of the record that starts at a byte offset.
//! It keeps only the breaks the CSV reader has not consumed yet and those of the record being
//! read, and it refuses a record longer than [`MAX_ROW_BYTES`], so its memory is bounded by
//! the reader's look-ahead and one row, whatever the size of the file.

use std::collections::VecDeque;
use std::io::{self, Read};

/// The longest physical row accepted, in bytes (quoted line breaks included). A row of the
/// interchange format is a few hundred bytes; the bound keeps a file without line breaks (or
/// with a quote never closed) from being read into memory whole, while a cell of a few
/// megabytes is still read, and refused by its column's bound with its line and column.
pub const MAX_ROW_BYTES: u64 = 16 << 20;

/// The message of the error [`Lines`] raises on a row longer than [`MAX_ROW_BYTES`].
pub const ROW_TOO_LONG: &str =
    "dòng dài quá 16 MiB (thiếu dấu xuống dòng hoặc dấu ngoặc kép chưa đóng?)";

/// The CSV reader's buffer: it never holds more than this many bytes not yet consumed, so a
/// break further back than this belongs to the record being read.
pub const LOOK_AHEAD: usize = 8 * 1024;

/// One line break: the offsets of its first byte and of the byte after it (CRLF is two).
#[derive(Debug, Clone, Copy)]
struct Break {
    start: u64,
    end: u64,
}

/// A reader that notes where lines break.
#[derive(Debug)]
pub(crate) struct Lines<R> {
    inner: R,
    /// Bytes handed out so far.
    read: u64,
    /// The last byte handed out was a CR (a LF right after it is part of the same break).
    after_cr: bool,
    /// Breaks not counted yet, in order: those of the look-ahead, and those of the record
    /// being read after its first byte of content.
    pending: VecDeque<Break>,
    /// Breaks counted.
    counted: u64,
    /// Where the last counted break ends.
    last_end: u64,
    /// The start of the record being read, for the row length bound.
    row_start: u64,
    /// The line of the record being read once its first byte of content is known; until
    /// then, where that byte is looked for (the reader skips the rest of a CRLF and blank
    /// lines before a record, so breaks there are the record's leading ones).
    row: Row,
}

#[derive(Debug, Clone, Copy)]
enum Row {
    Seeking(u64),
    Line(u64),
}

impl<R: Read> Lines<R> {
    pub fn new(inner: R) -> Self {
        Lines {
            inner,
            read: 0,
            after_cr: false,
            pending: VecDeque::new(),
            counted: 0,
            last_end: 0,
            row_start: 0,
            row: Row::Seeking(0),
        }
    }

    fn count(&mut self, b: Break) {
        self.counted += 1;
        self.last_end = b.end;
    }

    /// Called before the record that starts at byte `offset` (the CSV reader's position) is
    /// read: counts the breaks before it and those right at it, and starts the row length
    /// bound there.
    pub fn start_row(&mut self, offset: u64) {
        while let Some(b) = self.pending.front().copied() {
            if b.start >= offset {
                break;
            }
            self.pending.pop_front();
            self.count(b);
        }
        let mut at = offset.max(self.last_end);
        while let Some(b) = self.pending.front().copied() {
            if b.start != at {
                break;
            }
            self.pending.pop_front();
            self.count(b);
            at = b.end;
        }
        self.row_start = offset;
        self.row = if at < self.read {
            // Read already, and not a break: the record's first byte.
            Row::Line(self.counted + 1)
        } else {
            Row::Seeking(at)
        };
    }

    /// The 1-based line of the record started by the last [`Lines::start_row`] (the line of
    /// its first byte of content), once it has been read.
    pub fn line(&self) -> u64 {
        match self.row {
            Row::Line(line) => line,
            Row::Seeking(_) => self.counted + 1,
        }
    }

    fn note(&mut self, bytes: &[u8]) {
        for (i, &byte) in bytes.iter().enumerate() {
            let at = self.read + i as u64;
            let b = Break {
                start: at,
                end: at + 1,
            };
            match (byte, self.row) {
                (b'\n', _) if self.after_cr => {
                    // The second byte of a CRLF: the break the CR began ends after it.
                    if let Some(last) = self.pending.back_mut().filter(|b| b.end == at) {
                        last.end = at + 1;
                    } else if self.last_end == at {
                        self.last_end = at + 1;
                        if let Row::Seeking(s) = self.row
                            && s == at
                        {
                            self.row = Row::Seeking(at + 1);
                        }
                    }
                }
                (b'\r' | b'\n', Row::Seeking(s)) if s == at => {
                    self.count(b);
                    self.row = Row::Seeking(at + 1);
                }
                (b'\r' | b'\n', _) => self.pending.push_back(b),
                (_, Row::Seeking(s)) if s == at => self.row = Row::Line(self.counted + 1),
                _ => {}
            }
            self.after_cr = byte == b'\r';
        }
        self.read += bytes.len() as u64;
        // What lies further back than the CSV reader's buffer has been consumed into the
        // record being read: those breaks are only counted.
        if let Row::Line(_) = self.row {
            let consumed = self.read.saturating_sub(LOOK_AHEAD as u64);
            while let Some(b) = self.pending.front().copied() {
                if b.end > consumed {
                    break;
                }
                self.pending.pop_front();
                self.count(b);
            }
        }
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read.saturating_sub(self.row_start) > MAX_ROW_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, ROW_TOO_LONG));
        }
        let n = self.inner.read(buf)?;
        self.note(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The line of every record, read as the table reads them, with a buffer of one byte,
    /// a few bytes and the table's; all three must agree.
    fn record_lines(text: &[u8]) -> Vec<u64> {
        let read = |capacity: usize| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .buffer_capacity(capacity)
                .from_reader(Lines::new(text));
            let mut record = csv::ByteRecord::new();
            let mut out = Vec::new();
            loop {
                let start = reader.position().byte();
                reader.get_mut().start_row(start);
                if !reader.read_byte_record(&mut record).unwrap() {
                    break;
                }
                out.push(reader.get_ref().line());
            }
            out
        };
        let lines = read(1);
        assert_eq!(read(3), lines);
        assert_eq!(read(LOOK_AHEAD), lines);
        lines
    }

    #[test]
    fn lf_crlf_and_cr_each_end_a_line() {
        for ending in ["\n", "\r\n", "\r"] {
            let text = ["h", "a", "b", "c"].join(ending) + ending;
            assert_eq!(record_lines(text.as_bytes()), [1, 2, 3, 4], "{ending:?}");
        }
        // Without a last break, and with blank lines (skipped by the reader, counted here).
        assert_eq!(record_lines(b"h\r\n\r\na\n\nb"), [1, 3, 5]);
        assert_eq!(record_lines(b"h\r\r\ra"), [1, 4]);
    }

    #[test]
    fn quoted_cells_count_their_lines() {
        assert_eq!(
            record_lines(b"h,i\r\n\"x\r\ny\",1\r\nz,2\r\n\"p\nq\rr\",3\nlast,4"),
            [1, 2, 4, 5, 8]
        );
    }

    #[test]
    fn memory_follows_the_look_ahead_not_the_file() {
        let text = "a,b\r\n".repeat(100_000);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .buffer_capacity(LOOK_AHEAD)
            .from_reader(Lines::new(text.as_bytes()));
        let mut record = csv::ByteRecord::new();
        let mut most = 0;
        let mut line = 0;
        loop {
            let start = reader.position().byte();
            reader.get_mut().start_row(start);
            if !reader.read_byte_record(&mut record).unwrap() {
                break;
            }
            line = reader.get_ref().line();
            most = most.max(reader.get_ref().pending.len());
        }
        assert_eq!(line, 100_000);
        // The reader's buffer is 8 KiB: at most that many breaks wait.
        assert!(most <= LOOK_AHEAD, "{most}");
    }

    #[test]
    fn a_cell_of_a_million_line_breaks_is_counted_not_kept() {
        let mut text = b"h\r\n\"".to_vec();
        text.extend(b"\r\n".repeat(1_000_000));
        text.extend(b"\"\r\nnext\r\n");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .buffer_capacity(LOOK_AHEAD)
            .from_reader(Lines::new(text.as_slice()));
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        let mut most = 0;
        loop {
            let start = reader.position().byte();
            reader.get_mut().start_row(start);
            if !reader.read_byte_record(&mut record).unwrap() {
                break;
            }
            lines.push(reader.get_ref().line());
            most = most.max(reader.get_ref().pending.len());
        }
        assert_eq!(lines, [1, 2, 1_000_003]);
        assert!(most <= LOOK_AHEAD, "{most}");
    }

    #[test]
    fn a_row_without_end_is_refused() {
        let text = vec![b'x'; (MAX_ROW_BYTES + 10) as usize];
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(Lines::new(text.as_slice()));
        reader.get_mut().start_row(0);
        let mut record = csv::ByteRecord::new();
        let error = reader.read_byte_record(&mut record).unwrap_err();
        assert!(error.to_string().contains("16 MiB"), "{error}");
    }
}
