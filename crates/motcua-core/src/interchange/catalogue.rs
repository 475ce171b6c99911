//! `units.csv` and `procedures.csv`: parsed, checked against what is stored, merged into the
//! catalogue the dossiers of the same import are checked against.

use std::collections::{HashMap, HashSet};

use super::plan::{Existing, ImportOptions};
use super::table::{Issue, Layout, Located, Row, read};
use super::values::{boolean, choice, count, money};
use super::{PROCEDURE_COLUMNS, UNIT_COLUMNS};
use crate::procedure::parse_offered_by;
use crate::procedure::{Offerer, OnlineLevel, Procedure, ProcedureCode, ProcessingDays};
use crate::timestamp::Timestamp;
use crate::unit::{OfficeHours, TreeError, Unit, UnitCode, UnitKind, UnitTree};

/// The units and procedures of an import, validated, and the catalogue its dossiers are
/// checked against (what is stored, with the files' changes).
#[derive(Debug, Clone)]
pub struct CataloguePlan {
    /// Units to insert or update, parents before children.
    pub units: Vec<Unit>,
    pub procedures: Vec<Procedure>,
    pub(super) merged_units: HashMap<UnitCode, Unit>,
    pub(super) merged_procedures: HashMap<ProcedureCode, Procedure>,
    /// When the import is made: no dossier may record an instant after it.
    pub(super) now: Timestamp,
}

/// Validates `units.csv` and `procedures.csv` (each optional) against what is stored. The
/// plan is returned even with issues, so that the dossiers can still be checked and every
/// problem of the import reported at once. A unit already stored keeps its parent unless
/// `options.allow_moves`: a move widens the new parent's officers' scope.
pub fn plan_catalogue(
    units: Option<(&str, &[u8])>,
    procedures: Option<(&str, &[u8])>,
    existing: Existing<'_>,
    options: ImportOptions,
) -> (CataloguePlan, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut plan = CataloguePlan {
        units: Vec::new(),
        procedures: Vec::new(),
        merged_units: HashMap::new(),
        merged_procedures: HashMap::new(),
        now: options.now,
    };

    // Units: merged with the stored ones, the file winning.
    let mut merged_units: Vec<Unit> = existing.units.to_vec();
    if let Some((name, bytes)) = units {
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
            if let Some(&i) = index.get(code)
                && let Some(stored) = existing.units.get(i)
                && stored.parent != row.value.parent
                && !options.allow_moves
            {
                issues.push(issue_at(name, row.line, "parent_code", bytes, || {
                    move_refused(stored, &row.value)
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
    plan.merged_units = merged_units
        .into_iter()
        .map(|u| (u.code.clone(), u))
        .collect();

    // Procedures.
    plan.merged_procedures = existing
        .procedures
        .iter()
        .map(|p| (p.code.clone(), p.clone()))
        .collect();
    if let Some((name, bytes)) = procedures {
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
                    Offerer::Unit(c) if !plan.merged_units.contains_key(c) => Some(c.as_str()),
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
            plan.merged_procedures.insert(p.code.clone(), p.clone());
            plan.procedures.push(row.value);
        }
    }
    (plan, issues)
}

/// Why moving a stored unit under another parent is refused, and how to ask for it.
fn move_refused(stored: &Unit, row: &Unit) -> String {
    let before = match &stored.parent {
        Some(p) => format!("đang thuộc «{p}»"),
        None => "đang là đơn vị gốc".to_owned(),
    };
    let after = match &row.parent {
        Some(p) => format!("tệp ghi đơn vị cấp trên là «{p}»"),
        None => "tệp để trống đơn vị cấp trên".to_owned(),
    };
    format!(
        "đơn vị «{}» {before} nhưng {after}: chuyển đơn vị sang cấp trên khác làm thay đổi phạm vi dữ liệu của cán bộ các đơn vị cấp trên nên không được làm ngầm; nếu đúng là cần chuyển, nhập lại với tùy chọn cho phép chuyển đơn vị (motcua import --allow-moves)",
        stored.code
    )
}

/// The longest texts of `units.csv`, in characters (docs/spec/interchange.md, "Bounds").
pub const UNIT_LIMITS: &[(&str, usize)] = &[
    ("name", 200),
    ("short_name", 100),
    ("label", 50),
    ("office_hours", 100),
    ("address", 300),
    ("phone", 50),
];

/// The longest texts of `procedures.csv`, in characters.
pub const PROCEDURE_LIMITS: &[(&str, usize)] = &[
    ("name", 1000),
    ("field", 200),
    ("offered_by", 2000),
    ("steps", 5000),
    ("how_to_submit", 2000),
];

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

fn parse_units(file: &str, bytes: &[u8], issues: &mut Vec<Issue>) -> Vec<Located<Unit>> {
    let layout = Layout {
        all: UNIT_COLUMNS,
        required: &["code", "name", "short_name", "kind", "label"],
        limits: UNIT_LIMITS,
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
            let address = row.text("address").map(str::to_owned);
            let phone = row.text("phone").map(str::to_owned);
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
                    address,
                    phone,
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
        limits: PROCEDURE_LIMITS,
    };
    let mut out = Vec::new();
    let mut problems = read(file, bytes, &layout, |row: &mut Row<'_>| {
        let code = row.parse("code", |t| {
            ProcedureCode::try_parse(t).map_err(|e| e.to_string())
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
        let steps = row.text("steps").map_or_else(Vec::new, split_steps);
        let how_to_submit = row.text("how_to_submit").map(str::to_owned);
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
                    component_list: Vec::new(),
                    cutoff_15h: cutoff_15h.unwrap_or(false),
                    steps,
                    how_to_submit,
                },
            });
        }
    });
    issues.append(&mut problems);
    out
}

/// The steps of a `steps` cell: separated by [`super::STEP_SEPARATOR`], each trimmed, empty
/// ones left out.
fn split_steps(text: &str) -> Vec<String> {
    text.split(super::STEP_SEPARATOR)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
