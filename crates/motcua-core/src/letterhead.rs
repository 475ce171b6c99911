//! What a unit's report says of its issuer, per Decree 30/2020/NĐ-CP, Appendix I
//! (`docs/research/regulations.md` §8): the issuing-body lines, the number symbol, the place and
//! date line, the signature block and the recipients.
//!
//! [`ReportSettings`] is what is stored per unit (set with `motcua report-settings`), with
//! defaults derived from the unit's kind ([`ReportSettings::default_for`]):
//!
//! - a People's Committee (province, district, commune) prints no parent body: `ỦY BAN NHÂN
//!   DÂN` / `HUYỆN VĨNH LINH`, `Số: …/BC-UBND`, its own name as the place, signed
//!   `TM. ỦY BAN NHÂN DÂN` / `CHỦ TỊCH`;
//! - a department prints its People's Committee above it (`UBND HUYỆN VĨNH LINH` /
//!   `PHÒNG TƯ PHÁP`), `Số: …/BC-TP` (its name's initials), the place of its People's
//!   Committee, signed `TRƯỞNG PHÒNG`; an office (`Văn phòng …`) `BC-VP`, `CHÁNH VĂN PHÒNG`.
//!
//! [`Letterhead`] is what the renderers print: the settings laid out with the report's date.
//! Dates follow the decree: days 1–9 and months 1–2 on two digits ([`date_words`]).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::timestamp::Month;
use crate::unit::{Unit, UnitKind, UnitTree};

/// How the signer stands to the head of the body (the prefix of the head's title).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// The head signs: `CHỦ TỊCH`.
    #[default]
    Head,
    /// A deputy signs for the head: `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`.
    Deputy,
    /// The acting head: `Q. CHỦ TỊCH`.
    Acting,
    /// By order of the head: `TL. CHỦ TỊCH` / `CHÁNH VĂN PHÒNG`.
    ByOrder,
}

impl Authority {
    pub const ALL: [Authority; 4] = [
        Authority::Head,
        Authority::Deputy,
        Authority::Acting,
        Authority::ByOrder,
    ];

    /// The spelling of the command line and of the stored settings.
    pub fn as_str(self) -> &'static str {
        match self {
            Authority::Head => "head",
            Authority::Deputy => "deputy",
            Authority::Acting => "acting",
            Authority::ByOrder => "by_order",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text.trim())
    }

    /// The prefix before the head's title (`KT. `), empty for the head.
    pub fn prefix(self) -> &'static str {
        match self {
            Authority::Head => "",
            Authority::Deputy => "KT. ",
            Authority::Acting => "Q. ",
            Authority::ByOrder => "TL. ",
        }
    }
}

/// A unit's report settings: everything the report prints besides the narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSettings {
    /// The direct parent body, printed upright above the issuer (`UBND HUYỆN VĨNH LINH`);
    /// `None` for a People's Committee.
    pub parent_body: Option<String>,
    /// The issuing body, in bold, one entry per line (`ỦY BAN NHÂN DÂN`, `HUYỆN VĨNH LINH`).
    pub issuer: Vec<String>,
    /// The number symbol after the number (`BC-UBND`, `BC-TP`).
    pub symbol: String,
    /// The place of the date line (`Vĩnh Linh`).
    pub place: String,
    /// The collegial body signed for (`ỦY BAN NHÂN DÂN` → `TM. ỦY BAN NHÂN DÂN`), if any.
    pub on_behalf_of: Option<String>,
    pub authority: Authority,
    /// The head's title (`CHỦ TỊCH`, `TRƯỞNG PHÒNG`).
    pub head_title: String,
    /// The signer's own title when not the head (`PHÓ CHỦ TỊCH`, `CHÁNH VĂN PHÒNG`).
    pub signer_title: Option<String>,
    /// The signer's full name (`Nguyễn Văn An`); empty until set.
    pub signer: String,
    /// "Kính gửi": the bodies the report is addressed to; when any, "Nơi nhận" opens with
    /// "Như trên".
    pub addressees: Vec<String>,
    /// "Nơi nhận", without "Như trên" and without the file copy (`UBND huyện Vĩnh Linh`).
    pub recipients: Vec<String>,
    /// The file copy (`VT` → `- Lưu: VT.`).
    pub archive: String,
}

/// The longest line of the settings, in characters.
pub const MAX_LINE_CHARS: usize = 200;

/// Whether a department is the office of its People's Committee (`Văn phòng HĐND và UBND`).
fn is_office(unit: &Unit) -> bool {
    unit.kind == UnitKind::Department && unit.name.to_lowercase().starts_with("văn phòng")
}

