//! Yearly schedules of days off and make-up working days, as data.
//!
//! The government announces each year which days the public sector takes off (Tết, swapped
//! days, days off in lieu) and which Saturdays it works instead. A [`Schedule`] holds one year of
//! that announcement with the citation of the documents it comes from. Schedules are data, not
//! code: the years we know are bundled as JSON files in `data/schedules/` (see [`bundled`]), and
//! a deployment can replace or add one at run time from a file or a database row with
//! [`Schedule::from_json`] without a new release.
//!
//! For a year nobody has entered yet, [`Schedule::generate`] applies the Labour Code 2019
//! (art. 112 holidays, art. 111(3) days off in lieu) and marks the result provisional.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::{Date, Month, Weekday};

use crate::lunar;

/// The schedules shipped with the crate, one JSON file per year.
const BUNDLED: &[(i32, &str)] = &[
    (2024, include_str!("../data/schedules/2024.json")),
    (2025, include_str!("../data/schedules/2025.json")),
    (2026, include_str!("../data/schedules/2026.json")),
];

/// An error in schedule data. Messages are shown to whoever edits the schedule, so they are
/// Vietnamese.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// The text is not the expected JSON document.
    #[error("Lịch nghỉ không đúng định dạng JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A date is not written as YYYY-MM-DD or does not exist.
    #[error("Ngày không hợp lệ: \"{0}\" (cần dạng YYYY-MM-DD)")]
    InvalidDate(String),
    /// A date lies too far from the schedule's year.
    #[error("Ngày {date} không thuộc lịch năm {year}")]
    DateOutsideYear {
        /// The schedule's year.
        year: i32,
        /// The offending date.
        date: Date,
    },
    /// The same date is listed twice.
    #[error("Ngày {0} được khai báo hai lần")]
    Duplicate(Date),
    /// A make-up working day is not a Saturday or Sunday, so it changes nothing.
    #[error("Ngày làm bù {0} không phải thứ Bảy hoặc Chủ nhật")]
    MakeUpOnWeekday(Date),
    /// An entry has no reason.
    #[error("Ngày {0} thiếu lý do")]
    MissingReason(Date),
    /// The citation is empty.
    #[error("Lịch năm {0} thiếu căn cứ (số văn bản)")]
    MissingSource(i32),
    /// The lunar calendar cannot place Tết or Giỗ Tổ for this year.
    #[error("Không tính được âm lịch cho năm {0} (hỗ trợ 1800–2199)")]
    UnsupportedYear(i32),
}

/// A dated entry of a schedule: a day off or a make-up working day, with its reason in
/// Vietnamese (shown in explanations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleDay {
    /// The day.
    pub date: Date,
    /// Why, e.g. "Giỗ Tổ Hùng Vương (10/3 âm lịch)".
    pub reason: String,
}

/// One year of days off and make-up working days, with the documents that announced it.
///
/// Days off may include weekend days inside an announced period (they then carry the holiday's
/// name in explanations instead of "nghỉ cuối tuần"). Make-up days are Saturdays or Sundays
/// worked instead of a swapped weekday. Build one with [`Schedule::from_json`],
/// [`Schedule::generate`] or [`bundled`]; a schedule assembled by hand should pass
/// [`Schedule::validate`] (the calendar calls it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawSchedule", into = "RawSchedule")]
pub struct Schedule {
    /// Gregorian year the schedule is for.
    pub year: i32,
    /// Citation of the announcing documents (decision, official letter, notice).
    pub source: String,
    /// True when generated from the law because no announcement was entered.
    pub provisional: bool,
    /// Days off, sorted by date.
    pub days_off: Vec<ScheduleDay>,
    /// Make-up working days, sorted by date.
    pub make_up_days: Vec<ScheduleDay>,
}

/// The on-disk form: dates as ISO strings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        description = "One year of days off and make-up working days, with the documents that announced it (the JSON of data/schedules/*.json)."
    )
)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    /// The Gregorian year.
    year: i32,
    /// True when generated from the Labour Code because no announcement was entered.
    #[serde(default)]
    provisional: bool,
    /// Citation of the announcing documents.
    source: String,
    /// Days off (holidays, Tết, days off in lieu, swapped days).
    #[cfg_attr(feature = "openapi", schema(inline))]
    days_off: Vec<RawDay>,
    /// Saturdays or Sundays worked instead of a swapped weekday.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    make_up_days: Vec<RawDay>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
struct RawDay {
    /// The day, as YYYY-MM-DD.
    #[cfg_attr(feature = "openapi", schema(format = Date, examples("2024-04-18")))]
    date: String,
    /// Why, in Vietnamese, e.g. "Giỗ Tổ Hùng Vương (10/3 âm lịch)".
    reason: String,
}

