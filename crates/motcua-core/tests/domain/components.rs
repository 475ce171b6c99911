//! `procedure_components.csv`: a procedure's own component list, checked against its count.

use motcua_core::interchange::{Existing, ImportFiles, ImportOptions, plan_import};
use motcua_core::procedure::{Procedure, ProcedureComponent};
use motcua_core::timestamp::Timestamp;
use motcua_core::unit::Unit;

const UNITS: &[u8] = "code,name,short_name,kind,label,parent_code\n\
    ho-xa,UBND thị trấn Hồ Xá,Hồ Xá,commune,thị trấn,\n"
    .as_bytes();
const PROCEDURES: &[u8] =
    "code,name,field,offered_by,online_level,processing_days,fee_vnd,components\n\
    1.001193,Đăng ký khai sinh,Hộ tịch,commune,full,1,0,2\n\
    2.000815,Chứng thực bản sao,Chứng thực,commune,partial,1,2000,1\n"
        .as_bytes();

fn plan(components: &str) -> Result<motcua_core::interchange::ImportPlan, Vec<String>> {
    let now = Timestamp::parse("2024-06-01T00:00:00+07:00").map_err(|e| vec![e.to_string()])?;
    plan_import(
        ImportFiles {
            units: Some(("units.csv", UNITS)),
            procedures: Some(("procedures.csv", PROCEDURES)),
            procedure_components: Some(("procedure_components.csv", components.as_bytes())),
            dossiers: None,
        },
        Existing::default(),
        ImportOptions::at(now),
        &|_: Timestamp, _: &Procedure, _: &Unit| Err("no calendar".to_owned()),
    )
    .map_err(|issues| issues.iter().map(ToString::to_string).collect())
}

const HEADER: &str = "procedure_code,position,name,originals,copies\n";

#[test]
fn a_procedure_gets_its_own_list_in_order() -> Result<(), Vec<String>> {
    let plan = plan(&format!(
        "{HEADER}1.001193,1,Tờ khai đăng ký khai sinh,1,0\n1.001193,2,Giấy chứng sinh,1,0\n"
    ))?;
    let birth = plan
        .procedures
        .iter()
        .find(|p| p.code.as_str() == "1.001193")
        .ok_or_else(|| vec!["no procedure".to_owned()])?;
    assert_eq!(
        birth.component_list,
        [
            ProcedureComponent {
                name: "Tờ khai đăng ký khai sinh".to_owned(),
                originals: 1,
                copies: 0,
                template_url: None,
            },
            ProcedureComponent {
                name: "Giấy chứng sinh".to_owned(),
                originals: 1,
                copies: 0,
                template_url: None,
            },
        ]
    );
    // A procedure the file does not name has no list.
    let copy = plan
        .procedures
        .iter()
        .find(|p| p.code.as_str() == "2.000815");
    assert!(copy.is_some_and(|p| p.component_list.is_empty()));
    Ok(())
}

#[test]
fn every_problem_of_the_file_is_reported() {
    let issues = plan(&format!(
        "{HEADER}1.001193,1,Tờ khai,1,0\n\
         9.999999,1,Đơn,1,0\n\
         2.000815,2,Bản chính,1,1\n\
         2.000815,1,Bản chính,x,1\n"
    ))
    .err()
    .unwrap_or_default();
    let all = issues.join("\n");
    assert!(all.contains("không có thủ tục mã «9.999999»"), "{all}");
    assert!(all.contains("phải là thứ 1"), "{all}");
    assert!(
        all.contains(
            "thủ tục «1.001193» có 2 thành phần hồ sơ (cột components) nhưng tệp liệt kê 1"
        ),
        "{all}"
    );
    assert!(all.contains("originals"), "{all}");
}