/// The initials of a department's name (`Lao động - Thương binh và Xã hội` → `LĐTBXH`).
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| !matches!(*w, "và" | "-" | "–" | "&"))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

/// `UBND huyện Vĩnh Linh` → `Ủy ban nhân dân huyện Vĩnh Linh`: names in the recipients are
/// written out.
pub fn spelled_out(name: &str) -> String {
    match name.strip_prefix("UBND ") {
        Some(rest) => format!("Ủy ban nhân dân {rest}"),
        None => name.to_owned(),
    }
}

/// The nearest People's Committee at or above `unit`.
fn committee<'a>(tree: &'a UnitTree, unit: &'a Unit) -> &'a Unit {
    let mut at = unit;
    while at.kind == UnitKind::Department {
        match at.parent.as_ref().and_then(|p| tree.get(p)) {
            Some(p) => at = p,
            None => break,
        }
    }
    at
}

impl ReportSettings {
    /// The defaults of `unit`'s kind (module documentation), with its parent as the
    /// addressee and the groups of units below it among the recipients.
    pub fn default_for(tree: &UnitTree, unit: &Unit) -> Self {
        let parent = unit.parent.as_ref().and_then(|p| tree.get(p));
        let upper = |u: &Unit| format!("{} {}", u.label, u.short_name).to_uppercase();
        let mut recipients = Vec::new();
        let children: Vec<&Unit> = tree
            .scope(&unit.code)
            .into_iter()
            .filter(|u| u.parent.as_ref() == Some(&unit.code))
            .collect();
        if children.iter().any(|u| u.kind == UnitKind::Department) {
            recipients.push("Các phòng chuyên môn".to_owned());
        }
        let mut labels: Vec<&str> = Vec::new();
        for u in children.iter().filter(|u| u.kind != UnitKind::Department) {
            if !labels.contains(&u.label.as_str()) {
                labels.push(&u.label);
            }
        }
        // xã before phường before thị trấn, as lists of communes are usually written.
        labels.sort_by_key(|l| match *l {
            "xã" => 0,
            "phường" => 1,
            "thị trấn" => 2,
            _ => 3,
        });
        if !labels.is_empty() {
            recipients.push(format!("UBND các {}", labels.join(", ")));
        }
        let addressees = parent
            .map(|p| vec![spelled_out(&committee(tree, p).name)])
            .unwrap_or_default();
        let place = committee(tree, unit).short_name.clone();
        if unit.kind == UnitKind::Department {
            let office = is_office(unit);
            ReportSettings {
                parent_body: Some(format!("UBND {}", upper(committee(tree, unit)))),
                issuer: vec![unit.name.to_uppercase()],
                symbol: if office {
                    "BC-VP".to_owned()
                } else {
                    format!("BC-{}", initials(&unit.short_name))
                },
                place,
                on_behalf_of: None,
                authority: Authority::Head,
                head_title: if office {
                    "CHÁNH VĂN PHÒNG"
                } else {
                    "TRƯỞNG PHÒNG"
                }
                .to_owned(),
                signer_title: None,
                signer: String::new(),
                addressees,
                recipients,
                archive: "VT".to_owned(),
            }
        } else {
            ReportSettings {
                parent_body: None,
                issuer: vec!["ỦY BAN NHÂN DÂN".to_owned(), upper(unit)],
                symbol: "BC-UBND".to_owned(),
                place,
                on_behalf_of: Some("ỦY BAN NHÂN DÂN".to_owned()),
                authority: Authority::Head,
                head_title: "CHỦ TỊCH".to_owned(),
                signer_title: None,
                signer: String::new(),
                addressees,
                recipients,
                archive: "VT".to_owned(),
            }
        }
    }

