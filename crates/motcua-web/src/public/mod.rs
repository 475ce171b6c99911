//! The public portal: what anyone reads without signing in. The home page (`/`, for a visitor
//! who is not signed in: the catalogue, tracking and online submission one click away, and
//! the officers' sign-in), each unit's page with its address, hours and published figures
//! (`unit`), the procedure catalogue with its search (`catalogue`), a procedure's page
//! (`procedure`) and tracking a dossier by its code and the applicant's number (`track`).
//! Each page's handler, view model and template (`public/*.html`, on `public/layout.html`)
//! sit side by side; what they share is here.

pub(crate) mod catalogue;
pub(crate) mod citizen;
pub(crate) mod feedback;
pub(crate) mod home;
pub(crate) mod procedure;
pub(crate) mod track;
mod track_view;
pub(crate) mod unit;

use motcua_core::procedure::{OnlineLevel, Procedure, ProcessingDays, processing_days_text};
use motcua_core::unit::{OfficeHours, Unit, UnitTree};

use crate::citizen_authed::CitizenAuthed;

/// Who the portal's header greets: a visitor (sign-in and sign-up links), or a signed-in
/// citizen by full name, with the session's token for the sign-out form.
#[derive(Debug, Default, Clone)]
pub(crate) struct Visitor {
    pub(crate) name: String,
    pub(crate) csrf: String,
}

impl Visitor {
    pub(crate) fn of(citizen: Option<&CitizenAuthed>) -> Self {
        citizen.map_or_else(Self::default, |c| Self {
            name: c.citizen.full_name.clone(),
            csrf: c.csrf.clone(),
        })
    }

    pub(crate) fn signed_in(&self) -> bool {
        !self.name.is_empty()
    }
}

/// What the header calls the portal: the root unit, `huyện Vĩnh Linh`.
pub(crate) fn portal_name(tree: &UnitTree) -> String {
    tree.root()
        .map_or_else(String::new, |r| format!("{} {}", r.label, r.short_name))
}

/// A unit as the portal names it in a sentence: `xã Vĩnh Khê`.
pub(crate) fn unit_title(u: &Unit) -> String {
    format!("{} {}", u.label, u.short_name)
}

/// The unit's office hours in words: `07:00–11:30 và 13:30–17:00, từ thứ Hai đến thứ Sáu …`.
pub(crate) fn hours_text(hours: Option<&OfficeHours>) -> String {
    let sessions = hours
        .cloned()
        .unwrap_or_default()
        .to_string()
        .replace('-', "–")
        .replace(';', " và ");
    format!("{sessions}, từ thứ Hai đến thứ Sáu (trừ ngày nghỉ lễ, Tết)")
}

/// `15 ngày làm việc`, `0,5 ngày làm việc`.
pub(crate) fn days_text(days: ProcessingDays) -> String {
    format!(
        "{} ngày làm việc",
        processing_days_text(days).replace('.', ",")
    )
}

/// The fee in words a citizen reads.
pub(crate) fn fee_text(fee_vnd: i64) -> String {
    if fee_vnd == 0 {
        "Không thu phí, lệ phí".to_owned()
    } else {
        motcua_core::money::vnd_in_figures(fee_vnd)
    }
}

/// The CSS class of an online level's tag.
pub(crate) fn level_class(level: OnlineLevel) -> &'static str {
    match level {
        OnlineLevel::Full => "full",
        OnlineLevel::Partial => "partial",
        OnlineLevel::None => "none",
    }
}

/// The units that carry out `p`, in the tree's order.
pub(crate) fn offering_units<'a>(tree: &'a UnitTree, p: &Procedure) -> Vec<&'a Unit> {
    tree.iter_preorder()
        .filter(|u| p.offered_by_unit(u))
        .collect()
}
