//! Who may see and do what: roles ([`Role`]), actions ([`Action`]), the acting principal
//! ([`Principal`]: a signed-in user or an API token) and the audit trail's records
//! ([`AuditRecord`], written with an [`AuditContext`]).
//!
//! Every principal belongs to a unit and acts only inside that unit's subtree; a role says
//! which actions it may take there.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::timestamp::Timestamp;
use crate::unit::{UnitCode, UnitTree};

/// The role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Cán bộ tiếp nhận: receives dossiers at the desk, collects fees, returns results.
    Reception,
    /// Chuyên viên: processes dossiers.
    Specialist,
    /// Lãnh đạo đơn vị: approves or refuses, follows the unit's figures.
    Leader,
    /// Quản trị: manages accounts, tokens, imports, the calendar; reads the audit trail.
    Admin,
    /// Chỉ xem: dashboards and reports only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Reception,
        Role::Specialist,
        Role::Leader,
        Role::Admin,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reception => "reception",
            Role::Specialist => "specialist",
            Role::Leader => "leader",
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }

    /// The Vietnamese name shown to people.
    pub fn name_vi(self) -> &'static str {
        match self {
            Role::Reception => "Cán bộ tiếp nhận",
            Role::Specialist => "Chuyên viên",
            Role::Leader => "Lãnh đạo",
            Role::Admin => "Quản trị hệ thống",
            Role::Viewer => "Chỉ xem",
        }
    }

    /// Whether the role may take `action` (inside its unit's subtree).
    pub fn may(self, action: Action) -> bool {
        match action {
            Action::ViewIndicators | Action::ViewCalendar => true,
            // Citizens' papers and ID numbers are for the officers who handle dossiers.
            Action::ViewPersonalData => self != Role::Viewer,
            Action::ReceiveDossier => matches!(self, Role::Reception | Role::Admin),
            Action::ProcessDossier => matches!(self, Role::Specialist | Role::Leader),
            // The hand-off: reception at hand-over, or the unit's leader.
            Action::AssignDossier => matches!(self, Role::Reception | Role::Leader),
            // A specialist proposes the result; only the leader decides it.
            Action::ProposeResult => self == Role::Specialist,
            Action::ApproveDossier => self == Role::Leader,
            Action::FollowUp | Action::CloseMonth => matches!(self, Role::Leader | Role::Admin),
            Action::HandlePetition => {
                matches!(
                    self,
                    Role::Reception | Role::Specialist | Role::Leader | Role::Admin
                )
            }
            Action::ManageUsers
            | Action::ViewAudit
            | Action::ImportData
            | Action::EditCalendar
            | Action::EditUnitSettings => self == Role::Admin,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a principal may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    ViewIndicators,
    ViewCalendar,
    /// Open the scans of a dossier's papers (ID cards among them) and read the applicant's
    /// ID number: every role that handles dossiers, not the view-only one.
    ViewPersonalData,
    ReceiveDossier,
    ProcessDossier,
    /// Hand a dossier to a specialist of the unit (chuyển xử lý).
    AssignDossier,
    /// Propose a result to the leader (trình lãnh đạo).
    ProposeResult,
    /// Settle a dossier: approve, refuse, or send a proposal back (phê duyệt).
    ApproveDossier,
    ImportData,
    EditCalendar,
    ManageUsers,
    ViewAudit,
    /// Ask a unit below for a remediation report (theo dõi khắc phục), or submit one's own.
    FollowUp,
    /// Close a month (chốt số liệu): freeze its indicators. Leaders and administrators; the
    /// close spans every unit, so the edges ask it of the root unit (the district's reform
    /// office and leaders).
    CloseMonth,
    /// Handle feedback and petitions (phản ánh, kiến nghị): assign, decide, ask for more,
    /// answer, publish, mark a repeat.
    HandlePetition,
    /// Set a unit's fee settings: the bank account that receives its transfers (VietQR) and
    /// the tax code printed on its e-receipts.
    EditUnitSettings,
}

impl Action {
    /// Whether the action changes data (API tokens need write access for it).
    pub fn writes(self) -> bool {
        !matches!(
            self,
            Action::ViewIndicators
                | Action::ViewCalendar
                | Action::ViewAudit
                | Action::ViewPersonalData
        )
    }
}

/// How the principal proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A signed-in account, with its role.
    User { role: Role },
    /// An API token for an integration; `write` allows changes.
    Token { write: bool },
}

/// Who is acting: a signed-in user or an API token, bound to a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub id: i64,
    /// The account's user name, or the token's name.
    pub name: String,
    pub unit: UnitCode,
    pub credential: Credential,
}

