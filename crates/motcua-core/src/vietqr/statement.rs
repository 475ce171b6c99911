//! A bank statement (sao kê) of the unit's account as CSV (docs/spec/interchange.md,
//! "Bank statements"), read into [`StatementLine`]s with every problem located by line and
//! column; and the dossier codes a transfer's description may name ([`reference_keys`]).
//!
//! Banks rewrite transfer messages: they drop diacritics, change case, turn `-` and `.` into
//! spaces or drop them, and add their own words around. A dossier code is therefore compared
//! by its [`compact_key`] (upper-case letters and digits only) with the keys of every run of
//! consecutive words of the description.

use std::collections::HashSet;

use time::macros::format_description;
use time::{PrimitiveDateTime, UtcOffset};

use crate::Timestamp;
use crate::interchange::{Column, Issue};

/// The columns a statement must have (others are ignored: banks add their own).
pub const COLUMNS: [&str; 4] = ["transaction_id", "booked_at", "amount_vnd", "description"];
const MAX_ID_CHARS: usize = 64;
const MAX_DESCRIPTION_CHARS: usize = 500;
/// The most words a dossier code may span in a description (`VINH LINH TNMT 240520 0001`).
const MAX_CODE_WORDS: usize = 8;

/// One transaction of the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// The physical line where the row starts (the header is line 1).
    pub line: u64,
    /// The bank's transaction reference (số bút toán / mã giao dịch), unique in the account.
    pub transaction_id: String,
    pub booked_at: Timestamp,
    /// Positive for a credit (money received), negative for a debit.
    pub amount_vnd: i64,
    pub description: String,
}

/// The problems of a statement, each at its line and column.
struct Problems<'a> {
    file: &'a str,
    /// The 1-based position of each of [`COLUMNS`] in the header.
    positions: [usize; 4],
    issues: Vec<Issue>,
}

impl Problems<'_> {
    fn push(&mut self, line: u64, column: Option<usize>, reason: impl Into<String>) {
        self.issues.push(Issue {
            file: self.file.to_owned(),
            line,
            column: column.map(|i| Column {
                index: self.positions[i],
                name: COLUMNS[i].to_owned(),
            }),
            reason: reason.into(),
        });
    }
}

/// Reads a statement: UTF-8 (a leading BOM is accepted), comma separated, a header naming
/// [`COLUMNS`]. Every problem is reported, and then no line is returned.
pub fn read(file: &str, bytes: &[u8], now: Timestamp) -> Result<Vec<StatementLine>, Vec<Issue>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let mut p = Problems {
        file,
        positions: [0; 4],
        issues: Vec::new(),
    };
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            p.push(1, None, format!("không đọc được dòng tiêu đề: {e}"));
            return Err(p.issues);
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_lowercase())
        .collect();
    let mut index = [0usize; 4];
    let mut missing = Vec::new();
    for (i, column) in COLUMNS.iter().enumerate() {
        match names.iter().position(|n| n == column) {
            Some(at) => {
                index[i] = at;
                p.positions[i] = at + 1;
            }
            None => missing.push(*column),
        }
    }
    if !missing.is_empty() {
        p.push(
            1,
            None,
            format!("dòng tiêu đề thiếu cột {}", missing.join(", ")),
        );
        return Err(p.issues);
    }
    let mut lines = Vec::new();
    let mut seen = HashSet::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                p.push(line, None, format!("dòng CSV không đọc được: {e}"));
                break;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        let mut cell = |i: usize| -> Option<String> {
            match std::str::from_utf8(&record[index[i]]) {
                Ok(text) => Some(text.trim().to_owned()),
                Err(_) => {
                    p.push(line, Some(i), "không phải văn bản UTF-8");
                    None
                }
            }
        };
        let (Some(id), Some(at), Some(amount), Some(description)) =
            (cell(0), cell(1), cell(2), cell(3))
        else {
            continue;
        };
        let before = p.issues.len();
        if id.is_empty() {
            p.push(line, Some(0), "thiếu mã giao dịch");
        } else if crate::freetext::check_line(&id, MAX_ID_CHARS).is_err() {
            p.push(
                line,
                Some(0),
                format!("mã giao dịch tối đa {MAX_ID_CHARS} ký tự, không có ký tự điều khiển"),
            );
        } else if !seen.insert(id.clone()) {
            p.push(
                line,
                Some(0),
                format!("mã giao dịch «{id}» lặp lại trong tệp"),
            );
        }
        let booked_at = match parse_time(&at) {
            Some(t) if t > now => {
                p.push(line, Some(1), "thời điểm giao dịch ở sau thời điểm nhập");
                None
            }
            Some(t) => Some(t),
            None => {
                p.push(line, Some(1),
                    format!("thời điểm «{}» không hợp lệ: ghi 2024-05-13T08:05:00+07:00 hoặc 13/05/2024 08:05:00", at.chars().take(40).collect::<String>()));
                None
            }
        };
        let amount_vnd = parse_amount(&amount);
        if amount_vnd.is_none() {
            p.push(
                line,
                Some(2),
                format!(
                    "số tiền «{}» không hợp lệ: ghi số đồng, ví dụ 50000 hoặc 50.000",
                    amount.chars().take(40).collect::<String>()
                ),
            );
        }
        if crate::freetext::check_line(&description, MAX_DESCRIPTION_CHARS).is_err() {
            p.push(
                line,
                Some(3),
                format!("nội dung tối đa {MAX_DESCRIPTION_CHARS} ký tự, không có ký tự điều khiển"),
            );
        }
        if let (Some(booked_at), Some(amount_vnd), true) =
            (booked_at, amount_vnd, p.issues.len() == before)
        {
            lines.push(StatementLine {
                line,
                transaction_id: id,
                booked_at,
                amount_vnd,
                description,
            });
        }
    }
    if p.issues.is_empty() {
        Ok(lines)
    } else {
        Err(p.issues)
    }
}

