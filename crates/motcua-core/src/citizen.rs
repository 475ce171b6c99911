//! Citizens and businesses acting online (công dân, doanh nghiệp): who an account is, and
//! what ties a dossier to the account that submitted it. Accounts themselves (sign-up with a
//! one-time code, passwords, sessions, OpenID Connect) live in the store and the app; this
//! module holds the values they share with the online submission and the notices.

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_reads_back_from_its_code() {
        for kind in CitizenKind::ALL {
            assert_eq!(CitizenKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(CitizenKind::from_code("officer"), None);
    }
}
