//! Vietnamese formatting of the dates, times and durations used in explanations.
//!
//! Dates are written dd/mm/yyyy after the weekday name ("thứ Sáu 03/05/2024", "Chủ nhật
//! 28/04/2024"), times as HH:MM, working time in hours and minutes ("6 giờ 30 phút"). ICU has
//! no "thứ Hai" style, and these strings appear in legal documents, so they are written here.

use time::{Date, Time, Weekday};

/// The Vietnamese name of a weekday as written inside a sentence: "thứ Hai" … "thứ Bảy",
/// "Chủ nhật".
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "thứ Hai",
        Weekday::Tuesday => "thứ Ba",
        Weekday::Wednesday => "thứ Tư",
        Weekday::Thursday => "thứ Năm",
        Weekday::Friday => "thứ Sáu",
        Weekday::Saturday => "thứ Bảy",
        Weekday::Sunday => "Chủ nhật",
    }
}

/// "thứ Sáu 03/05/2024".
pub fn date(date: Date) -> String {
    format!(
        "{} {:02}/{:02}/{:04}",
        weekday_name(date.weekday()),
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// "16:20".
pub fn time(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// A working duration: "8 giờ", "6 giờ 30 phút", "45 phút", "0 phút".
pub fn minutes(minutes: u64) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    match (hours, rest) {
        (0, m) => format!("{m} phút"),
        (h, 0) => format!("{h} giờ"),
        (h, m) => format!("{h} giờ {m} phút"),
    }
}

/// Upper-cases the first letter, for a date that starts a sentence ("Thứ Sáu 03/05/2024").
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    #[test]
    fn vietnamese_formats() {
        assert_eq!(date(date!(2024 - 05 - 03)), "thứ Sáu 03/05/2024");
        assert_eq!(date(date!(2024 - 04 - 28)), "Chủ nhật 28/04/2024");
        assert_eq!(
            capitalize(&date(date!(2024 - 04 - 29))),
            "Thứ Hai 29/04/2024"
        );
        assert_eq!(time(time!(7:05)), "07:05");
        assert_eq!(minutes(480), "8 giờ");
        assert_eq!(minutes(390), "6 giờ 30 phút");
        assert_eq!(minutes(45), "45 phút");
        assert_eq!(minutes(0), "0 phút");
        assert_eq!(capitalize(""), "");
    }
}
