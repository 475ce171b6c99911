//! Administrative units ([`Unit`]) and the tree they form ([`UnitTree`]).
//!
//! The indicators of a unit cover the unit and everything below it: its *scope*. Leaf units
//! (units without children) are the rows of the unit tables in reports.

use std::collections::{HashMap, HashSet};
use std::fmt;

pub use motcua_calendar::OfficeHours;
use serde::{Deserialize, Serialize};

use crate::code::{CodeError, CodeKind, check_code};

/// A unit code: ASCII letters, digits, `.` and `-` (e.g. `vinh-linh.tnmt`); see
/// [`crate::code`] for the whole alphabet and the length bound.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct UnitCode(String);

#[cfg(feature = "openapi")]
crate::code::code_schema!(UnitCode, crate::code::CodeKind::Unit);

/// Why a text is not a unit code.
pub type UnitCodeError = CodeError;

impl UnitCode {
    pub fn parse(text: &str) -> Result<Self, UnitCodeError> {
        let text = text.trim();
        check_code(CodeKind::Unit, text)?;
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::code::deserialize_code!(UnitCode, |text: &str| UnitCode::parse(text));

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Province,
    District,
    /// xã, phường, thị trấn.
    Commune,
    /// A department (phòng, ban) of a district or province.
    Department,
}

impl UnitKind {
    pub const ALL: [UnitKind; 4] = [
        UnitKind::Province,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::Department,
    ];

    /// The interchange spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::Department => "department",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }
}

/// An administrative unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub code: UnitCode,
    /// Official name, e.g. `UBND xã Vĩnh Khê`.
    pub name: String,
    /// Name used in reports and lists, e.g. `Vĩnh Khê`.
    pub short_name: String,
    pub kind: UnitKind,
    /// How the unit is called in a sentence: `xã`, `thị trấn`, `huyện`, `phòng`…
    pub label: String,
    pub parent: Option<UnitCode>,
    /// The unit's own office sessions; `None` for the default 07:00–11:30, 13:30–17:00.
    pub office_hours: Option<OfficeHours>,
    /// Where its one-stop desk receives people (published on the public portal).
    pub address: Option<String>,
    /// The desk's telephone number, as written.
    pub phone: Option<String>,
}

/// What is wrong with a set of units as a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("đơn vị «{child}» có đơn vị cấp trên «{parent}» không tồn tại")]
    UnknownParent { child: UnitCode, parent: UnitCode },
    #[error("các đơn vị tạo thành vòng lặp cấp trên – cấp dưới: {}", join(.0))]
    Cycle(Vec<UnitCode>),
    #[error("cây đơn vị phải có đúng một đơn vị gốc (không có cấp trên), đang có: {}", join(.0))]
    Roots(Vec<UnitCode>),
    #[error("mã đơn vị «{0}» xuất hiện nhiều lần")]
    Duplicate(UnitCode),
}

