//! From the three files to a validated [`ImportPlan`], checking every rule of
//! `docs/spec/interchange.md` ("Validation") against the files and the data already stored:
//! the catalogue (`units.csv`, `procedures.csv`) in `catalogue`, `dossiers.csv` here.

use std::collections::{HashMap, HashSet};

use std::io::Read;

use super::DOSSIER_COLUMNS;
use super::catalogue::{CataloguePlan, plan_catalogue};
use super::components::plan_components;
use super::table::{Issue, Layout, Located, Row, Table};
use super::values::{boolean, choice, count, money, timestamp};
use crate::dossier::{
    Channel, Dossier, DossierCode, Outcome, PaymentChannel, Rating, SourceSystem, SubmissionLevel,
};
use crate::procedure::{Procedure, ProcedureCode};
use crate::timestamp::Timestamp;
use crate::unit::{Unit, UnitCode};

/// How an import is checked: the time it is made (no instant of a dossier may lie after
/// it), and whether a unit already stored may be moved under another parent (which widens
/// the new parent's officers' scope, so it is refused unless asked for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    pub now: Timestamp,
    pub allow_moves: bool,
}

impl ImportOptions {
    /// An import made at `now`, moving no unit.
    pub fn at(now: Timestamp) -> Self {
        ImportOptions {
            now,
            allow_moves: false,
        }
    }
}

/// The files of one import; each is optional. Each is `(name shown in messages, bytes)`.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImportFiles<'a> {
    pub units: Option<(&'a str, &'a [u8])>,
    pub procedures: Option<(&'a str, &'a [u8])>,
    /// `procedure_components.csv`, read with `procedures`.
    pub procedure_components: Option<(&'a str, &'a [u8])>,
    pub dossiers: Option<(&'a str, &'a [u8])>,
}

/// What is already stored and matters to validation.
#[derive(Debug, Default, Clone, Copy)]
pub struct Existing<'a> {
    pub units: &'a [Unit],
    pub procedures: &'a [Procedure],
}

/// A validated import: everything in it may be written as is.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// Units to insert or update, parents before children.
    pub units: Vec<Unit>,
    pub procedures: Vec<Procedure>,
    /// Dossiers to insert or update, with their lines for reporting.
    pub dossiers: Vec<Located<Dossier>>,
}

/// Fills an empty `due_at`: given the dossier's reception, procedure and unit, the deadline
/// engine's appointment, or the reason it cannot give one.
pub type DueDateFn<'a> =
    dyn Fn(Timestamp, &Procedure, &Unit) -> Result<Timestamp, String> + Send + Sync + 'a;

/// Parses and validates the files of an import against what is stored, holding every
/// dossier in memory (small imports, tests, pushed records). A large `dossiers.csv` is read
/// with [`plan_catalogue`] and [`DossierReader`] instead.
pub fn plan_import(
    files: ImportFiles<'_>,
    existing: Existing<'_>,
    options: ImportOptions,
    due_date: &DueDateFn<'_>,
) -> Result<ImportPlan, Vec<Issue>> {
    let (mut catalogue, mut issues) =
        plan_catalogue(files.units, files.procedures, existing, options);
    issues.extend(plan_components(
        &mut catalogue,
        files.procedure_components,
        existing.procedures,
    ));
    let mut dossiers = Vec::new();
    if let Some((name, bytes)) = files.dossiers {
        let mut reader = DossierReader::new(name, bytes, &catalogue, due_date);
        loop {
            let chunk = reader.next_chunk(usize::MAX);
            if chunk.is_empty() {
                break;
            }
            dossiers.extend(chunk);
        }
        issues.extend(reader.finish());
    }
    if issues.is_empty() {
        Ok(ImportPlan {
            units: catalogue.units,
            procedures: catalogue.procedures,
            dossiers,
        })
    } else {
        issues.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(issues)
    }
}

/// Reads and validates `dossiers.csv` row by row, in chunks, so that a file of millions of
/// rows is never held in memory whole. Problems are collected (file, line, column, reason);
/// once there is one, no more dossiers are handed out, and [`DossierReader::finish`] reads
/// the rest of the file for its problems.
pub struct DossierReader<'a, R: Read> {
    table: Option<Table<R>>,
    catalogue: &'a CataloguePlan,
    due_date: &'a DueDateFn<'a>,
    /// The line of every dossier code seen, to refuse a code given twice.
    seen: HashMap<DossierCode, u64>,
    units: HashSet<UnitCode>,
    issues: Vec<Issue>,
}

