//! The long lists officers work from (the worklist, the dossiers behind a figure, the search):
//! what they may be filtered and sorted by, and the keys of their pages.
//!
//! Lists are read one page at a time ([`PAGE_SIZE`] rows at most) by keyset: a page ends on a
//! [`Cursor`] (the sort column's value and the dossier code), and the next page starts after
//! it. No OFFSET: a page costs the same wherever it is, and a dossier received meanwhile never
//! shifts the rows of the pages already seen. [`WorkStatus`], [`SortKey`] and [`SortDir`] are
//! the one list of their choices: the URL keys and the Vietnamese names derive from them.
//! The search keys ([`phone_key`], [`id_key`], [`name_key`]) are what the store indexes.

use std::fmt;

use crate::Timestamp;
use crate::dossier::DossierCode;
use crate::procedure::ProcedureCode;

/// The most rows a page of a list holds.
pub const PAGE_SIZE: usize = 100;

/// Which dossiers of the worklist to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkStatus {
    /// Everything still at the desk: dossiers being handled and those waiting to be handed back.
    #[default]
    All,
    /// Not settled yet (đang giải quyết).
    Open,
    /// Not settled, the clock running, past the appointment.
    Overdue,
    /// Not settled, the clock running, due before the end of the second working day.
    DueSoon,
    /// The clock is stopped (supplement asked, suspended).
    Paused,
    /// Settled (approved or refused), the result not handed back yet.
    AwaitingReturn,
}

impl WorkStatus {
    pub const ALL: [WorkStatus; 6] = [
        WorkStatus::All,
        WorkStatus::Open,
        WorkStatus::Overdue,
        WorkStatus::DueSoon,
        WorkStatus::Paused,
        WorkStatus::AwaitingReturn,
    ];

    /// The URL key (`?status=`); empty for everything.
    pub fn key(self) -> &'static str {
        match self {
            WorkStatus::All => "",
            WorkStatus::Open => "dang-giai-quyet",
            WorkStatus::Overdue => "qua-han",
            WorkStatus::DueSoon => "den-han",
            WorkStatus::Paused => "tam-dung",
            WorkStatus::AwaitingReturn => "cho-tra-ket-qua",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key.trim())
    }

    /// The name shown on the list's tabs.
    pub fn name_vi(self) -> &'static str {
        match self {
            WorkStatus::All => "Tất cả",
            WorkStatus::Open => "Đang giải quyết",
            WorkStatus::Overdue => "Quá hạn",
            WorkStatus::DueSoon => "Đến hạn trong 2 ngày làm việc",
            WorkStatus::Paused => "Đang dừng tính thời gian",
            WorkStatus::AwaitingReturn => "Chờ trả kết quả",
        }
    }
}

/// The column a list is sorted by (then by dossier code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The appointment (hẹn trả).
    Due,
    /// The reception time.
    Received,
}

impl SortKey {
    pub const ALL: [SortKey; 2] = [SortKey::Due, SortKey::Received];

    pub fn key(self) -> &'static str {
        match self {
            SortKey::Due => "han-tra",
            SortKey::Received => "tiep-nhan",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key.trim())
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            SortKey::Due => "Ngày hẹn trả",
            SortKey::Received => "Ngày tiếp nhận",
        }
    }
}

/// The direction of the sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortDir {
    #[default]
    Asc,
    Desc,
}

impl SortDir {
    pub const ALL: [SortDir; 2] = [SortDir::Asc, SortDir::Desc];

    pub fn key(self) -> &'static str {
        match self {
            SortDir::Asc => "tang",
            SortDir::Desc => "giam",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key.trim())
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            SortDir::Asc => "Sớm nhất trước",
            SortDir::Desc => "Muộn nhất trước",
        }
    }
}

/// Where a page starts: the sort column's value and the code of the row a page ends or
/// begins with. Written in URLs as `MICROS_CODE` (`_` is outside the codes' alphabet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub at: Timestamp,
    pub code: DossierCode,
}

impl Cursor {
    pub fn parse(text: &str) -> Option<Self> {
        let (at, code) = text.trim().split_once('_')?;
        Some(Self {
            at: Timestamp::from_micros(at.parse().ok()?),
            code: DossierCode::parse(code)?,
        })
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.at.as_micros(), self.code)
    }
}

/// Which page of a list: the first, the one after a cursor ("Trang sau") or the one before
/// it ("Trang trước").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PageAt {
    #[default]
    First,
    After(Cursor),
    Before(Cursor),
}

/// The filters every list of dossiers takes, on top of its own population.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListFilter {
    pub procedure: Option<ProcedureCode>,
    /// A procedure field (lĩnh vực), as the catalogue names it.
    pub field: Option<String>,
    /// Received at or after.
    pub received_from: Option<Timestamp>,
    /// Received before.
    pub received_until: Option<Timestamp>,
}

impl ListFilter {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// A phone number as the search index keeps it: its digits, a leading `84` (the country
/// code) read as `0`. `+84 912 345 678` and `0912.345.678` give `0912345678`.
pub fn phone_key(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("84") {
        Some(rest) if text.trim_start().starts_with('+') || digits.len() == 11 => {
            format!("0{rest}")
        }
        _ => digits,
    }
}

/// An ID number (CCCD, passport, tax code) as the search index keeps it: its letters and
/// digits, in capitals.
pub fn id_key(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A name as the search index keeps it: lower case, without diacritics.
pub fn name_key(text: &str) -> String {
    crate::search::fold(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_choices_once() {
        for s in WorkStatus::ALL {
            assert_eq!(WorkStatus::from_key(s.key()), Some(s));
        }
        for s in SortKey::ALL {
            assert_eq!(SortKey::from_key(s.key()), Some(s));
        }
        for s in SortDir::ALL {
            assert_eq!(SortDir::from_key(s.key()), Some(s));
        }
        assert_eq!(WorkStatus::from_key("bogus"), None);
    }

    #[test]
    fn a_cursor_reads_back() {
        let Some(code) = DossierCode::parse("HO-XA-240520-0001") else {
            panic!("a dossier code");
        };
        let c = Cursor {
            at: Timestamp::from_micros(1_716_000_000_000_000),
            code,
        };
        assert_eq!(Cursor::parse(&c.to_string()), Some(c));
        assert_eq!(Cursor::parse("12"), None);
        assert_eq!(Cursor::parse("x_HO-XA"), None);
    }

    #[test]
    fn search_keys_fold_what_clerks_type() {
        assert_eq!(phone_key("+84 912 345 678"), "0912345678");
        assert_eq!(phone_key("0912.345.678"), "0912345678");
        assert_eq!(phone_key("84912345678"), "0912345678");
        assert_eq!(phone_key("0842 123 456"), "0842123456");
        assert_eq!(id_key("045 090 001 234"), "045090001234");
        assert_eq!(id_key("b1234567"), "B1234567");
        assert_eq!(name_key("Nguyễn Văn Đức"), "nguyen van duc");
    }
}
