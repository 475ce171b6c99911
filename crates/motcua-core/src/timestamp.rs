//! Instants ([`Timestamp`]) and calendar months ([`Month`]) in the legal time zone.
//!
//! Vietnam's legal time is UTC+7 without daylight saving, so the offset is a constant: no time
//! zone database is consulted and the machine's own zone never matters. A timestamp is kept as
//! microseconds since the Unix epoch, which sorts and compares identically in Rust, SQLite and
//! PostgreSQL.

use std::fmt;
use std::str::FromStr;

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

/// UTC+7, the legal time of Vietnam (Asia/Ho_Chi_Minh).
pub const LEGAL_OFFSET: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// An instant, to the microsecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// Why a text is not an acceptable timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    #[error("thiếu độ lệch múi giờ (ví dụ 2024-05-13T08:05:00+07:00)")]
    MissingOffset,
    #[error("không phải thời điểm RFC 3339 hợp lệ (ví dụ 2024-05-13T08:05:00+07:00)")]
    Invalid,
    #[error("thời điểm nằm ngoài khoảng hỗ trợ")]
    OutOfRange,
}

impl Timestamp {
    /// Builds a timestamp from microseconds since the Unix epoch.
    pub const fn from_micros(micros: i64) -> Self {
        Self(micros)
    }

    /// Microseconds since the Unix epoch (the stored form).
    pub const fn as_micros(self) -> i64 {
        self.0
    }

    /// Converts from a `time` value, whatever its offset.
    pub fn from_datetime(dt: OffsetDateTime) -> Result<Self, TimestampError> {
        let micros = dt.unix_timestamp_nanos() / 1_000;
        i64::try_from(micros)
            .map(Self)
            .map_err(|_| TimestampError::OutOfRange)
    }

    /// The same instant in legal time (UTC+7).
    pub fn to_local(self) -> OffsetDateTime {
        let nanos = i128::from(self.0) * 1_000;
        // Every i64 microsecond count is within `time`'s range only up to year 9999; values
        // outside cannot be built by `parse` or `from_datetime`, so the fallback is unreachable
        // in practice and keeps this function total.
        OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .to_offset(LEGAL_OFFSET)
    }

    /// The local (UTC+7) calendar date of this instant.
    pub fn local_date(self) -> Date {
        self.to_local().date()
    }

    /// RFC 3339 in legal time, e.g. `2024-05-13T08:05:00+07:00`.
    pub fn to_rfc3339(self) -> String {
        self.to_local()
            .format(&Rfc3339)
            .unwrap_or_else(|_| self.0.to_string())
    }