    /// Checks what people typed: every line one line of at most [`MAX_LINE_CHARS`]
    /// characters, the issuer, symbol, place, head's title and file copy not empty. All the
    /// problems at once, each naming its field.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let mut line = |field: &str, text: &str, required: bool| {
            if required && text.trim().is_empty() {
                problems.push(format!("{field}: không được để trống"));
            } else if let Err(e) = crate::freetext::check_line(text, MAX_LINE_CHARS) {
                problems.push(format!("{field}: {e}"));
            }
        };
        line(
            "Cơ quan chủ quản",
            self.parent_body.as_deref().unwrap_or(""),
            false,
        );
        if self.issuer.is_empty() {
            line("Tên cơ quan ban hành", "", true);
        }
        for l in &self.issuer {
            line("Tên cơ quan ban hành", l, true);
        }
        line("Ký hiệu", &self.symbol, true);
        line("Địa danh", &self.place, true);
        line(
            "Thay mặt",
            self.on_behalf_of.as_deref().unwrap_or(""),
            false,
        );
        line("Chức danh người đứng đầu", &self.head_title, true);
        line(
            "Chức danh người ký",
            self.signer_title.as_deref().unwrap_or(""),
            false,
        );
        line("Người ký", &self.signer, false);
        for a in &self.addressees {
            line("Kính gửi", a, true);
        }
        for r in &self.recipients {
            line("Nơi nhận", r, true);
        }
        line("Lưu", &self.archive, true);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The signature block's lines above the name
    /// (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`, `PHÓ CHỦ TỊCH`).
    pub fn signature_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(body) = self
            .on_behalf_of
            .as_deref()
            .filter(|b| !b.trim().is_empty())
        {
            lines.push(format!("TM. {body}"));
        }
        lines.push(format!("{}{}", self.authority.prefix(), self.head_title));
        if self.authority != Authority::Head
            && let Some(title) = self
                .signer_title
                .as_deref()
                .filter(|t| !t.trim().is_empty())
        {
            lines.push(title.to_owned());
        }
        lines
    }

    /// The settings laid out for a report dated `date`.
    pub fn letterhead(&self, date: Date) -> Letterhead {
        let mut recipients = Vec::new();
        if !self.addressees.is_empty() {
            recipients.push("Như trên".to_owned());
        }
        recipients.extend(self.recipients.iter().cloned());
        recipients.push(format!("Lưu: {}", self.archive));
        let last = recipients.len() - 1;
        let recipients = recipients
            .into_iter()
            .enumerate()
            .map(|(i, r)| format!("- {r}{}", if i == last { "." } else { ";" }))
            .collect();
        let addressees = match self.addressees.as_slice() {
            [] => Vec::new(),
            [one] => vec![format!("{one}.")],
            many => {
                let last = many.len() - 1;
                many.iter()
                    .enumerate()
                    .map(|(i, a)| format!("- {a}{}", if i == last { "." } else { ";" }))
                    .collect()
            }
        };
        Letterhead {
            date,
            addressed_to: self.addressees.clone(),
            parent_body: self.parent_body.clone(),
            issuer: self.issuer.clone(),
            number: format!("Số:        /{}", self.symbol),
            place_date: date_line(&self.place, date),
            addressees,
            signature: self.signature_lines(),
            signer: self.signer.clone(),
            recipients,
        }
    }
}

/// What the report prints around the narrative, every line as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letterhead {
    /// The report's date.
    pub date: Date,
    /// The bodies the report is addressed to, by name (`Ủy ban nhân dân huyện Vĩnh Linh`).
    pub addressed_to: Vec<String>,
    /// Upright, above the issuer (`UBND HUYỆN VĨNH LINH`).
    pub parent_body: Option<String>,
    /// Bold lines (`ỦY BAN NHÂN DÂN`, `HUYỆN VĨNH LINH`).
    pub issuer: Vec<String>,
    /// `Số:        /BC-UBND` (the number is written by the clerical office).
    pub number: String,
    /// `Vĩnh Linh, ngày 01 tháng 6 năm 2024`.
    pub place_date: String,
    /// The "Kính gửi" block's lines (`Ủy ban nhân dân huyện Vĩnh Linh.`), empty when none.
    pub addressees: Vec<String>,
    /// The signature block above the name (`TM. ỦY BAN NHÂN DÂN`, `CHỦ TỊCH`).
    pub signature: Vec<String>,
    /// The signer's full name, empty when not set.
    pub signer: String,
    /// "Nơi nhận" lines (`- UBND các xã, thị trấn;`, `- Lưu: VT.`).
    pub recipients: Vec<String>,
}

