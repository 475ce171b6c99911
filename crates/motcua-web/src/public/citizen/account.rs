//! `GET /citizen`: "Tài khoản của tôi" — the account (name, kind, contacts, identification
//! number, tax code) and "Hồ sơ của tôi", the dossiers it submitted, newest first, each with
//! its procedure, its unit and its status in words.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use motcua_core::display::local_time;
use serde::Deserialize;

use super::render;
use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};

/// A dossier of the list.
struct DossierRow {
    code: String,
    procedure: String,
    unit: String,
    status: &'static str,
    received: String,
}

#[derive(Template)]
#[template(path = "public/citizen/account.html")]
struct AccountPage {
    portal: String,
    visitor: Visitor,
    full_name: String,
    kind: &'static str,
    phone: String,
    email: String,
    id_number: String,
    tax_code: String,
    dossiers: Vec<DossierRow>,
    /// The profile was just saved.
    saved: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountQuery {
    /// `1` after the profile was saved.
    saved: String,
}

/// `GET /citizen`.
pub async fn account(
    State(state): State<AppState>,
    me: CitizenAuthed,
    Query(query): Query<AccountQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let catalogue = tree.catalogue();
    let dossiers = motcua_app::citizens::dossiers(&state.store, me.citizen.id)
        .await?
        .into_iter()
        .map(|d| DossierRow {
            code: d.code.to_string(),
            procedure: catalogue
                .procedures
                .iter()
                .find(|p| p.code == d.procedure_code)
                .map_or_else(|| d.procedure_code.to_string(), |p| p.name.clone()),
            unit: tree
                .get(&d.unit_code)
                .map_or_else(|| d.unit_code.to_string(), |u| u.name.clone()),
            status: d.status.map_or("Đã tiếp nhận", |s| s.name_vi()),
            received: local_time(d.received_at),
        })
        .collect();
    let c = &me.citizen;
    let page = AccountPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(Some(&me)),
        full_name: c.full_name.clone(),
        kind: c.kind.label_vi(),
        phone: c.phone.clone().unwrap_or_default(),
        email: c.email.clone().unwrap_or_default(),
        id_number: c.id_number.clone().unwrap_or_default(),
        tax_code: c.tax_code.clone().unwrap_or_default(),
        dossiers,
        saved: query.saved == "1",
    };
    render(StatusCode::OK, &page)
}
