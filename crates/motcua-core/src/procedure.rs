//! The procedure catalogue ([`Procedure`]) and online service offerings.
//!
//! An *online service offering* is a pair (unit, procedure) where the unit carries out the
//! procedure (its kind or its code is in `offered_by`) and the procedure is offered online,
//! fully or partly. The online service usage rate counts these pairs.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::code::{CodeError, CodeKind, check_code};

pub use motcua_calendar::ProcessingDays;

use crate::unit::{Unit, UnitCode, UnitKind};

/// A procedure code of the national procedure database, e.g. `1.001193` or
/// `2.000986.000.00.00.H12`; see [`crate::code`] for the alphabet and the length bound.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ProcedureCode(String);

#[cfg(feature = "openapi")]
crate::code::code_schema!(ProcedureCode, crate::code::CodeKind::Procedure);

impl ProcedureCode {
    /// The code, or why `text` is not one (the message names the character at fault).
    pub fn try_parse(text: &str) -> Result<Self, CodeError> {
        let text = text.trim();
        check_code(CodeKind::Procedure, text)?;
        Ok(Self(text.to_owned()))
    }

    /// [`ProcedureCode::try_parse`] without the reason.
    pub fn parse(text: &str) -> Option<Self> {
        Self::try_parse(text).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::code::deserialize_code!(ProcedureCode, ProcedureCode::try_parse);

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The level at which a procedure is offered online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// dịch vụ công trực tuyến toàn trình
    Full,
    /// dịch vụ công trực tuyến một phần
    Partial,
    /// only at the desk
    None,
}

impl OnlineLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            OnlineLevel::Full => "full",
            OnlineLevel::Partial => "partial",
            OnlineLevel::None => "none",
        }
    }

    /// How the public portal names the level: `Dịch vụ công trực tuyến toàn trình`.
    pub fn name_vi(self) -> &'static str {
        match self {
            OnlineLevel::Full => "Dịch vụ công trực tuyến toàn trình",
            OnlineLevel::Partial => "Dịch vụ công trực tuyến một phần",
            OnlineLevel::None => "Nộp trực tiếp hoặc qua bưu chính",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "full" => Some(Self::Full),
            "partial" => Some(Self::Partial),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// Who carries out a procedure: every unit of a kind, or one unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Offerer {
    Kind(UnitKind),
    Unit(UnitCode),
}

impl Offerer {
    pub fn matches(&self, unit: &Unit) -> bool {
        match self {
            Offerer::Kind(k) => *k == unit.kind,
            Offerer::Unit(c) => *c == unit.code,
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Offerer::Kind(k) => k.as_str(),
            Offerer::Unit(c) => c.as_str(),
        }
    }
}

/// A procedure of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    pub code: ProcedureCode,
    pub name: String,
    /// lĩnh vực, e.g. `Hộ tịch`.
    pub field: String,
    pub offered_by: Vec<Offerer>,
    pub online_level: OnlineLevel,
    pub processing_days: ProcessingDays,
    /// Fee and charge payable, whole đồng.
    pub fee_vnd: i64,
    /// Number of input components (thành phần hồ sơ); the length of `component_list`
    /// when the list is known.
    pub components: u32,
    /// The components the procedure asks for, in order (empty when the catalogue does not
    /// list them: `procedure_components.csv` is optional).
    pub component_list: Vec<ProcedureComponent>,
    /// "Received after 15:00 counts from the next working day" applies to this procedure.
    pub cutoff_15h: bool,
    /// Trình tự thực hiện: the steps, in order (empty when the catalogue does not hold them).
    pub steps: Vec<String>,
    /// Cách thức thực hiện: where and how to submit, as the catalogue words it.
    pub how_to_submit: Option<String>,
}

/// A component (thành phần hồ sơ) a procedure asks for: the document and how many
/// originals and copies of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureComponent {
    /// e.g. `Tờ khai đăng ký khai sinh theo mẫu`.
    pub name: String,
    /// Bản chính.
    pub originals: u32,
    /// Bản sao.
    pub copies: u32,
    /// Where the blank form (mẫu đơn, tờ khai) can be downloaded: an `http(s)` address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_url: Option<String>,
}

impl Procedure {
    /// Whether `unit` carries out this procedure.
    pub fn offered_by_unit(&self, unit: &Unit) -> bool {
        self.offered_by.iter().any(|o| o.matches(unit))
    }

    /// Whether (unit, this procedure) is an online service offering.
    pub fn is_online_offering_of(&self, unit: &Unit) -> bool {
        self.online_level != OnlineLevel::None && self.offered_by_unit(unit)
    }

    /// `offered_by` as written in the interchange format.
    pub fn offered_by_text(&self) -> String {
        self.offered_by
            .iter()
            .map(Offerer::as_str)
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// Formats processing days the interchange way, with a decimal point: `1`, `0.5`, `2.25`.
pub fn processing_days_text(days: ProcessingDays) -> String {
    let t = days.thousandths();
    let (int, frac) = (t / 1000, t % 1000);
    if frac == 0 {
        int.to_string()
    } else {
        format!("{int}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// Parses an `offered_by` cell: `;`-separated unit kinds and/or unit codes.
pub fn parse_offered_by(text: &str) -> Result<Vec<Offerer>, String> {
    let mut out = Vec::new();
    for part in text.split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match UnitKind::parse(part) {
            Some(kind) => out.push(Offerer::Kind(kind)),
            None => match UnitCode::parse(part) {
                Ok(code) => out.push(Offerer::Unit(code)),
                Err(e) => return Err(e.to_string()),
            },
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn processing_days_round_trip() {
        for s in ["0", "1", "0.5", "2.25", "10", "0.125"] {
            let days: ProcessingDays = s.parse().unwrap();
            assert_eq!(processing_days_text(days), s);
        }
    }

    #[test]
    fn offered_by_mixes_kinds_and_codes() {
        let v = parse_offered_by("commune;vinh-linh.tnmt").unwrap();
        assert_eq!(v.len(), 2);
        assert!(matches!(v[0], Offerer::Kind(UnitKind::Commune)));
        assert!(parse_offered_by("xã Vĩnh").is_err());
    }
}
