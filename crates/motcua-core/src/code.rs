//! The alphabet of codes (unit, procedure and dossier codes) and the characters no text
//! field may hold.
//!
//! A code is what links records together and what appears in addresses (`/dossiers/CODE`),
//! so two codes that look the same must be the same code: a code is made of ASCII letters,
//! digits, `.` and `-` only, starts and ends with a letter or a digit, never has two of `.`
//! and `-` in a row (no `..`, no `-.`), and has a bounded length. That admits every code
//! motcua meets: unit codes (`vinh-linh.tnmt`), national procedure codes (`1.001193`,
//! `2.000986.000.00.00.H12`), the desk's dossier codes (`HO-XA-240520-0001`,
//! `VINH-LINH.TNMT-240520-0001`) and those of the national system (`000.00.12.H56-240520-0008`);
//! it refuses zero-width characters (U+200B, U+2060, U+FEFF), look-alikes (U+2011 for `-`,
//! Cyrillic letters), spaces, `/` and `..`. Letter case is kept as given.

use std::fmt;

/// Which code a text was meant to be, for messages and length bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    Unit,
    Procedure,
    Dossier,
}

impl CodeKind {
    /// The longest code of this kind, in characters. A dossier code holds a unit code and
    /// 12 characters more (`-YYMMDD-NNNN`, see the desk).
    pub const fn max_len(self) -> usize {
        match self {
            CodeKind::Unit | CodeKind::Procedure => 48,
            CodeKind::Dossier => 64,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            CodeKind::Unit => "mã đơn vị",
            CodeKind::Procedure => "mã thủ tục",
            CodeKind::Dossier => "mã hồ sơ",
        }
    }
}

/// Why a text is not a code; the message names the character at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("{} trống", .kind.noun())]
    Empty { kind: CodeKind },
    #[error("{} dài {len} ký tự, tối đa {} ký tự", .kind.noun(), .kind.max_len())]
    TooLong { kind: CodeKind, len: usize },
    #[error(
        "{} «{}» có ký tự không được phép {} ở vị trí {position}; {ALPHABET}",
        .kind.noun(), shown(.text), describe(*.character)
    )]
    Character {
        kind: CodeKind,
        text: String,
        character: char,
        /// 1-based, in characters.
        position: usize,
    },
    #[error(
        "{} «{text}» có hai dấu «.» hoặc «-» liền nhau ở vị trí {position}; {ALPHABET}",
        .kind.noun()
    )]
    Separators {
        kind: CodeKind,
        text: String,
        position: usize,
    },
    #[error(
        "{} «{text}» phải bắt đầu và kết thúc bằng chữ cái hoặc chữ số; {ALPHABET}",
        .kind.noun()
    )]
    Edge { kind: CodeKind, text: String },
}

const ALPHABET: &str =
    "mã chỉ gồm chữ cái Latinh không dấu (A–Z, a–z), chữ số, dấu chấm và dấu gạch ngang";

fn is_separator(c: char) -> bool {
    c == '.' || c == '-'
}

/// Checks `text` (already trimmed) against the alphabet of codes of `kind`.
pub fn check_code(kind: CodeKind, text: &str) -> Result<(), CodeError> {
    if text.is_empty() {
        return Err(CodeError::Empty { kind });
    }
    let len = text.chars().count();
    if len > kind.max_len() {
        return Err(CodeError::TooLong { kind, len });
    }
    let mut previous = None;
    for (i, c) in text.chars().enumerate() {
        if !(c.is_ascii_alphanumeric() || is_separator(c)) {
            return Err(CodeError::Character {
                kind,
                text: text.to_owned(),
                character: c,
                position: i + 1,
            });
        }
        if is_separator(c) && previous.is_some_and(is_separator) {
            return Err(CodeError::Separators {
                kind,
                text: text.to_owned(),
                position: i,
            });
        }
        previous = Some(c);
    }
    if text.starts_with(is_separator) || text.ends_with(is_separator) {
        return Err(CodeError::Edge {
            kind,
            text: text.to_owned(),
        });
    }
    Ok(())
}

/// A character that no text of an import may hold: control characters (NUL, line breaks,
/// tabulations, escape…), and the invisible ones that make two texts look alike or reorder
/// what is displayed (zero-width spaces and joiners, U+FEFF, bidirectional controls, line and
/// paragraph separators).
pub fn is_forbidden_in_text(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// How a character is named in a message: visible ones between guillemets, with their code
/// point; invisible or control ones by their code point only.
pub fn describe(c: char) -> String {
    if is_forbidden_in_text(c) || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("«{c}» (U+{:04X})", u32::from(c))
    }
}

