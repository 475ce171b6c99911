//! Online submission through the pages: reception's inbox and review (snapshots) and its
//! decisions; a citizen's draft form (errors beside their fields, everything kept), the
//! receipt, the dossier with its supplement; the citizens' writes refused without their
//! session's token and audited under the account; and, table-driven over every citizen
//! route, a citizen who reaches nothing of another's (the same answer as for nothing).

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::access::AuditFilter;
use motcua_web::{Access, routes};

/// Hides the session's and the form's CSRF tokens.
fn redacted(page: &str, tokens: &[&str]) -> String {
    let mut out = page.to_owned();
    if let Some(form) = common::hidden(page, "csrf") {
        out = out.replace(&form, "[csrf]");
    }
    for t in tokens.iter().filter(|t| !t.is_empty()) {
        out = out.replace(t, "[csrf]");
    }
    out
}

/// The page with every run of digits as `#`: ids and codes of different lengths compare.
fn digits_blanked(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut in_digits = false;
    for ch in page.chars() {
        if ch.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(ch);
            in_digits = false;
        }
    }
    out
}

#[tokio::test]
async fn reception_reviews_and_decides_in_the_inbox() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = common::scan_files();
        let lan = common::citizen::account(&store, "Nguyễn Thị Lan", "0912345678").await?;
        let first = common::online::submitted(
            &store,
            &files,
            &lan,
            "vinh-khe",
            "2026-11-20T16:30:00+07:00",
        )
        .await?;
        let second = common::online::submitted(
            &store,
            &files,
            &lan,
            "vinh-khe",
            "2026-11-21T10:00:00+07:00",
        )
        .await?;
        let mut desk = Client::signed_in(&store, "khe-reception", PASSWORD).await?;
        let csrf = desk.csrf().await?;
        let inbox = desk.get("/desk/online").await?;
        assert_eq!(inbox.status, StatusCode::OK);
        assert!(
            inbox.body.contains("2 hồ sơ trực tuyến chờ tiếp nhận"),
            "the notice"
        );
        insta::assert_snapshot!("online_inbox", redacted(&inbox.body, &[&csrf]));
        let review = desk.get(&format!("/desk/online/{}", first.id)).await?;
        assert_eq!(review.status, StatusCode::OK);
        insta::assert_snapshot!("online_review", redacted(&review.body, &[&csrf]));
        // Every scan opens.
        let sha = first.data.components[0]
            .scan
            .as_ref()
            .ok_or("scanned")?
            .sha256
            .clone();
        let scan = desk
            .get(&format!("/desk/online/{}/files/{sha}", first.id))
            .await?;
        assert_eq!(scan.status, StatusCode::OK);
        assert!(scan.body.starts_with("%PDF"));

        // A refusal needs its reason and its confirmation; what was typed stays.
        let uri = format!("/desk/online/{}", second.id);
        let a = desk
            .post(
                &uri,
                &[("csrf", &csrf), ("decision", "refuse"), ("reason", "")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("Nhập lý do để công dân biết cần làm gì"));
        let a = desk
            .post(
                &uri,
                &[
                    ("csrf", &csrf),
                    ("decision", "refuse"),
                    ("reason", "Không thuộc thẩm quyền của xã"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("Đánh dấu ô xác nhận"));
        assert!(
            a.body.contains("Không thuộc thẩm quyền của xã"),
            "kept as typed"
        );
        let a = desk
            .post(
                &uri,
                &[
                    ("csrf", &csrf),
                    ("decision", "refuse"),
                    ("reason", "Không thuộc thẩm quyền của xã"),
                    ("confirm", "on"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(a.location(), "/desk/online?done=refused");

        // Accepting makes the dossier and opens its page.
        let a = desk
            .post(
                &format!("/desk/online/{}", first.id),
                &[("csrf", &csrf), ("decision", "accept")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert!(
            a.location().starts_with("/dossiers/VINH-KHE-"),
            "{}",
            a.location()
        );
        let page = desk.get(a.location()).await?;
        assert!(page.body.contains("Nguyễn Thị Lan"));
        let inbox = desk.get("/desk/online").await?;
        assert!(
            inbox
                .body
                .contains("Không có hồ sơ trực tuyến nào chờ tiếp nhận.")
        );
        // Decided already: a second acceptance is refused, nothing more is made.
        let a = desk
            .post(
                &format!("/desk/online/{}", first.id),
                &[("csrf", &csrf), ("decision", "accept")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("hồ sơ này đã được tiếp nhận"), "{}", a.body);
        assert!(
            !a.body.contains("id=\"accept\""),
            "no decision is offered any more"
        );
        assert_eq!(
            motcua_app::citizens::dossiers(&store, lan.id).await?.len(),
            1
        );
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_citizen_fills_in_saves_and_submits_the_form() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let lan = common::citizen::account(&store, "Nguyễn Thị Lan", "0912345678").await?;
        let mut c = common::citizen::client(&store, &lan).await?;
        let procedure = c.get("/procedures/1.001193?unit=vinh-khe").await?;
        assert!(
            procedure
                .body
                .contains("href=\"/procedures/1.001193/submit?unit=vinh-khe\""),
            "the procedure's page offers the online submission"
        );
        let start = c.get("/procedures/1.001193/submit?unit=vinh-khe").await?;
        assert_eq!(start.status, StatusCode::OK);
        let csrf = common::hidden(&start.body, "csrf").ok_or("token")?;
        // Without the session's token: nothing made.
        let a = c
            .post(
                "/procedures/1.001193/submit?unit=vinh-khe",
                &[("csrf", "sai")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert!(
            motcua_app::online::my_submissions(&store, lan.id)
                .await?
                .is_empty()
        );
        let a = c
            .post(
                "/procedures/1.001193/submit?unit=vinh-khe",
                &[("csrf", &csrf)],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let form_uri = a.location().to_owned();
        let form = c.get(&form_uri).await?;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("value=\"Nguyễn Thị Lan\""), "prefilled");
        assert!(form.body.contains("novalidate"));
        insta::assert_snapshot!(
            "online_citizen_form",
            redacted(&form.body, &[&csrf]).replace(&form_uri, "/citizen/submissions/[id]")
        );

        // The multipart forms refuse a wrong token: nothing saved, no file kept.
        for uri in [
            form_uri.clone(),
            "/citizen/dossiers/VINH-KHE-261123-0001/supplement".to_owned(),
        ] {
            let a = c
                .post_multipart(
                    &uri,
                    &[
                        ("csrf", "sai"),
                        ("action", "save"),
                        ("applicant_name", "Người khác"),
                    ],
                    &[("component_0", "a.pdf", common::PDF)],
                    &[],
                )
                .await?;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri}");
            assert!(a.body.contains("mã chống giả mạo"));
        }
        assert!(
            !c.get(&form_uri)
                .await?
                .body
                .contains("value=\"Người khác\"")
        );
        // Submitted with nothing uploaded and a wrong phone: every error, beside its field,
        // and what was typed is kept (saved).
        let a = c
            .post_multipart(
                &form_uri,
                &[
                    ("csrf", &csrf),
                    ("action", "submit"),
                    ("applicant_name", "Nguyễn Thị Lan"),
                    ("applicant_phone", "0912"),
                    ("applicant_address", "Thôn Vịnh Mốc"),
                ],
                &[("component_1", "giay-chung-sinh.pdf", common::PDF)],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("Hồ sơ chưa nộp được"));
        assert!(
            a.body
                .contains("Nhập số điện thoại gồm 10 chữ số, bắt đầu bằng 0")
        );
        assert!(a.body.contains("href=\"#component_0\""));
        assert!(a.body.contains("value=\"Thôn Vịnh Mốc\""));
        assert!(a.body.contains("Đã tải lên: giay-chung-sinh.pdf"));
        // The missing scan and the phone, then it goes.
        let a = c
            .post_multipart(
                &form_uri,
                &[
                    ("csrf", &csrf),
                    ("action", "submit"),
                    ("applicant_name", "Nguyễn Thị Lan"),
                    ("applicant_phone", "0912345678"),
                    ("applicant_address", "Thôn Vịnh Mốc"),
                ],
                &[("component_0", "to-khai.pdf", &common::online::pdf(7))],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let receipt = c.get(&form_uri).await?;
        assert!(receipt.body.contains("Đã nộp hồ sơ"));
        assert!(receipt.body.contains("to-khai.pdf"));
        assert!(receipt.body.contains("giay-chung-sinh.pdf"));
        // The trail names the account.
        let records = store.audit(&AuditFilter::default()).await?;
        assert_eq!(records[0].action, "online.submit");
        assert_eq!(records[0].actor, format!("citizen:{}", lan.id.0));
        let list = c.get("/citizen/submissions").await?;
        assert!(list.body.contains("Đã nộp, chờ tiếp nhận"));
        store.close().await?;
    }
    Ok(())
}

/// A citizen's answer to a request about another citizen's submission or dossier, and to
/// the same request about one that does not exist: (status, body with the ids blanked).
#[tokio::test]
async fn a_citizen_reaches_nothing_of_another_citizen() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = common::scan_files();
        let lan = common::citizen::account(&store, "Nguyễn Thị Lan", "0912345678").await?;
        let binh = common::citizen::account(&store, "Trần Văn Bình", "0987654321").await?;
        let draft =
            common::online::draft(&store, &lan, "ho-xa", "2026-11-20T09:00:00+07:00").await?;
        let sent =
            common::online::submitted(&store, &files, &lan, "ho-xa", "2026-11-20T10:00:00+07:00")
                .await?;
        let (awaiting, approved) = common::online::dossiers(&store, &files, &lan, "ho-xa").await?;
        // The owner reads their dossier in plain words.
        let mut a_client = common::citizen::client(&store, &lan).await?;
        let mine = a_client
            .get(&format!("/citizen/dossiers/{awaiting}"))
            .await?;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(mine.body.contains(
            "Hồ sơ nộp trực tuyến được tiếp nhận tại Bộ phận Một cửa UBND thị trấn Hồ Xá"
        ));
        assert!(
            mine.body.contains("Thiếu bản sao giấy chứng nhận kết hôn"),
            "the supplement asked"
        );
        let result = a_client
            .get(&format!("/citizen/dossiers/{approved}/result"))
            .await?;
        assert_eq!(result.status, StatusCode::OK);
        assert!(result.body.starts_with("%PDF"));
        let mut b = common::citizen::client(&store, &binh).await?;
        let csrf = common::citizen::csrf(&mut b).await?;
        let before = store.audit(&AuditFilter::default()).await?.len();

        // (route, A's address, an address of nothing, multipart files)
        let missing_sub = draft.id.0 + 1000;
        let cases: Vec<(&str, &str, String, String)> = vec![
            (
                "GET",
                "/citizen/submissions/{id}",
                format!("/citizen/submissions/{}", draft.id),
                format!("/citizen/submissions/{missing_sub}"),
            ),
            (
                "GET",
                "/citizen/submissions/{id}",
                format!("/citizen/submissions/{}", sent.id),
                format!("/citizen/submissions/{missing_sub}"),
            ),
            (
                "POST",
                "/citizen/submissions/{id}",
                format!("/citizen/submissions/{}", draft.id),
                format!("/citizen/submissions/{missing_sub}"),
            ),
            (
                "GET",
                "/citizen/dossiers/{code}",
                format!("/citizen/dossiers/{awaiting}"),
                "/citizen/dossiers/HO-XA-261123-9999".to_owned(),
            ),
            (
                "GET",
                "/citizen/dossiers/{code}",
                format!("/citizen/dossiers/{approved}"),
                "/citizen/dossiers/HO-XA-261123-9999".to_owned(),
            ),
            (
                "POST",
                "/citizen/dossiers/{code}/supplement",
                format!("/citizen/dossiers/{awaiting}/supplement"),
                "/citizen/dossiers/HO-XA-261123-9999/supplement".to_owned(),
            ),
            (
                "GET",
                "/citizen/dossiers/{code}/result",
                format!("/citizen/dossiers/{approved}/result"),
                "/citizen/dossiers/HO-XA-261123-9999/result".to_owned(),
            ),
            (
                "POST",
                "/citizen/dossiers/{code}/pay",
                format!("/citizen/dossiers/{approved}/pay"),
                "/citizen/dossiers/HO-XA-261123-9999/pay".to_owned(),
            ),
            (
                "GET",
                "/citizen/dossiers/{code}/receipt",
                format!("/citizen/dossiers/{approved}/receipt"),
                "/citizen/dossiers/HO-XA-261123-9999/receipt".to_owned(),
            ),
        ];
        // Every citizen route that names someone's submission or dossier is in the table;
        // the others act on the caller's own account or on public data.
        for r in routes().iter().filter(|r| r.info.access == Access::Citizen) {
            let named = r.info.path.contains('{') && r.info.path.starts_with("/citizen/");
            let covered = cases
                .iter()
                .any(|(m, p, _, _)| *m == r.info.method.as_str() && *p == r.info.path);
            assert_eq!(named, covered, "{} {}", r.info.method, r.info.path);
        }
        for (method, route, theirs, nothing) in &cases {
            let mut answers = Vec::new();
            for uri in [theirs, nothing] {
                let a = if *method == "GET" {
                    b.get(uri).await?
                } else if route.ends_with("/pay") {
                    // The payment's form is a plain one (no file).
                    b.post(uri, &[("csrf", &csrf)]).await?
                } else {
                    b.post_multipart(
                        uri,
                        &[
                            ("csrf", &csrf),
                            ("action", "save"),
                            ("applicant_name", "Trần Văn Bình"),
                            ("doc_name_0", "Giấy tờ"),
                        ],
                        &[
                            ("component_0", "a.pdf", common::PDF),
                            ("doc_file_0", "b.pdf", common::PDF),
                        ],
                        &[],
                    )
                    .await?
                };
                let body = digits_blanked(&a.body);
                for secret in ["Nguyễn Thị Lan", "0912345678", "%PDF"] {
                    assert!(
                        !a.body.contains(secret),
                        "{method} {route}: leaked {secret}"
                    );
                }
                answers.push((a.status, body));
            }
            assert_eq!(answers[0].0, StatusCode::NOT_FOUND, "{method} {route}");
            assert_eq!(
                answers[0], answers[1],
                "{method} {route}: theirs and nothing differ"
            );
        }
        assert_eq!(
            store.audit(&AuditFilter::default()).await?.len(),
            before,
            "nothing was written"
        );
        // A's things are as they were.
        let d = motcua_app::online::own_submission(&store, lan.id, draft.id).await?;
        assert_eq!(d.data.applicant.name, "Nguyễn Thị Lan");
        assert!(
            motcua_app::online::my_submissions(&store, binh.id)
                .await?
                .is_empty()
        );
        store.close().await?;
    }
    Ok(())
}

/// Lan submits for her father under an authorisation paper: every error of the representation
/// beside its field, what was typed kept; then it goes, and reception's review shows whom it is
/// for with the paper viewable; accepted, the dossier names her father.
#[tokio::test]
async fn a_citizen_submits_for_another_under_an_authorisation_paper() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let lan = common::citizen::account(&store, "Nguyễn Thị Lan", "0912345678").await?;
        let mut c = common::citizen::client(&store, &lan).await?;
        let start = c.get("/procedures/1.001193/submit?unit=vinh-khe").await?;
        let csrf = common::hidden(&start.body, "csrf").ok_or("token")?;
        let a = c
            .post(
                "/procedures/1.001193/submit?unit=vinh-khe",
                &[("csrf", &csrf)],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let form_uri = a.location().to_owned();
        let form = c.get(&form_uri).await?;
        assert!(
            form.body
                .contains("Nộp thay cho cá nhân, tổ chức khác (có giấy ủy quyền)")
        );
        let fields = [
            ("csrf", csrf.as_str()),
            ("action", "submit"),
            ("applicant_name", "Nguyễn Thị Lan"),
            ("applicant_phone", "0912345678"),
            ("represented", "on"),
            ("represented_name", ""),
            ("represented_id_number", "04506"),
        ];
        let pdf0 = common::online::pdf(10);
        let pdf1 = common::online::pdf(11);
        let components = [
            ("component_0", "to-khai.pdf", pdf0.as_slice()),
            ("component_1", "giay-chung-sinh.pdf", pdf1.as_slice()),
        ];
        let a = c
            .post_multipart(&form_uri, &fields, &components, &[])
            .await?;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        for (anchor, message) in [
            (
                "represented_name",
                "Nhập họ tên người hoặc tên tổ chức được nộp thay",
            ),
            (
                "represented_id_number",
                "Nhập số định danh cá nhân gồm 12 chữ số, hoặc mã số thuế gồm 10 hoặc 13 chữ số của tổ chức được nộp thay",
            ),
            (
                "authorisation_paper",
                "Tải lên bản quét giấy ủy quyền (PDF, JPEG hoặc PNG)",
            ),
        ] {
            assert!(
                a.body.contains(&format!("href=\"#{anchor}\"")),
                "{anchor} in the summary"
            );
            // Beside its field: the error right after the field's input.
            let input = a.body.find(&format!("id=\"{anchor}\"")).ok_or(anchor)?;
            let after = &a.body[input..];
            let error = after.find("field-error").ok_or(anchor)?;
            assert!(
                after[error..].starts_with(&format!("field-error\">{message}")),
                "{anchor}"
            );
        }
        assert!(a.body.contains("name=\"represented\" value=\"on\" checked"));
        assert!(a.body.contains("value=\"04506\""), "what was typed stays");
        assert!(a.body.contains("Đã tải lên: giay-chung-sinh.pdf"));

        let fields = [
            ("csrf", csrf.as_str()),
            ("action", "submit"),
            ("applicant_name", "Nguyễn Thị Lan"),
            ("applicant_phone", "0912345678"),
            ("represented", "on"),
            ("represented_name", "Nguyễn Văn Hùng"),
            ("represented_id_number", "045060001234"),
        ];
        let paper = common::online::pdf(12);
        let a = c
            .post_multipart(
                &form_uri,
                &fields,
                &[("authorisation_paper", "giay-uy-quyen.pdf", &paper)],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let receipt = c.get(&form_uri).await?;
        assert!(receipt.body.contains("Nộp thay cho"));
        assert!(receipt.body.contains("giay-uy-quyen.pdf"));

        let id = form_uri.rsplit('/').next().ok_or("id")?.to_owned();
        let mut desk = Client::signed_in(&store, "khe-reception", PASSWORD).await?;
        let desk_csrf = desk.csrf().await?;
        let review = desk.get(&format!("/desk/online/{id}")).await?;
        assert_eq!(review.status, StatusCode::OK);
        assert!(
            review
                .body
                .contains("<strong>Nộp thay cho:</strong> Nguyễn Văn Hùng")
        );
        assert!(review.body.contains("theo giấy ủy quyền"));
        let submission = motcua_app::online::my_submissions(&store, lan.id).await?;
        let sha = submission[0]
            .data
            .represented
            .as_ref()
            .and_then(|r| r.paper.as_ref())
            .ok_or("the paper")?
            .sha256
            .clone();
        let href = format!("/desk/online/{id}/files/{sha}");
        assert!(review.body.contains(&format!("href=\"{href}\"")));
        let file = desk.get(&href).await?;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.body.as_bytes(), paper.as_slice());

        let a = desk
            .post(
                &format!("/desk/online/{id}"),
                &[("csrf", &desk_csrf), ("decision", "accept")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let dossier = desk.get(a.location()).await?;
        assert!(dossier.body.contains("Nguyễn Văn Hùng"));
        assert!(dossier.body.contains("Giấy ủy quyền"));
        assert!(
            dossier
                .body
                .contains("<dd id=\"representative\">Nguyễn Thị Lan, theo giấy ủy quyền</dd>")
        );
        store.close().await?;
    }
    Ok(())
}