/// In the OpenAPI document a schedule is its JSON form (the one `from_json` reads), not the
/// parsed dates.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Schedule {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <RawSchedule as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Schedule {}

fn parse_date(text: &str) -> Result<Date, ScheduleError> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| ScheduleError::InvalidDate(text.to_owned()))
}

fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

impl TryFrom<RawSchedule> for Schedule {
    type Error = ScheduleError;

    fn try_from(raw: RawSchedule) -> Result<Self, Self::Error> {
        let convert = |days: Vec<RawDay>| -> Result<Vec<ScheduleDay>, ScheduleError> {
            let mut out = days
                .into_iter()
                .map(|d| {
                    Ok(ScheduleDay {
                        date: parse_date(&d.date)?,
                        reason: d.reason.trim().to_owned(),
                    })
                })
                .collect::<Result<Vec<_>, ScheduleError>>()?;
            out.sort_by_key(|d| d.date);
            Ok(out)
        };
        let schedule = Schedule {
            year: raw.year,
            source: raw.source.trim().to_owned(),
            provisional: raw.provisional,
            days_off: convert(raw.days_off)?,
            make_up_days: convert(raw.make_up_days)?,
        };
        schedule.validate()?;
        Ok(schedule)
    }
}

impl From<Schedule> for RawSchedule {
    fn from(s: Schedule) -> Self {
        let convert = |days: Vec<ScheduleDay>| {
            days.into_iter()
                .map(|d| RawDay {
                    date: iso(d.date),
                    reason: d.reason,
                })
                .collect()
        };
        RawSchedule {
            year: s.year,
            provisional: s.provisional,
            source: s.source,
            days_off: convert(s.days_off),
            make_up_days: convert(s.make_up_days),
        }
    }
}

impl Schedule {
    /// Parses a schedule from its JSON text (the format of `data/schedules/*.json`) and
    /// validates it.
    pub fn from_json(text: &str) -> Result<Self, ScheduleError> {
        // Through the raw form, so validation errors keep their own message.
        let raw: RawSchedule = serde_json::from_str(text)?;
        Self::try_from(raw)
    }

