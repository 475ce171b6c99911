//! The dossier stream ([`Dossiers`]) and what it is drawn from ([`Plan`]).
//!
//! Dossiers come day by day over the working days of the period (more on Mondays, fewer on
//! Fridays and make-up Saturdays, slowly growing over the period), in order of reception
//! within a day, so only one day's reception minutes are ever held. Each dossier then draws,
//! in this order: the receiving unit, the channel, whether a fee is due, the procedure, and
//! its fate. Shares are in parts per million (see the constants); appointments come from the
//! working-day calendar as an import would compute them.
//!
//! The data is a snapshot taken at the end of the period: what would be settled, returned or
//! paid after it is still pending, so dossiers received near the end are more often pending.

use std::collections::HashMap;

use motcua_calendar::{DeadlineRules, WorkCalendar, due_at};
use motcua_core::dossier::{
    Channel, Dossier, DossierCode, Outcome, PaymentChannel, SourceSystem, SubmissionLevel,
};
use motcua_core::procedure::{Offerer, OnlineLevel};
use motcua_core::timestamp::Timestamp;
use motcua_core::unit::{Unit, UnitCode, UnitKind};
use time::{Date, Duration, OffsetDateTime, Weekday};

use crate::catalogue::Listed;
use crate::rng::{PPM, Rng};
use crate::{Config, Generator};

/// Dossiers received by the province itself rather than by one of its communes.
const PROVINCE_SHARE: u64 = 150_000;
/// Online dossiers; of those, the ones submitted under a full online service.
const ONLINE: u64 = 450_000;
const ONLINE_FULL: u64 = 600_000;
/// Dossiers sent by the public postal service.
const POSTAL: u64 = 20_000;
/// Dossiers of a procedure with a fee.
const FEE: u64 = 300_000;
/// Dossiers withdrawn by the applicant.
const WITHDRAWN: u64 = 10_000;
/// Dossiers still unsettled at the end of the period whatever their appointment: a steady
/// few (waiting for a supplement, a site visit, another agency), and many more among the
/// recent ones, fading from STUCK_RECENT for those received on the last day to none for those
/// received STUCK_RECENT_DAYS before the end.
const STUCK: u64 = 25_000;
const STUCK_RECENT: u64 = 200_000;
const STUCK_RECENT_DAYS: u64 = 60;
/// Of the settlements, those after the appointment.
const LATE: u64 = 30_000;
/// Of the resolved dossiers, those approved (the others are refused).
const APPROVED: u64 = 970_000;
/// Of the resolved dossiers, those whose result was handed back.
const RETURNED: u64 = 970_000;
/// Of the dossiers received at the desk or by post, those scanned in full (online dossiers
/// are digitized by nature), so that about 85% of all dossiers are.
const DIGITIZED_AT_DESK: u64 = 730_000;
/// Of the approved dossiers, those whose result was digitized.
const RESULT_DIGITIZED: u64 = 800_000;
/// Of the dossiers with a fee, those paid; of those, paid online (by channel of the dossier:
/// about 60% in all); of the paid ones, those with an e-receipt.
const PAID: u64 = 970_000;
const PAID_ONLINE_WHEN_ONLINE: u64 = 900_000;
const PAID_ONLINE_AT_DESK: u64 = 330_000;
const E_RECEIPT: u64 = 850_000;
/// Of the dossiers received in the first quarter of the period, those still in the old
/// one-stop system.
const OLD_SYSTEM_EARLY: u64 = 20_000;

/// Zipf-like popularity of communes: the commune of rank r (0 = the busiest) draws in
/// proportion to 1 / (r + ZIPF_OFFSET). The offset flattens the head: the busiest commune
/// gets about 1% of all dossiers, the quietest about 160 times fewer than that.
const ZIPF_OFFSET: u64 = 20;
const ZIPF_SCALE: u64 = 1_000_000_000_000;

/// A unit level that receives dossiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Commune = 0,
    Province = 1,
}

