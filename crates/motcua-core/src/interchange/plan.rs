//! From the three files to a validated [`ImportPlan`], checking every rule of
//! `spec/interchange.md` ("Validation") against the files and the data already stored.

use std::collections::{HashMap, HashSet};

use super::table::{Issue, Layout, Located, Row, read};
use super::{DOSSIER_COLUMNS, PROCEDURE_COLUMNS, UNIT_COLUMNS};
use crate::dossier::{
    Channel, Dossier, DossierCode, Outcome, PaymentChannel, SourceSystem, SubmissionLevel,
};
use crate::procedure::parse_offered_by;
use crate::procedure::{Offerer, OnlineLevel, Procedure, ProcedureCode, ProcessingDays};
use crate::timestamp::Timestamp;
use crate::unit::{OfficeHours, TreeError, Unit, UnitCode, UnitKind, UnitTree};

/// The files of one import; each is optional. Each is `(name shown in messages, bytes)`.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImportFiles<'a> {
    pub units: Option<(&'a str, &'a [u8])>,
    pub procedures: Option<(&'a str, &'a [u8])>,
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
pub type DueDateFn<'a> = dyn Fn(Timestamp, &Procedure, &Unit) -> Result<Timestamp, String> + 'a;

/// Parses and validates the files of an import against what is stored.
pub fn plan_import(
    files: ImportFiles<'_>,
    existing: Existing<'_>,
    due_date: &DueDateFn<'_>,
) -> Result<ImportPlan, Vec<Issue>> {
    let mut issues = Vec::new();
    let mut plan = ImportPlan::default();

    // Units: merged with the stored ones, the file winning.
    let mut merged_units: Vec<Unit> = existing.units.to_vec();
    if let Some((name, bytes)) = files.units {
        let rows = parse_units(name, bytes, &mut issues);
        let mut index: HashMap<UnitCode, usize> = merged_units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.code.clone(), i))
            .collect();
        let mut lines: HashMap<UnitCode, u64> = HashMap::new();
        for row in &rows {
            let code = &row.value.code;
            if let Some(first) = lines.insert(code.clone(), row.line) {
                issues.push(issue_at(name, row.line, UNIT_COLUMNS[0], bytes, || {
                    format!("mã đơn vị «{code}» trùng với dòng {first}")
                }));
                continue;
            }
            match index.get(code) {
                Some(&i) => merged_units[i] = row.value.clone(),
                None => {
                    index.insert(code.clone(), merged_units.len());
                    merged_units.push(row.value.clone());
                }
            }
        }
        match UnitTree::new(merged_units.clone()) {
            Ok(tree) => {
                let in_file: HashSet<&UnitCode> = rows.iter().map(|r| &r.value.code).collect();
                plan.units = tree
                    .iter_preorder()
                    .filter(|u| in_file.contains(&u.code))
                    .cloned()
                    .collect();
            }
            Err(e) => tree_issues(name, bytes, &rows, &e, &mut issues),
        }
    }
    let units_by_code: HashMap<&UnitCode, &Unit> =
        merged_units.iter().map(|u| (&u.code, u)).collect();

    // Procedures.
    let mut merged_procedures: HashMap<ProcedureCode, Procedure> = existing
        .procedures
        .iter()
        .map(|p| (p.code.clone(), p.clone()))
        .collect();
    if let Some((name, bytes)) = files.procedures {
        let rows = parse_procedures(name, bytes, &mut issues);
        let mut lines: HashMap<ProcedureCode, u64> = HashMap::new();
        for row in rows {
            let p = &row.value;
            if let Some(first) = lines.insert(p.code.clone(), row.line) {
                issues.push(issue_at(name, row.line, "code", bytes, || {
                    format!("mã thủ tục «{}» trùng với dòng {first}", p.code)
                }));
                continue;
            }
            let unknown: Vec<&str> = p
                .offered_by
                .iter()
                .filter_map(|o| match o {
                    Offerer::Unit(c) if !units_by_code.contains_key(c) => Some(c.as_str()),
                    _ => None,
                })
                .collect();
            if !unknown.is_empty() {
                issues.push(issue_at(name, row.line, "offered_by", bytes, || {
                    format!(
                        "không có đơn vị mã «{}» (offered_by nhận loại đơn vị province, district, commune, department hoặc mã đơn vị)",
                        unknown.join("», «")
                    )
                }));
                continue;
            }
            merged_procedures.insert(p.code.clone(), p.clone());
            plan.procedures.push(row.value);
        }
    }

    // Dossiers.
    if let Some((name, bytes)) = files.dossiers {
        let rows = parse_dossiers(name, bytes, &mut issues);
        let mut lines: HashMap<DossierCode, u64> = HashMap::new();
        for row in rows {
            let line = row.line;
            let d = row.value;
            let mut fail = |column: &str, reason: String| {
                issues.push(issue_at(name, line, column, bytes, || reason));
            };
            if let Some(first) = lines.insert(d.code.clone(), line) {
                fail(
                    "code",
                    format!("mã hồ sơ «{}» trùng với dòng {first}", d.code),
                );
                continue;
            }
            let procedure = merged_procedures.get(&d.procedure_code);
            if procedure.is_none() {
                fail(
                    "procedure_code",
                    format!("không có thủ tục mã «{}» trong danh mục", d.procedure_code),
                );
            }
            let unit = units_by_code.get(&d.unit_code);
            if unit.is_none() {
                fail("unit_code", format!("không có đơn vị mã «{}»", d.unit_code));
            }
            let (Some(procedure), Some(unit)) = (procedure, unit) else {
                continue;
            };
            let due_at = match d.due_at {
                Some(due) => due,
                None => match due_date(d.received_at, procedure, unit) {
                    Ok(due) => due,
                    Err(reason) => {
                        fail("due_at", format!("không tính được ngày hẹn trả: {reason}"));
                        continue;
                    }
                },
            };
            let dossier = d.into_dossier(due_at);
            let broken = dossier.check();
            if broken.is_empty() {
                plan.dossiers.push(Located {
                    line,
                    value: dossier,
                });
            } else {
                for e in broken {
                    fail(e.field, e.message);
                }
            }
        }
    }

    if issues.is_empty() {
        Ok(plan)
    } else {
        issues.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(issues)
    }
}

