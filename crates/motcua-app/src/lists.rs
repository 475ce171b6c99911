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
use motcua_store::{
    HeldDossier, ListRequest, Population, Scope, Soon, SqlStore, WorkClock, WorkCounts,
};

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

impl ListQuery {
    /// The store's request for the first page (or the page at `at`) of `population` in `scope`.
    fn request(&self, scope: Scope, population: Population) -> ListRequest {
        ListRequest {
            scope,
            population,
            filter: self.filter.clone(),
            sort: self.sort,
            dir: self.dir,
            at: self.at.clone(),
            limit: PAGE_SIZE,
        }
    }
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

/// The unit tree, once `principal` may read the lists of `unit` (which exists).
async fn readable_tree(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
) -> Result<UnitTree, AppError> {
    let tree = store.catalogue().await?.tree.clone();
    principal.check(&tree, Action::ViewIndicators, unit)?;
    if tree.get(unit).is_none() {
        return Err(AppError::UnknownUnit(unit.to_string()));
    }
    Ok(tree)
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
) -> Result<(Soon, ListRequest), AppError> {
    let tree = readable_tree(store, principal, unit).await?;
    let calendars = crate::calendar::load(store).await?;
    let soon = soon(&tree, &calendars, now)?;
    let clock = WorkClock {
        status,
        now,
        soon: soon.clone(),
    };
    let request = q.request(scope_of(&tree, unit), Population::Worklist(clock));
    Ok((soon, request))
}

/// Where "đến hạn" (due within two working days of `now`) ends for a dossier, by the calendar
/// of the unit handling it: the default office hours' instant, and the units whose own
/// office hours give another instant, grouped by it. The worklist's filter and each row's
/// urgency both read it.
fn soon(
    tree: &UnitTree,
    calendars: &crate::calendar::Calendars,
    now: Timestamp,
) -> Result<Soon, AppError> {
    let default = calendars
        .default_working_days_after(now, 2)
        .map_err(AppError::Calendar)?;
    let mut soon = Soon::everywhere(default);
    for u in tree.iter_preorder().filter(|u| u.office_hours.is_some()) {
        let at = calendars
            .working_days_after(now, 2, u)
            .map_err(AppError::Calendar)?;
        if at == default {
            continue;
        }
        match soon.others.iter_mut().find(|(t, _)| *t == at) {
            Some((_, units)) => units.push(u.code.clone()),
            None => soon.others.push((at, vec![u.code.clone()])),
        }
    }
    Ok(soon)
}

fn urgency(soon: &Soon, h: &HeldDossier, now: Timestamp) -> Urgency {
    let status = h.lifecycle.status;
    let due = h.dossier.due_at;
    if status.is_settled() {
        Urgency::AwaitingReturn
    } else if status.is_paused() {
        Urgency::Paused
    } else if due < now {
        Urgency::Overdue
    } else if due.local_date() == now.local_date() {
        Urgency::DueToday
    } else if due < soon.at(&h.lifecycle.handling_unit) {
        Urgency::DueSoon
    } else {
        Urgency::OnTrack
    }
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
    let (soon, request) = work_request(store, principal, unit, status, q, now).await?;
    let page = store.list_page(&request).await?;
    Ok(Worklist {
        rows: with_urgency(&soon, now, page.rows),
        next: page.next,
        prev: page.prev,
        counts: store.work_counts(&request).await?,
    })
}

fn with_urgency(soon: &Soon, now: Timestamp, rows: Vec<HeldDossier>) -> Vec<WorkRow> {
    rows.into_iter()
        .map(|held| WorkRow {
            urgency: urgency(soon, &held, now),
            held,
        })
        .collect()
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
    let (soon, mut request) = work_request(store, principal, unit, status, q, now).await?;
    Ok(with_urgency(
        &soon,
        now,
        all_rows(store, &mut request).await?,
    ))
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
    let tree = readable_tree(store, principal, unit).await?;
    Ok(q.request(scope_of(&tree, unit), Population::Figure { figure, month }))
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
    let tree = readable_tree(store, principal, unit).await?;
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
