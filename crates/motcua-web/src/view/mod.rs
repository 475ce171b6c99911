//! Shared view helpers: domain values turned into the Vietnamese strings the templates print
//! (months, units, times, file sizes) and the header's account block. A page's own view
//! model lives beside its handler and template under `pages/`.
//!
//! Templates only place strings; every number is formatted with the display rules of
//! `motcua_core::display`.

pub(crate) mod timeline;

use motcua_core::access::{Action, Role};
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};

use crate::Authed;

/// `tháng 5/2024`.
pub fn month_label(m: Month) -> String {
    format!("tháng {}/{}", m.number(), m.year())
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

/// The header's account block: who is signed in, where, and the menu their role opens.
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
    /// The menu entry of the principal's hand-off queue (`/queue`), empty when none.
    pub queue: &'static str,
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
            queue: crate::pages::queue::menu_label(p),
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