fn join(codes: &[UnitCode]) -> String {
    codes
        .iter()
        .map(UnitCode::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The units as one validated tree. Built only through [`UnitTree::new`], so every value of
/// this type has one root, no cycle and no dangling parent.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    units: Vec<Unit>,
    index: HashMap<UnitCode, usize>,
    children: Vec<Vec<usize>>,
    root: Option<usize>,
}

impl UnitTree {
    /// Validates and indexes the units. An empty set is a valid (empty) tree.
    pub fn new(units: Vec<Unit>) -> Result<Self, TreeError> {
        let mut index = HashMap::with_capacity(units.len());
        for (i, u) in units.iter().enumerate() {
            if index.insert(u.code.clone(), i).is_some() {
                return Err(TreeError::Duplicate(u.code.clone()));
            }
        }
        let mut children = vec![Vec::new(); units.len()];
        let mut roots = Vec::new();
        for (i, u) in units.iter().enumerate() {
            match &u.parent {
                None => roots.push(i),
                Some(p) => match index.get(p) {
                    Some(&pi) => children[pi].push(i),
                    None => {
                        return Err(TreeError::UnknownParent {
                            child: u.code.clone(),
                            parent: p.clone(),
                        });
                    }
                },
            }
        }
        // Every unit must be reachable from the single root; what is not reachable sits on
        // (or hangs below) a cycle.
        if units.is_empty() {
            return Ok(Self::default());
        }
        if roots.len() != 1 {
            if roots.is_empty() {
                return Err(TreeError::Cycle(cycle_members(&units, &index)));
            }
            return Err(TreeError::Roots(
                roots.iter().map(|&i| units[i].code.clone()).collect(),
            ));
        }
        let root = roots[0];
        let mut seen = vec![false; units.len()];
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut seen[i], true) {
                stack.extend(children[i].iter().copied());
            }
        }
        if seen.iter().any(|s| !s) {
            return Err(TreeError::Cycle(cycle_members(&units, &index)));
        }
        Ok(Self {
            units,
            index,
            children,
            root: Some(root),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    pub fn get(&self, code: &UnitCode) -> Option<&Unit> {
        self.index.get(code).map(|&i| &self.units[i])
    }

    /// Finds a unit by its code given as text.
    pub fn find(&self, code: &str) -> Option<&Unit> {
        UnitCode::parse(code).ok().and_then(|c| self.get(&c))
    }

    pub fn root(&self) -> Option<&Unit> {
        self.root.map(|i| &self.units[i])
    }

    /// Every unit, parents before their children (depth first, children in input order).
    pub fn iter_preorder(&self) -> impl Iterator<Item = &Unit> {
        let mut order = Vec::with_capacity(self.units.len());
        if let Some(r) = self.root {
            let mut stack = vec![r];
            while let Some(i) = stack.pop() {
                order.push(i);
                stack.extend(self.children[i].iter().rev().copied());
            }
        }
        order.into_iter().map(|i| &self.units[i])
    }

    /// The unit and everything below it, the unit first.
    pub fn scope(&self, code: &UnitCode) -> Vec<&Unit> {
        let Some(&start) = self.index.get(code) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            out.push(&self.units[i]);
            stack.extend(self.children[i].iter().rev().copied());
        }
        out
    }

    /// Whether `unit` is `ancestor` or lies below it.
    pub fn is_within(&self, unit: &UnitCode, ancestor: &UnitCode) -> bool {
        let mut cur = self.get(unit);
        // The tree has no cycle, so the walk ends at the root.
        while let Some(u) = cur {
            if &u.code == ancestor {
                return true;
            }
            cur = u.parent.as_ref().and_then(|p| self.get(p));
        }
        false
    }

    /// Whether the unit has no children.
    pub fn is_leaf(&self, code: &UnitCode) -> bool {
        self.index
            .get(code)
            .is_some_and(|&i| self.children[i].is_empty())
    }

    /// The leaf units of a scope (a leaf's scope is itself).
    pub fn leaves(&self, code: &UnitCode) -> Vec<&Unit> {
        self.scope(code)
            .into_iter()
            .filter(|u| self.is_leaf(&u.code))
            .collect()
    }

    /// Consumes the tree, giving back its units.
    pub fn into_units(self) -> Vec<Unit> {
        self.units
    }
}

/// Units that lie on a parent cycle, in code order (for a stable message).
fn cycle_members(units: &[Unit], index: &HashMap<UnitCode, usize>) -> Vec<UnitCode> {
    let mut members = HashSet::new();
    for start in 0..units.len() {
        // Walk up at most n steps; if we come back to `start`, it is on a cycle.
        let mut cur = start;
        for _ in 0..units.len() {
            match units[cur].parent.as_ref().and_then(|p| index.get(p)) {
                Some(&p) if p == start => {
                    members.insert(units[start].code.clone());
                    break;
                }
                Some(&p) => cur = p,
                None => break,
            }
        }
    }
    let mut out: Vec<_> = members.into_iter().collect();
    out.sort();
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn unit(code: &str, parent: Option<&str>) -> Unit {
        Unit {
            code: UnitCode::parse(code).unwrap(),
            name: code.to_owned(),
            short_name: code.to_owned(),
            kind: UnitKind::Commune,
            label: "xã".to_owned(),
            parent: parent.map(|p| UnitCode::parse(p).unwrap()),
            office_hours: None,
            address: None,
            phone: None,
        }
    }

    #[test]
    fn scope_and_leaves() {
        let t = UnitTree::new(vec![
            unit("d", None),
            unit("a", Some("d")),
            unit("b", Some("d")),
            unit("b1", Some("b")),
        ])
        .unwrap();
        let codes = |v: Vec<&Unit>| v.iter().map(|u| u.code.to_string()).collect::<Vec<_>>();
        assert_eq!(
            codes(t.scope(&UnitCode::parse("d").unwrap())),
            ["d", "a", "b", "b1"]
        );
        assert_eq!(codes(t.leaves(&UnitCode::parse("d").unwrap())), ["a", "b1"]);
        assert_eq!(codes(t.leaves(&UnitCode::parse("a").unwrap())), ["a"]);
    }

    #[test]
    fn rejects_cycles_roots_and_dangling_parents() {
        let cyc = UnitTree::new(vec![
            unit("d", None),
            unit("a", Some("b")),
            unit("b", Some("a")),
        ]);
        assert!(matches!(cyc, Err(TreeError::Cycle(c)) if c.len() == 2));
        let two = UnitTree::new(vec![unit("d", None), unit("e", None)]);
        assert!(matches!(two, Err(TreeError::Roots(_))));
        let dangling = UnitTree::new(vec![unit("d", None), unit("a", Some("x"))]);
        assert!(matches!(dangling, Err(TreeError::UnknownParent { .. })));
    }

    #[test]
    fn codes_are_validated() {
        assert!(UnitCode::parse("vinh-linh.tnmt").is_ok());
        assert!(UnitCode::parse("vĩnh").is_err());
        assert!(UnitCode::parse(" ").is_err());
    }
}
