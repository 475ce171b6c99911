//! What each form says, for a commune, a district, a department and a province (issue 17,
//! items 7–11): text snapshots of every form a dossier has, under Circular 01/2018 for
//! dossiers received before 15/9/2025 and Circular 03/2025 after; and when a form is refused.

use motcua_core::fees::FeeKind;
use motcua_core::forms::receipt::{ReceiptFacts, receipt};
use motcua_core::forms::slips::FormError;
use motcua_core::forms::{Circular, Form};
use motcua_core::lifecycle::Step;
use motcua_core::unit::UnitCode;

use crate::TestResult;
use crate::stories::{Story, at, names, procedure, reason, text, tree};

/// Every form the story has, numbered 7 where numbered, as one text.
fn forms(story: &Story) -> String {
    let (tree, names, procedure) = (tree(), names(&tree()), procedure());
    let slip = story.slip(&procedure, &tree, &names);
    let mut out = vec![format!(
        "==== {} – {:?}",
        story.dossier.code,
        slip.circular()
    )];
    for form in Form::ALL {
        match slip.document(form, slip.number_key(form).map(|_| 7)) {
            Ok(doc) => out.push(format!("---- {}\n{}", form.path(), text(&doc))),
            Err(e) => out.push(format!("---- {}: {e}", form.path())),
        }
    }
    out.join("\n")
}

