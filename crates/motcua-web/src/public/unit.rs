//! `GET /units/{code}?month=YYYY-MM`: a unit's public page: its desk (address, telephone,
//! hours), its catalogue, and the figures of a month that are published (`PUBLISHED_COUNTS`
//! and every rate of the contract: the groups the national portal publishes per unit under
//! QĐ 766/QĐ-TTg — progress, online services, online payment, digitization). By default the
//! month of the latest dossier, as on the dashboard; a closed month shows its frozen figures.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_core::counts::CountId;
use motcua_core::display;
use motcua_core::rates::RateId;
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use serde::Deserialize;

use super::{hours_text, portal_name, unit_title};
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::extract::parse_month;
use crate::view::{MonthOption, month_label, month_options};
use crate::{AppState, WebError};

/// The counts a unit's public page shows, in order (with every rate of [`RateId::ALL`]).
pub const PUBLISHED_COUNTS: [CountId; 7] = [
    CountId::Received,
    CountId::ReceivedOnline,
    CountId::Resolved,
    CountId::ResolvedEarly,
    CountId::ResolvedOnTime,
    CountId::ResolvedLate,
    CountId::Pending,
];

struct Figure {
    name: String,
    value: String,
}

#[derive(Template)]
#[template(path = "public/unit.html")]
struct UnitPage {
    portal: String,
    visitor: super::Visitor,
    code: String,
    name: String,
    title: String,
    address: String,
    phone: String,
    hours: String,
    procedures: String,
    online: String,
    /// `tháng 5/2024`; empty when no dossier is held yet.
    month: String,
    months: Vec<MonthOption>,
    closed: bool,
    counts: Vec<Figure>,
    rates: Vec<Figure>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitQuery {
    month: String,
}

/// `GET /units/{code}`.
pub async fn unit(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    Path(code): Path<String>,
    Query(query): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let u = UnitCode::parse(&code)
        .ok()
        .and_then(|c| tree.get(&c))
        .ok_or_else(|| crate::error::unknown_unit(&code))?;
    let catalogue = tree.catalogue();
    let month = match query.month.trim() {
        "" => state
            .store
            .last_received_at()
            .await
            .map_err(motcua_app::AppError::from)?
            .map(|t| {
                let d = t.local_date();
                Month::new(d.year(), d.month() as u8).map_err(|e| WebError::Internal(e.to_string()))
            })
            .transpose()?,
        text => Some(parse_month(text)?),
    };
    let today = {
        let d = state.now()?.local_date();
        Month::new(d.year(), d.month() as u8).map_err(|e| WebError::Internal(e.to_string()))?
    };
    let (counts, rates, closed) = match month {
        Some(m) => {
            let report =
                motcua_app::indicators_with(&state.store, catalogue, u.code.as_str(), m).await?;
            let counts = PUBLISHED_COUNTS
                .iter()
                .map(|&id| Figure {
                    name: display::capitalise(id.name_vi()),
                    value: display::count(report.counts.get(id)),
                })
                .collect();
            let rates = RateId::ALL
                .iter()
                .map(|&id| Figure {
                    name: id.name_vi().to_owned(),
                    value: display::rate_percent(report.rates.get(id)),
                })
                .collect();
            (counts, rates, report.closed.is_some())
        }
        None => (Vec::new(), Vec::new(), false),
    };
    let procedures = catalogue
        .procedures
        .iter()
        .filter(|p| p.offered_by_unit(u))
        .count();
    let page = UnitPage {
        portal: portal_name(&tree),
        visitor: super::Visitor::of(citizen.as_ref()),
        code: u.code.to_string(),
        name: u.name.clone(),
        title: unit_title(u),
        address: u.address.clone().unwrap_or_default(),
        phone: u.phone.clone().unwrap_or_default(),
        hours: hours_text(u.office_hours.as_ref()),
        procedures: display::count(procedures as u64),
        online: display::count(catalogue.offered(&u.code)),
        month: month.map(month_label).unwrap_or_default(),
        months: month_options(month, today),
        closed,
        counts,
        rates,
    };
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok(Html(html).into_response())
}
