//! `GET /procedures?unit=CODE&q=TEXT&online=1`: the procedure catalogue, all of it or one
//! unit's, searched without diacritics (`motcua_core::search`), optionally only the
//! procedures offered online.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_core::procedure::OnlineLevel;
use motcua_core::unit::UnitCode;
use serde::Deserialize;

use super::{days_text, fee_text, level_class, portal_name, unit_title};
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::{AppState, WebError};

struct Row {
    href: String,
    name: String,
    code: String,
    field: String,
    level: &'static str,
    level_class: &'static str,
    days: String,
    fee: String,
}

struct UnitChoice {
    code: String,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "public/catalogue.html")]
struct CataloguePage {
    portal: String,
    visitor: super::Visitor,
    /// `xã Vĩnh Khê` when one unit's catalogue is shown, empty otherwise.
    unit_name: String,
    unit_href: String,
    units: Vec<UnitChoice>,
    q: String,
    online: bool,
    summary: String,
    rows: Vec<Row>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogueQuery {
    unit: String,
    q: String,
    online: String,
}

/// `GET /procedures`.
pub async fn catalogue(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    Query(query): Query<CatalogueQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = match query.unit.trim() {
        "" => None,
        code => Some(
            UnitCode::parse(code)
                .ok()
                .and_then(|c| tree.get(&c))
                .ok_or_else(|| crate::error::unknown_unit(code))?,
        ),
    };
    let online = !query.online.is_empty();
    let q = query.q.trim();
    let mut procedures: Vec<_> = tree
        .catalogue()
        .procedures
        .iter()
        .filter(|p| unit.is_none_or(|u| p.offered_by_unit(u)))
        .filter(|p| !online || p.online_level != OnlineLevel::None)
        .filter(|p| {
            motcua_core::search::matches(q, &[p.name.as_str(), p.field.as_str(), p.code.as_str()])
        })
        .collect();
    motcua_core::collation::VietnameseOrder::new().sort_by_key(&mut procedures, |p| &p.name);
    let unit_param = unit.map_or_else(String::new, |u| format!("?unit={}", u.code));
    let rows: Vec<Row> = procedures
        .iter()
        .map(|p| Row {
            href: format!("/procedures/{}{unit_param}", p.code),
            name: p.name.clone(),
            code: p.code.to_string(),
            field: p.field.clone(),
            level: p.online_level.name_vi(),
            level_class: level_class(p.online_level),
            days: days_text(p.processing_days),
            fee: fee_text(p.fee_vnd),
        })
        .collect();
    let count = motcua_core::display::count(rows.len() as u64);
    let summary = match (q.is_empty(), rows.is_empty()) {
        (_, true) if !q.is_empty() => format!(
            "Không tìm thấy thủ tục nào có «{q}». Hãy thử từ khác ngắn hơn, ví dụ một từ trong tên thủ tục."
        ),
        (_, true) => "Chưa có thủ tục nào.".to_owned(),
        (true, false) => format!("{count} thủ tục"),
        (false, false) => format!("{count} thủ tục có «{q}»"),
    };
    let page = CataloguePage {
        portal: portal_name(&tree),
        visitor: super::Visitor::of(citizen.as_ref()),
        unit_name: unit.map(unit_title).unwrap_or_default(),
        unit_href: unit
            .map(|u| format!("/units/{}", u.code))
            .unwrap_or_default(),
        units: tree
            .iter_preorder()
            .map(|u| UnitChoice {
                code: u.code.to_string(),
                name: unit_title(u),
                selected: unit.is_some_and(|s| s.code == u.code),
            })
            .collect(),
        q: q.to_owned(),
        online,
        summary,
        rows,
    };
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok(Html(html).into_response())
}