/// RFC 3339 with an offset, or the banks' `DD/MM/YYYY HH:MM[:SS]` in legal time (UTC+7).
fn parse_time(text: &str) -> Option<Timestamp> {
    if let Ok(t) = Timestamp::parse(text) {
        return Some(t);
    }
    let local = PrimitiveDateTime::parse(
        text,
        format_description!("[day]/[month]/[year] [hour]:[minute]:[second]"),
    )
    .or_else(|_| {
        PrimitiveDateTime::parse(
            text,
            format_description!("[day]/[month]/[year] [hour]:[minute]"),
        )
    })
    .ok()?;
    let offset = UtcOffset::from_hms(7, 0, 0).ok()?;
    Timestamp::from_datetime(local.assume_offset(offset)).ok()
}

/// A whole number of đồng: `50000`, `50.000`, `50,000`, `50 000`, `-50.000`, `+50.000`; a
/// trailing `,00` or `.00` (no đồng fractions) is accepted.
fn parse_amount(text: &str) -> Option<i64> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let t = t
        .strip_suffix(",00")
        .or_else(|| t.strip_suffix(".00"))
        .unwrap_or(t);
    let groups: Vec<&str> = t.split(['.', ',', ' ']).collect();
    let grouped = groups.len() > 1;
    if groups.iter().enumerate().any(|(i, g)| {
        g.is_empty()
            || !g.bytes().all(|b| b.is_ascii_digit())
            || (grouped && i > 0 && g.len() != 3)
            || (grouped && i == 0 && g.len() > 3)
    }) {
        return None;
    }
    let n: i64 = groups.concat().parse().ok()?;
    Some(if negative { -n } else { n })
}

