//! The pure pipeline on the Vĩnh Linh fixture: parse the interchange files, compute the
//! indicators, compare with the published figures. No database involved.

use motcua_core::collation::VietnameseOrder;
use motcua_core::indicators::compute;
use motcua_core::unit::{UnitCode, UnitTree};

#[test]
fn fixture_reproduces_the_article_without_a_database() -> Result<(), Box<dyn std::error::Error>> {
    let dir = motcua_testkit::vinh_linh();
    let plan = motcua_testkit::vinh_linh_plan();
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
