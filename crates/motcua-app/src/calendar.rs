//! The working-day calendar as the system uses it ([`Calendars`]): the schedules bundled with
//! motcua, replaced year by year by the ones stored through `motcua calendar set`, one calendar
//! per distinct office hours; due dates for imports, explanations, and the re-planning of open
//! dossiers when a schedule changes ([`set_schedule`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use motcua_calendar::{
    DeadlineRules, ExplanationStep, OfficeHours, ProcessingDays, Schedule, WorkCalendar, due_at,
    explain,
};
use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::dossier::{Dossier, DossierCode, DueMove};
use motcua_core::procedure::Procedure;
use motcua_core::unit::Unit;
use motcua_store::SqlStore;

use crate::AppError;

/// The years every calendar covers. A dossier outside them cannot get a computed due date.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// The calendars in force: the default office hours and any unit's own.
pub struct Calendars {
    schedules: Vec<Schedule>,
    base: Arc<WorkCalendar>,
    /// Calendars of other office hours, built on first use (keyed by their text form).
    others: Mutex<HashMap<String, Arc<WorkCalendar>>>,
}

impl Calendars {
    /// The calendars from the bundled schedules, each replaced by a `stored` one of its year.
    pub fn new(stored: Vec<Schedule>) -> Result<Self, AppError> {
        let mut schedules =
            motcua_calendar::schedule::bundled().map_err(|e| AppError::Calendar(e.to_string()))?;
        schedules.retain(|b| !stored.iter().any(|s| s.year == b.year));
        schedules.extend(stored);
        schedules.sort_by_key(|s| s.year);
        let base = WorkCalendar::new(YEARS, &schedules, OfficeHours::default())
            .map_err(|e| AppError::Calendar(e.to_string()))?;
        Ok(Self {
            schedules,
            base: Arc::new(base),
            others: Mutex::new(HashMap::new()),
        })
    }

    /// The schedule of `year`: stored, bundled, or generated (provisional).
    pub fn schedule(&self, year: i32) -> Result<Schedule, AppError> {
        match self.schedules.iter().find(|s| s.year == year) {
            Some(s) => Ok(s.clone()),
            None => Schedule::generate(year).map_err(|e| AppError::Calendar(e.to_string())),
        }
    }

    /// The calendar of a unit (its own office hours, or the default ones).
    pub fn for_unit(&self, unit: &Unit) -> Arc<WorkCalendar> {
        match &unit.office_hours {
            Some(hours) if *hours != OfficeHours::default() => {
                let key = hours.to_string();
                // A poisoned lock only means another thread panicked mid-insert; the map is
                // still a valid cache.
                let mut others = self
                    .others
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                others
                    .entry(key)
                    .or_insert_with(|| Arc::new(self.base.with_office_hours(hours.clone())))
                    .clone()
            }
            _ => self.base.clone(),
        }
    }

    /// The appointment of a dossier received at `received_at` for `procedure` at `unit`,
    /// with no pause.
    pub fn due_at(
        &self,
        received_at: Timestamp,
        procedure: &Procedure,
        unit: &Unit,
    ) -> Result<Timestamp, String> {
        self.due_with_pauses(received_at, procedure, unit, &[])
    }

    /// The appointment with the clock stopped during `pauses` (a pause still running is left
    /// out: the appointment moves when the clock resumes).
    pub fn due_with_pauses(
        &self,
        received_at: Timestamp,
        procedure: &Procedure,
        unit: &Unit,
        pauses: &[motcua_core::lifecycle::PauseSpan],
    ) -> Result<Timestamp, String> {
        let pauses = closed_pauses(pauses);
        let due = due_at(
            received_at.to_local(),
            procedure.processing_days,
            DeadlineRules {
                cutoff_15h: procedure.cutoff_15h,
            },
            &pauses,
            &self.for_unit(unit),
        )
        .map_err(|e| e.to_string())?;
        Timestamp::from_datetime(due.due_at).map_err(|e| e.to_string())
    }

    /// The instant `days` working days after `at` at `unit` (for "at least one working day
    /// before the due date", "due within two working days").
    pub fn working_days_after(
        &self,
        at: Timestamp,
        days: u16,
        unit: &Unit,
    ) -> Result<Timestamp, String> {
        working_days_on(&self.for_unit(unit), at, days)
    }

    /// [`Self::working_days_after`] at a unit of the default office hours.
    pub fn default_working_days_after(
        &self,
        at: Timestamp,
        days: u16,
    ) -> Result<Timestamp, String> {
        working_days_on(&self.base, at, days)
    }

    /// The appointment explained step by step, in Vietnamese.
    pub fn explain(
        &self,
        received_at: Timestamp,
        procedure: &Procedure,
        unit: &Unit,
    ) -> Result<Vec<ExplanationStep>, String> {
        self.explain_terms(
            received_at,
            procedure.processing_days,
            procedure.cutoff_15h,
            &self.for_unit(unit),
        )
    }

    /// [`Calendars::explain`] with the clock stopped during `pauses` (those ended).
    pub fn explain_with_pauses(
        &self,
        received_at: Timestamp,
        procedure: &Procedure,
        unit: &Unit,
        pauses: &[motcua_core::lifecycle::PauseSpan],
    ) -> Result<Vec<ExplanationStep>, String> {
        explain(
            received_at.to_local(),
            procedure.processing_days,
            DeadlineRules {
                cutoff_15h: procedure.cutoff_15h,
            },
            &closed_pauses(pauses),
            &self.for_unit(unit),
        )
        .map_err(|e| e.to_string())
    }