/// A code's key for matching: its ASCII letters (upper case) and digits only.
pub fn compact_key(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The keys of every run of up to eight consecutive words of `description` (without
/// diacritics, upper case, split at anything but letters and digits) that could be a
/// dossier code: 6 to 64 characters with at least one digit; the longest first, each once.
pub fn reference_keys(description: &str) -> Vec<String> {
    let folded = crate::search::fold(description).to_ascii_uppercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut keys = Vec::new();
    let mut seen = HashSet::new();
    for start in 0..words.len() {
        let mut key = String::new();
        for w in words.iter().skip(start).take(MAX_CODE_WORDS) {
            key.push_str(w);
            if key.len() > 64 {
                break;
            }
            if key.len() >= 6 && key.bytes().any(|b| b.is_ascii_digit()) && seen.insert(key.clone())
            {
                keys.push(key.clone());
            }
        }
    }
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    keys
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::parse("2024-06-01T00:00:00+07:00").unwrap()
    }

    #[test]
    fn a_statement_is_read_with_the_banks_spellings() {
        let csv = "\u{feff}Transaction_ID,booked_at,amount_vnd,description,balance\n\
            FT001,2024-05-20T09:15:00+07:00,50.000,HO-XA-240520-0001 LE PHI,1\n\
            FT002,20/05/2024 10:00:05,\"1,250,000\",\"MBVCB.123.HO XA 240520 0002 LE PHI.CT tu 0123\",2\n\
            FT003,20/05/2024 11:00,-20000,Phi SMS,3\n";
        let lines = read("sao-ke.csv", csv.as_bytes(), now()).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].line, 2);
        assert_eq!(lines[0].amount_vnd, 50_000);
        assert_eq!(lines[1].amount_vnd, 1_250_000);
        assert_eq!(
            lines[1].booked_at,
            Timestamp::parse("2024-05-20T10:00:05+07:00").unwrap()
        );
        assert_eq!(lines[2].amount_vnd, -20_000);
        assert_eq!(lines[2].line, 4);
    }

    #[test]
    fn every_problem_is_located_and_nothing_is_returned() {
        let csv = "transaction_id,booked_at,amount_vnd,description\n\
            FT001,2024-05-20T09:15:00,50000,a\n\
            FT001,2024-05-20T09:15:00+07:00,5.00.0,b\n\
            ,2024-07-20T09:15:00+07:00,50000,c\n";
        let issues = read("sao-ke.csv", csv.as_bytes(), now()).unwrap_err();
        let at: Vec<_> = issues
            .iter()
            .map(|i| (i.line, i.column.as_ref().map_or("", |c| c.name.as_str())))
            .collect();
        assert_eq!(
            at,
            [
                (2, "booked_at"),
                (3, "transaction_id"),
                (3, "amount_vnd"),
                (4, "transaction_id"),
                (4, "booked_at")
            ]
        );
        assert_eq!(
            issues[1].to_string(),
            "sao-ke.csv, dòng 3, cột 1 (transaction_id): mã giao dịch «FT001» lặp lại trong tệp"
        );
        let missing = read("s.csv", b"transaction_id,amount_vnd\n", now()).unwrap_err();
        assert_eq!(
            missing[0].to_string(),
            "s.csv, dòng 1: dòng tiêu đề thiếu cột booked_at, description"
        );
        let bad = b"transaction_id,booked_at,amount_vnd,description\nA,\xff,1,x\n";
        let bad = read("s.csv", bad, now()).unwrap_err();
        assert_eq!(
            (bad[0].line, bad[0].column.as_ref().map(|c| c.index)),
            (2, Some(2))
        );
    }

    #[test]
    fn amounts_are_whole_dong() {
        for (text, v) in [
            ("50000", Some(50_000)),
            ("50.000", Some(50_000)),
            ("1 250 000", Some(1_250_000)),
            ("50.000,00", Some(50_000)),
            ("+7", Some(7)),
            ("-1.000", Some(-1_000)),
            ("5.0000", None),
            ("", None),
            ("5e3", None),
            ("1.5", None),
        ] {
            assert_eq!(parse_amount(text), v, "{text}");
        }
    }

    #[test]
    fn a_code_is_found_however_the_bank_spelled_it() {
        let key = compact_key("HO-XA-240520-0001");
        assert_eq!(key, "HOXA2405200001");
        for description in [
            "HO-XA-240520-0001 LE PHI",
            "MBVCB.3278.ho xa 240520 0001 le phi.CT tu 0123456789 NGUYEN VAN A",
            "HOXA2405200001 LE PHI",
            "Hồ Xá 240520.0001",
            "chuyen tien HO.XA.240520.0001",
        ] {
            assert!(reference_keys(description).contains(&key), "{description}");
        }
        // Another number, or the code cut short, is not the code.
        assert!(!reference_keys("HO-XA-240520-00011").contains(&key));
        assert!(!reference_keys("HO-XA-240520-001").contains(&key));
        let keys = reference_keys("A B 123456 C");
        assert_eq!(keys[0], "AB123456C");
        assert!(keys.iter().all(|k| k.len() >= 6));
    }
}
