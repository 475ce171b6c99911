//! The long lists of dossiers, read one page at a time by keyset (`motcua_core::lists`): the
//! worklist (dossiers still at the desk), the dossiers behind a figure of the indicators, and
//! the search by code, applicant name, phone or ID number.
//!
//! A page is one statement ordered by the sort column and the code, starting after (or
//! before) a [`Cursor`], `LIMIT` one more row than the page holds to know whether another
//! follows; never OFFSET. A scope's units are an `IN` list on `unit_code` (served by
//! `dossiers_worklist_covering` and `dossiers_unit_received_covering`, which hold every column the worklist,
//! "received" and "pending" test: the page's codes are chosen from index entries alone, in a
//! subquery, and only the page's rows are read from the table, however many rows the scope
//! has to sort); the worklist also holds the dossiers
//! handled in the scope and received elsewhere (a transfer), read by a second statement on
//! `handling_unit` and merged. The figures' rules are `Counts::tally`'s written in SQL
//! ([`figure_condition`]); a test checks them against `tally` for every figure.

use motcua_core::Timestamp;
use motcua_core::counts::Figure;
use motcua_core::lists::{
    Cursor, ListFilter, PageAt, SortDir, SortKey, WorkStatus, id_key, name_key, phone_key,
};
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use sea_orm::ConnectionTrait;

use crate::StoreError;
use crate::desk::{HeldDossier, held};
use crate::rows::DOSSIER_COLUMNS;
use crate::sql::SqlStore;

mod builder;
mod figures;

use builder::Sql;
use figures::figure_condition;

/// The units a list covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every unit (the root's officers): no condition on the unit.
    Everything,
    /// These units (a unit and everything below it).
    Units(Vec<UnitCode>),
}

/// The dossiers a list is made of, before its filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Population {
    /// The worklist: dossiers received or handled in the scope, still at the desk.
    Worklist(WorkClock),
    /// The dossiers a figure of a month counts, by their receiving unit.
    Figure { figure: Figure, month: Month },
}

/// The worklist's status and the instants its urgency is measured against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkClock {
    pub status: WorkStatus,
    pub now: Timestamp,
    /// The end of the second working day from `now` on each handling unit's calendar: due by
    /// then is "đến hạn".
    pub soon: Soon,
}

/// Where "due soon" ends, by the calendar of the unit handling a dossier: `default` for the
/// units of the default office hours, the instant of its group for a unit listed in `others`
/// (units with office hours of their own, grouped by the instant their calendar gives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soon {
    pub default: Timestamp,
    pub others: Vec<(Timestamp, Vec<UnitCode>)>,
}

impl Soon {
    /// The same instant for every unit.
    pub fn everywhere(at: Timestamp) -> Self {
        Soon {
            default: at,
            others: Vec::new(),
        }
    }

    /// Where "due soon" ends for a dossier handled by `unit` (what the SQL condition says).
    pub fn at(&self, unit: &UnitCode) -> Timestamp {
        self.others
            .iter()
            .find(|(_, units)| units.contains(unit))
            .map_or(self.default, |(at, _)| *at)
    }
}

/// `due_at < ` the end of "due soon" of the dossier's handling unit (one bound when every
/// unit keeps the default office hours, so that the index on `due_at` serves it).
fn due_before_soon(sql: &mut Sql, soon: &Soon) {
    sql.push("due_at < ");
    if soon.others.is_empty() {
        sql.bind(soon.default.as_micros());
        return;
    }
    sql.push("CASE");
    for (at, units) in &soon.others {
        sql.push(" WHEN COALESCE(handling_unit, unit_code) IN ")
            .bind_list(units.iter().map(UnitCode::as_str))
            .push(" THEN ")
            .bind(at.as_micros());
    }
    sql.push(" ELSE ")
        .bind(soon.default.as_micros())
        .push(" END");
}

/// One page's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    pub scope: Scope,
    pub population: Population,
    pub filter: ListFilter,
    pub sort: SortKey,
    pub dir: SortDir,
    pub at: PageAt,
    /// Rows per page (`motcua_core::lists::PAGE_SIZE` for pages).
    pub limit: usize,
}