/// Why a principal may not do something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("tài khoản không có quyền thực hiện thao tác này")]
    Action,
    #[error("không có quyền truy cập dữ liệu của đơn vị «{0}»")]
    Scope(String),
}

impl Principal {
    /// Whether the principal may take `action` at all.
    pub fn may(&self, action: Action) -> bool {
        match &self.credential {
            Credential::User { role } => role.may(action),
            // Tokens serve integrations: reading figures and the calendar, and (with write
            // access) the dossier work of the desk; never account or audit administration.
            Credential::Token { write } => match action {
                Action::ViewIndicators | Action::ViewCalendar => true,
                // An integration settles dossiers handled in another system: it approves
                // directly, without the specialist's proposal.
                Action::ViewPersonalData
                | Action::ReceiveDossier
                | Action::ProcessDossier
                | Action::AssignDossier
                | Action::ProposeResult
                | Action::ApproveDossier
                | Action::HandlePetition
                | Action::ImportData => *write,
                Action::EditCalendar
                | Action::EditUnitSettings
                | Action::ManageUsers
                | Action::ViewAudit
                | Action::FollowUp
                | Action::CloseMonth => false,
            },
        }
    }

    /// The principal's role, for users.
    pub fn role(&self) -> Option<Role> {
        match self.credential {
            Credential::User { role } => Some(role),
            Credential::Token { .. } => None,
        }
    }

    /// Checks that the principal may take `action` on data of `unit`. The scope comes first:
    /// outside its subtree a principal learns nothing, not even that its role could not have
    /// acted there (the edges answer as for a unit that does not exist).
    pub fn check(&self, tree: &UnitTree, action: Action, unit: &UnitCode) -> Result<(), Denied> {
        if !tree.is_within(unit, &self.unit) {
            return Err(Denied::Scope(unit.to_string()));
        }
        if !self.may(action) {
            return Err(Denied::Action);
        }
        Ok(())
    }

    /// The name recorded in the audit trail: `user:NAME` or `token:NAME`.
    pub fn actor(&self) -> String {
        match self.credential {
            Credential::User { .. } => format!("user:{}", self.name),
            Credential::Token { .. } => format!("token:{}", self.name),
        }
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: Username,
    pub display_name: String,
    pub unit: UnitCode,
    pub role: Role,
    /// Consecutive failed sign-ins since the last success.
    pub failed_logins: u32,
    /// Sign-in refused until then, after too many failures.
    pub locked_until: Option<Timestamp>,
    /// Disabled by an administrator (đã khóa): no sign-in, no session, until re-enabled.
    pub disabled: bool,
    /// The password was set by an administrator: the next sign-in must change it.
    pub must_change_password: bool,
}

impl User {
    /// The principal this account acts as.
    pub fn principal(&self) -> Principal {
        Principal {
            id: self.id,
            name: self.username.to_string(),
            unit: self.unit.clone(),
            credential: Credential::User { role: self.role },
        }
    }
}

/// After this many consecutive wrong passwords an account is locked…
pub const LOCKOUT_THRESHOLD: u32 = 10;
/// …for this many minutes.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Who writes, from where, when: passed to every write of the store, which records it in the
/// audit trail in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContext {
    /// `user:NAME`, `token:NAME`, `cli:OSUSER`, `demo`…
    pub actor: String,
    /// The client's address for web requests; `None` on the command line.
    pub remote_addr: Option<String>,
    pub at: Timestamp,
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: Timestamp,
    pub actor: String,
    pub remote_addr: Option<String>,
    /// What was done, e.g. `user.create`, `import`, `calendar.set`, `login.failure`.
    pub action: String,
    /// What it was done to, e.g. a user name, a year, a folder.
    pub target: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// A filter of the audit trail; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// Only records of one of these actors (the accounts and tokens of a unit's subtree).
    pub actors: Option<Vec<String>>,
    pub action: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    /// Only records older than this one (keyset pagination, newest first).
    pub before_id: Option<i64>,
    /// At most this many records, newest first.
    pub limit: u32,
}

/// A user name: 3–64 characters among lower-case letters, digits, `.`, `_`, `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Username(String);

