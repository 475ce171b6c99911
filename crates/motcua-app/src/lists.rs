//! The officers' long lists, one page at a time: the worklist of a unit's subtree
//! ([`worklist`]: dossiers being handled and those waiting to be handed back), the dossiers
//! behind a figure of the indicators ([`figure_list`]) and the search box ([`search`]). Who
//! may read is checked here (the unit's subtree, as every desk operation); the pages are read
//! by keyset from the store (`motcua_store::ListRequest`), never the whole list.

use motcua_core::Timestamp;
use motcua_core::access::{Action, Principal};
use motcua_core::counts::Figure;
use motcua_core::dossier::DossierCode;
use motcua_core::lists::{Cursor, ListFilter, PAGE_SIZE, PageAt, SortDir, SortKey, WorkStatus};
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_store::{HeldDossier, ListRequest, Population, Scope, SqlStore, WorkClock, WorkCounts};

use crate::AppError;
use crate::desk::Urgency;

/// The most rows an export (CSV, XLSX) holds; a list longer than this is cut, and says so.
pub const EXPORT_LIMIT: usize = 100_000;

/// Rows read per statement while exporting.
const EXPORT_BATCH: usize = 1_000;

/// What a list is asked for, apart from its population.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub filter: ListFilter,
    pub sort: SortKey,
    pub dir: SortDir,
    pub at: PageAt,
}

/// One line of the worklist.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkRow {
    pub held: HeldDossier,
    pub urgency: Urgency,
}

/// A page of the worklist with the counts of its states.
#[derive(Debug, Clone, PartialEq)]
pub struct Worklist {
    pub rows: Vec<WorkRow>,
    pub next: Option<Cursor>,
    pub prev: Option<Cursor>,
    /// Dossiers in each state, the filters applied.
    pub counts: WorkCounts,
}

/// A page of the dossiers behind a figure.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureList {
    pub rows: Vec<HeldDossier>,
    pub next: Option<Cursor>,
    pub prev: Option<Cursor>,
    /// Every dossier of the list, the filters applied.
    pub total: u64,
}

/// What the search box found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// The exact code of a dossier of the subtree: open it.
    Dossier(DossierCode),
    /// The matching dossiers, the latest first, at most [`PAGE_SIZE`] + 1 (one more says
    /// there are more).
    List(Vec<HeldDossier>),
}

async fn tree(store: &SqlStore) -> Result<UnitTree, AppError> {
    Ok(store.catalogue().await?.tree.clone())
}

/// The store's scope of a unit: its subtree, or everything for the root.
fn scope_of(tree: &UnitTree, unit: &UnitCode) -> Scope {
    if tree.root().is_some_and(|r| &r.code == unit) {
        Scope::Everything
    } else {
        Scope::Units(
            tree.scope(unit)
                .into_iter()
                .map(|u| u.code.clone())
                .collect(),
        )
    }
}

async fn work_request(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    status: WorkStatus,
    q: &ListQuery,
    now: Timestamp,
) -> Result<(UnitTree, crate::calendar::Calendars, ListRequest), AppError> {
    let tree = tree(store).await?;
    principal.check(&tree, Action::ViewIndicators, unit)?;
    let calendars = crate::calendar::load(store).await?;
    let Some(u) = tree.get(unit) else {
        return Err(AppError::UnknownUnit(unit.to_string()));
    };
    let soon = calendars
        .working_days_after(now, 2, u)
        .map_err(AppError::Calendar)?;
    let request = ListRequest {
        scope: scope_of(&tree, unit),
        population: Population::Worklist(WorkClock { status, now, soon }),
        filter: q.filter.clone(),
        sort: q.sort,
        dir: q.dir,
        at: q.at.clone(),
        limit: PAGE_SIZE,
    };
    Ok((tree, calendars, request))
}

fn urgency(
    tree: &UnitTree,
    calendars: &crate::calendar::Calendars,
    h: &HeldDossier,
    now: Timestamp,
) -> Result<Urgency, AppError> {
    let status = h.lifecycle.status;
    let due = h.dossier.due_at;
    Ok(if status.is_settled() {
        Urgency::AwaitingReturn
    } else if status.is_paused() {
        Urgency::Paused
    } else if due < now {
        Urgency::Overdue
    } else if due.local_date() == now.local_date() {
        Urgency::DueToday
    } else if tree.get(&h.dossier.unit_code).is_some_and(|u| {
        calendars
            .working_days_after(now, 2, u)
            .is_ok_and(|soon| due <= soon)
    }) {
        Urgency::DueSoon
    } else {
        Urgency::OnTrack
    })
}