    /// The explanation for bare terms: `days` of processing from `received_at`, with or
    /// without the 15:00 cut-off, on `calendar` (see [`Calendars::for_unit`] and
    /// [`Calendars::default_calendar`]).
    pub fn explain_terms(
        &self,
        received_at: Timestamp,
        days: ProcessingDays,
        cutoff_15h: bool,
        calendar: &WorkCalendar,
    ) -> Result<Vec<ExplanationStep>, String> {
        explain(
            received_at.to_local(),
            days,
            DeadlineRules { cutoff_15h },
            &[],
            calendar,
        )
        .map_err(|e| e.to_string())
    }

    /// The calendar of the default office hours.
    pub fn default_calendar(&self) -> Arc<WorkCalendar> {
        self.base.clone()
    }
}

/// The pauses of a lifecycle that have ended, as the calendar takes them (a pause still
/// running is left out: the appointment moves when the clock resumes).
fn closed_pauses(pauses: &[motcua_core::lifecycle::PauseSpan]) -> Vec<motcua_calendar::Pause> {
    pauses
        .iter()
        .filter_map(|p| {
            p.to.map(|to| motcua_calendar::Pause {
                from: p.from.to_local(),
                to: to.to_local(),
                reason: p.kind.name_vi().to_owned(),
            })
        })
        .collect()
}

/// The instant `days` working days after `at` on `calendar`.
fn working_days_on(calendar: &WorkCalendar, at: Timestamp, days: u16) -> Result<Timestamp, String> {
    let due = due_at(
        at.to_local(),
        motcua_calendar::ProcessingDays::days(days),
        DeadlineRules { cutoff_15h: false },
        &[],
        calendar,
    )
    .map_err(|e| e.to_string())?;
    Timestamp::from_datetime(due.due_at).map_err(|e| e.to_string())
}

/// The calendars in force for `store`.
pub async fn load(store: &SqlStore) -> Result<Calendars, AppError> {
    Calendars::new(store.schedules().await?)
}

/// What the calendar says of one stored dossier.
pub struct DossierExplanation {
    pub dossier: Dossier,
    pub procedure: Procedure,
    pub unit: Unit,
    pub steps: Vec<ExplanationStep>,
    /// The appointment the calendar computes now, the clock's pauses taken into account.
    pub computed: Timestamp,
}

impl DossierExplanation {
    /// The explanation's sentences, in order.
    pub fn lines(&self) -> Vec<String> {
        self.steps.iter().map(|s| s.text.clone()).collect()
    }
}

/// Explains the appointment of a stored dossier.
pub async fn explain_dossier(store: &SqlStore, code: &str) -> Result<DossierExplanation, AppError> {
    let unknown = || AppError::UnknownDossier(code.to_owned());
    let parsed = DossierCode::parse(code).ok_or_else(unknown)?;
    let held = store.held_dossier(&parsed).await?.ok_or_else(unknown)?;
    let (dossier, pauses) = (held.dossier, held.lifecycle.pauses);
    let procedure = store
        .procedures()
        .await?
        .into_iter()
        .find(|p| p.code == dossier.procedure_code)
        .ok_or_else(|| AppError::Calendar(format!("thiếu thủ tục {}", dossier.procedure_code)))?;
    let unit = store
        .units()
        .await?
        .into_iter()
        .find(|u| u.code == dossier.unit_code)
        .ok_or_else(|| AppError::UnknownUnit(dossier.unit_code.to_string()))?;
    let calendars = load(store).await?;
    let steps = calendars
        .explain_with_pauses(dossier.received_at, &procedure, &unit, &pauses)
        .map_err(AppError::Calendar)?;
    let computed = calendars
        .due_with_pauses(dossier.received_at, &procedure, &unit, &pauses)
        .map_err(AppError::Calendar)?;
    Ok(DossierExplanation {
        dossier,
        procedure,
        unit,
        steps,
        computed,
    })
}

/// Replaces the schedule of its year and re-plans the open dossiers whose appointment the
/// calendar had computed (stored `due_at` equal to the old calendar's result): each whose
/// appointment changes is moved and logged. Returns the moves.
pub async fn set_schedule(
    store: &SqlStore,
    schedule: Schedule,
    ctx: &AuditContext,
) -> Result<Vec<DueMove>, AppError> {
    schedule
        .validate()
        .map_err(|e| AppError::Calendar(e.to_string()))?;
    let stored = store.schedules().await?;
    let before = Calendars::new(stored.clone())?;
    let mut replaced: Vec<Schedule> = stored
        .into_iter()
        .filter(|s| s.year != schedule.year)
        .collect();
    replaced.push(schedule.clone());
    let after = Calendars::new(replaced)?;

    let units: HashMap<_, _> = store
        .units()
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), u))
        .collect();
    let procedures: HashMap<_, _> = store
        .procedures()
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    let mut moves = Vec::new();
    for d in store.open_dossiers().await? {
        let (Some(unit), Some(procedure)) =
            (units.get(&d.unit_code), procedures.get(&d.procedure_code))
        else {
            continue;
        };
        // An appointment given by another system (or set by hand) is not the calendar's to move.
        let Ok(old) = before.due_at(d.received_at, procedure, unit) else {
            continue;
        };
        if old != d.due_at {
            continue;
        }
        let new = after
            .due_at(d.received_at, procedure, unit)
            .map_err(AppError::Calendar)?;
        if new != old {
            moves.push(DueMove {
                code: d.code.clone(),
                before: old,
                after: new,
            });
        }
    }
    Ok(store.replace_schedule(&schedule, &moves, ctx).await?)
}
