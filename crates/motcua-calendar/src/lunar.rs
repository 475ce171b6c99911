//! The Vietnamese lunisolar calendar (âm lịch), computed at UTC+7.
//!
//! This is Hồ Ngọc Đức's published algorithm (new moons and solar terms from Jean Meeus'
//! "Astronomical Algorithms", simplified), evaluated for the meridian of Vietnam. The Chinese
//! calendar uses Beijing time (UTC+8) instead, so a new moon shortly before midnight in Hanoi
//! falls on the next day in Beijing: Tết differs in 1968, 1985, 2007, 2030 and 2053. Do not
//! replace this module with a Chinese-calendar library.
//!
//! Main items: [`LunarDate`], [`solar_to_lunar`], [`lunar_to_solar`], [`tet`] and
//! [`hung_kings`]. The results are checked for every day of 1900–2100.

use std::f64::consts::PI;
use std::fmt;

use time::Date;

/// Hours east of Greenwich of the legal time of Vietnam.
const TIME_ZONE: f64 = 7.0;

/// Julian day of the new moon of 1900-01-01, the origin of the new-moon index `k`.
const NEW_MOON_EPOCH: f64 = 2_415_021.076_998_695;

/// Mean length of a synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;

/// A date of the Vietnamese lunar calendar.
///
/// `year` is the lunar year that starts at Tết, named by the Gregorian year in which that Tết
/// falls. `leap` marks the intercalary month (tháng nhuận) that repeats `month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LunarDate {
    /// Lunar year, numbered like the Gregorian year of its Tết.
    pub year: i32,
    /// Month, 1 (tháng Giêng) to 12 (tháng Chạp).
    pub month: u8,
    /// Whether this is the leap month repeating `month`.
    pub leap: bool,
    /// Day of the month, 1 to 30.
    pub day: u8,
}

impl LunarDate {
    /// A date in a regular (non-leap) month.
    pub const fn new(year: i32, month: u8, day: u8) -> Self {
        Self {
            year,
            month,
            leap: false,
            day,
        }
    }
}

impl fmt::Display for LunarDate {
    /// Formats as "10/3 âm lịch năm 2024" or "15/4 nhuận âm lịch năm 2020".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let leap = if self.leap { " nhuận" } else { "" };
        write!(
            f,
            "{}/{}{} âm lịch năm {}",
            self.day, self.month, leap, self.year
        )
    }
}

/// Julian day number of the local day that contains the new moon number `k` after 1900-01-01.
fn new_moon_day(k: i32) -> i32 {
    let k = f64::from(k);
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    // Mean anomalies of the Sun and the Moon, and the Moon's argument of latitude.
    let m = 359.224_2 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.025_3 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.296_4 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.173_4 - 0.000_393 * t) * (m * dr).sin() + 0.002_1 * (2.0 * dr * m).sin();
    c1 = c1 - 0.406_8 * (mpr * dr).sin() + 0.016_1 * (dr * 2.0 * mpr).sin();
    c1 -= 0.000_4 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.010_4 * (dr * 2.0 * f).sin() - 0.005_1 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.007_4 * (dr * (m - mpr)).sin() + 0.000_4 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.000_4 * (dr * (2.0 * f - m)).sin() - 0.000_6 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.001_0 * (dr * (2.0 * f - mpr)).sin() + 0.000_5 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    let jd_new = jd1 + c1 - delta_t;
    // `as` saturates; inputs come from dates the `time` crate can represent, far from the limits.
    (jd_new + 0.5 + TIME_ZONE / 24.0).floor() as i32
}