/// `text` as it may be shown in a message: control and invisible characters written as
/// `<U+XXXX>`, and cut after 64 characters.
pub fn shown(text: &str) -> String {
    const MAX: usize = 64;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if is_forbidden_in_text(c) || (c.is_whitespace() && c != ' ') {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// `Deserialize` for a code type through its parser, so that a JSON body meets the same
/// alphabet as a file does.
macro_rules! deserialize_code {
    ($t:ty, $parse:expr) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                ($parse)(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use deserialize_code;

/// The alphabet of codes as a JSON Schema pattern (ECMA-262), for the API document: what a
/// client generates from it, [`check_code`] accepts.
pub const CODE_PATTERN: &str = "^[A-Za-z0-9]+([.-][A-Za-z0-9]+)*$";

/// `ToSchema` for a code type: a string of the code alphabet ([`CODE_PATTERN`]) and the
/// kind's length bound, so the API document promises no more than the parser accepts.
#[cfg(feature = "openapi")]
macro_rules! code_schema {
    ($t:ty, $kind:expr) => {
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .min_length(Some(1))
                    .max_length(Some($kind.max_len()))
                    .pattern(Some($crate::code::CODE_PATTERN))
                    .description(Some(format!(
                        "{}: chữ cái Latinh không dấu, chữ số, dấu chấm và dấu gạch ngang; \
                         bắt đầu và kết thúc bằng chữ cái hoặc chữ số.",
                        $kind
                    )))
                    .into()
            }
        }
        impl utoipa::ToSchema for $t {}
    };
}
#[cfg(feature = "openapi")]
pub(crate) use code_schema;

impl fmt::Display for CodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.noun())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codes_motcua_meets_are_accepted() {
        for (kind, code) in [
            (CodeKind::Unit, "vinh-linh"),
            (CodeKind::Unit, "vinh-linh.tnmt"),
            (CodeKind::Unit, "vn"),
            (CodeKind::Procedure, "1.001193"),
            (CodeKind::Procedure, "2.000986.000.00.00.H12"),
            (CodeKind::Procedure, "9.100010"),
            (CodeKind::Dossier, "HO-XA-240401-0002"),
            (CodeKind::Dossier, "VINH-LINH.TNMT-240520-0001"),
            (CodeKind::Dossier, "000.00.12.H56-240520-0008"),
        ] {
            assert_eq!(check_code(kind, code), Ok(()), "{code}");
        }
    }

    #[test]
    fn look_alikes_paths_and_invisible_characters_are_refused_by_name() {
        for (code, named) in [
            ("HO-XA\u{200B}-240401-0002", "U+200B"),
            ("HO-XA-240401-0002\u{2060}", "U+2060"),
            ("\u{FEFF}HO-XA-240401-0002", "U+FEFF"),
            ("HO\u{2011}XA-240401-0002", "U+2011"),
            ("HO-XA/../HO-XA-240401-0002", "«/»"),
            ("HO-XA 240401", "U+0020"),
            ("HО-XA", "U+041E"), // Cyrillic O
            ("HO-XA\0", "U+0000"),
        ] {
            let e = check_code(CodeKind::Dossier, code).map(|_| String::new());
            let message = e.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.contains(named), "{code:?}: {message}");
            assert!(message.starts_with("mã hồ sơ"), "{message}");
            assert!(
                !message.chars().any(is_forbidden_in_text),
                "the message shows no invisible character: {message:?}"
            );
        }
        for code in ["HO-XA..0002", "HO-.XA", ".hidden", "ho-xa-", "-n"] {
            assert!(check_code(CodeKind::Unit, code).is_err(), "{code}");
        }
        let long = "A".repeat(49);
        assert_eq!(
            check_code(CodeKind::Unit, &long),
            Err(CodeError::TooLong {
                kind: CodeKind::Unit,
                len: 49
            })
        );
        assert!(check_code(CodeKind::Dossier, &"A".repeat(64)).is_ok());
        assert!(check_code(CodeKind::Dossier, &"A".repeat(65)).is_err());
    }

    #[test]
    fn the_schema_pattern_is_the_alphabet() {
        let pattern = regex::Regex::new(CODE_PATTERN).map_err(|e| e.to_string());
        let Ok(pattern) = pattern else {
            panic!("{pattern:?}")
        };
        for code in [
            "vinh-linh.tnmt",
            "2.000986.000.00.00.H12",
            "HO-XA-240401-0002",
            "a",
            "",
            "HO-XA..0002",
            "HO-.XA",
            ".hidden",
            "ho-xa-",
            "HO-XA/../HO",
            "HO XA",
            "HО-XA",
            "HO\u{2011}XA",
        ] {
            assert_eq!(
                pattern.is_match(code),
                check_code(CodeKind::Dossier, code).is_ok(),
                "{code:?}"
            );
        }
    }

    #[test]
    fn json_bodies_meet_the_same_alphabet() {
        use crate::dossier::DossierCode;
        use crate::procedure::ProcedureCode;
        use crate::unit::UnitCode;
        assert!(serde_json::from_str::<DossierCode>(r#""HO-XA/../HO-XA-240401-0002""#).is_err());
        assert!(serde_json::from_str::<ProcedureCode>(r#""1.001193\u200b""#).is_err());
        assert!(serde_json::from_str::<UnitCode>(r#""vinh..khe""#).is_err());
        let code: Result<DossierCode, _> = serde_json::from_str(r#""HO-XA-240401-0002""#);
        assert_eq!(
            code.ok().map(|c| c.as_str().to_owned()).as_deref(),
            Some("HO-XA-240401-0002")
        );
    }

    #[test]
    fn messages_show_invisible_characters_by_code_point_and_stay_short() {
        assert_eq!(shown("a\u{200B}b\tc"), "a<U+200B>b<U+0009>c");
        assert_eq!(shown(&"x".repeat(100)).chars().count(), 65);
    }
}
