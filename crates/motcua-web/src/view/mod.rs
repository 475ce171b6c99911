//! Shared view helpers: domain values turned into the Vietnamese strings the templates print
//! (months, units, times, file sizes) and the header's account block. A page's own view
//! model lives beside its handler and template under `pages/`.
//!
//! Templates only place strings; every number is formatted with the display rules of
//! `motcua_core::display`.

pub mod links;
pub(crate) mod timeline;

use motcua_core::access::{Action, Role};
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};

use crate::Authed;

/// `tháng 5/2024`.
pub fn month_label(m: Month) -> String {
    format!("tháng {}/{}", m.number(), m.year())
}

/// A choice of a month selector: value `2024-05`, label `Tháng 5/2024`.
pub struct MonthOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The choices of a month selector, newest first: the three years up to `today`'s month, and
/// back to `shown` when it is older (a select rather than the browser's month input, whose
/// text follows the browser's language, not Vietnamese).
pub fn month_options(shown: Option<Month>, today: Month) -> Vec<MonthOption> {
    let newest = shown.map_or(today, |m| m.max(today));
    let oldest = shown
        .map_or(today, |m| m.min(today))
        .index()
        .min(today.index() - 35);
    (oldest..=newest.index())
        .rev()
        .map(Month::from_index)
        .map(|m| MonthOption {
            value: m.to_string(),
            label: format!("Tháng {}/{}", m.number(), m.year()),
            selected: Some(m) == shown,
        })
        .collect()
}

/// A choice of the unit selector.
pub struct UnitOption {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

pub use motcua_core::display::local_time;

/// The choices of a unit selector: `scope` and every unit below it, `selected` marked.
pub fn unit_options(tree: &UnitTree, scope: &UnitCode, selected: &UnitCode) -> Vec<UnitOption> {
    tree.scope(scope)
        .into_iter()
        .map(|u| UnitOption {
            code: u.code.to_string(),
            name: format!("{} {}", u.label, u.short_name),
            selected: &u.code == selected,
        })
        .collect()
}

/// A unit as pages name it: `thị trấn Hồ Xá` (the code when the unit is unknown).
pub fn unit_label(tree: &UnitTree, code: &UnitCode) -> String {
    tree.get(code).map_or_else(
        || code.to_string(),
        |u| format!("{} {}", u.label, u.short_name),
    )
}

/// An entry of the header's menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MenuItem {
    pub href: &'static str,
    pub label: &'static str,
}

const WORKLIST: MenuItem = MenuItem {
    href: "/desk",
    label: "Hồ sơ cần xử lý",
};
const RECEIVE: MenuItem = MenuItem {
    href: "/desk/new",
    label: "Tiếp nhận hồ sơ",
};
/// Reception's online inbox (`/desk/online`).
const ONLINE: MenuItem = MenuItem {
    href: "/desk/online",
    label: "Hồ sơ trực tuyến",
};
const INDICATORS: MenuItem = MenuItem {
    href: "/",
    label: "Chỉ số",
};
const FOLLOW_UPS: MenuItem = MenuItem {
    href: "/follow-ups",
    label: "Theo dõi khắc phục",
};
/// The specialist's hand-off queue (`/queue`): the dossiers assigned to them.
const ASSIGNED: MenuItem = MenuItem {
    href: "/queue",
    label: "Được giao cho tôi",
};
/// The leader's hand-off queue (`/queue`): the proposals waiting for a decision.
const APPROVALS: MenuItem = MenuItem {
    href: "/queue",
    label: "Chờ phê duyệt",
};
/// Reception's import of the bank statement (`/desk/statements`): transfers paying fees.
const STATEMENTS: MenuItem = MenuItem {
    href: "/desk/statements",
    label: "Nhập sao kê tài khoản",
};
/// The PAKN of the unit's subtree (`/petitions`).
const PETITIONS: MenuItem = MenuItem {
    href: "/petitions",
    label: "Phản ánh, kiến nghị",
};
const USERS: MenuItem = MenuItem {
    href: "/admin/users",
    label: "Tài khoản",
};
/// A unit's fee settings (`/admin/unit`): its bank account for VietQR, its tax code.
const UNIT_SETTINGS: MenuItem = MenuItem {
    href: "/admin/unit",
    label: "Thông tin thu phí",
};
const AUDIT: MenuItem = MenuItem {
    href: "/admin/audit",
    label: "Nhật ký hệ thống",
};