fn code(text: &str) -> UnitCode {
    UnitCode::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// A commune's birth registration in May 2024: supplement requested and given, late, an
/// apology after the appointment, approved; and a refused one; and one imported.
pub(crate) fn commune() -> Vec<Story> {
    let handled = Story::received(
        "vinh-khe",
        "VINH-KHE-240520-0001",
        "2024-05-20T08:00:00+07:00",
        "2024-05-23T08:00:00+07:00",
        Some("lan"),
    )
    .step(Step::StartProcessing, "2024-05-20T09:00:00+07:00", "lan")
    .step(
        Step::RequestSupplement {
            reason: reason("Thiếu bản sao giấy chứng nhận kết hôn của cha mẹ"),
        },
        "2024-05-20T10:00:00+07:00",
        "lan",
    )
    .step(
        Step::Supplemented {
            documents: Vec::new(),
        },
        "2024-05-21T08:00:00+07:00",
        "lan",
    )
    .step(
        Step::Apologize {
            new_due: at("2024-05-28T08:00:00+07:00"),
            reason: reason("Chờ xác minh thông tin cư trú tại Công an xã"),
        },
        "2024-05-24T08:00:00+07:00",
        "lan",
    )
    .step(
        Step::Approve {
            result_digitized: true,
        },
        "2024-05-27T15:00:00+07:00",
        "lan",
    );
    let refused = Story::received(
        "vinh-khe",
        "VINH-KHE-240603-0002",
        "2024-06-03T08:00:00+07:00",
        "2024-06-06T08:00:00+07:00",
        Some("lan"),
    )
    .step(Step::StartProcessing, "2024-06-03T09:00:00+07:00", "lan")
    .step(
        Step::Reject {
            reason: reason("Trẻ không sinh tại địa bàn xã, không thuộc thẩm quyền"),
        },
        "2024-06-04T09:00:00+07:00",
        "lan",
    );
    let imported = Story::received(
        "vinh-khe",
        "VINH-KHE-240510-0003",
        "2024-05-10T14:00:00+07:00",
        "2024-05-15T14:00:00+07:00",
        None,
    );
    vec![handled, refused, imported]
}

/// A district's dossier in January 2025, handed to its justice department and back.
pub(crate) fn district() -> Vec<Story> {
    vec![
        Story::received(
            "vinh-linh",
            "VINH-LINH-250106-0001",
            "2025-01-06T08:00:00+07:00",
            "2025-01-09T08:00:00+07:00",
            Some("binh"),
        )
        .step(
            Step::Transfer {
                to: code("vinh-linh.tu-phap"),
                reason: reason("Thuộc lĩnh vực tư pháp"),
            },
            "2025-01-06T10:00:00+07:00",
            "binh",
        )
        .step(
            Step::Approve {
                result_digitized: true,
            },
            "2025-01-08T10:00:00+07:00",
            "binh",
        )
        .step(
            Step::ReturnResult { collected_by: None },
            "2025-01-09T08:00:00+07:00",
            "binh",
        ),
    ]
}

/// A department's dossiers of October 2025 (Circular 03/2025): an extension asked before the
/// appointment; one withdrawn at the applicant's request.
pub(crate) fn department() -> Vec<Story> {
    let extended = Story::received(
        "vinh-linh.tu-phap",
        "VINH-LINH-TU-PHAP-251001-0001",
        "2025-10-01T08:00:00+07:00",
        "2025-10-06T08:00:00+07:00",
        Some("binh"),
    )
    .step(Step::StartProcessing, "2025-10-01T09:00:00+07:00", "binh")
    .step(
        Step::Apologize {
            new_due: at("2025-10-10T08:00:00+07:00"),
            reason: reason("Cần xác minh hồ sơ gốc tại tỉnh"),
        },
        "2025-10-03T08:00:00+07:00",
        "binh",
    );
    let withdrawn = Story::received(
        "vinh-linh.tu-phap",
        "VINH-LINH-TU-PHAP-251002-0002",
        "2025-10-02T08:00:00+07:00",
        "2025-10-07T08:00:00+07:00",
        Some("binh"),
    )
    .step(
        Step::Withdraw {
            reason: reason("Người nộp đề nghị rút hồ sơ để bổ sung giấy tờ"),
        },
        "2025-10-03T15:00:00+07:00",
        "binh",
    );
    vec![extended, withdrawn]
}

/// A province's dossier of March 2026 (Circular 03/2025), approved late, and refused.
pub(crate) fn province() -> Vec<Story> {
    let late = Story::received(
        "quang-tri",
        "QUANG-TRI-260302-0001",
        "2026-03-02T08:00:00+07:00",
        "2026-03-05T08:00:00+07:00",
        Some("hoa"),
    )
    .step(Step::StartProcessing, "2026-03-02T09:00:00+07:00", "hoa")
    .step(
        Step::RequestSupplement {
            reason: reason("Bổ sung bản sao giấy khai sinh"),
        },
        "2026-03-02T10:00:00+07:00",
        "hoa",
    )
    .step(
        Step::Supplemented {
            documents: Vec::new(),
        },
        "2026-03-03T08:00:00+07:00",
        "hoa",
    )
    .step(
        Step::Approve {
            result_digitized: true,
        },
        "2026-03-06T10:00:00+07:00",
        "hoa",
    );
    let refused = Story::received(
        "quang-tri",
        "QUANG-TRI-260303-0002",
        "2026-03-03T08:00:00+07:00",
        "2026-03-06T08:00:00+07:00",
        Some("hoa"),
    )
    .step(Step::StartProcessing, "2026-03-03T08:30:00+07:00", "hoa")
    .step(
        Step::Reject {
            reason: reason("Hồ sơ thuộc thẩm quyền cấp xã"),
        },
        "2026-03-03T09:00:00+07:00",
        "hoa",
    );
    vec![late, refused]
}

fn snapshot(stories: &[Story], fee_kind: FeeKind, tax_code: &str) -> String {
    let tree = tree();
    let names = names(&tree);
    let mut out: Vec<String> = stories.iter().map(forms).collect();
    let first = &stories[0];
    let issued = first.dossier.received_at.to_rfc3339();
    let r = first.receipt(&issued, Some(fee_kind));
    let unit = tree.get(&r.unit).unwrap_or_else(|| panic!("unit"));
    let doc = receipt(&ReceiptFacts {
        receipt: &r,
        unit,
        tree: &tree,
        tax_code,
        payer: "Trần Văn Bình",
        payer_address: "Thôn Tân Trại, xã Vĩnh Khê",
        procedure_name: "Đăng ký khai sinh",
        issued_by: &motcua_core::forms::control::signer(&names, &r.issued_by),
    });
    out.push(format!("---- biên lai\n{}", text(&doc)));
    out.join("\n\n")
}

#[test]
fn the_forms_of_a_commune() {
    insta::assert_snapshot!(
        "commune",
        snapshot(&commune(), FeeKind::Charge, "3200123456")
    );
}

#[test]
fn the_forms_of_a_district() {
    insta::assert_snapshot!("district", snapshot(&district(), FeeKind::Charge, ""));
}

#[test]
fn the_forms_of_a_department() {
    insta::assert_snapshot!(
        "department",
        snapshot(&department(), FeeKind::Fee, "3200123456-001")
    );
}

#[test]
fn the_forms_of_a_province() {
    insta::assert_snapshot!(
        "province",
        snapshot(&province(), FeeKind::Charge, "3200654321")
    );
}

#[test]
fn the_circular_follows_the_reception_date() {
    let (tree, names, procedure) = (tree(), names(&tree()), procedure());
    let [before, after] = ["2025-09-14T16:00:00+07:00", "2025-09-15T07:30:00+07:00"].map(|t| {
        Story::received(
            "vinh-khe",
            "VINH-KHE-250914-0001",
            t,
            "2025-09-19T08:00:00+07:00",
            Some("lan"),
        )
    });
    let s = before.slip(&procedure, &tree, &names);
    assert_eq!(s.circular(), Circular::Tt01_2018);
    let doc = s
        .document(Form::Reception, Some(3))
        .map_err(|e| e.to_string());
    assert!(doc.is_ok_and(|d| d.subtitle.contains("01/2018")));
    let s = after.slip(&procedure, &tree, &names);
    assert_eq!(s.circular(), Circular::Tt03_2025);
    let doc = s
        .document(Form::Reception, Some(3))
        .map_err(|e| e.to_string());
    assert!(doc.is_ok_and(|d| d.subtitle.contains("03/2025")));
}

#[test]
fn an_apology_letter_is_refused_while_paused_and_says_only_what_is_true() -> TestResult {
    let (tree, names, procedure) = (tree(), names(&tree()), procedure());
    let received = || {
        Story::received(
            "vinh-khe",
            "VINH-KHE-240520-0009",
            "2024-05-20T08:00:00+07:00",
            "2024-05-23T08:00:00+07:00",
            Some("lan"),
        )
        .step(Step::StartProcessing, "2024-05-20T09:00:00+07:00", "lan")
    };
    let apology = || Step::Apologize {
        new_due: at("2024-05-30T08:00:00+07:00"),
        reason: reason("Chờ xác minh"),
    };
    // While the clock is stopped (a suspension) the dossier cannot be late: no letter.
    let paused = received()
        .step(
            Step::Suspend {
                reason: reason("Chờ ý kiến cơ quan khác"),
            },
            "2024-05-21T08:00:00+07:00",
            "lan",
        )
        .step(apology(), "2024-05-22T08:00:00+07:00", "lan");
    let e = paused
        .slip(&procedure, &tree, &names)
        .document(Form::Apology, Some(1));
    assert!(
        matches!(&e, Err(FormError::Refused(m)) if m.contains("tạm dừng")),
        "{e:?}"
    );
    // Before the appointment (as Decree 107/2021 asks): it cannot be returned on time.
    let ahead = received().step(apology(), "2024-05-21T08:00:00+07:00", "lan");
    let doc = ahead
        .slip(&procedure, &tree, &names)
        .document(Form::Apology, Some(1))?;
    let t = text(&doc);
    assert!(
        t.contains("không thể trả kết quả") && !t.contains("đến nay"),
        "{t}"
    );
    assert_eq!(doc.number.as_deref(), Some("Số: 01/PXL"));
    assert_eq!(doc.signatures[1].lines, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]);
    // After it: it was not.
    let late = received().step(apology(), "2024-05-24T08:00:00+07:00", "lan");
    let t = text(
        &late
            .slip(&procedure, &tree, &names)
            .document(Form::Apology, Some(1))?,
    );
    assert!(
        t.contains("Tuy nhiên đến nay, UBND xã Vĩnh Khê chưa trả kết quả"),
        "{t}"
    );
    Ok(())
}