impl<'a, R: Read> DossierReader<'a, R> {
    /// Opens the file `name` (the name shown in messages) and reads its header.
    pub fn new(
        name: &str,
        input: R,
        catalogue: &'a CataloguePlan,
        due_date: &'a DueDateFn<'a>,
    ) -> Self {
        let (table, issues) = match Table::open(name, input, &dossier_layout()) {
            Ok(table) => (Some(table), Vec::new()),
            Err(issues) => (None, issues),
        };
        DossierReader {
            table,
            catalogue,
            due_date,
            seen: HashMap::new(),
            units: HashSet::new(),
            issues,
        }
    }

    /// Whether a problem has been found so far.
    pub fn has_issues(&self) -> bool {
        !self.issues.is_empty()
    }

    /// The units of the dossiers read so far.
    pub fn units(&self) -> &HashSet<UnitCode> {
        &self.units
    }

    /// The next valid dossiers, at most `max`; empty at the end of the file, and once any
    /// problem has been found.
    pub fn next_chunk(&mut self, max: usize) -> Vec<Located<Dossier>> {
        let mut out = Vec::new();
        while out.len() < max && self.issues.is_empty() {
            match self.next_row() {
                Some(Some(d)) => out.push(d),
                Some(None) => {}
                None => break,
            }
        }
        if !self.issues.is_empty() {
            out.clear();
        }
        out
    }

    /// Reads the rest of the file and returns every problem found, in line order.
    pub fn finish(mut self) -> Vec<Issue> {
        while self.next_row().is_some() {}
        self.issues
    }

    /// `None` at the end of the file; `Some(None)` for a row with a problem.
    fn next_row(&mut self) -> Option<Option<Located<Dossier>>> {
        let table = self.table.as_mut()?;
        let mut parsed = None;
        if !table.next(&mut self.issues, |row| parsed = parse_dossier(row)) {
            return None;
        }
        let Some(Located { line, value: d }) = parsed else {
            return Some(None);
        };
        let header = table.header();
        let mut fail = |column: &str, reason: String| {
            self.issues.push(Issue {
                file: header.file.clone(),
                line,
                column: header.column(column),
                reason,
            });
        };
        if let Some(first) = self.seen.insert(d.code.clone(), line) {
            // The first line stays the one named in later messages.
            self.seen.insert(d.code.clone(), first);
            fail(
                "code",
                format!("mã hồ sơ «{}» trùng với dòng {first}", d.code),
            );
            return Some(None);
        }
        let procedure = self.catalogue.merged_procedures.get(&d.procedure_code);
        if procedure.is_none() {
            fail(
                "procedure_code",
                format!("không có thủ tục mã «{}» trong danh mục", d.procedure_code),
            );
        }
        let unit = self.catalogue.merged_units.get(&d.unit_code);
        if unit.is_none() {
            fail("unit_code", format!("không có đơn vị mã «{}»", d.unit_code));
        }
        let (Some(procedure), Some(unit)) = (procedure, unit) else {
            return Some(None);
        };
        let due_at = match d.due_at {
            Some(due) => due,
            None => match (self.due_date)(d.received_at, procedure, unit) {
                Ok(due) => due,
                Err(reason) => {
                    fail("due_at", format!("không tính được ngày hẹn trả: {reason}"));
                    return Some(None);
                }
            },
        };
        let dossier = d.into_dossier(due_at);
        let broken = dossier.check_as_of(self.catalogue.now);
        if !broken.is_empty() {
            for e in broken {
                fail(e.field, e.message);
            }
            return Some(None);
        }
        if !self.units.contains(&dossier.unit_code) {
            self.units.insert(dossier.unit_code.clone());
        }
        Some(Some(Located {
            line,
            value: dossier,
        }))
    }
}

/// A dossier row before its appointment is known.
struct DossierRow {
    code: DossierCode,
    procedure_code: ProcedureCode,
    unit_code: UnitCode,
    channel: Channel,
    online_level: Option<SubmissionLevel>,
    received_at: Timestamp,
    due_at: Option<Timestamp>,
    resolved_at: Option<Timestamp>,
    outcome: Option<Outcome>,
    returned_at: Option<Timestamp>,
    components_total: u32,
    components_digitized: u32,
    result_digitized: Option<bool>,
    fee_vnd: i64,
    payment_channel: Option<PaymentChannel>,
    paid_at: Option<Timestamp>,
    e_receipt: Option<bool>,
    source_system: SourceSystem,
    rating: Option<Rating>,
}