/// The page a role lands on after signing in: the desk's worklist for those who receive and
/// handle dossiers (the specialist's own queue is the next entry of the menu), the
/// accounts for administrators, the dashboard for leaders and viewers.
pub fn landing(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Reception | Role::Specialist) => WORKLIST.href,
        Some(Role::Admin) => USERS.href,
        Some(Role::Leader | Role::Viewer) | None => INDICATORS.href,
    }
}

/// The menu of a role, its landing page first. `root_admin` adds the audit trail (it spans
/// every unit, so only the root unit's administrators read it).
pub fn menu(role: Option<Role>, root_admin: bool) -> Vec<MenuItem> {
    let mut items = match role {
        Some(Role::Reception) => {
            vec![WORKLIST, RECEIVE, ONLINE, STATEMENTS, PETITIONS, INDICATORS]
        }
        Some(Role::Specialist) => vec![WORKLIST, ASSIGNED, PETITIONS, INDICATORS],
        Some(Role::Leader) => vec![INDICATORS, APPROVALS, FOLLOW_UPS, WORKLIST, PETITIONS],
        Some(Role::Admin) => vec![
            USERS,
            UNIT_SETTINGS,
            INDICATORS,
            FOLLOW_UPS,
            WORKLIST,
            PETITIONS,
        ],
        Some(Role::Viewer) => vec![INDICATORS, FOLLOW_UPS],
        None => vec![INDICATORS],
    };
    if root_admin {
        items.push(AUDIT);
    }
    items
}

/// The header's account block: who is signed in, where, the menu their role opens and what
/// waits for them (notices).
#[derive(Debug, Clone)]
pub struct Nav {
    pub name: String,
    pub role: String,
    pub unit: String,
    /// The session's CSRF token for the sign-out form; empty for API tokens.
    pub csrf: String,
    pub is_user: bool,
    pub manages_users: bool,
    pub sees_audit: bool,
    pub menu: Vec<MenuItem>,
    /// The notices' lines `(link, text)` and their total (`0` when none).
    pub notices: Vec<(String, String)>,
    pub notice_total: String,
}

impl Nav {
    pub fn new(authed: &Authed, tree: &UnitTree) -> Self {
        let p = &authed.principal;
        let root_admin = tree
            .root()
            .is_some_and(|r| p.check(tree, Action::ViewAudit, &r.code).is_ok());
        Self {
            name: authed
                .user
                .as_ref()
                .map_or_else(|| p.name.clone(), |u| u.display_name.clone()),
            role: p
                .role()
                .map_or("Mã truy cập tích hợp", Role::name_vi)
                .to_owned(),
            unit: tree
                .get(&p.unit)
                .map_or_else(|| p.unit.to_string(), |u| u.name.clone()),
            csrf: authed.csrf().unwrap_or_default().to_owned(),
            is_user: authed.user.is_some(),
            manages_users: p.may(Action::ManageUsers),
            sees_audit: root_admin,
            menu: menu(p.role(), root_admin),
            notices: authed
                .notices
                .iter()
                .map(|n| (n.href.clone(), n.text()))
                .collect(),
            notice_total: motcua_core::display::count(motcua_core::notice::total(&authed.notices)),
        }
    }
}

/// A file size as people read it: `12,5 KB`, `3,2 MB`.
pub fn size_text(bytes: u64) -> String {
    let (value, unit) = if bytes >= 1024 * 1024 {
        (bytes as f64 / (1024.0 * 1024.0), "MB")
    } else {
        (bytes as f64 / 1024.0, "KB")
    };
    format!("{value:.1} {unit}").replace('.', ",")
}
