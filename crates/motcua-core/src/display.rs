//! The Vietnamese display rules of `docs/spec/indicators.md`.
//!
//! Counts use a dot for thousands (`2.074`). Percentages and changes are rounded half-up to
//! two decimals, trailing zeros dropped, with a decimal comma (`33,8`, `94,33`, `1`). Rounding
//! is done on exact fractions (a rate is `num / den × 100`), never on binary floating point,
//! so `94,335` can never turn into `94,33` by accident.

use crate::rates::Rate;

/// A text with its first letter in capitals (`phê duyệt` → `Phê duyệt`).
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An instant as officers read it, in Vietnam's time: `09:30 20/05/2024`.
pub fn local_time(t: crate::Timestamp) -> String {
    t.to_local()
        .format(time::macros::format_description!(
            "[hour]:[minute] [day]/[month]/[year]"
        ))
        .unwrap_or_default()
}

/// A date as officers read it, day and month on two digits: `16/06/2024`.
pub fn date(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// Reads a date as people type it: `16/06/2024`, `16/6/2024`, `16-06-2024` or `2024-06-16`
/// (what a date input sends); `None` when it is no date.
pub fn parse_date(text: &str) -> Option<time::Date> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (y, m, d) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// Formats a count the Vietnamese way: `2074` → `2.074`.
pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Formats a signed number of hundredths: `3380` → `33,8`, `9433` → `94,33`, `100` → `1`.
fn hundredths(h: i128) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let abs = h.unsigned_abs();
    let int = group_thousands(&(abs / 100).to_string());
    let frac = abs % 100;
    if frac == 0 {
        format!("{sign}{int}")
    } else if frac.is_multiple_of(10) {
        format!("{sign}{int},{}", frac / 10)
    } else {
        format!("{sign}{int},{frac:02}")
    }
}

/// Rounds `n / d` half away from zero to an integer (`d > 0`).
fn round_half_up(n: i128, d: i128) -> i128 {
    let q = (2 * n.abs() + d) / (2 * d);
    if n < 0 { -q } else { q }
}

/// A rate's value in hundredths of a percent, rounded half-up; `None` when undefined.
pub fn rate_hundredths(rate: &Rate) -> Option<i128> {
    (rate.den > 0).then(|| round_half_up(i128::from(rate.num) * 10_000, i128::from(rate.den)))
}

/// Formats a rate: `33,8`; `None` when the denominator is zero.
pub fn rate(rate: &Rate) -> Option<String> {
    rate_hundredths(rate).map(hundredths)
}

/// Formats a rate with its percent sign, or a dash when undefined: `33,8%`, `–`.
pub fn rate_percent(r: &Rate) -> String {
    rate(r).map_or_else(|| "–".to_owned(), |v| format!("{v}%"))
}

/// A column of rates with the same number of decimals in every cell, the most any of them
/// needs (`5,00%` above `8,57%`, `50%` above `100%`), so that the figures line up; a dash for
/// an undefined rate. Each value is still rounded half-up to two decimals.
pub fn rate_column(rates: &[&Rate]) -> Vec<String> {
    let hundredths: Vec<Option<i128>> = rates.iter().map(|r| rate_hundredths(r)).collect();
    let decimals = hundredths
        .iter()
        .flatten()
        .map(|h| match h % 100 {
            0 => 0,
            f if f % 10 == 0 => 1,
            _ => 2,
        })
        .max()
        .unwrap_or(0);
    hundredths
        .into_iter()
        .map(|h| match h {
            None => "–".to_owned(),
            Some(h) => format!("{}%", fixed(h, decimals)),
        })
        .collect()
}

/// `h` hundredths with exactly `decimals` (0, 1 or 2) decimals; `h` needs no more.
fn fixed(h: i128, decimals: u8) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let abs = h.unsigned_abs();
    let int = group_thousands(&(abs / 100).to_string());
    let frac = abs % 100;
    match decimals {
        0 => format!("{sign}{int}"),
        1 => format!("{sign}{int},{}", frac / 10),
        _ => format!("{sign}{int},{frac:02}"),
    }
}

/// The change of a rate against the previous month, in percentage points, rounded half-up
/// from the exact difference; `None` when either month has no value.
pub fn change_hundredths(current: &Rate, previous: &Rate) -> Option<i128> {
    if current.den == 0 || previous.den == 0 {
        return None;
    }
    let (n1, d1) = (i128::from(current.num), i128::from(current.den));
    let (n0, d0) = (i128::from(previous.num), i128::from(previous.den));
    Some(round_half_up((n1 * d0 - n0 * d1) * 10_000, d1 * d0))
}

/// Which way a figure moved, as a report says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Unchanged,
}