/// A page of the worklist of `unit`'s subtree: the dossiers received or handled there that are
/// still at the desk (being handled, or settled and waiting to be handed back), in `status`,
/// by appointment or reception.
pub async fn worklist(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    status: WorkStatus,
    q: &ListQuery,
    now: Timestamp,
) -> Result<Worklist, AppError> {
    let (tree, calendars, request) = work_request(store, principal, unit, status, q, now).await?;
    let page = store.list_page(&request).await?;
    let counts = store.work_counts(&request).await?;
    let rows = page
        .rows
        .into_iter()
        .map(|held| {
            Ok(WorkRow {
                urgency: urgency(&tree, &calendars, &held, now)?,
                held,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Worklist {
        rows,
        next: page.next,
        prev: page.prev,
        counts,
    })
}

/// Every row of the worklist (its filters applied, from the first), at most
/// [`EXPORT_LIMIT`], for an export.
pub async fn worklist_rows(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    status: WorkStatus,
    q: &ListQuery,
    now: Timestamp,
) -> Result<Vec<WorkRow>, AppError> {
    let (tree, calendars, mut request) =
        work_request(store, principal, unit, status, q, now).await?;
    let mut out = Vec::new();
    for held in all_rows(store, &mut request).await? {
        out.push(WorkRow {
            urgency: urgency(&tree, &calendars, &held, now)?,
            held,
        });
    }
    Ok(out)
}

async fn all_rows(
    store: &SqlStore,
    request: &mut ListRequest,
) -> Result<Vec<HeldDossier>, AppError> {
    request.at = PageAt::First;
    request.limit = EXPORT_BATCH;
    let mut out = Vec::new();
    loop {
        let page = store.list_page(request).await?;
        out.extend(page.rows);
        match page.next {
            Some(next) if out.len() < EXPORT_LIMIT => request.at = PageAt::After(next),
            _ => break,
        }
    }
    out.truncate(EXPORT_LIMIT);
    Ok(out)
}

async fn figure_request(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    month: Month,
    figure: Figure,
    q: &ListQuery,
) -> Result<ListRequest, AppError> {
    let tree = tree(store).await?;
    principal.check(&tree, Action::ViewIndicators, unit)?;
    Ok(ListRequest {
        scope: scope_of(&tree, unit),
        population: Population::Figure { figure, month },
        filter: q.filter.clone(),
        sort: q.sort,
        dir: q.dir,
        at: q.at.clone(),
        limit: PAGE_SIZE,
    })
}

/// A page of the dossiers behind `figure` of `unit`'s subtree in `month` (what a click on a
/// dashboard figure lists), with their number: unfiltered, exactly the figure.
pub async fn figure_list(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    month: Month,
    figure: Figure,
    q: &ListQuery,
) -> Result<FigureList, AppError> {
    let request = figure_request(store, principal, unit, month, figure, q).await?;
    let page = store.list_page(&request).await?;
    let total = if q.filter.is_empty() {
        // Unfiltered, the list is the figure: its live count, from the aggregates (one row per
        // unit, whatever the number of dossiers; a closed month's frozen figure may differ).
        let units = match &request.scope {
            Scope::Everything => None,
            Scope::Units(units) => Some(units.as_slice()),
        };
        let mut sum = motcua_core::counts::Counts::default();
        for counts in store.unit_counts(units, &[month]).await?.into_values() {
            for c in counts {
                sum += c;
            }
        }
        figure.of(&sum)
    } else {
        store.list_count(&request).await?
    };
    Ok(FigureList {
        rows: page.rows,
        next: page.next,
        prev: page.prev,
        total,
    })
}

/// Every dossier behind a figure (its filters applied), at most [`EXPORT_LIMIT`].
pub async fn figure_rows(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    month: Month,
    figure: Figure,
    q: &ListQuery,
) -> Result<Vec<HeldDossier>, AppError> {
    let mut request = figure_request(store, principal, unit, month, figure, q).await?;
    all_rows(store, &mut request).await
}

/// The search box: what was typed, as a dossier code, the applicant's phone or ID number,
/// or words of the applicant's name (with or without diacritics), among the dossiers the
/// principal's subtree received or handles; outside it nothing is found.
pub async fn search(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    text: &str,
) -> Result<Found, AppError> {
    let tree = tree(store).await?;
    principal.check(&tree, Action::ViewIndicators, unit)?;
    let within = |h: &HeldDossier| {
        tree.is_within(&h.dossier.unit_code, unit)
            || tree.is_within(&h.lifecycle.handling_unit, unit)
    };
    for typed in [text.trim().to_owned(), text.trim().to_uppercase()] {
        if let Some(code) = DossierCode::parse(&typed)
            && let Some(held) = store.held_dossier(&code).await?
            && within(&held)
        {
            return Ok(Found::Dossier(code));
        }
    }
    let found = store
        .search_dossiers(&scope_of(&tree, unit), text, PAGE_SIZE + 1)
        .await?;
    Ok(Found::List(found.into_iter().filter(within).collect()))
}