    /// Parses RFC 3339 text; an offset is mandatory.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        let text = text.trim();
        match OffsetDateTime::parse(text, &Rfc3339) {
            Ok(dt) => Self::from_datetime(dt),
            Err(_) => {
                // Tell a missing offset apart from garbage: it is the commonest mistake in
                // exports of old systems, and the fix is obvious once it is named.
                let with_offset = format!("{text}+07:00");
                if OffsetDateTime::parse(&with_offset, &Rfc3339).is_ok() {
                    Err(TimestampError::MissingOffset)
                } else {
                    Err(TimestampError::Invalid)
                }
            }
        }
    }

    /// Local midnight (UTC+7) at the start of `date`.
    pub fn local_midnight(date: Date) -> Self {
        let dt = date.midnight().assume_offset(LEGAL_OFFSET);
        Self::from_datetime(dt).unwrap_or(Self(0))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// In the OpenAPI document a timestamp is what it serializes to: RFC 3339 text with its offset.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(
                "Thời điểm RFC 3339, bắt buộc có độ lệch múi giờ; hệ thống trả về theo giờ Việt Nam (+07:00).",
            ))
            .examples(["2024-05-13T08:05:00+07:00"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Timestamp {}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// A calendar month, the reporting period of the indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: time::Month,
}

/// Why a text is not a month.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tháng không hợp lệ: «{0}» (cần dạng YYYY-MM, ví dụ 2024-05)")]
pub struct MonthError(pub String);

impl Month {
    /// Builds a month; `month` is 1–12.
    pub fn new(year: i32, month: u8) -> Result<Self, MonthError> {
        let m = time::Month::try_from(month).map_err(|_| MonthError(format!("{year}-{month}")))?;
        if !(1900..=9998).contains(&year) {
            return Err(MonthError(format!("{year}-{month:02}")));
        }
        Ok(Self { year, month: m })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1–12.
    pub fn number(self) -> u8 {
        self.month as u8
    }

    /// The calendar month before this one.
    pub fn previous(self) -> Self {
        match self.month {
            time::Month::January => Self {
                year: self.year - 1,
                month: time::Month::December,
            },
            m => Self {
                year: self.year,
                month: m.previous(),
            },
        }
    }

    /// The calendar month after this one.
    pub fn next(self) -> Self {
        match self.month {
            time::Month::December => Self {
                year: self.year + 1,
                month: time::Month::January,
            },
            m => Self {
                year: self.year,
                month: m.next(),
            },
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    /// Local midnight at the start of the month (inclusive bound of the period).
    pub fn start(self) -> Timestamp {
        Timestamp::local_midnight(self.first_day())
    }

    /// Local midnight at the start of the next month (exclusive bound of the period).
    pub fn end(self) -> Timestamp {
        self.next().start()
    }

    /// The local (UTC+7) month of an instant, clamped to the months [`Month::new`] accepts.
    pub fn of(t: Timestamp) -> Self {
        let d = t.local_date();
        Self::from_index(d.year() * 12 + i32::from(d.month() as u8) - 1)
    }

    /// The month's position on a line of months (`year × 12 + month − 1`): consecutive months
    /// have consecutive indexes, which is how aggregates store them.
    pub fn index(self) -> i32 {
        self.year * 12 + i32::from(self.number()) - 1
    }

    /// The month of an [`index`](Self::index), clamped to 1900-01 ..= 9998-12.
    pub fn from_index(index: i32) -> Self {
        let index = index.clamp(1900 * 12, 9998 * 12 + 11);
        let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
        Self::new(index.div_euclid(12), month).unwrap_or(Self {
            year: 1900,
            month: time::Month::January,
        })
    }

    /// Whether `t` falls within the month.
    pub fn contains(self, t: Timestamp) -> bool {
        self.start() <= t && t < self.end()
    }
}

impl FromStr for Month {
    type Err = MonthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || MonthError(s.to_owned());
        let (y, m) = s.trim().split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u8 = m.parse().map_err(|_| err())?;
        Self::new(year, month).map_err(|_| err())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.number())
    }
}

/// Serde of a [`Month`] as its text, `2024-05` (`#[serde(with = …)]`).
pub mod month_text {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Month;

    pub fn serialize<S: Serializer>(m: &Month, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(m)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_renders_in_legal_time() {
        let t = Timestamp::parse("2024-05-13T01:05:00Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-05-13T08:05:00+07:00");
        let u = Timestamp::parse("2024-05-13T08:05:00+07:00").unwrap();
        assert_eq!(t, u);
    }

    #[test]
    fn month_indexes_are_consecutive() {
        let m = Month::new(2024, 12).unwrap();
        assert_eq!(m.next().index(), m.index() + 1);
        assert_eq!(Month::from_index(m.index()), m);
        assert_eq!(
            Month::from_index(m.index() + 1),
            Month::new(2025, 1).unwrap()
        );
        // 2024-05-31 17:00 UTC is 1 June local time.
        let t = Timestamp::parse("2024-05-31T17:00:00Z").unwrap();
        assert_eq!(Month::of(t), Month::new(2024, 6).unwrap());
        assert_eq!(Month::from_index(i32::MAX), Month::new(9998, 12).unwrap());
    }

    #[test]
    fn missing_offset_is_named() {
        assert_eq!(
            Timestamp::parse("2024-05-13T08:05:00"),
            Err(TimestampError::MissingOffset)
        );
        assert_eq!(Timestamp::parse("13/05/2024"), Err(TimestampError::Invalid));
    }

    #[test]
    fn month_bounds_are_local_midnights() {
        let m: Month = "2024-05".parse().unwrap();
        assert_eq!(m.start().to_rfc3339(), "2024-05-01T00:00:00+07:00");
        assert_eq!(m.end().to_rfc3339(), "2024-06-01T00:00:00+07:00");
        assert_eq!(m.previous().to_string(), "2024-04");
        assert_eq!(
            "2024-01".parse::<Month>().unwrap().previous().to_string(),
            "2023-12"
        );
        assert!("2024-13".parse::<Month>().is_err());
        assert!("2024-5".parse::<Month>().is_err());
    }
}