/// Which procedures a dossier may be of, given its channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Online under a full online service: procedures offered fully online.
    Full = 0,
    /// Online under a partial online service: procedures offered partly online.
    Partial = 1,
    /// At the desk or by post: any procedure.
    Any = 2,
}

/// Procedures to draw from, with cumulative weights.
#[derive(Debug, Default, Clone)]
struct Table {
    procedures: Vec<usize>,
    cumulative: Vec<u64>,
}

impl Table {
    fn push(&mut self, procedure: usize, weight: u64) {
        let total = self.cumulative.last().copied().unwrap_or(0);
        self.procedures.push(procedure);
        self.cumulative.push(total + weight);
    }
}

/// Everything the stream draws from, computed once.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Procedure tables by level, class and fee (index: level * 6 + class * 2 + fee).
    tables: Vec<Table>,
    /// Unit indexes of the communes, busiest first, and their cumulative Zipf weights.
    communes: Vec<usize>,
    zipf: Vec<u64>,
    /// Index of each unit's parent (itself for the root).
    parent: Vec<usize>,
    /// Unit codes in capitals, the prefix of dossier codes (`TAN-PHU-250314-0001`, the
    /// scheme of the desk).
    prefixes: Vec<String>,
    calendar: WorkCalendar,
    /// Working days of the period and their cumulative weights.
    days: Vec<Date>,
    day_weights: Vec<u64>,
    /// The end of the period: the moment of the snapshot.
    horizon: OffsetDateTime,
    /// Dossiers received before this may still live in the old system.
    early_until: OffsetDateTime,
}