impl DossierRow {
    fn into_dossier(self, due_at: Timestamp) -> Dossier {
        Dossier {
            code: self.code,
            procedure_code: self.procedure_code,
            unit_code: self.unit_code,
            channel: self.channel,
            online_level: self.online_level,
            received_at: self.received_at,
            due_at,
            resolved_at: self.resolved_at,
            outcome: self.outcome,
            returned_at: self.returned_at,
            components_total: self.components_total,
            components_digitized: self.components_digitized,
            result_digitized: self.result_digitized,
            fee_vnd: self.fee_vnd,
            payment_channel: self.payment_channel,
            paid_at: self.paid_at,
            e_receipt: self.e_receipt,
            source_system: self.source_system,
            rating: self.rating,
        }
    }
}

fn dossier_layout() -> Layout {
    Layout {
        all: DOSSIER_COLUMNS,
        required: &[
            "code",
            "procedure_code",
            "unit_code",
            "channel",
            "received_at",
            "components_total",
            "components_digitized",
            "fee_vnd",
            "source_system",
        ],
        // Codes, choices, numbers and timestamps only: every cell is short.
        limits: &[],
    }
}

/// One row of `dossiers.csv`, parsed cell by cell (problems recorded on the row).
fn parse_dossier(row: &mut Row<'_>) -> Option<Located<DossierRow>> {
    let code = row.parse("code", |t| {
        DossierCode::try_parse(t).map_err(|e| e.to_string())
    });
    let procedure_code = row.parse("procedure_code", |t| {
        ProcedureCode::try_parse(t).map_err(|e| e.to_string())
    });
    let unit_code = row.parse("unit_code", |t| {
        UnitCode::parse(t).map_err(|e| e.to_string())
    });
    let channel = row.parse("channel", choice(Channel::parse, Channel::SPELLINGS));
    let online_level = row.optional(
        "online_level",
        choice(SubmissionLevel::parse, SubmissionLevel::SPELLINGS),
    );
    let received_at = row.parse("received_at", timestamp);
    let due_at = row.optional("due_at", timestamp);
    let resolved_at = row.optional("resolved_at", timestamp);
    let outcome = row.optional("outcome", choice(Outcome::parse, Outcome::SPELLINGS));
    let returned_at = row.optional("returned_at", timestamp);
    let components_total = row.parse("components_total", count);
    let components_digitized = row.parse("components_digitized", count);
    let result_digitized = row.optional("result_digitized", boolean);
    let fee_vnd = row.parse("fee_vnd", money);
    let payment_channel = row.optional(
        "payment_channel",
        choice(PaymentChannel::parse, PaymentChannel::SPELLINGS),
    );
    let paid_at = row.optional("paid_at", timestamp);
    let e_receipt = row.optional("e_receipt", boolean);
    let source_system = row.parse(
        "source_system",
        choice(SourceSystem::parse, SourceSystem::SPELLINGS),
    );
    let rating = row.optional("rating", choice(Rating::parse, Rating::SPELLINGS));
    let (
        Some(code),
        Some(procedure_code),
        Some(unit_code),
        Some(channel),
        Ok(online_level),
        Some(received_at),
        Ok(due_at),
        Ok(resolved_at),
        Ok(outcome),
        Ok(returned_at),
        Some(components_total),
        Some(components_digitized),
        Ok(result_digitized),
        Some(fee_vnd),
        Ok(payment_channel),
        Ok(paid_at),
        Ok(e_receipt),
        Some(source_system),
        Ok(rating),
    ) = (
        code,
        procedure_code,
        unit_code,
        channel,
        online_level,
        received_at,
        due_at,
        resolved_at,
        outcome,
        returned_at,
        components_total,
        components_digitized,
        result_digitized,
        fee_vnd,
        payment_channel,
        paid_at,
        e_receipt,
        source_system,
        rating,
    )
    else {
        return None;
    };
    Some(Located {
        line: row.line,
        value: DossierRow {
            code,
            procedure_code,
            unit_code,
            channel,
            online_level,
            received_at,
            due_at,
            resolved_at,
            outcome,
            returned_at,
            components_total,
            components_digitized,
            result_digitized,
            fee_vnd,
            payment_channel,
            paid_at,
            e_receipt,
            source_system,
            rating,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out one byte per call, as a slow pipe might.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(slot)) => {
                    *slot = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    const UNITS: &str = "code,name,short_name,kind,label,parent_code\n\
        d,Huyện D,D,district,huyện D,\n\
        x,Xã X,X,commune,xã X,d\n";
    const PROCEDURES: &str = "code,name,field,offered_by,online_level,processing_days,fee_vnd,components\n\
        1.000001,Thủ tục,Lĩnh vực,commune,full,1,0,1\n";

    fn dossier_line(i: usize, unit: &str) -> String {
        format!(
            "HS-{i:04},1.000001,{unit},direct,,2024-05-02T08:00:00+07:00,2024-05-03T08:00:00+07:00,,,,1,1,,0,,,,new,\n"
        )
    }

    #[test]
    fn dossiers_come_in_chunks_and_stop_at_the_first_problem() {
        let (catalogue, issues) = plan_catalogue(
            Some(("units.csv", UNITS.as_bytes())),
            Some(("procedures.csv", PROCEDURES.as_bytes())),
            Existing::default(),
            ImportOptions::at(Timestamp::from_micros(i64::MAX)),
        );
        assert!(issues.is_empty(), "{issues:?}");
        let due = |_, _: &Procedure, _: &Unit| Err("unused".to_owned());
        let mut file = format!("\u{feff}{}\n", DOSSIER_COLUMNS.join(","));
        for i in 0..7 {
            file.push_str(&dossier_line(i, "x"));
        }
        let mut reader =
            DossierReader::new("dossiers.csv", Trickle(file.as_bytes()), &catalogue, &due);
        let sizes: Vec<usize> = std::iter::from_fn(|| {
            let n = reader.next_chunk(3).len();
            (n > 0).then_some(n)
        })
        .collect();
        assert_eq!(sizes, [3, 3, 1]);
        assert!(reader.finish().is_empty());

        // A bad row on line 4 of 9: the first chunk is whole, nothing comes after, and
        // finishing reads on to the problem on line 8.
        let mut file = format!("{}\n", DOSSIER_COLUMNS.join(","));
        for i in 0..8 {
            let unit = if i == 2 || i == 6 { "nowhere" } else { "x" };
            file.push_str(&dossier_line(i, unit));
        }
        let mut reader = DossierReader::new("dossiers.csv", file.as_bytes(), &catalogue, &due);
        assert_eq!(reader.next_chunk(2).len(), 2);
        assert!(reader.next_chunk(2).is_empty());
        assert!(reader.has_issues());
        assert!(reader.next_chunk(2).is_empty());
        let lines: Vec<u64> = reader.finish().iter().map(|i| i.line).collect();
        assert_eq!(lines, [4, 8]);
    }

    #[test]
    fn the_rating_column_is_read_and_may_be_absent() {
        let (catalogue, issues) = plan_catalogue(
            Some(("units.csv", UNITS.as_bytes())),
            Some(("procedures.csv", PROCEDURES.as_bytes())),
            Existing::default(),
            ImportOptions::at(Timestamp::from_micros(i64::MAX)),
        );
        assert!(issues.is_empty(), "{issues:?}");
        let due = |_, _: &Procedure, _: &Unit| Err("unused".to_owned());
        let settled = |rating: &str| {
            format!(
                "HS-1,1.000001,x,direct,,2024-05-02T08:00:00+07:00,2024-05-03T08:00:00+07:00,\
                 2024-05-03T07:00:00+07:00,approved,,1,1,,0,,,,new,{rating}\n"
            )
        };
        // With the column: each spelling reads as its rating.
        for rating in crate::dossier::Rating::ALL {
            let file = format!(
                "{}\n{}",
                DOSSIER_COLUMNS.join(","),
                settled(rating.as_str())
            );
            let mut reader = DossierReader::new("dossiers.csv", file.as_bytes(), &catalogue, &due);
            let chunk = reader.next_chunk(10);
            assert!(reader.finish().is_empty());
            assert_eq!(chunk[0].value.rating, Some(rating));
        }
        // Without the column (a file written before issue 19): no rating.
        let header = DOSSIER_COLUMNS[..DOSSIER_COLUMNS.len() - 1].join(",");
        let row = settled("");
        let file = format!("{header}\n{}\n", row.trim_end().trim_end_matches(','));
        let mut reader = DossierReader::new("dossiers.csv", file.as_bytes(), &catalogue, &due);
        let chunk = reader.next_chunk(10);
        assert!(reader.finish().is_empty());
        assert_eq!(chunk[0].value.rating, None);
        // An unknown spelling, and a rating of a dossier not settled, are refused.
        let file = format!("{}\n{}", DOSSIER_COLUMNS.join(","), settled("tot"));
        let mut reader = DossierReader::new("dossiers.csv", file.as_bytes(), &catalogue, &due);
        assert!(reader.next_chunk(10).is_empty());
        assert!(reader.finish()[0].reason.contains("very_satisfied"));
        let file = format!(
            "{}\n{}",
            DOSSIER_COLUMNS.join(","),
            dossier_line(1, "x").replace(",new,", ",new,satisfied")
        );
        let mut reader = DossierReader::new("dossiers.csv", file.as_bytes(), &catalogue, &due);
        assert!(reader.next_chunk(10).is_empty());
        let issues = reader.finish();
        assert!(issues[0].reason.contains("đánh giá"), "{issues:?}");
    }
}