/// Builds an issue on a column of a file whose header is re-read from `bytes`.
fn issue_at(
    file: &str,
    line: u64,
    column: &str,
    bytes: &[u8],
    reason: impl FnOnce() -> String,
) -> Issue {
    Issue {
        file: file.to_owned(),
        line,
        column: header_column(bytes, column),
        reason: reason(),
    }
}

fn header_column(bytes: &[u8], column: &str) -> Option<super::Column> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let header = reader.records().next()?.ok()?;
    header
        .iter()
        .position(|h| h.trim() == column)
        .map(|i| super::Column {
            index: i + 1,
            name: column.to_owned(),
        })
}

fn tree_issues(
    file: &str,
    bytes: &[u8],
    rows: &[Located<Unit>],
    error: &TreeError,
    issues: &mut Vec<Issue>,
) {
    let involved: Vec<&UnitCode> = match error {
        TreeError::UnknownParent { child, .. } => vec![child],
        TreeError::Cycle(codes) | TreeError::Roots(codes) => codes.iter().collect(),
        TreeError::Duplicate(code) => vec![code],
    };
    let mut reported = false;
    for row in rows.iter().filter(|r| involved.contains(&&r.value.code)) {
        issues.push(issue_at(file, row.line, "parent_code", bytes, || {
            error.to_string()
        }));
        reported = true;
    }
    if !reported {
        issues.push(Issue {
            file: file.to_owned(),
            line: 1,
            column: None,
            reason: error.to_string(),
        });
    }
}

fn choice<T>(
    parse: fn(&str) -> Option<T>,
    spellings: &'static [&'static str],
) -> impl Fn(&str) -> Result<T, String> {
    move |text| {
        parse(text).ok_or_else(|| {
            format!(
                "giá trị «{text}» không hợp lệ; chỉ nhận: {}",
                spellings.join(", ")
            )
        })
    }
}

fn timestamp(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text).map_err(|e| format!("«{text}»: {e}"))
}

fn count(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .map_err(|_| format!("«{text}» không phải số nguyên không âm"))
}

fn money(text: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(v) if v < 0 => Err(format!("phí, lệ phí không được âm ({text})")),
        Ok(v) => Ok(v),
        Err(_) => Err(format!(
            "«{text}» không phải số tiền (đồng, số nguyên, không dấu phân cách)"
        )),
    }
}

fn boolean(text: &str) -> Result<bool, String> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!(
            "giá trị «{text}» không hợp lệ; chỉ nhận: true, false"
        )),
    }
}