#[test]
fn a_refused_dossier_is_never_early_on_its_control_sheet() -> TestResult {
    let (tree, names, procedure) = (tree(), names(&tree()), procedure());
    for story in commune()
        .iter()
        .skip(1)
        .take(1)
        .chain(province().iter().skip(1))
    {
        let doc = story
            .slip(&procedure, &tree, &names)
            .document(Form::Control, None)?;
        let t = text(&doc);
        assert!(!t.contains("Trước hạn"), "{t}");
        assert!(t.contains("Từ chối giải quyết"), "{t}");
    }
    Ok(())
}

#[test]
fn people_are_named_in_full_never_by_login() -> TestResult {
    let (tree, names, procedure) = (tree(), names(&tree()), procedure());
    for story in commune()
        .iter()
        .chain(&district())
        .chain(&department())
        .chain(&province())
    {
        let slip = story.slip(&procedure, &tree, &names);
        for form in Form::ALL {
            let Ok(doc) = slip.document(form, Some(1)) else {
                continue;
            };
            let t = text(&doc);
            for login in ["user:", "«lan»", "«binh»", "«hoa»", "Tên đăng nhập"] {
                assert!(
                    !t.contains(login),
                    "{} {}: {login}\n{t}",
                    story.dossier.code,
                    form.path()
                );
            }
        }
    }
    // A login no account has is left blank to be written by hand.
    let unknown = motcua_core::forms::control::signer(&names, "user:ghost");
    assert_eq!(unknown, "");
    Ok(())
}