/// Index 0..=11 of the 30° sector of the Sun's longitude at the local midnight starting `jdn`.
///
/// Sector 9 (270°–300°) holds the winter solstice, which always falls in lunar month 11.
fn sun_sector(jdn: i32) -> i32 {
    let t = (f64::from(jdn) - 0.5 - TIME_ZONE / 24.0 - 2_451_545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let mut l = (l0 + dl) * dr;
    l -= 2.0 * PI * (l / (2.0 * PI)).floor();
    (l / PI * 6.0).floor() as i32
}

/// Julian day of the first day of lunar month 11 (the month holding the winter solstice) that
/// starts in Gregorian year `year`.
fn lunar_month_11(year: i32) -> i32 {
    let dec31 = julian_day(year, 12, 31);
    let k = ((f64::from(dec31) - 2_415_021.0) / SYNODIC_MONTH).floor() as i32;
    let nm = new_moon_day(k);
    if sun_sector(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

/// In a lunar year with 13 months, the offset (counted from month 11 at `a11`) of the first
/// month that contains no major solar term: that month is the leap month.
fn leap_month_offset(a11: i32) -> i32 {
    let k = ((f64::from(a11) - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5).floor() as i32;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

/// Julian day number of a proleptic Gregorian date, for any year (no range check needed).
fn julian_day(year: i32, month: i32, day: i32) -> i32 {
    let a = (14 - month) / 12;
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
}

/// Converts a Gregorian date to the Vietnamese lunar date.
///
/// Accurate for 1900–2100 (checked for every day); the astronomical series used degrades slowly
/// outside that span.
pub fn solar_to_lunar(date: Date) -> LunarDate {
    let day_number = date.to_julian_day();
    let k = ((f64::from(day_number) - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i32;
    // The mean-month estimate `k` can be one month off near a new moon (the published version
    // of the algorithm returns day 0 on 2054-05-07), so step back until the month has started.
    let mut k = k + 1;
    let mut month_start = new_moon_day(k);
    while month_start > day_number {
        k -= 1;
        month_start = new_moon_day(k);
    }
    let year = date.year();
    let mut a11 = lunar_month_11(year);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = year;
        a11 = lunar_month_11(year - 1);
    } else {
        lunar_year = year + 1;
        b11 = lunar_month_11(year + 1);
    }
    let day = day_number - month_start + 1;
    let diff = (month_start - a11) / 29;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        year: lunar_year,
        // Both are small by construction: month in 1..=12, day in 1..=30.
        month: u8::try_from(month).unwrap_or(0),
        leap,
        day: u8::try_from(day).unwrap_or(0),
    }
}

/// Julian day of the first day of the lunar month `month` (leap or not) of lunar year `year`,
/// or `None` when that year has no such leap month.
fn month_start(year: i32, month: u8, leap: bool) -> Option<i32> {
    let month = i32::from(month);
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1), lunar_month_11(year))
    } else {
        (lunar_month_11(year), lunar_month_11(year + 1))
    };
    let k = (0.5 + (f64::from(a11) - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i32;
    let mut off = month - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if leap && month != leap_month {
            return None;
        }
        if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return None;
    }
    Some(new_moon_day(k + off))
}

/// Converts a Vietnamese lunar date to the Gregorian date.
///
/// Returns `None` for a date that does not exist: month outside 1..=12, a leap month the year
/// does not have, day 30 of a 29-day month, or a year outside 1800..=2199.
pub fn lunar_to_solar(date: LunarDate) -> Option<Date> {
    if !(1800..=2199).contains(&date.year) || !(1..=12).contains(&date.month) || date.day == 0 {
        return None;
    }
    let start = month_start(date.year, date.month, date.leap)?;
    // The next month starts at the next new moon; the month has 29 or 30 days.
    let k = ((f64::from(start) - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5).floor() as i32;
    let next = new_moon_day(k + 1);
    let jd = start + i32::from(date.day) - 1;
    if jd >= next {
        return None;
    }
    Date::from_julian_day(jd).ok()
}

/// Tết Nguyên đán: the first day of lunar year `year`, or `None` outside 1800..=2199.
pub fn tet(year: i32) -> Option<Date> {
    lunar_to_solar(LunarDate::new(year, 1, 1))
}

/// Giỗ Tổ Hùng Vương: the 10th day of the 3rd lunar month of `year`, or `None` outside
/// 1800..=2199.
pub fn hung_kings(year: i32) -> Option<Date> {
    lunar_to_solar(LunarDate::new(year, 3, 10))
}

/// The last day of the lunar year before Tết of `year` (29 or 30 tháng Chạp).
pub fn lunar_new_years_eve(year: i32) -> Option<Date> {
    tet(year)?.previous_day()
}

/// The sexagenary (can chi) name of lunar year `year`, e.g. "Giáp Thìn" for 2024.
pub fn year_name(year: i32) -> String {
    const STEMS: [&str; 10] = [
        "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
    ];
    const BRANCHES: [&str; 12] = [
        "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
    ];
    // rem_euclid keeps the indexes in range for any year, negative ones included.
    let stem = STEMS[usize::try_from((i64::from(year) + 6).rem_euclid(10)).unwrap_or(0)];
    let branch = BRANCHES[usize::try_from((i64::from(year) + 8).rem_euclid(12)).unwrap_or(0)];
    format!("{stem} {branch}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn tet_dates_including_years_where_vietnam_and_china_differ() {
        let table = [
            (1968, date!(1968 - 01 - 29)),
            (1985, date!(1985 - 01 - 21)),
            (2007, date!(2007 - 02 - 17)),
            (2030, date!(2030 - 02 - 02)),
            (2053, date!(2053 - 02 - 18)),
            (1900, date!(1900 - 01 - 31)),
            (1945, date!(1945 - 02 - 13)),
            (1975, date!(1975 - 02 - 11)),
            (2000, date!(2000 - 02 - 05)),
            (2010, date!(2010 - 02 - 14)),
            (2019, date!(2019 - 02 - 05)),
            (2020, date!(2020 - 01 - 25)),
            (2021, date!(2021 - 02 - 12)),
            (2022, date!(2022 - 02 - 01)),
            (2023, date!(2023 - 01 - 22)),
            (2024, date!(2024 - 02 - 10)),
            (2025, date!(2025 - 01 - 29)),
            (2026, date!(2026 - 02 - 17)),
            (2027, date!(2027 - 02 - 06)),
            (2028, date!(2028 - 01 - 26)),
            (2029, date!(2029 - 02 - 13)),
        ];
        for (year, expected) in table {
            assert_eq!(tet(year), Some(expected), "Tết {year}");
        }
    }

    #[test]
    fn hung_kings_dates() {
        let table = [
            (2023, date!(2023 - 04 - 29)),
            (2024, date!(2024 - 04 - 18)),
            (2025, date!(2025 - 04 - 07)),
            (2026, date!(2026 - 04 - 26)),
            (2027, date!(2027 - 04 - 16)),
            (2028, date!(2028 - 04 - 04)),
            (2029, date!(2029 - 04 - 23)),
            (2030, date!(2030 - 04 - 12)),
        ];
        for (year, expected) in table {
            assert_eq!(hung_kings(year), Some(expected), "Giỗ Tổ {year}");
        }
    }

    #[test]
    fn lunar_new_years_eve_is_29_or_30_chap() {
        // 2025 had no 30 tháng Chạp; 2024 had one.
        assert_eq!(lunar_new_years_eve(2025), Some(date!(2025 - 01 - 28)));
        assert_eq!(
            solar_to_lunar(date!(2025 - 01 - 28)),
            LunarDate::new(2024, 12, 29)
        );
        assert_eq!(lunar_new_years_eve(2024), Some(date!(2024 - 02 - 09)));
        assert_eq!(
            solar_to_lunar(date!(2024 - 02 - 09)),
            LunarDate::new(2023, 12, 30)
        );
    }

    #[test]
    fn leap_months() {
        // 2020 had a leap 4th month; 2023 a leap 2nd month.
        let leap = LunarDate {
            year: 2020,
            month: 4,
            leap: true,
            day: 1,
        };
        assert_eq!(lunar_to_solar(leap), Some(date!(2020 - 05 - 23)));
        assert_eq!(solar_to_lunar(date!(2020 - 05 - 23)), leap);
        let leap = LunarDate {
            year: 2023,
            month: 2,
            leap: true,
            day: 1,
        };
        assert_eq!(lunar_to_solar(leap), Some(date!(2023 - 03 - 22)));
        // 2024 has no leap month at all.
        let none = LunarDate {
            year: 2024,
            month: 4,
            leap: true,
            day: 1,
        };
        assert_eq!(lunar_to_solar(none), None);
    }

    #[test]
    fn invalid_lunar_dates_are_rejected() {
        assert_eq!(lunar_to_solar(LunarDate::new(2025, 13, 1)), None);
        assert_eq!(lunar_to_solar(LunarDate::new(2025, 0, 1)), None);
        assert_eq!(lunar_to_solar(LunarDate::new(2025, 1, 0)), None);
        assert_eq!(lunar_to_solar(LunarDate::new(2025, 1, 31)), None);
        // Tháng Chạp of lunar year 2024 had 29 days.
        assert_eq!(lunar_to_solar(LunarDate::new(2024, 12, 30)), None);
        assert_eq!(lunar_to_solar(LunarDate::new(1000, 1, 1)), None);
        assert_eq!(tet(i32::MAX), None);
    }

    #[test]
    fn year_names() {
        assert_eq!(year_name(2024), "Giáp Thìn");
        assert_eq!(year_name(2025), "Ất Tỵ");
        assert_eq!(year_name(2026), "Bính Ngọ");
        assert_eq!(year_name(1945), "Ất Dậu");
        assert_eq!(year_name(i32::MIN), year_name(i32::MIN));
    }

    #[test]
    fn display_is_vietnamese() {
        assert_eq!(
            LunarDate::new(2024, 3, 10).to_string(),
            "10/3 âm lịch năm 2024"
        );
    }

    /// Every day of 1900–2100 converts to a lunar date and back to itself.
    #[test]
    fn round_trip_every_day_1900_2100() {
        let mut day = date!(1900 - 01 - 01);
        let end = date!(2100 - 12 - 31);
        let mut previous: Option<LunarDate> = None;
        while day <= end {
            let lunar = solar_to_lunar(day);
            assert!((1..=12).contains(&lunar.month) && (1..=30).contains(&lunar.day));
            assert_eq!(lunar_to_solar(lunar), Some(day), "{day} -> {lunar:?}");
            if let Some(prev) = previous {
                // Consecutive days: the day number increases by one or a new month starts.
                assert!(
                    lunar.day == prev.day + 1 || (lunar.day == 1 && prev.day >= 29),
                    "{day}: {prev:?} -> {lunar:?}"
                );
            }
            previous = Some(lunar);
            day = day.next_day().unwrap();
        }
    }

    /// Cross-check against an independent implementation for every Tết and Giỗ Tổ 1900–2100.
    ///
    /// amlich-core 0.1.4 flips the sign of three small terms of the new-moon series
    /// (`c1 -= a + b` where the published algorithm and Meeus have `c1 = c1 - a + b`), which moves
    /// new moons by about half an hour. For these days it lands on the wrong side of midnight:
    /// Tết Tân Mùi was on 15/02/1991 (new moon 14/02 17:32 UTC, i.e. 00:32 on 15/02 in Hanoi);
    /// amlich-core says 14/02.
    #[test]
    fn matches_amlich_core_oracle() {
        let known_oracle_errors = [(1991, 1, 1)];
        for year in 1900..=2100 {
            for (month, day) in [(1u8, 1u8), (3, 10)] {
                let ours = lunar_to_solar(LunarDate::new(year, month, day)).unwrap();
                let (d, m, y) = amlich_core::lunar::convert_lunar_to_solar(
                    i32::from(day),
                    i32::from(month),
                    year,
                    false,
                    7.0,
                );
                let theirs = (d, m, y);
                let ours = (
                    i32::from(ours.day()),
                    i32::from(u8::from(ours.month())),
                    ours.year(),
                );
                if known_oracle_errors.contains(&(year, month, day)) {
                    assert_ne!(
                        ours, theirs,
                        "{day}/{month} âm lịch {year} is fixed upstream"
                    );
                } else {
                    assert_eq!(ours, theirs, "{day}/{month} âm lịch {year}");
                }
            }
        }
        assert_eq!(tet(1991), Some(date!(1991 - 02 - 15)));
    }
}