/// A change as displayed: direction and magnitude (`tăng 8,8`, `giảm 0,44`, `không đổi`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub direction: Direction,
    /// The magnitude with the display rule, e.g. `8,8`; empty when unchanged.
    pub magnitude: String,
}

impl Change {
    /// The change of `current` against `previous`; `None` when it cannot be computed.
    pub fn between(current: &Rate, previous: &Rate) -> Option<Self> {
        let h = change_hundredths(current, previous)?;
        Some(match h.signum() {
            0 => Self {
                direction: Direction::Unchanged,
                magnitude: String::new(),
            },
            1 => Self {
                direction: Direction::Up,
                magnitude: hundredths(h),
            },
            _ => Self {
                direction: Direction::Down,
                magnitude: hundredths(-h),
            },
        })
    }

    /// `tăng 8,8 điểm phần trăm`, `giảm 0,44 điểm phần trăm` or `không đổi`: the change of a
    /// rate with its unit, as a reader who sees it alone needs it (a rate of 25% rising to
    /// 33,8% rose by 8,8 points, not by 8,8%).
    pub fn text_points(&self) -> String {
        match self.direction {
            Direction::Unchanged => self.text(),
            _ => format!("{} điểm phần trăm", self.text()),
        }
    }

    /// `tăng 8,8`, `giảm 0,44` or `không đổi`.
    pub fn text(&self) -> String {
        match self.direction {
            Direction::Up => format!("tăng {}", self.magnitude),
            Direction::Down => format!("giảm {}", self.magnitude),
            Direction::Unchanged => "không đổi".to_owned(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_column_of_rates_has_one_number_of_decimals() {
        assert_eq!(
            rate_column(&[&r(1, 20), &r(3, 35), &r(0, 0)]),
            ["5,00%", "8,57%", "–"]
        );
        assert_eq!(rate_column(&[&r(1, 2), &r(1, 1)]), ["50%", "100%"]);
        assert_eq!(rate_column(&[&r(1, 8), &r(1, 4)]), ["12,5%", "25,0%"]);
        assert_eq!(rate_column(&[&r(1, 3), &r(1, 4)]), ["33,33%", "25,00%"]);
    }

    #[test]
    fn a_change_says_its_unit_and_dates_have_two_digit_days_and_months() {
        let c = Change::between(&r(338, 1000), &r(250, 1000)).unwrap();
        assert_eq!(c.text_points(), "tăng 8,8 điểm phần trăm");
        let same = Change::between(&r(1, 2), &r(2, 4)).unwrap();
        assert_eq!(same.text_points(), "không đổi");
        let d = time::Date::from_calendar_date(2027, time::Month::January, 6).unwrap();
        assert_eq!(date(d), "06/01/2027");
        for typed in [
            "06/01/2027",
            "6/1/2027",
            "06-01-2027",
            "2027-01-06",
            " 6.1.2027 ",
        ] {
            assert_eq!(parse_date(typed), Some(d), "{typed}");
        }
        for bad in [
            "",
            "31/02/2027",
            "1/2027",
            "06/01/27",
            "hôm nay",
            "2027-1-6-1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    fn r(num: u64, den: u64) -> Rate {
        Rate::new(num, den)
    }

    #[test]
    fn counts_use_dots() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(2074), "2.074");
        assert_eq!(count(44_000_000), "44.000.000");
    }

    #[test]
    fn rates_round_half_up_and_drop_zeros() {
        assert_eq!(rate(&r(1, 3)).as_deref(), Some("33,33"));
        assert_eq!(rate(&r(2, 3)).as_deref(), Some("66,67"));
        assert_eq!(rate(&r(1, 1)).as_deref(), Some("100"));
        assert_eq!(rate(&r(338, 1000)).as_deref(), Some("33,8"));
        // 94.335 exactly: half-up gives 94,34 (a float would risk 94,33).
        assert_eq!(rate(&r(18867, 20000)).as_deref(), Some("94,34"));
        assert_eq!(rate(&r(1, 20_000)).as_deref(), Some("0,01"));
        assert_eq!(rate(&r(1, 20_001)).as_deref(), Some("0"));
        assert_eq!(rate(&r(0, 0)), None);
    }

    #[test]
    fn changes_are_worded() {
        let text = |a, b| Change::between(&a, &b).map(|c| c.text());
        assert_eq!(text(r(338, 1000), r(25, 100)).as_deref(), Some("tăng 8,8"));
        assert_eq!(text(r(25, 100), r(338, 1000)).as_deref(), Some("giảm 8,8"));
        assert_eq!(text(r(1, 3), r(1, 3)).as_deref(), Some("không đổi"));
        // A tiny rise that displays as 0 reads "không đổi".
        assert_eq!(
            text(r(100_001, 1_000_000), r(1, 10)).as_deref(),
            Some("không đổi")
        );
        assert_eq!(text(r(1, 2), r(0, 0)), None);
    }
}