/// One page of a list, in the list's order, with the cursors of its neighbours.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    pub rows: Vec<HeldDossier>,
    /// Where the next page starts ("Trang sau"), if there is one.
    pub next: Option<Cursor>,
    /// Where the previous page ends ("Trang trước"), if there is one.
    pub prev: Option<Cursor>,
}

/// How many dossiers of the worklist (after its filters) are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WorkCounts {
    pub all: u64,
    pub open: u64,
    pub overdue: u64,
    pub due_soon: u64,
    pub paused: u64,
    pub awaiting_return: u64,
}

impl WorkCounts {
    pub fn of(&self, status: WorkStatus) -> u64 {
        match status {
            WorkStatus::All => self.all,
            WorkStatus::Open => self.open,
            WorkStatus::Overdue => self.overdue,
            WorkStatus::DueSoon => self.due_soon,
            WorkStatus::Paused => self.paused,
            WorkStatus::AwaitingReturn => self.awaiting_return,
        }
    }
}

const POPULATION_AT_DESK: &str = "(resolved_at IS NULL OR status IN ('approved', 'rejected'))";
const NOT_PAUSED: &str = "(status IS NULL OR status NOT IN ('awaiting_supplement', 'suspended'))";
const PAUSED: &str = "status IN ('awaiting_supplement', 'suspended')";
const AWAITING_RETURN: &str = "status IN ('approved', 'rejected')";

/// Which statement of a list: the scope's receiving units, or the dossiers handled in the
/// scope and received outside it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Leg {
    Received,
    Handled,
}

fn legs(r: &ListRequest) -> &'static [Leg] {
    match (&r.scope, &r.population) {
        (Scope::Units(_), Population::Worklist(_)) => &[Leg::Received, Leg::Handled],
        _ => &[Leg::Received],
    }
}

fn status_condition(sql: &mut Sql, clock: &WorkClock, status: WorkStatus) {
    match status {
        WorkStatus::All => sql.push("1 = 1"),
        WorkStatus::Open => sql.push("resolved_at IS NULL"),
        WorkStatus::Overdue => sql
            .push("(resolved_at IS NULL AND ")
            .push(NOT_PAUSED)
            .push(" AND due_at < ")
            .bind(clock.now.as_micros())
            .push(")"),
        WorkStatus::DueSoon => {
            sql.push("(resolved_at IS NULL AND ")
                .push(NOT_PAUSED)
                .push(" AND due_at >= ")
                .bind(clock.now.as_micros())
                .push(" AND ");
            due_before_soon(sql, &clock.soon);
            sql.push(")")
        }
        WorkStatus::Paused => sql.push(PAUSED),
        WorkStatus::AwaitingReturn => sql.push(AWAITING_RETURN),
    };
}

/// The conditions of a list's statement (its scope leg, population and filters), without the
/// keyset; `status` replaces the worklist's own (for the counts).
fn conditions(sql: &mut Sql, r: &ListRequest, leg: Leg, status: Option<WorkStatus>) {
    sql.push(" WHERE 1 = 1");
    if let Scope::Units(units) = &r.scope {
        let codes = || units.iter().map(UnitCode::as_str);
        match leg {
            Leg::Received => {
                sql.push(" AND unit_code IN ").bind_list(codes());
            }
            Leg::Handled => {
                sql.push(" AND handling_unit IS NOT NULL AND handling_unit IN ")
                    .bind_list(codes())
                    .push(" AND unit_code NOT IN ")
                    .bind_list(codes());
            }
        }
    }
    match &r.population {
        Population::Worklist(clock) => {
            sql.push(" AND ").push(POPULATION_AT_DESK);
            if let Some(status) = status.or(Some(clock.status))
                && status != WorkStatus::All
            {
                sql.push(" AND ");
                status_condition(sql, clock, status);
            }
        }
        Population::Figure { figure, month } => {
            sql.push(" AND ");
            figure_condition(sql, *figure, *month);
        }
    }
    let f = &r.filter;
    if let Some(p) = &f.procedure {
        sql.push(" AND procedure_code = ").bind(p.as_str());
    }
    if let Some(field) = &f.field {
        sql.push(" AND procedure_code IN (SELECT code FROM procedures WHERE field = ")
            .bind(field.as_str())
            .push(")");
    }
    if let Some(t) = f.received_from {
        sql.push(" AND received_at >= ").bind(t.as_micros());
    }
    if let Some(t) = f.received_until {
        sql.push(" AND received_at < ").bind(t.as_micros());
    }
}

