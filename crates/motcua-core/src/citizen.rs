//! Citizens and businesses acting online (công dân, doanh nghiệp): who an account is, and
//! what ties a dossier to the account that submitted it. Accounts themselves (sign-up with a
//! one-time code, passwords, sessions, OpenID Connect) live in the store and the app; this
//! module holds the values they share with the online submission and the notices.

use serde::{Deserialize, Serialize};

mod contact;
mod message;

pub use contact::{
    Contact, MAX_EMAIL_CHARS, MAX_FULL_NAME_CHARS, MAX_ID_NUMBER_CHARS, parse_email,
    parse_id_number, parse_phone,
};
pub use message::{CODE_MINUTES, code_messages};

/// What a one-time code may be asked for, at most, per recipient…
pub const CODES_PER_WINDOW: u32 = 3;
/// …within this many minutes.
pub const CODE_WINDOW_MINUTES: i64 = 15;
/// How many wrong tries one code takes before it is dead.
pub const CODE_MAX_ATTEMPTS: u32 = 5;
/// How many digits a one-time code has.
pub const CODE_DIGITS: usize = 6;

/// What a one-time code confirms (stored as [`CodePurpose::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodePurpose {
    /// A new account waiting for its contact to be confirmed.
    SignUp,
}

impl CodePurpose {
    pub const ALL: [CodePurpose; 1] = [CodePurpose::SignUp];

    /// The stored text of the purpose.
    pub fn code(self) -> &'static str {
        match self {
            CodePurpose::SignUp => "sign_up",
        }
    }

    /// The purpose whose [`code`](Self::code) is `text`.
    pub fn from_code(text: &str) -> Option<CodePurpose> {
        Self::ALL.into_iter().find(|p| p.code() == text)
    }
}

/// Whether `text` is a one-time code as people type it: [`CODE_DIGITS`] digits, spaces
/// allowed between them. The digits.
pub fn parse_code(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == CODE_DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// A citizen's or business's account, as stored (its row id). Never shown to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CitizenId(pub i64);

/// Whether the account is a person's or an organisation's (a business carries a tax code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CitizenKind {
    /// Công dân.
    Person,
    /// Doanh nghiệp, tổ chức.
    Business,
}

impl CitizenKind {
    pub const ALL: [CitizenKind; 2] = [CitizenKind::Person, CitizenKind::Business];

    /// The stored text of the kind.
    pub fn code(self) -> &'static str {
        match self {
            CitizenKind::Person => "person",
            CitizenKind::Business => "business",
        }
    }

    /// The kind whose [`code`](Self::code) is `text`.
    pub fn from_code(text: &str) -> Option<CitizenKind> {
        Self::ALL.into_iter().find(|kind| kind.code() == text)
    }

    /// What people read: `Công dân`, `Doanh nghiệp, tổ chức`.
    pub fn label_vi(self) -> &'static str {
        match self {
            CitizenKind::Person => "Công dân",
            CitizenKind::Business => "Doanh nghiệp, tổ chức",
        }
    }
}

impl CitizenId {
    /// How the audit trail and the history name the account as an actor: `citizen:42`.
    pub fn actor(self) -> String {
        format!("citizen:{}", self.0)
    }
}

/// A citizen's or business's account as the portal shows and prefills it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citizen {
    pub id: CitizenId,
    pub kind: CitizenKind,
    /// Họ tên, or the organisation's name.
    pub full_name: String,
    /// The telephone number, as verified by a one-time code (normalised, `0912345678`).
    pub phone: Option<String>,
    /// The e-mail address, as verified by a one-time code (lower case).
    pub email: Option<String>,
    /// Số định danh cá nhân (a person) — empty until the person gives it.
    pub id_number: Option<String>,
    /// Mã số thuế (a business).
    pub tax_code: Option<String>,
}

impl Citizen {
    /// The contacts the account was confirmed by, phone first.
    pub fn contacts(&self) -> Vec<&str> {
        self.phone
            .iter()
            .chain(self.email.iter())
            .map(String::as_str)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(parse_code(" 123 456 ").as_deref(), Some("123456"));
        for bad in ["12345", "1234567", "12a456", "", "１２３４５６"] {
            assert_eq!(parse_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_purpose_reads_back_from_its_code() {
        for p in CodePurpose::ALL {
            assert_eq!(CodePurpose::from_code(p.code()), Some(p));
        }
        assert_eq!(CodePurpose::from_code("other"), None);
    }

    #[test]
    fn a_kind_reads_back_from_its_code() {
        for kind in CitizenKind::ALL {
            assert_eq!(CitizenKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(CitizenKind::from_code("officer"), None);
    }
}
