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
    /// The procedures each unit offers online (units offering none are left out).
    offerings: HashMap<UnitCode, HashSet<ProcedureCode>>,
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
        let mut offerings: HashMap<UnitCode, HashSet<ProcedureCode>> = HashMap::new();
        for u in tree.iter_preorder() {
            for p in &online {
                if p.is_online_offering_of(u) {
                    offerings
                        .entry(u.code.clone())
                        .or_default()
                        .insert(p.code.clone());
                }
            }
        }
        Ok(Self {
            tree,
            procedures,
            order,
            offerings,
        })
    }

    /// The number of online service offerings of a unit (`online_services_offered`).
    pub fn offered(&self, unit: &UnitCode) -> u64 {
        self.offerings.get(unit).map_or(0, |p| p.len() as u64)
    }

    /// Whether `unit` offers `procedure` online.
    pub fn offers(&self, unit: &UnitCode, procedure: &ProcedureCode) -> bool {
        self.offerings
            .get(unit)
            .is_some_and(|p| p.contains(procedure))
    }
}
