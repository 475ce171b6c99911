//! Tracking a dossier from outside the office (tra cứu hồ sơ): what proves that a visitor
//! who knows a dossier's code may follow it. The applicant's telephone number or
//! identification number proves it; nothing else does, and a dossier without an applicant on
//! record (an imported one) cannot be tracked. The comparison ignores what people type
//! between digits (spaces, dots, dashes) and the country prefix of a telephone number.

use crate::details::Applicant;

/// The fewest characters a proof may have: an empty or very short text proves nothing, even
/// against an applicant whose number is missing or short.
pub const MIN_PROOF: usize = 6;

/// `typed` as compared: letters and digits only, upper case, and a Vietnamese telephone
/// number's `+84`/`84` prefix written as the leading `0`.
pub fn normalize(typed: &str) -> String {
    let kept: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let plus = typed.trim_start().starts_with('+');
    match kept.strip_prefix("84") {
        // +84 912 345 678, or 84912345678: eleven digits with the country code.
        Some(rest) if (plus || kept.len() == 11) && rest.len() == 9 => format!("0{rest}"),
        _ => kept,
    }
}

/// Whether `typed` is the applicant's telephone number or identification number.
pub fn proves(applicant: &Applicant, typed: &str) -> bool {
    let typed = normalize(typed);
    if typed.len() < MIN_PROOF {
        return false;
    }
    [&applicant.phone, &applicant.id_number]
        .into_iter()
        .any(|known| normalize(known) == typed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applicant(phone: &str, id: &str) -> Applicant {
        Applicant {
            phone: phone.to_owned(),
            id_number: id.to_owned(),
            ..Applicant::default()
        }
    }

    #[test]
    fn the_phone_or_the_id_proves_it_however_typed() {
        let a = applicant("0912 345 678", "045198001234");
        for typed in [
            "0912345678",
            "0912.345.678",
            "+84 912 345 678",
            "84912345678",
            " 045198001234 ",
            "045 198 001 234",
        ] {
            assert!(proves(&a, typed), "{typed}");
        }
    }

    #[test]
    fn anything_else_proves_nothing() {
        let a = applicant("0912345678", "045198001234");
        for typed in ["0912345679", "091234567", "", "045198001235", "Nguyễn"] {
            assert!(!proves(&a, typed), "{typed}");
        }
        // An applicant without numbers on record cannot be matched, not even by nothing.
        let none = applicant("", "");
        for typed in ["", " ", "000000"] {
            assert!(!proves(&none, typed), "{typed:?}");
        }
    }
}