impl Plan {
    pub(crate) fn new(
        config: &Config,
        units: &[Unit],
        catalogue: &[Listed],
        calendar: WorkCalendar,
    ) -> Self {
        let mut tables = vec![Table::default(); 12];
        for (i, listed) in catalogue.iter().enumerate() {
            let p = &listed.procedure;
            let fee = usize::from(p.fee_vnd > 0);
            for (level, kind) in [
                (Level::Commune, UnitKind::Commune),
                (Level::Province, UnitKind::Province),
            ] {
                if !p
                    .offered_by
                    .iter()
                    .any(|o| matches!(o, Offerer::Kind(k) if *k == kind))
                {
                    continue;
                }
                let mut classes = vec![Class::Any];
                match p.online_level {
                    OnlineLevel::Full => classes.push(Class::Full),
                    OnlineLevel::Partial => classes.push(Class::Partial),
                    OnlineLevel::None => {}
                }
                for class in classes {
                    tables[table_index(level, class, fee)].push(i, listed.weight);
                }
            }
        }

        let index: HashMap<&UnitCode, usize> = units
            .iter()
            .enumerate()
            .map(|(i, u)| (&u.code, i))
            .collect();
        let parent = units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                u.parent
                    .as_ref()
                    .and_then(|p| index.get(p).copied())
                    .unwrap_or(i)
            })
            .collect();
        let mut communes: Vec<usize> = units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.kind == UnitKind::Commune)
            .map(|(i, _)| i)
            .collect();
        Rng::new(config.seed, 1).shuffle(&mut communes);
        let mut zipf = Vec::with_capacity(communes.len());
        let mut total = 0;
        for rank in 0..communes.len() as u64 {
            total += ZIPF_SCALE / (rank + ZIPF_OFFSET);
            zipf.push(total);
        }
        let prefixes = units
            .iter()
            .map(|u| u.code.as_str().to_uppercase())
            .collect();

        let horizon = config.end_month().start().to_local();
        let quarter = (config.months / 4).max(1) as usize;
        let early_until = config
            .period()
            .nth(quarter)
            .map_or(horizon, |m| m.start().to_local());
        let mut days = Vec::new();
        let mut day_weights = Vec::new();
        let (first, end) = (config.first_month.first_day(), horizon.date());
        let span = u64::try_from((end - first).whole_days())
            .unwrap_or(1)
            .max(1);
        let mut total = 0;
        let mut date = first;
        while date < end {
            if calendar.is_working_day(date) == Some(true) {
                let weekday = match date.weekday() {
                    Weekday::Monday => 1150,
                    Weekday::Tuesday => 1050,
                    Weekday::Wednesday | Weekday::Thursday => 1000,
                    Weekday::Friday => 900,
                    // Saturdays and Sundays that are make-up working days.
                    Weekday::Saturday | Weekday::Sunday => 700,
                };
                let elapsed = u64::try_from((date - first).whole_days()).unwrap_or(0);
                // Volumes grow by about a quarter over the period.
                total += weekday * (4 * span + elapsed) / span;
                days.push(date);
                day_weights.push(total);
            }
            match date.next_day() {
                Some(next) => date = next,
                None => break,
            }
        }
        Self {
            tables,
            communes,
            zipf,
            parent,
            prefixes,
            calendar,
            days,
            day_weights,
            horizon,
            early_until,
        }
    }

    /// A procedure for a dossier of `level` and `class`, with a fee or not. Should the
    /// catalogue have no procedure of that kind, the fee condition is dropped, then the
    /// channel's.
    fn procedure(&self, rng: &mut Rng, level: Level, class: Class, fee: bool) -> usize {
        let fee = usize::from(fee);
        let candidates = [
            (class, fee),
            (class, 1 - fee),
            (Class::Any, fee),
            (Class::Any, 1 - fee),
        ];
        for (class, fee) in candidates {
            let table = &self.tables[table_index(level, class, fee)];
            if !table.procedures.is_empty() {
                return table.procedures[rng.pick(&table.cumulative)];
            }
        }
        0
    }

    /// `minutes` working minutes after `at`. The calendar covers two years past the period,
    /// so it always answers; plain minutes are the fallback that keeps this total.
    fn after(&self, at: OffsetDateTime, minutes: u64) -> OffsetDateTime {
        let m = u32::try_from(minutes).unwrap_or(u32::MAX);
        self.calendar
            .add_working_minutes(at, m)
            .unwrap_or(at + Duration::minutes(i64::from(m)))
    }

    fn daily_minutes(&self) -> u64 {
        u64::from(self.calendar.office_hours().daily_minutes())
    }

    /// The instant `offset` working minutes into `date`'s office sessions.
    fn reception(&self, date: Date, mut offset: u16) -> OffsetDateTime {
        let mut minute = 0;
        for s in self.calendar.office_hours().sessions() {
            let length = u16::try_from(s.minutes()).unwrap_or(u16::MAX);
            if offset < length {
                minute = u16::from(s.start().hour()) * 60 + u16::from(s.start().minute()) + offset;
                break;
            }
            offset -= length;
        }
        date.midnight().assume_offset(motcua_calendar::VN_OFFSET)
            + Duration::minutes(i64::from(minute))
    }
}

fn table_index(level: Level, class: Class, fee: usize) -> usize {
    level as usize * 6 + class as usize * 2 + fee
}

/// An instant as a [`Timestamp`]. Generated instants are whole minutes within a few years of
/// the period, so the conversion is exact.
fn ts(at: OffsetDateTime) -> Timestamp {
    Timestamp::from_micros(at.unix_timestamp().saturating_mul(1_000_000))
}

/// The dossiers of a [`Generator`], in order of reception. See the module documentation.
#[derive(Debug)]
pub struct Dossiers<'g> {
    generator: &'g Generator,
    rng: Rng,
    /// Index of the next day to open.
    next_day: usize,
    /// The current day, its `YYMMDD`, and its reception offsets (working minutes), sorted.
    date: Date,
    yymmdd: String,
    minutes: Vec<u16>,
    position: usize,
    /// Today's last dossier number of each unit.
    numbers: Vec<u32>,
}