impl Username {
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let ok_chars = t
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if (3..=64).contains(&t.chars().count()) && ok_chars {
            Ok(Self(t.to_owned()))
        } else {
            Err(format!(
                "tên đăng nhập «{t}» không hợp lệ: 3–64 ký tự gồm chữ thường không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The password rule: at least 8 characters, not only digits.
pub fn check_password_rule(password: &str) -> Result<(), String> {
    if password.chars().count() < 8 {
        return Err("mật khẩu phải có ít nhất 8 ký tự".to_owned());
    }
    if password.chars().all(|c| c.is_ascii_digit()) {
        return Err("mật khẩu không được chỉ gồm chữ số".to_owned());
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::unit::{Unit, UnitKind};

    fn tree() -> UnitTree {
        let u = |c: &str, p: Option<&str>| Unit {
            code: UnitCode::parse(c).unwrap(),
            name: c.to_owned(),
            short_name: c.to_owned(),
            kind: UnitKind::Commune,
            label: "xã".to_owned(),
            parent: p.map(|p| UnitCode::parse(p).unwrap()),
            office_hours: None,
            address: None,
            phone: None,
        };
        UnitTree::new(vec![u("d", None), u("a", Some("d")), u("b", Some("d"))]).unwrap()
    }

    fn user(unit: &str, role: Role) -> Principal {
        Principal {
            id: 1,
            name: "x".to_owned(),
            unit: UnitCode::parse(unit).unwrap(),
            credential: Credential::User { role },
        }
    }

    #[test]
    fn scope_is_the_subtree() {
        let t = tree();
        let code = |c| UnitCode::parse(c).unwrap();
        let district = user("d", Role::Viewer);
        assert!(
            district
                .check(&t, Action::ViewIndicators, &code("a"))
                .is_ok()
        );
        let commune = user("a", Role::Leader);
        assert!(
            commune
                .check(&t, Action::ViewIndicators, &code("a"))
                .is_ok()
        );
        assert_eq!(
            commune.check(&t, Action::ViewIndicators, &code("b")),
            Err(Denied::Scope("b".to_owned()))
        );
        assert_eq!(
            commune.check(&t, Action::ViewIndicators, &code("d")),
            Err(Denied::Scope("d".to_owned()))
        );
        assert_eq!(
            commune.check(&t, Action::ManageUsers, &code("a")),
            Err(Denied::Action)
        );
        // Outside the subtree the scope answers first, whatever the role may do.
        assert_eq!(
            commune.check(&t, Action::ManageUsers, &code("b")),
            Err(Denied::Scope("b".to_owned()))
        );
    }

    #[test]
    fn only_a_leader_or_a_writing_token_settles_a_dossier() {
        use crate::lifecycle::StepKind;
        let may = |role: Role, kind: StepKind| role.may(kind.action());
        // The specialist proposes; the leader decides; reception or the leader hands over.
        assert!(!may(Role::Specialist, StepKind::Approve));
        assert!(!may(Role::Specialist, StepKind::Reject));
        assert!(may(Role::Specialist, StepKind::ProposeApproval));
        assert!(may(Role::Leader, StepKind::Approve));
        assert!(may(Role::Leader, StepKind::SendBack));
        assert!(!may(Role::Leader, StepKind::ProposeApproval));
        assert!(may(Role::Reception, StepKind::Assign));
        assert!(may(Role::Leader, StepKind::Assign));
        assert!(!may(Role::Specialist, StepKind::Assign));
        assert!(!may(Role::Reception, StepKind::Approve));
        let token = |write| Principal {
            credential: Credential::Token { write },
            ..user("d", Role::Admin)
        };
        assert!(token(true).may(StepKind::Approve.action()));
        assert!(!token(false).may(StepKind::Approve.action()));
    }

    #[test]
    fn tokens_write_only_with_write_access() {
        let read = Principal {
            credential: Credential::Token { write: false },
            ..user("d", Role::Admin)
        };
        assert!(read.may(Action::ViewIndicators));
        assert!(!read.may(Action::ImportData));
        assert!(!read.may(Action::ManageUsers));
        let write = Principal {
            credential: Credential::Token { write: true },
            ..user("d", Role::Admin)
        };
        // The unit's bank account is an administrator's, never an integration's.
        assert!(!write.may(Action::EditUnitSettings));
    }

    #[test]
    fn only_administrators_edit_a_units_settings() {
        for role in Role::ALL {
            assert_eq!(
                role.may(Action::EditUnitSettings),
                role == Role::Admin,
                "{role}"
            );
        }
        assert!(Action::EditUnitSettings.writes());
    }

    #[test]
    fn names_and_passwords() {
        assert!(Username::parse("tiepnhan.vinhkhe").is_ok());
        assert!(Username::parse("Nguyễn").is_err());
        assert!(check_password_rule("12345678").is_err());
        assert!(check_password_rule("ngắn").is_err());
        assert!(check_password_rule("motcua-2024").is_ok());
    }
}
