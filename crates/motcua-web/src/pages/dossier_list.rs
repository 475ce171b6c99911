//! The dossiers behind a figure of the dashboard (`GET /dossiers`): a page of at most 100 at
//! a time by keyset, with their number (unfiltered, exactly the figure), the list's filters,
//! its sort and its exports (`format=csv|xlsx`). Without parameters the page opens on the
//! dossiers received in the current month; a value that does not read is shown beside its
//! field, with what was typed.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_core::access::Action;
use motcua_core::counts::{CountId, Figure};
use motcua_core::display;
use motcua_core::lists::SortKey;
use motcua_core::procedure::Procedure;
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitTree;
use motcua_store::HeldDossier;
use serde::Deserialize;

use super::list_view::{Choice, FieldErrors, FilterForm, ListParams, Pager, export};
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, UnitOption, local_time, month_label, unit_label, unit_options};
use crate::{AppState, Authed};

struct ListRow {
    code: String,
    applicant: String,
    unit: String,
    procedure: String,
    received: String,
    due: String,
    resolved: String,
}

#[derive(Template)]
#[template(path = "dossier_list.html")]
struct DossierListPage {
    nav: Nav,
    title: String,
    unit_code: String,
    month: String,
    units: Vec<UnitOption>,
    figures: Vec<Choice>,
    filters: FilterForm,
    errors: FieldErrors,
    count: String,
    rows: Vec<ListRow>,
    pager: Pager,
    shown: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    unit: String,
    month: String,
    count: String,
    #[serde(flatten)]
    list: ListParams,
}

/// Every figure whose dossiers can be listed, in the contract's order.
fn figures() -> Vec<Figure> {
    let mut out: Vec<Figure> = CountId::ALL
        .into_iter()
        .filter(|c| c.counts_dossiers())
        .map(Figure::Count)
        .collect();
    out.push(Figure::ResolvedInTime);
    out
}

/// A month typed as `2024-05`, `05/2024` or `5/2024`.
fn parse_month(text: &str) -> Option<Month> {
    let t = text.trim();
    if let Ok(m) = t.parse::<Month>() {
        return Some(m);
    }
    let (m, y) = t.split_once('/')?;
    if y.len() != 4 {
        return None;
    }
    Month::new(y.parse().ok()?, m.parse().ok()?).ok()
}

fn applicant(d: &HeldDossier) -> String {
    d.details
        .as_ref()
        .map(|d| d.applicant.name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "—".to_owned())
}

fn cells(tree: &UnitTree, procedures: &[Procedure], h: &HeldDossier) -> ListRow {
    let d = &h.dossier;
    ListRow {
        code: d.code.to_string(),
        applicant: applicant(h),
        unit: unit_label(tree, &d.unit_code),
        procedure: procedures
            .iter()
            .find(|p| p.code == d.procedure_code)
            .map_or_else(|| d.procedure_code.to_string(), |p| p.name.clone()),
        received: local_time(d.received_at),
        due: local_time(d.due_at),
        resolved: d.resolved_at.map(local_time).unwrap_or_default(),
    }
}

const HEADERS: [&str; 7] = [
    "Mã hồ sơ",
    "Người nộp",
    "Đơn vị tiếp nhận",
    "Thủ tục",
    "Tiếp nhận lúc",
    "Hẹn trả",
    "Giải quyết xong lúc",
];

/// `GET /dossiers?unit=CODE&month=YYYY-MM&count=KEY` (and the list's filters): the dossiers
/// behind a figure of the dashboard (e.g. `resolved_late`: the month's late dossiers), a page
/// at a time, as many in all as the figure says; `format=csv|xlsx` exports them all.
pub async fn list(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let procedures = state.store.procedures().await.map_err(AppError::from)?;
    let mut errors = FieldErrors::default();
    let month = if q.month.trim().is_empty() {
        Month::of(authed.at)
    } else {
        parse_month(&q.month).unwrap_or_else(|| {
            errors.add("month", "Nhập tháng theo dạng tháng/năm, ví dụ 05/2024.");
            Month::of(authed.at)
        })
    };
    let figure = if q.count.trim().is_empty() {
        Figure::Count(CountId::Received)
    } else {
        Figure::from_key(q.count.trim()).unwrap_or_else(|| {
            errors.add("count", "Chọn một chỉ tiêu trong danh sách.");
            Figure::Count(CountId::Received)
        })
    };
    let read = q.list.read(&procedures, SortKey::Received, &mut errors);
    let mut pairs: Vec<(&'static str, String)> = vec![
        ("unit", unit.to_string()),
        ("month", month.to_string()),
        ("count", figure.key().to_owned()),
    ];
    pairs.extend(q.list.pairs());
    let mut page = DossierListPage {
        nav: Nav::new(&authed, &tree),
        title: format!(
            "{} – {} – {}",
            figure.title_vi(),
            unit_label(&tree, &unit),
            month_label(month)
        ),
        unit_code: unit.to_string(),
        month: if errors.of("month").is_empty() {
            month.to_string()
        } else {
            q.month.clone()
        },
        units: unit_options(&tree, &authed.principal.unit, &unit),
        figures: figures()
            .into_iter()
            .map(|f| Choice {
                value: f.key().to_owned(),
                label: f.title_vi().to_owned(),
                selected: f == figure,
            })
            .collect(),
        filters: q.list.form(&procedures, read.query.sort),
        errors,
        count: String::new(),
        rows: Vec::new(),
        pager: Pager::new("/dossiers", &pairs, &read.query.at, None, None),
        shown: false,
    };
    if !page.errors.is_empty() {
        page.title = "Danh sách hồ sơ theo chỉ tiêu".to_owned();
        return Ok((StatusCode::BAD_REQUEST, Html(page.render()?)).into_response());
    }
    let principal = &authed.principal;
    if let Some(format) = read.export {
        let all = motcua_app::lists::figure_rows(
            &state.store,
            principal,
            &unit,
            month,
            figure,
            &read.query,
        )
        .await?;
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|h| {
                let r = cells(&tree, &procedures, h);
                vec![
                    r.code,
                    r.applicant,
                    r.unit,
                    r.procedure,
                    r.received,
                    r.due,
                    r.resolved,
                ]
            })
            .collect();
        return Ok(export(format, "danh-sach-ho-so", &HEADERS, &rows)?);
    }
    let list =
        motcua_app::lists::figure_list(&state.store, principal, &unit, month, figure, &read.query)
            .await?;
    page.count = display::count(list.total);
    page.rows = list
        .rows
        .iter()
        .map(|h| cells(&tree, &procedures, h))
        .collect();
    page.pager = Pager::new(
        "/dossiers",
        &pairs,
        &read.query.at,
        list.prev.as_ref(),
        list.next.as_ref(),
    );
    page.shown = true;
    Ok(Html(page.render()?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_as_typed() {
        let may = Month::new(2024, 5).ok();
        assert_eq!(parse_month("2024-05"), may);
        assert_eq!(parse_month("05/2024"), may);
        assert_eq!(parse_month(" 5/2024 "), may);
        assert_eq!(parse_month("13/2024"), None);
        assert_eq!(parse_month(""), None);
        assert_eq!(parse_month("5/24"), None);
    }
}