impl<'g> Dossiers<'g> {
    pub(crate) fn new(generator: &'g Generator) -> Self {
        Self {
            generator,
            rng: Rng::new(generator.config.seed, 2),
            next_day: 0,
            date: generator.config.first_month.first_day(),
            yymmdd: String::new(),
            minutes: Vec::new(),
            position: 0,
            numbers: vec![0; generator.units.len()],
        }
    }

    /// Opens the next working day: how many dossiers it receives (the days' shares of N,
    /// rounded so that they add up to N exactly) and at which minutes.
    fn open_day(&mut self) -> bool {
        let plan = &self.generator.plan;
        let Some(&date) = plan.days.get(self.next_day) else {
            return false;
        };
        let total = u128::from(plan.day_weights.last().copied().unwrap_or(1).max(1));
        let n = u128::from(self.generator.config.dossiers);
        let upto = |i: usize| {
            let w = plan.day_weights.get(i).copied().unwrap_or(0);
            u64::try_from(n * u128::from(w) / total).unwrap_or(0)
        };
        let before = if self.next_day == 0 {
            0
        } else {
            upto(self.next_day - 1)
        };
        let count = upto(self.next_day) - before;
        self.next_day += 1;
        self.date = date;
        self.yymmdd = format!(
            "{:02}{:02}{:02}",
            date.year() % 100,
            date.month() as u8,
            date.day()
        );
        let daily = plan.daily_minutes();
        self.minutes.clear();
        for _ in 0..count {
            self.minutes
                .push(u16::try_from(self.rng.below(daily)).unwrap_or(0));
        }
        self.minutes.sort_unstable();
        self.position = 0;
        self.numbers.iter_mut().for_each(|n| *n = 0);
        true
    }

