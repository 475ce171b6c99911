//! The catalogue: the unit tree and the procedures, with what the indicators derive from them
//! alone (the online service offerings of each unit, the Vietnamese order of the units),
//! built once and shared by every request until the catalogue changes.

use std::collections::{HashMap, HashSet};

use crate::collation::VietnameseOrder;
use crate::indicators::UnitOrder;
use crate::procedure::{Procedure, ProcedureCode};
use crate::unit::{TreeError, Unit, UnitCode, UnitTree};

/// Units, procedures, and what derives from them.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub tree: UnitTree,
    pub procedures: Vec<Procedure>,
    pub order: UnitOrder,
    offerings: HashSet<(UnitCode, ProcedureCode)>,
    offered: HashMap<UnitCode, u64>,
}

impl Catalogue {
    pub fn new(
        units: Vec<Unit>,
        procedures: Vec<Procedure>,
        order: &VietnameseOrder,
    ) -> Result<Self, TreeError> {
        let tree = UnitTree::new(units)?;
        let order = UnitOrder::new(tree.iter_preorder(), order);
        let online: Vec<&Procedure> = procedures
            .iter()
            .filter(|p| p.online_level != crate::procedure::OnlineLevel::None)
            .collect();
        let mut offerings = HashSet::new();
        let mut offered = HashMap::new();
        for u in tree.iter_preorder() {
            for p in &online {
                if p.is_online_offering_of(u) {
                    offerings.insert((u.code.clone(), p.code.clone()));
                    *offered.entry(u.code.clone()).or_insert(0) += 1;
                }
            }
        }
        Ok(Self {
            tree,
            procedures,
            order,
            offerings,
            offered,
        })
    }

    /// The number of online service offerings of a unit (`online_services_offered`).
    pub fn offered(&self, unit: &UnitCode) -> u64 {
        self.offered.get(unit).copied().unwrap_or(0)
    }

    /// Whether `unit` offers `procedure` online.
    pub fn offers(&self, unit: &UnitCode, procedure: &ProcedureCode) -> bool {
        self.offerings.contains(&(unit.clone(), procedure.clone()))
    }
}
