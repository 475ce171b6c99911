//! Free text that people type into the API and the pages (reasons, names, notes…): bounded in
//! characters, without control characters. One rule for every edge: the API refuses it while
//! the JSON is parsed (`#[serde(deserialize_with = …)]` with [`line`] or [`note`]) and states
//! it in the OpenAPI schema ([`LINE_PATTERN`], [`NOTE_PATTERN`] with the field's
//! `max_length`); the pages call [`check_line`] / [`check_note`] on what the form sent.
//!
//! Lengths count characters (Unicode scalar values), as JSON Schema's `maxLength` does, on the
//! text as sent (before any trimming), so the document and the server agree to the character.

use serde::{Deserialize, Deserializer, Serialize};

/// A line of text (a name, an address, a symbol): no control character at all.
/// ECMA-262, for the OpenAPI schemas; the same set as [`char::is_control`].
pub const LINE_PATTERN: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";
/// A note (a reason, a request): line breaks (CR, LF) allowed, no other control character.
pub const NOTE_PATTERN: &str = "^[^\\u0000-\\u0009\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

/// The longest reason a step may give (characters).
pub const MAX_REASON_CHARS: usize = 2000;

/// Why a text is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("dài {len} ký tự, quá mức tối đa {max} ký tự")]
    TooLong { len: usize, max: usize },
    #[error("chứa ký tự điều khiển U+{0:04X}")]
    Control(u32),
}

fn check(text: &str, max: usize, line_breaks: bool) -> Result<(), TextError> {
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !(line_breaks && matches!(c, '\n' | '\r')))
    {
        return Err(TextError::Control(u32::from(c)));
    }
    let len = text.chars().count();
    if len > max {
        return Err(TextError::TooLong { len, max });
    }
    Ok(())
}

/// Checks a line of text: at most `max` characters, no control character.
pub fn check_line(text: &str, max: usize) -> Result<(), TextError> {
    check(text, max, false)
}

/// Checks a note: at most `max` characters, no control character but line breaks.
pub fn check_note(text: &str, max: usize) -> Result<(), TextError> {
    check(text, max, true)
}

/// Deserializes a line of at most `MAX` characters (`#[serde(deserialize_with =
/// "freetext::line::<_, 300>")]`).
pub fn line<'de, D: Deserializer<'de>, const MAX: usize>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    check_line(&text, MAX).map_err(serde::de::Error::custom)?;
    Ok(text)
}

/// Deserializes a note of at most `MAX` characters.
pub fn note<'de, D: Deserializer<'de>, const MAX: usize>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    check_note(&text, MAX).map_err(serde::de::Error::custom)?;
    Ok(text)
}

/// Why a step is taken (lý do): a note of at most [`MAX_REASON_CHARS`] characters. Every
/// [`crate::lifecycle::Step`] that needs a reason carries one, so a step that exists has a
/// bounded reason whichever edge it came through.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reason(String);

impl Reason {
    /// Checks a reason as typed (it may still be blank: the step then says it needs one).
    pub fn parse(text: &str) -> Result<Self, String> {
        check_note(text, MAX_REASON_CHARS).map_err(|e| format!("lý do {e}"))?;
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Reason {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        check_note(&text, MAX_REASON_CHARS).map_err(|e| format!("lý do {e}"))?;
        Ok(Self(text))
    }
}

impl From<Reason> for String {
    fn from(r: Reason) -> Self {
        r.0
    }
}

impl std::str::FromStr for Reason {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::parse(text)
    }
}

impl std::ops::Deref for Reason {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Reason {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .max_length(Some(MAX_REASON_CHARS))
            .pattern(Some(NOTE_PATTERN))
            .description(Some(
                "Lý do (tiếng Việt): tối đa 2000 ký tự, được xuống dòng, không có ký tự điều khiển khác.",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Reason {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(check_line("Nguyễn Thị Hoa", 14).is_ok());
        assert_eq!(
            check_line("Nguyễn Thị Hoa", 13),
            Err(TextError::TooLong { len: 14, max: 13 })
        );
        assert!(check_line("", 0).is_ok());
    }

    #[test]
    fn control_characters_are_refused_but_notes_keep_line_breaks() {
        assert_eq!(check_line("a\u{0}b", 10), Err(TextError::Control(0)));
        assert_eq!(check_line("a\nb", 10), Err(TextError::Control(10)));
        assert!(check_note("dòng 1\r\ndòng 2", 20).is_ok());
        assert_eq!(check_note("a\tb", 10), Err(TextError::Control(9)));
        assert_eq!(check_note("a\u{85}b", 10), Err(TextError::Control(0x85)));
        assert_eq!(
            check_note("x\u{1b}[31m", 10).unwrap_err().to_string(),
            "chứa ký tự điều khiển U+001B"
        );
    }

    #[test]
    fn the_patterns_name_the_same_characters() {
        // The schema's character class, read back: every control character of Rust's rule
        // lies in one of its ranges, and nothing else does.
        let ranges = |pattern: &str| -> Vec<(u32, u32)> {
            let hex = |s: &str| u32::from_str_radix(&s[..4], 16).unwrap();
            let mut rest = pattern
                .strip_prefix("^[^")
                .and_then(|p| p.strip_suffix("]*$"))
                .unwrap();
            let mut out = Vec::new();
            while let Some(r) = rest.strip_prefix("\\u") {
                let from = hex(r);
                rest = &r[4..];
                let to = match rest.strip_prefix("-\\u") {
                    Some(r) => {
                        rest = &r[4..];
                        hex(r)
                    }
                    None => from,
                };
                out.push((from, to));
            }
            assert!(rest.is_empty(), "{pattern}");
            out
        };
        for (pattern, line_breaks) in [(LINE_PATTERN, false), (NOTE_PATTERN, true)] {
            let refused = ranges(pattern);
            for c in (0u32..0x110000).filter_map(char::from_u32) {
                let in_class = refused
                    .iter()
                    .any(|(a, b)| (*a..=*b).contains(&u32::from(c)));
                assert_eq!(
                    in_class,
                    check(&c.to_string(), 1, line_breaks).is_err(),
                    "{pattern}: U+{:04X}",
                    u32::from(c)
                );
            }
        }
    }
}
