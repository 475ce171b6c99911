//! `GET /`: a visitor who is not signed in is greeted as a citizen (find a procedure, track a
//! dossier, submit online, the units' pages, and the officers' sign-in); a signed-in officer
//! gets the indicator dashboard, as before.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_core::procedure::OnlineLevel;
use motcua_core::unit::UnitKind;

use super::{portal_name, unit_title};
use crate::authed::NotSignedIn;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::pages::dashboard::{self, DashboardQuery};
use crate::{AppState, Authed, WebError};

struct UnitLink {
    href: String,
    name: String,
}

struct UnitGroup {
    title: &'static str,
    units: Vec<UnitLink>,
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct HomePage {
    portal: String,
    visitor: super::Visitor,
    procedures: String,
    online: String,
    groups: Vec<UnitGroup>,
    /// The start of the sign-in with the national identity account, when configured.
    oidc_start: Option<String>,
    oidc_button: &'static str,
}

/// The heading of each kind of unit on the home page, in the order shown.
fn group_title(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Province => "Tỉnh",
        UnitKind::District => "Huyện",
        UnitKind::Department => "Phòng, ban chuyên môn",
        UnitKind::Commune => "Xã, phường, thị trấn",
    }
}

/// `GET /`.
pub async fn home(
    State(state): State<AppState>,
    authed: Result<Authed, NotSignedIn>,
    citizen: Option<CitizenAuthed>,
    query: Query<DashboardQuery>,
) -> Result<Response, PageError> {
    match authed {
        Ok(authed) => dashboard::dashboard(State(state), authed, query).await,
        Err(refusal) if refusal.is_anonymous() => {
            Ok(Html(home_page(&state, citizen.as_ref()).await?).into_response())
        }
        Err(refusal) => Ok(refusal.into_response()),
    }
}

async fn home_page(state: &AppState, citizen: Option<&CitizenAuthed>) -> Result<String, WebError> {
    let tree = tree(&state.store).await?;
    let catalogue = tree.catalogue();
    let order = motcua_core::collation::VietnameseOrder::new();
    let groups = [
        UnitKind::Province,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::Department,
    ]
    .into_iter()
    .filter_map(|kind| {
        let mut units: Vec<_> = tree.iter_preorder().filter(|u| u.kind == kind).collect();
        order.sort_by_key(&mut units, |u| &u.short_name);
        (!units.is_empty()).then(|| UnitGroup {
            title: group_title(kind),
            units: units
                .into_iter()
                .map(|u| UnitLink {
                    href: format!("/units/{}", u.code),
                    name: unit_title(u),
                })
                .collect(),
        })
    })
    .collect();
    let online = catalogue
        .procedures
        .iter()
        .filter(|p| p.online_level != OnlineLevel::None)
        .count();
    let page = HomePage {
        portal: portal_name(&tree),
        visitor: super::Visitor::of(citizen),
        procedures: motcua_core::display::count(catalogue.procedures.len() as u64),
        online: motcua_core::display::count(online as u64),
        groups,
        oidc_start: state
            .oidc
            .as_ref()
            .map(|_| super::citizen::oidc::start_href("")),
        oidc_button: super::citizen::oidc::BUTTON,
    };
    page.render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))
}
