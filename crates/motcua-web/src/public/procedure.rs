//! `GET /procedures/{code}?unit=CODE`: a procedure as the applicant needs it: its steps, the
//! components to prepare (with the blank form to download when the catalogue holds one), the
//! fee, the processing time, the online level and where and how to submit; with `unit`, that
//! unit's desk (address, telephone, hours).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_core::procedure::{OnlineLevel, ProcedureCode};
use motcua_core::unit::UnitCode;
use serde::Deserialize;

use super::{
    days_text, fee_text, hours_text, level_class, offering_units, portal_name, unit_title,
};
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::{AppState, WebError};

struct ComponentRow {
    name: String,
    quantity: String,
    template_url: String,
}

struct Desk {
    name: String,
    href: String,
    address: String,
    phone: String,
    hours: String,
}

struct Offerer {
    href: String,
    name: String,
}

#[derive(Template)]
#[template(path = "public/procedure.html")]
struct ProcedurePage {
    portal: String,
    visitor: super::Visitor,
    name: String,
    code: String,
    field: String,
    level: &'static str,
    level_class: &'static str,
    /// What the online level means for the applicant.
    how_online: &'static str,
    days: String,
    fee: String,
    steps: Vec<String>,
    how_to_submit: String,
    components: Vec<ComponentRow>,
    /// The components are counted but not listed in the catalogue.
    components_count: String,
    desk: Option<Desk>,
    offerers: Vec<Offerer>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProcedureQuery {
    unit: String,
}

/// The quantity of a component in words: `1 bản chính, 1 bản sao`.
fn quantity(originals: u32, copies: u32) -> String {
    let mut parts = Vec::new();
    if originals > 0 {
        parts.push(format!("{originals} bản chính"));
    }
    if copies > 0 {
        parts.push(format!("{copies} bản sao"));
    }
    if parts.is_empty() {
        "Xuất trình khi nộp".to_owned()
    } else {
        parts.join(", ")
    }
}

/// `GET /procedures/{code}`.
pub async fn procedure(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    Path(code): Path<String>,
    Query(query): Query<ProcedureQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let not_found = || WebError::NotFound(format!("không có thủ tục mã «{code}»"));
    let wanted = ProcedureCode::parse(&code).ok_or_else(not_found)?;
    let p = tree
        .catalogue()
        .procedures
        .iter()
        .find(|p| p.code == wanted)
        .ok_or_else(not_found)?;
    let unit = match query.unit.trim() {
        "" => None,
        text => Some(
            UnitCode::parse(text)
                .ok()
                .and_then(|c| tree.get(&c))
                .filter(|u| p.offered_by_unit(u))
                .ok_or_else(|| crate::error::unknown_unit(text))?,
        ),
    };
    let offerers = offering_units(&tree, p);
    // One unit carries it out: its desk is the place to submit, whether named or not.
    let desk_unit = unit.or(match offerers.as_slice() {
        [only] => Some(*only),
        _ => None,
    });
    let page = ProcedurePage {
        portal: portal_name(&tree),
        visitor: super::Visitor::of(citizen.as_ref()),
        name: p.name.clone(),
        code: p.code.to_string(),
        field: p.field.clone(),
        level: p.online_level.name_vi(),
        level_class: level_class(p.online_level),
        how_online: match p.online_level {
            OnlineLevel::Full => {
                "Toàn trình: nộp hồ sơ, nộp phí và nhận kết quả đều có thể thực hiện trực tuyến."
            }
            OnlineLevel::Partial => {
                "Một phần: nộp hồ sơ trực tuyến, sau đó đến Bộ phận Một cửa để xuất trình bản chính hoặc nhận kết quả."
            }
            OnlineLevel::None => {
                "Nộp hồ sơ trực tiếp tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính công ích."
            }
        },
        days: days_text(p.processing_days),
        fee: fee_text(p.fee_vnd),
        steps: p.steps.clone(),
        how_to_submit: p.how_to_submit.clone().unwrap_or_default(),
        components: p
            .component_list
            .iter()
            .map(|c| ComponentRow {
                name: c.name.clone(),
                quantity: quantity(c.originals, c.copies),
                template_url: c.template_url.clone().unwrap_or_default(),
            })
            .collect(),
        components_count: motcua_core::display::count(u64::from(p.components)),
        desk: desk_unit.map(|u| Desk {
            name: u.name.clone(),
            href: format!("/units/{}", u.code),
            address: u.address.clone().unwrap_or_default(),
            phone: u.phone.clone().unwrap_or_default(),
            hours: hours_text(u.office_hours.as_ref()),
        }),
        offerers: offerers
            .iter()
            .map(|u| Offerer {
                href: format!("/procedures/{}?unit={}", p.code, u.code),
                name: unit_title(u),
            })
            .collect(),
    };
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok(Html(html).into_response())
}