fn sort_column(sort: SortKey) -> &'static str {
    match sort {
        SortKey::Due => "due_at",
        SortKey::Received => "received_at",
    }
}

fn cursor_of(h: &HeldDossier, sort: SortKey) -> Cursor {
    Cursor {
        at: match sort {
            SortKey::Due => h.dossier.due_at,
            SortKey::Received => h.dossier.received_at,
        },
        code: h.dossier.code.clone(),
    }
}

impl SqlStore {
    /// One page of a list, at most `limit` rows.
    pub async fn list_page(&self, r: &ListRequest) -> Result<ListPage, StoreError> {
        // Reading backwards ("Trang trước") is reading forwards in the other direction.
        let (after, forward_dir) = match &r.at {
            PageAt::First => (None, r.dir),
            PageAt::After(c) => (Some(c), r.dir),
            PageAt::Before(c) => (
                Some(c),
                match r.dir {
                    SortDir::Asc => SortDir::Desc,
                    SortDir::Desc => SortDir::Asc,
                },
            ),
        };
        let column = sort_column(r.sort);
        let (cmp, order) = match forward_dir {
            SortDir::Asc => (">", "ASC"),
            SortDir::Desc => ("<", "DESC"),
        };
        let mut rows = Vec::new();
        for &leg in legs(r) {
            // The page's codes first, from the index entries alone (the lists' indexes are
            // covering: `migration/list_indexes.rs`), then only those rows from the table.
            let mut sql = Sql::new(
                self.backend(),
                &format!(
                    "SELECT {DOSSIER_COLUMNS}, lifecycle, details, citizen_id FROM dossiers
                     WHERE code IN (SELECT code FROM dossiers"
                ),
            );
            conditions(&mut sql, r, leg, None);
            if let Some(c) = after {
                sql.push(&format!(" AND ({column}, code) {cmp} ("))
                    .bind(c.at.as_micros())
                    .push(", ")
                    .bind(c.code.as_str())
                    .push(")");
            }
            sql.push(&format!(
                " ORDER BY {column} {order}, code {order} LIMIT {})",
                r.limit + 1
            ));
            let found = self
                .db
                .query_all_raw(self.statement(sql.text, sql.values))
                .await?;
            for row in &found {
                rows.push(held(row)?);
            }
        }
        let key = |h: &HeldDossier| {
            let c = cursor_of(h, r.sort);
            (c.at, c.code)
        };
        rows.sort_by_key(key);
        if forward_dir == SortDir::Desc {
            rows.reverse();
        }
        let more = rows.len() > r.limit;
        rows.truncate(r.limit);
        let first = |rows: &[HeldDossier]| rows.first().map(|h| cursor_of(h, r.sort));
        let last = |rows: &[HeldDossier]| rows.last().map(|h| cursor_of(h, r.sort));
        Ok(match &r.at {
            PageAt::First => ListPage {
                next: if more { last(&rows) } else { None },
                prev: None,
                rows,
            },
            PageAt::After(_) => ListPage {
                next: if more { last(&rows) } else { None },
                prev: first(&rows),
                rows,
            },
            PageAt::Before(_) => {
                rows.reverse();
                ListPage {
                    prev: if more { first(&rows) } else { None },
                    next: last(&rows),
                    rows,
                }
            }
        })
    }

    /// How many dossiers the list holds (its filters applied, whatever the page).
    pub async fn list_count(&self, r: &ListRequest) -> Result<u64, StoreError> {
        let mut total = 0;
        for &leg in legs(r) {
            let mut sql = Sql::new(self.backend(), "SELECT COUNT(*) AS n FROM dossiers");
            conditions(&mut sql, r, leg, None);
            let row = self
                .db
                .query_one_raw(self.statement(sql.text, sql.values))
                .await?;
            let n: i64 = match row {
                Some(row) => row.try_get("", "n")?,
                None => 0,
            };
            total += u64::try_from(n).unwrap_or(0);
        }
        Ok(total)
    }

    /// The worklist's dossiers in each state (the request's filters applied, its status
    /// ignored), in one statement per leg.
    pub async fn work_counts(&self, r: &ListRequest) -> Result<WorkCounts, StoreError> {
        let Population::Worklist(clock) = &r.population else {
            return Ok(WorkCounts::default());
        };
        let mut out = WorkCounts::default();
        let states = [
            WorkStatus::Open,
            WorkStatus::Overdue,
            WorkStatus::DueSoon,
            WorkStatus::Paused,
            WorkStatus::AwaitingReturn,
        ];
        for &leg in legs(r) {
            let mut sql = Sql::new(self.backend(), "SELECT COUNT(*) AS n_all");
            for (i, status) in states.iter().enumerate() {
                sql.push(", COALESCE(SUM(CASE WHEN ");
                status_condition(&mut sql, clock, *status);
                sql.push(&format!(" THEN 1 ELSE 0 END), 0) AS n_{i}"));
            }
            sql.push(" FROM dossiers");
            conditions(&mut sql, r, leg, Some(WorkStatus::All));
            let Some(row) = self
                .db
                .query_one_raw(self.statement(sql.text, sql.values))
                .await?
            else {
                continue;
            };
            let get = |name: &str| -> Result<u64, StoreError> {
                let n: i64 = row.try_get("", name)?;
                Ok(u64::try_from(n).unwrap_or(0))
            };
            out.all += get("n_all")?;
            out.open += get("n_0")?;
            out.overdue += get("n_1")?;
            out.due_soon += get("n_2")?;
            out.paused += get("n_3")?;
            out.awaiting_return += get("n_4")?;
        }
        Ok(out)
    }

    /// The dossiers of `scope` (received or handled there) whose code starts with what was
    /// typed, or whose applicant's phone or ID number is it, or whose applicant's name holds
    /// every word of it (without diacritics); the latest received first, at most `limit`.
    pub async fn search_dossiers(
        &self,
        scope: &Scope,
        text: &str,
        limit: usize,
    ) -> Result<Vec<HeldDossier>, StoreError> {
        let text = text.trim();
        let words: Vec<String> = name_key(text)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| format!("%{}%", escape_like(w)))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            self.backend(),
            &format!(
                "SELECT {DOSSIER_COLUMNS}, lifecycle, details, citizen_id FROM dossiers WHERE ("
            ),
        );
        sql.push("UPPER(code) LIKE ")
            .bind(format!("{}%", escape_like(&text.to_uppercase())))
            .push(" ESCAPE '\\'");
        let phone = phone_key(text);
        if phone.len() >= 6 {
            sql.push(" OR applicant_phone = ").bind(phone);
        }
        let id = id_key(text);
        if id.len() >= 6 {
            sql.push(" OR applicant_id = ").bind(id);
        }
        sql.push(" OR (applicant_name IS NOT NULL");
        for w in words {
            sql.push(" AND applicant_name LIKE ")
                .bind(w)
                .push(" ESCAPE '\\'");
        }
        sql.push("))");
        if let Scope::Units(units) = scope {
            let codes = || units.iter().map(UnitCode::as_str);
            sql.push(" AND (unit_code IN ")
                .bind_list(codes())
                .push(" OR handling_unit IN ")
                .bind_list(codes())
                .push(")");
        }
        sql.push(&format!(
            " ORDER BY received_at DESC, code DESC LIMIT {limit}"
        ));
        let rows = self
            .db
            .query_all_raw(self.statement(sql.text, sql.values))
            .await?;
        rows.iter().map(held).collect()
    }
}

/// `text` with LIKE's wildcards (and the escape character) escaped by `\`.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use motcua_core::lifecycle::Status;

    // The conditions spell the statuses as literals (the partial index must match them word
    // for word): they are the lifecycle's own spellings.
    #[test]
    fn literal_statuses_are_the_lifecycles_spellings() {
        for (s, text) in [
            (Status::Approved, "'approved'"),
            (Status::Rejected, "'rejected'"),
            (Status::AwaitingSupplement, "'awaiting_supplement'"),
            (Status::Suspended, "'suspended'"),
        ] {
            assert!(
                format!("{POPULATION_AT_DESK}{PAUSED}").contains(&format!("'{}'", s.as_str())),
                "{text}"
            );
        }
    }
}
