//! `procedure_components.csv` (optional): the component list of each procedure, one row per
//! component in order. It gives the whole list of every procedure it names; a procedure of
//! `procedures.csv` it does not name has no list. Without the file, a procedure keeps the list
//! stored for it while its count of components is unchanged. A listed procedure's
//! `components` must be the length of its list.

use std::collections::HashMap;

use super::PROCEDURE_COMPONENT_COLUMNS;
use super::catalogue::CataloguePlan;
use super::table::{Issue, Layout, Row, read};
use super::values::{count, web_address};
use crate::procedure::{ProcedureCode, ProcedureComponent};

/// The longest texts of `procedure_components.csv`, in characters.
const LIMITS: &[(&str, usize)] = &[("name", 1000), ("template_url", 500)];

/// Applies `procedure_components.csv` (when given) to the procedures of `plan`: those of
/// `procedures.csv`, and stored ones the file names (which are then rewritten). Returns
/// every problem: a procedure unknown, a position given twice or out of order, a count of
/// components that is not the list's length.
pub fn plan_components(
    plan: &mut CataloguePlan,
    file: Option<(&str, &[u8])>,
    stored: &[crate::procedure::Procedure],
) -> Vec<Issue> {
    let Some((name, bytes)) = file else {
        // Keep the stored list while the count agrees with it.
        let stored: HashMap<&ProcedureCode, &Vec<ProcedureComponent>> = stored
            .iter()
            .map(|p| (&p.code, &p.component_list))
            .collect();
        for p in &mut plan.procedures {
            if let Some(list) = stored.get(&p.code)
                && list.len() == p.components as usize
            {
                p.component_list = (*list).clone();
                plan.merged_procedures.insert(p.code.clone(), p.clone());
            }
        }
        return Vec::new();
    };
    let layout = Layout {
        all: PROCEDURE_COMPONENT_COLUMNS,
        required: &PROCEDURE_COMPONENT_COLUMNS[..5],
        limits: LIMITS,
    };
    // Per procedure: its first line and its components with their positions.
    let mut lists: HashMap<ProcedureCode, (u64, Vec<(u32, ProcedureComponent)>)> = HashMap::new();
    let mut order: Vec<ProcedureCode> = Vec::new();
    let mut issues = read(name, bytes, &layout, |row: &mut Row<'_>| {
        let code = row.parse("procedure_code", |t| {
            ProcedureCode::try_parse(t).map_err(|e| e.to_string())
        });
        let position = row.parse("position", count);
        let text = row.required("name");
        let originals = row.parse("originals", count);
        let copies = row.parse("copies", count);
        let template_url = row.optional("template_url", web_address);
        let (
            Some(code),
            Some(position),
            Some(text),
            Some(originals),
            Some(copies),
            Ok(template_url),
        ) = (code, position, text, originals, copies, template_url)
        else {
            return;
        };
        if !plan.merged_procedures.contains_key(&code) {
            row.fail("procedure_code", format!("không có thủ tục mã «{code}»"));
            return;
        }
        let entry = lists.entry(code.clone()).or_insert_with(|| {
            order.push(code.clone());
            (row.line, Vec::new())
        });
        let expected = entry.1.len() as u32 + 1;
        if position != expected {
            row.fail(
                "position",
                format!("thành phần thứ {position} của thủ tục «{code}» phải là thứ {expected} (đánh số liên tục từ 1)"),
            );
            return;
        }
        entry.1.push((
            position,
            ProcedureComponent {
                name: text,
                originals,
                copies,
                template_url,
            },
        ));
    });
    // Procedures of procedures.csv the file does not name have no list.
    for p in &mut plan.procedures {
        p.component_list.clear();
    }
    let mut index: HashMap<ProcedureCode, usize> = plan
        .procedures
        .iter()
        .enumerate()
        .map(|(i, p)| (p.code.clone(), i))
        .collect();
    for code in order {
        let Some((line, list)) = lists.remove(&code) else {
            continue;
        };
        let list: Vec<ProcedureComponent> = list.into_iter().map(|(_, c)| c).collect();
        let Some(mut p) = plan.merged_procedures.get(&code).cloned() else {
            continue;
        };
        if p.components as usize != list.len() {
            issues.push(Issue {
                file: name.to_owned(),
                line,
                column: None,
                reason: format!(
                    "thủ tục «{code}» có {} thành phần hồ sơ (cột components) nhưng tệp liệt kê {}",
                    p.components,
                    list.len()
                ),
            });
            continue;
        }
        p.component_list = list;
        plan.merged_procedures.insert(code.clone(), p.clone());
        match index.get(&code) {
            Some(&i) => plan.procedures[i] = p,
            None => {
                index.insert(code, plan.procedures.len());
                plan.procedures.push(p);
            }
        }
    }
    issues
}