    /// Serializes the schedule to pretty JSON that [`Schedule::from_json`] reads back.
    pub fn to_json(&self) -> Result<String, ScheduleError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Checks the invariants: a citation, a reason on every entry, no date listed twice, dates
    /// within a year of the schedule's year, make-up days on weekends.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        if self.source.trim().is_empty() {
            return Err(ScheduleError::MissingSource(self.year));
        }
        let mut seen = std::collections::BTreeSet::new();
        for day in self.days_off.iter().chain(&self.make_up_days) {
            // An adjacent year is allowed: a swap for 1/1 may be worked in late December.
            if (day.date.year() - self.year).abs() > 1 {
                return Err(ScheduleError::DateOutsideYear {
                    year: self.year,
                    date: day.date,
                });
            }
            if day.reason.trim().is_empty() {
                return Err(ScheduleError::MissingReason(day.date));
            }
            if !seen.insert(day.date) {
                return Err(ScheduleError::Duplicate(day.date));
            }
        }
        if let Some(day) = self.make_up_days.iter().find(|d| !is_weekend(d.date)) {
            return Err(ScheduleError::MakeUpOnWeekday(day.date));
        }
        Ok(())
    }

    /// A provisional schedule for `year` from the Labour Code 2019 alone.
    ///
    /// Holidays (art. 112(1)): 1/1; Tết from the last day of the old lunar year (29 or 30 tháng
    /// Chạp) to mùng 4; Giỗ Tổ Hùng Vương (10/3 lunar); 30/4; 1/5; 2/9 and one adjacent day,
    /// taken on the side that joins the weekend (3/9 when 2/9 is a Monday or Thursday, 1/9
    /// otherwise, as announced in 2021–2026). Art. 111(3): a holiday on a Saturday or Sunday
    /// gives a day off on the next working day. No swaps or make-up days: those only come
    /// from an announcement.
    pub fn generate(year: i32) -> Result<Self, ScheduleError> {
        let unsupported = || ScheduleError::UnsupportedYear(year);
        let tet = lunar::tet(year).ok_or_else(unsupported)?;
        let hung_kings = lunar::hung_kings(year).ok_or_else(unsupported)?;
        let date = |month: Month, day: u8| {
            Date::from_calendar_date(year, month, day).map_err(|_| unsupported())
        };

        let mut holidays: BTreeMap<Date, String> = BTreeMap::new();
        let mut add = |date: Date, reason: String| {
            holidays
                .entry(date)
                .and_modify(|r| {
                    r.push_str("; ");
                    r.push_str(&reason);
                })
                .or_insert(reason);
        };
        add(date(Month::January, 1)?, "Tết Dương lịch".to_owned());
        let name = lunar::year_name(year);
        let mut day = tet.previous_day().ok_or_else(unsupported)?;
        for _ in 0..5 {
            let lunar = lunar::solar_to_lunar(day);
            let label = if lunar.month == 12 {
                format!("{} tháng Chạp", lunar.day)
            } else {
                format!("mùng {} tháng Giêng", lunar.day)
            };
            add(day, format!("Tết Nguyên đán {name} ({label})"));
            day = day.next_day().ok_or_else(unsupported)?;
        }
        add(hung_kings, "Giỗ Tổ Hùng Vương (10/3 âm lịch)".to_owned());
        add(
            date(Month::April, 30)?,
            "Ngày Chiến thắng (30/4)".to_owned(),
        );
        add(
            date(Month::May, 1)?,
            "Ngày Quốc tế Lao động (1/5)".to_owned(),
        );
        let national_day = date(Month::September, 2)?;
        add(national_day, "Quốc khánh (2/9)".to_owned());
        if matches!(national_day.weekday(), Weekday::Monday | Weekday::Thursday) {
            add(
                date(Month::September, 3)?,
                "Quốc khánh (ngày liền kề sau 2/9)".to_owned(),
            );
        } else {
            add(
                date(Month::September, 1)?,
                "Quốc khánh (ngày liền kề trước 2/9)".to_owned(),
            );
        }

        // Art. 111(3): each holiday on a weekend gives the next working day off, in order.
        let mut in_lieu: BTreeMap<Date, String> = BTreeMap::new();
        for (&date, reason) in &holidays {
            if !is_weekend(date) {
                continue;
            }
            let mut next = date.next_day().ok_or_else(unsupported)?;
            while is_weekend(next) || holidays.contains_key(&next) || in_lieu.contains_key(&next) {
                next = next.next_day().ok_or_else(unsupported)?;
            }
            in_lieu.insert(
                next,
                format!(
                    "Nghỉ bù {reason} trùng {} (Điều 111 khoản 3 Bộ luật Lao động)",
                    crate::format::weekday_name(date.weekday())
                ),
            );
        }
        holidays.extend(in_lieu);

        let schedule = Schedule {
            year,
            source: "Lịch dự kiến theo Điều 111, 112 Bộ luật Lao động 2019; chưa có thông báo \
                     chính thức về ngày nghỉ hoán đổi và làm bù"
                .to_owned(),
            provisional: true,
            days_off: holidays
                .into_iter()
                .map(|(date, reason)| ScheduleDay { date, reason })
                .collect(),
            make_up_days: Vec::new(),
        };
        schedule.validate()?;
        Ok(schedule)
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The announced schedules shipped in `data/schedules/` (2024, 2025, 2026), parsed and
/// validated.
pub fn bundled() -> Result<Vec<Schedule>, ScheduleError> {
    BUNDLED
        .iter()
        .map(|(_, text)| Schedule::from_json(text))
        .collect()
}

/// The announced schedule for `year` if one is bundled, otherwise the provisional one from
/// [`Schedule::generate`].
pub fn bundled_or_generated(year: i32) -> Result<Schedule, ScheduleError> {
    match BUNDLED.iter().find(|(y, _)| *y == year) {
        Some((_, text)) => Schedule::from_json(text),
        None => Schedule::generate(year),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::date;

    fn off(s: &Schedule) -> Vec<Date> {
        s.days_off.iter().map(|d| d.date).collect()
    }

    #[test]
    fn bundled_schedules_parse_and_match_their_years() {
        let all = bundled().unwrap();
        assert_eq!(all.len(), BUNDLED.len());
        for (schedule, (year, _)) in all.iter().zip(BUNDLED) {
            assert_eq!(schedule.year, *year);
            assert!(!schedule.provisional);
            assert!(schedule.source.contains("VPCP"), "{}", schedule.source);
        }
    }

    #[test]
    fn bundled_2024() {
        let s = bundled_or_generated(2024).unwrap();
        let days = off(&s);
        for d in [
            date!(2024 - 01 - 01),
            date!(2024 - 02 - 08),
            date!(2024 - 02 - 14),
            date!(2024 - 04 - 18),
            date!(2024 - 04 - 29),
            date!(2024 - 04 - 30),
            date!(2024 - 05 - 01),
            date!(2024 - 09 - 02),
            date!(2024 - 09 - 03),
        ] {
            assert!(days.contains(&d), "{d}");
        }
        assert_eq!(s.make_up_days.len(), 1);
        assert_eq!(s.make_up_days[0].date, date!(2024 - 05 - 04));
    }

    #[test]
    fn json_round_trip() {
        for s in bundled().unwrap() {
            let text = s.to_json().unwrap();
            assert_eq!(Schedule::from_json(&text).unwrap(), s);
        }
        let generated = Schedule::generate(2031).unwrap();
        let text = generated.to_json().unwrap();
        assert!(text.contains("\"provisional\": true"));
        assert_eq!(Schedule::from_json(&text).unwrap(), generated);
    }

    #[test]
    fn invalid_text_is_an_error_not_a_panic() {
        let cases = [
            "",
            "{}",
            "not json",
            r#"{"year":2030,"source":"x","days_off":[{"date":"2030-02-30","reason":"x"}]}"#,
            r#"{"year":2030,"source":"x","days_off":[{"date":"30/04/2030","reason":"x"}]}"#,
            r#"{"year":2030,"source":"","days_off":[]}"#,
            r#"{"year":2030,"source":"x","days_off":[{"date":"2030-04-30","reason":" "}]}"#,
            r#"{"year":2030,"source":"x","days_off":[{"date":"2035-04-30","reason":"x"}]}"#,
            r#"{"year":2030,"source":"x","days_off":[],"make_up_days":[{"date":"2030-05-02","reason":"x"}]}"#,
            r#"{"year":2030,"source":"x","days_off":[{"date":"2030-05-04","reason":"x"}],"make_up_days":[{"date":"2030-05-04","reason":"x"}]}"#,
            r#"{"year":2030,"source":"x","days_off":[],"holidays":[]}"#,
        ];
        for text in cases {
            assert!(Schedule::from_json(text).is_err(), "{text}");
        }
        let err = Schedule::from_json(cases[8]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Ngày làm bù 2030-05-02 không phải thứ Bảy hoặc Chủ nhật"
        );
    }

    #[test]
    fn generated_2024_follows_the_labour_code() {
        let s = Schedule::generate(2024).unwrap();
        assert!(s.provisional);
        assert!(s.make_up_days.is_empty());
        // Tết: 30 Chạp (Fri 9/2) to mùng 4 (Tue 13/2); Sat 10 and Sun 11 give Wed 14, Thu 15.
        let expected = [
            date!(2024 - 01 - 01),
            date!(2024 - 02 - 09),
            date!(2024 - 02 - 10),
            date!(2024 - 02 - 11),
            date!(2024 - 02 - 12),
            date!(2024 - 02 - 13),
            date!(2024 - 02 - 14),
            date!(2024 - 02 - 15),
            date!(2024 - 04 - 18),
            date!(2024 - 04 - 30),
            date!(2024 - 05 - 01),
            date!(2024 - 09 - 02),
            date!(2024 - 09 - 03),
        ];
        assert_eq!(off(&s), expected);
        let in_lieu = &s.days_off[6];
        assert!(
            in_lieu
                .reason
                .starts_with("Nghỉ bù Tết Nguyên đán Giáp Thìn")
        );
        assert_eq!(
            s.days_off[1].reason,
            "Tết Nguyên đán Giáp Thìn (30 tháng Chạp)"
        );
    }

    #[test]
    fn generated_2023_matches_the_announced_days_around_30_4() {
        // Giỗ Tổ on Saturday 29/4 and 30/4 on Sunday: days off in lieu Tuesday 2/5 and
        // Wednesday 3/5, as announced; 2/9 on Saturday: 1/9 and Monday 4/9.
        let s = Schedule::generate(2023).unwrap();
        let days = off(&s);
        for d in [
            date!(2023 - 01 - 02),
            date!(2023 - 04 - 29),
            date!(2023 - 05 - 01),
            date!(2023 - 05 - 02),
            date!(2023 - 05 - 03),
            date!(2023 - 09 - 01),
            date!(2023 - 09 - 04),
        ] {
            assert!(days.contains(&d), "{d}");
        }
    }

    #[test]
    fn generated_2026_national_day_and_hung_kings() {
        let s = Schedule::generate(2026).unwrap();
        let days = off(&s);
        // Giỗ Tổ on Sunday 26/4 → Monday 27/4, as in the bundled 2026 schedule.
        assert!(days.contains(&date!(2026 - 04 - 27)));
        assert!(days.contains(&date!(2026 - 09 - 01)));
        assert!(!days.contains(&date!(2026 - 09 - 03)));
        // 2025: Tết eve is 29 Chạp (no 30th that year).
        let s = Schedule::generate(2025).unwrap();
        assert_eq!(s.days_off[1].date, date!(2025 - 01 - 28));
        assert_eq!(s.days_off[1].reason, "Tết Nguyên đán Ất Tỵ (29 tháng Chạp)");
    }

    #[test]
    fn generate_covers_the_supported_range() {
        for year in 1900..=2100 {
            let s = Schedule::generate(year).unwrap();
            // 11 holidays, some may coincide; at least the 5 Tết days are distinct.
            assert!(s.days_off.len() >= 11, "{year}");
        }
        assert!(Schedule::generate(1500).is_err());
    }
}