    /// The next dossier, received `offset` working minutes into the day. `None` only if its
    /// code did not parse, which cannot happen: codes are made of letters, digits and dashes.
    fn dossier(&mut self, offset: u16) -> Option<Dossier> {
        let generator = self.generator;
        let plan = &generator.plan;
        let rng = &mut self.rng;

        let commune = plan.communes[rng.pick(&plan.zipf)];
        let (unit, level) = if rng.chance(PROVINCE_SHARE) {
            (plan.parent[commune], Level::Province)
        } else {
            (commune, Level::Commune)
        };
        let draw = rng.below(PPM);
        let (channel, class, online_level) = if draw < ONLINE {
            if rng.chance(ONLINE_FULL) {
                (Channel::Online, Class::Full, Some(SubmissionLevel::Full))
            } else {
                (
                    Channel::Online,
                    Class::Partial,
                    Some(SubmissionLevel::Partial),
                )
            }
        } else if draw < ONLINE + POSTAL {
            (Channel::Postal, Class::Any, None)
        } else {
            (Channel::Direct, Class::Any, None)
        };
        let with_fee = rng.chance(FEE);
        let listed = &generator.catalogue[plan.procedure(rng, level, class, with_fee)];
        let procedure = &listed.procedure;

        let received = plan.reception(self.date, offset);
        self.numbers[unit] += 1;
        let code = format!(
            "{}-{}-{:04}",
            plan.prefixes[unit], self.yymmdd, self.numbers[unit]
        );
        let daily = plan.daily_minutes();
        let (start, due, working) = match due_at(
            received,
            procedure.processing_days,
            DeadlineRules {
                cutoff_15h: procedure.cutoff_15h,
            },
            &[],
            &plan.calendar,
        ) {
            Ok(d) => (d.start, d.due_at, d.working_minutes),
            Err(_) => {
                // Unreachable with the calendar's span; calendar days keep the data valid.
                let days = u64::from(procedure.processing_days.thousandths()).div_ceil(1000);
                let due = received + Duration::days(i64::try_from(days).unwrap_or(0));
                (received, due, days * daily)
            }
        };

        // The fate, as planned; what falls after the snapshot is not known yet.
        let age = u64::try_from((plan.horizon - received).whole_days()).unwrap_or(0);
        let stuck =
            STUCK + STUCK_RECENT * STUCK_RECENT_DAYS.saturating_sub(age) / STUCK_RECENT_DAYS;
        let fate = rng.below(PPM);
        let planned = if fate < WITHDRAWN {
            let at = plan.after(received, rng.between(30, working.max(60)));
            Some((at, Outcome::Withdrawn))
        } else if fate < WITHDRAWN + stuck {
            None
        } else {
            let at = if rng.chance(LATE) {
                plan.after(due, rng.between(1, 5 * daily))
            } else {
                // Most are settled well before the appointment: the earlier of two draws.
                let lo = working.min(30);
                let span = working - lo + 1;
                let m = lo + rng.below(span).min(rng.below(span));
                // From the clock's start, so that a dossier held over by the 15:00 cut-off
                // is not settled before its clock starts.
                plan.after(start, m).max(received)
            };
            let outcome = if rng.chance(APPROVED) {
                Outcome::Approved
            } else {
                Outcome::Rejected
            };
            Some((at, outcome))
        };
        let (resolved_at, outcome) = match planned {
            Some((at, outcome)) if at < plan.horizon => (Some(at), Some(outcome)),
            _ => (None, None),
        };
        let returned_at = match (resolved_at, outcome) {
            (Some(at), Some(Outcome::Approved | Outcome::Rejected)) if rng.chance(RETURNED) => {
                Some(plan.after(at, rng.between(10, 2 * daily))).filter(|r| *r < plan.horizon)
            }
            _ => None,
        };

        let components_total = procedure.components;
        let components_digitized = if channel == Channel::Online || rng.chance(DIGITIZED_AT_DESK) {
            components_total
        } else {
            u32::try_from(rng.below(u64::from(components_total))).unwrap_or(0)
        };
        let result_digitized = match outcome {
            Some(Outcome::Approved) => Some(rng.chance(RESULT_DIGITIZED)),
            _ => None,
        };

        let fee_vnd = procedure.fee_vnd;
        let mut payment = None;
        if fee_vnd > 0 && rng.chance(PAID) {
            let online_share = if channel == Channel::Online {
                PAID_ONLINE_WHEN_ONLINE
            } else {
                PAID_ONLINE_AT_DESK
            };
            let channel = if rng.chance(online_share) {
                PaymentChannel::Online
            } else {
                PaymentChannel::Offline
            };
            let at = plan.after(received, rng.between(1, 120));
            let receipt = rng.chance(E_RECEIPT);
            if at < plan.horizon {
                payment = Some((channel, at, receipt));
            }
        }
        let source_system = if received < plan.early_until && rng.chance(OLD_SYSTEM_EARLY) {
            SourceSystem::Old
        } else {
            SourceSystem::New
        };

        Some(Dossier {
            code: DossierCode::parse(&code)?,
            procedure_code: procedure.code.clone(),
            unit_code: generator.units[unit].code.clone(),
            channel,
            online_level,
            received_at: ts(received),
            due_at: ts(due.max(received)),
            resolved_at: resolved_at.map(ts),
            outcome,
            returned_at: returned_at.map(ts),
            components_total,
            components_digitized,
            result_digitized,
            fee_vnd,
            payment_channel: payment.map(|(c, _, _)| c),
            paid_at: payment.map(|(_, at, _)| ts(at)),
            e_receipt: Some(payment.is_some_and(|(_, _, receipt)| receipt)),
            source_system,
            rating: None,
        })
    }
}

impl Iterator for Dossiers<'_> {
    type Item = Dossier;

    fn next(&mut self) -> Option<Dossier> {
        loop {
            while self.position >= self.minutes.len() {
                if !self.open_day() {
                    return None;
                }
            }
            let offset = self.minutes[self.position];
            self.position += 1;
            if let Some(d) = self.dossier(offset) {
                return Some(d);
            }
        }
    }
}