fn parse_units(file: &str, bytes: &[u8], issues: &mut Vec<Issue>) -> Vec<Located<Unit>> {
    let layout = Layout {
        all: UNIT_COLUMNS,
        required: &["code", "name", "short_name", "kind", "label"],
    };
    let mut out = Vec::new();
    let kinds: Vec<&str> = UnitKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut problems = read(file, bytes, &layout, |row: &mut Row<'_>| {
        let code = row.parse("code", |t| UnitCode::parse(t).map_err(|e| e.to_string()));
        let name = row.required("name");
        let short_name = row.required("short_name");
        let kind = row.parse("kind", |t| {
            UnitKind::parse(t).ok_or_else(|| {
                format!(
                    "loại đơn vị «{t}» không hợp lệ; chỉ nhận: {}",
                    kinds.join(", ")
                )
            })
        });
        let label = row.required("label");
        let parent = row.optional("parent_code", |t| {
            UnitCode::parse(t).map_err(|e| e.to_string())
        });
        let office_hours = row.optional("office_hours", |t| {
            t.parse::<OfficeHours>().map_err(|e| e.to_string())
        });
        if let (
            Some(code),
            Some(name),
            Some(short_name),
            Some(kind),
            Some(label),
            Ok(parent),
            Ok(office_hours),
        ) = (code, name, short_name, kind, label, parent, office_hours)
        {
            if parent.as_ref() == Some(&code) {
                row.fail("parent_code", "đơn vị không thể là cấp trên của chính nó");
                return;
            }
            out.push(Located {
                line: row.line,
                value: Unit {
                    code,
                    name,
                    short_name,
                    kind,
                    label,
                    parent,
                    office_hours,
                },
            });
        }
    });
    issues.append(&mut problems);
    out
}

fn parse_procedures(file: &str, bytes: &[u8], issues: &mut Vec<Issue>) -> Vec<Located<Procedure>> {
    let layout = Layout {
        all: PROCEDURE_COLUMNS,
        required: &PROCEDURE_COLUMNS[..8],
    };
    let mut out = Vec::new();
    let mut problems = read(file, bytes, &layout, |row: &mut Row<'_>| {
        let code = row.parse("code", |t| {
            ProcedureCode::parse(t).ok_or_else(|| format!("mã thủ tục «{t}» không hợp lệ"))
        });
        let name = row.required("name");
        let field = row.required("field");
        let offered_by = row.parse("offered_by", parse_offered_by);
        let online_level = row.parse(
            "online_level",
            choice(OnlineLevel::parse, &["full", "partial", "none"]),
        );
        let processing_days = row.parse("processing_days", |t| {
            t.parse::<ProcessingDays>()
                .map_err(|_| format!("«{t}» không phải số ngày làm việc (số thập phân, ví dụ 0.5)"))
        });
        let fee_vnd = row.parse("fee_vnd", money);
        let components = row.parse("components", count);
        let cutoff_15h = row.optional("cutoff_15h", boolean);
        if let (
            Some(code),
            Some(name),
            Some(field),
            Some(offered_by),
            Some(online_level),
            Some(processing_days),
            Some(fee_vnd),
            Some(components),
            Ok(cutoff_15h),
        ) = (
            code,
            name,
            field,
            offered_by,
            online_level,
            processing_days,
            fee_vnd,
            components,
            cutoff_15h,
        ) {
            out.push(Located {
                line: row.line,
                value: Procedure {
                    code,
                    name,
                    field,
                    offered_by,
                    online_level,
                    processing_days,
                    fee_vnd,
                    components,
                    cutoff_15h: cutoff_15h.unwrap_or(false),
                },
            });
        }
    });
    issues.append(&mut problems);
    out
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
        }
    }
}

fn parse_dossiers(file: &str, bytes: &[u8], issues: &mut Vec<Issue>) -> Vec<Located<DossierRow>> {
    let layout = Layout {
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
    };
    let mut out = Vec::new();
    let mut problems = read(file, bytes, &layout, |row: &mut Row<'_>| {
        let code = row.parse("code", |t| {
            DossierCode::parse(t).ok_or_else(|| format!("mã hồ sơ «{t}» không hợp lệ"))
        });
        let procedure_code = row.parse("procedure_code", |t| {
            ProcedureCode::parse(t).ok_or_else(|| format!("mã thủ tục «{t}» không hợp lệ"))
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
        )
        else {
            return;
        };
        out.push(Located {
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
            },
        });
    });
    issues.append(&mut problems);
    out
}