/// A date as Decree 30 writes it: `ngày 05 tháng 6 năm 2024`, `ngày 25 tháng 12 năm 2024`,
/// `ngày 01 tháng 01 năm 2025` (days 1–9 and months 1–2 on two digits).
pub fn date_words(d: Date) -> String {
    let m = u8::from(d.month());
    let month = if m <= 2 {
        format!("{m:02}")
    } else {
        m.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// The place and date line: `Vĩnh Linh, ngày 05 tháng 6 năm 2024`.
pub fn date_line(place: &str, d: Date) -> String {
    format!("{place}, {}", date_words(d))
}

/// The day after `month` ends.
fn after(month: Month) -> Date {
    month.next().first_day()
}

/// The report's date when none is chosen: the day after the month ends, or `today` while
/// the month runs (or before it has begun).
pub fn default_report_date(month: Month, today: Date) -> Date {
    if today >= after(month) {
        after(month)
    } else {
        today
    }
}

/// Days between the report and the deadline of the remediation reports it asks for (the
/// article's report of May, dated 1 June, asks for them "trước ngày 16/6/2024").
pub const REMEDIATION_DAYS: i64 = 15;

/// The deadline of the remediation reports asked by a report dated `date`.
pub fn remediation_deadline(date: Date) -> Date {
    date.saturating_add(time::Duration::days(REMEDIATION_DAYS))
}

/// Why a chosen report date is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportDateError {
    #[error("ngày báo cáo {date} trước ngày đầu của {month}: chọn một ngày từ {first} trở đi")]
    BeforeMonth {
        date: String,
        month: String,
        first: String,
    },
}

/// Checks a chosen report date: not before the month it reports on.
pub fn check_report_date(month: Month, date: Date) -> Result<Date, ReportDateError> {
    if date < month.first_day() {
        return Err(ReportDateError::BeforeMonth {
            date: crate::display::date(date),
            month: format!("tháng {}/{}", month.number(), month.year()),
            first: crate::display::date(month.first_day()),
        });
    }
    Ok(date)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_pad_days_below_ten_and_the_first_two_months() {
        for (d, text) in [
            (date!(2025 - 01 - 01), "ngày 01 tháng 01 năm 2025"),
            (date!(2024 - 06 - 05), "ngày 05 tháng 6 năm 2024"),
            (date!(2024 - 12 - 25), "ngày 25 tháng 12 năm 2024"),
            (date!(2026 - 02 - 07), "ngày 07 tháng 02 năm 2026"),
            (date!(2019 - 06 - 29), "ngày 29 tháng 6 năm 2019"),
            (date!(2025 - 12 - 31), "ngày 31 tháng 12 năm 2025"),
            (date!(2024 - 03 - 10), "ngày 10 tháng 3 năm 2024"),
        ] {
            assert_eq!(date_words(d), text);
        }
        assert_eq!(
            date_line("Vĩnh Linh", date!(2024 - 06 - 05)),
            "Vĩnh Linh, ngày 05 tháng 6 năm 2024"
        );
    }

    #[test]
    fn a_past_month_is_dated_the_day_after_it_ends_and_the_running_one_today() {
        let may: Month = "2024-05".parse().unwrap();
        assert_eq!(
            default_report_date(may, date!(2026 - 12 - 02)),
            date!(2024 - 06 - 01)
        );
        assert_eq!(
            default_report_date(may, date!(2024 - 06 - 01)),
            date!(2024 - 06 - 01)
        );
        assert_eq!(
            default_report_date(may, date!(2024 - 05 - 20)),
            date!(2024 - 05 - 20)
        );
        assert_eq!(
            remediation_deadline(date!(2024 - 06 - 01)),
            date!(2024 - 06 - 16)
        );
        assert!(check_report_date(may, date!(2024 - 04 - 30)).is_err());
        assert!(check_report_date(may, date!(2024 - 05 - 01)).is_ok());
    }

    #[test]
    fn department_symbols_are_their_initials() {
        assert_eq!(initials("Tư pháp"), "TP");
        assert_eq!(initials("Lao động - Thương binh và Xã hội"), "LĐTBXH");
        assert_eq!(initials("Tài chính - Kế hoạch"), "TCKH");
    }

    #[test]
    fn signature_blocks() {
        let mut s = ReportSettings {
            parent_body: None,
            issuer: vec!["ỦY BAN NHÂN DÂN".into(), "HUYỆN VĨNH LINH".into()],
            symbol: "BC-UBND".into(),
            place: "Vĩnh Linh".into(),
            on_behalf_of: Some("ỦY BAN NHÂN DÂN".into()),
            authority: Authority::Head,
            head_title: "CHỦ TỊCH".into(),
            signer_title: Some("PHÓ CHỦ TỊCH".into()),
            signer: "Nguyễn Văn An".into(),
            addressees: vec![],
            recipients: vec!["UBND các xã, thị trấn".into()],
            archive: "VT".into(),
        };
        assert_eq!(s.signature_lines(), ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]);
        s.authority = Authority::Deputy;
        assert_eq!(
            s.signature_lines(),
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
        );
        let l = s.letterhead(date!(2024 - 06 - 01));
        assert_eq!(l.recipients, ["- UBND các xã, thị trấn;", "- Lưu: VT."]);
        assert_eq!(l.number, "Số:        /BC-UBND");
        s.addressees = vec!["Ủy ban nhân dân tỉnh Quảng Trị".into()];
        let l = s.letterhead(date!(2024 - 06 - 01));
        assert_eq!(l.addressees, ["Ủy ban nhân dân tỉnh Quảng Trị."]);
        assert_eq!(l.recipients[0], "- Như trên;");
    }
}
