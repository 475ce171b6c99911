//! Deterministic benchmark data for motcua: a whole country's one-stop desks for a period.
//!
//! Given a seed, a number of dossiers N and a period (by default the 12 months of 2025), a
//! [`Generator`] holds
//! - the units of Vietnam's two-level local government ([`units`]): one national root,
//!   34 provinces and 3,321 communes, wards and special zones;
//! - a catalogue of some 280 procedures of communes and provinces ([`catalogue`]);
//!
//! and streams N dossiers ([`Dossiers`], one `Dossier` at a time, in order of reception,
//! never all in memory) with the mixes of a real year: a few big communes and many small
//! ones (Zipf-like), 45% online, due dates from the working-day calendar, 3% of resolutions
//! late, fees, payments, e-receipts, digitization. Every dossier satisfies
//! `Dossier::check` and the files import cleanly.
//!
//! The same seed, N and period give the same bytes, on any machine: the random source is
//! PCG64 ([`rng`]) and every draw is an integer. [`write_dir`] writes the three interchange
//! files (`units.csv`, `procedures.csv`, `dossiers.csv`) with `motcua_core::interchange`'s
//! writers; `motcua generate` is its command-line face.

#![forbid(unsafe_code)]

pub mod catalogue;
mod dossiers;
pub mod rng;
pub mod units;

use std::io::Write;
use std::path::{Path, PathBuf};

use motcua_calendar::{CalendarError, OfficeHours, WorkCalendar};
use motcua_core::interchange::{self, DOSSIERS_FILE, PROCEDURES_FILE, UNITS_FILE};
use motcua_core::procedure::Procedure;
use motcua_core::timestamp::Month;
use motcua_core::unit::{Unit, UnitCodeError, UnitKind};

pub use dossiers::Dossiers;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Seed of the random source: same seed, same data.
    pub seed: u64,
    /// Number of dossiers.
    pub dossiers: u64,
    /// First month of the period.
    pub first_month: Month,
    /// Number of months of the period (1–120).
    pub months: u32,
}

/// The default first month, as the command line writes it: the year 2025 (12 months).
pub const DEFAULT_FIRST_MONTH: &str = "2025-01";
/// The default number of months.
pub const DEFAULT_MONTHS: u32 = 12;

impl Config {
    pub fn new(seed: u64, dossiers: u64, first_month: Month, months: u32) -> Self {
        Self {
            seed,
            dossiers,
            first_month,
            months,
        }
    }

    /// The months of the period, in order.
    pub fn period(&self) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self.first_month), |m| Some(m.next())).take(self.months as usize)
    }

    /// The month after the period.
    fn end_month(&self) -> Month {
        self.period().last().unwrap_or(self.first_month).next()
    }
}

/// Why data cannot be generated or written.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("khoảng thời gian phải từ 1 đến 120 tháng (đang là {0} tháng)")]
    Months(u32),
    #[error("lịch làm việc không dựng được cho khoảng thời gian này: {0}")]
    Calendar(#[from] CalendarError),
    #[error("mã đơn vị sinh ra không hợp lệ: {0}")]
    UnitCode(#[from] UnitCodeError),
    /// The reason follows as the source (the binary says it in Vietnamese).
    #[error("không ghi được «{path}»")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The units, the catalogue and what the dossiers are drawn from. Built once; every call to
/// [`Generator::dossiers`] streams the same dossiers again.
#[derive(Debug)]
pub struct Generator {
    config: Config,
    units: Vec<Unit>,
    catalogue: Vec<catalogue::Listed>,
    plan: dossiers::Plan,
}

impl Generator {
    pub fn new(config: Config) -> Result<Self, GenError> {
        if !(1..=120).contains(&config.months) {
            return Err(GenError::Months(config.months));
        }
        let units = units::units()?;
        let catalogue = catalogue::catalogue();
        // Two years beyond the period: appointments and late settlements of its last
        // dossiers fall after it.
        let first_year = config.first_month.year();
        let last_year = config.end_month().year() + 2;
        let calendar = WorkCalendar::bundled(first_year..=last_year, OfficeHours::default())?;
        let plan = dossiers::Plan::new(&config, &units, &catalogue, calendar);
        Ok(Self {
            config,
            units,
            catalogue,
            plan,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Every unit, parents before children.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The procedure catalogue.
    pub fn procedures(&self) -> impl Iterator<Item = &Procedure> {
        self.catalogue.iter().map(|l| &l.procedure)
    }

    /// The dossiers, one at a time, in order of reception.
    pub fn dossiers(&self) -> Dossiers<'_> {
        Dossiers::new(self)
    }

    /// Writes the three interchange files to the writers given; returns the number of
    /// dossiers written.
    pub fn write(
        &self,
        units: impl Write,
        procedures: impl Write,
        dossiers: impl Write,
    ) -> std::io::Result<u64> {
        interchange::write_units(units, &self.units)?;
        interchange::write_procedures(procedures, self.procedures())?;
        let mut written = 0;
        interchange::write_dossiers(dossiers, self.dossiers().inspect(|_| written += 1))?;
        Ok(written)
    }
}

/// What [`write_dir`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Every unit, the root included.
    pub units: usize,
    pub provinces: usize,
    pub communes: usize,
    pub procedures: usize,
    pub dossiers: u64,
    /// Size of `dossiers.csv` in bytes.
    pub dossiers_bytes: u64,
}

/// Generates the data of `config` into `dir` (created when missing): `units.csv`,
/// `procedures.csv` and `dossiers.csv`, each written as it is generated.
pub fn write_dir(dir: &Path, config: Config) -> Result<Summary, GenError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| GenError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let generator = Generator::new(config)?;
    let create = |name: &str| -> Result<(PathBuf, std::io::BufWriter<std::fs::File>), GenError> {
        let path = dir.join(name);
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        Ok((path, std::io::BufWriter::with_capacity(1 << 20, file)))
    };
    let (path, out) = create(UNITS_FILE)?;
    interchange::write_units(out, generator.units()).map_err(io(&path))?;
    let (path, out) = create(PROCEDURES_FILE)?;
    interchange::write_procedures(out, generator.procedures()).map_err(io(&path))?;
    let (path, out) = create(DOSSIERS_FILE)?;
    let mut dossiers = 0;
    interchange::write_dossiers(out, generator.dossiers().inspect(|_| dossiers += 1))
        .map_err(io(&path))?;
    let dossiers_bytes = std::fs::metadata(&path).map_err(io(&path))?.len();
    let count = |kind| generator.units().iter().filter(|u| u.kind == kind).count();
    Ok(Summary {
        units: generator.units().len(),
        provinces: count(UnitKind::Province),
        communes: count(UnitKind::Commune),
        procedures: generator.catalogue.len(),
        dossiers,
        dossiers_bytes,
    })
}
