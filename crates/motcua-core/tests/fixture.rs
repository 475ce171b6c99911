//! The pure pipeline on the Vĩnh Linh fixture: parse the interchange files, compute the
//! indicators, compare with the published figures. No database involved.

use motcua_core::collation::VietnameseOrder;
use motcua_core::indicators::compute;
use motcua_core::interchange::{Existing, ImportFiles, plan_import};
use motcua_core::unit::{UnitCode, UnitTree};

#[test]
fn fixture_reproduces_the_article_without_a_database() -> Result<(), Box<dyn std::error::Error>> {
    let dir = motcua_testkit::vinh_linh();
    let units = std::fs::read(dir.join("units.csv"))?;
    let procedures = std::fs::read(dir.join("procedures.csv"))?;
    let dossiers = std::fs::read(dir.join("dossiers.csv"))?;
    let plan = plan_import(
        ImportFiles {
            units: Some(("units.csv", &units)),
            procedures: Some(("procedures.csv", &procedures)),
            dossiers: Some(("dossiers.csv", &dossiers)),
        },
        Existing::default(),
        &|_, _, _| Err("no engine in this test".to_owned()),
    )
    .map_err(|issues| format!("{issues:#?}"))?;
    assert_eq!(plan.units.len(), 25);
    assert_eq!(plan.procedures.len(), 385);
    assert_eq!(plan.dossiers.len(), 3794);
    let tree = UnitTree::new(plan.units)?;
    let dossiers: Vec<_> = plan.dossiers.into_iter().map(|l| l.value).collect();
    let report = compute(
        &tree,
        &plan.procedures,
        &dossiers,
        &UnitCode::parse("vinh-linh")?,
        "2024-05".parse()?,
        &VietnameseOrder::new(),
    )?;
    motcua_testkit::assert_expected(&report, &motcua_testkit::expected(&dir));
    Ok(())
}
