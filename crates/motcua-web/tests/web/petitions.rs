//! The officers' PAKN pages: the list of the unit's subtree (due soonest first, the time left
//! in words), a PAKN's page walked through its forms (admit → answer → publish, the answer
//! then public), a refused step's reason beside its field with what was typed kept, a stale
//! page's step refused, and another commune's PAKN answered as no PAKN (404); both databases.

use crate::common;

use axum::http::StatusCode;
use common::{Client, Error, PASSWORD, TestResult, hidden, loaded};
use motcua_core::Timestamp;
use motcua_core::access::AuditFilter;
use motcua_core::petition::PetitionForm;
use motcua_store::SqlStore;

/// Sends a PAKN to `unit` through the app as the public form does, received `minutes_ago`
/// before now; its code.
pub(crate) async fn submitted(
    store: &SqlStore,
    unit: &str,
    name: &str,
    minutes_ago: i64,
) -> Result<String, Error> {
    let at = Timestamp::from_datetime(
        time::OffsetDateTime::now_utc() - time::Duration::minutes(minutes_ago),
    )?;
    let form = PetitionForm {
        unit: unit.to_owned(),
        kind: "phan_anh".to_owned(),
        subject: "thu_tuc".to_owned(),
        content: "Bộ phận một cửa hẹn trả kết quả nhưng đến hẹn chưa có kết quả.".to_owned(),
        name: name.to_owned(),
        contact: "0912345678".to_owned(),
        dossier_code: String::new(),
    };
    let p = motcua_app::petitions::submit(store, &form, &motcua_testkit::ctx("visitor", at))
        .await
        .map_err(|e| e.to_string())?;
    Ok(p.code.to_string())
}

/// The `<tr>` of a code in the list.
fn row<'a>(page: &'a str, code: &str) -> &'a str {
    let marker = format!("<tr data-code=\"{code}\"");
    let Some(start) = page.find(&marker) else {
        return "";
    };
    let end = page[start..]
        .find("</tr>")
        .map_or(page.len(), |e| start + e);
    &page[start..end]
}

/// A step posted from the PAKN's page as shown (its CSRF token and version).
async fn step(
    c: &mut Client,
    code: &str,
    fields: &[(&str, &str)],
) -> Result<common::Answer, Error> {
    let page = c.get(&format!("/petitions/{code}")).await?;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = hidden(&page.body, "csrf").ok_or("no token")?;
    let version = hidden(&page.body, "version").ok_or("no step form")?;
    let mut all = vec![("csrf", csrf.as_str()), ("version", version.as_str())];
    all.extend_from_slice(fields);
    c.post(&format!("/petitions/{code}/step"), &all).await
}

#[tokio::test]
async fn an_officer_lists_admits_answers_and_publishes_a_petition() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let older = submitted(&store, "vinh-khe", "Lê Văn Tám", 120).await?;
        let newer = submitted(&store, "vinh-khe", "Trần Thị Mai", 60).await?;
        let elsewhere = submitted(&store, "ho-xa", "Phan Văn Hùng", 30).await?;
        let mut c = Client::signed_in(&store, "khe-reception", PASSWORD).await?;

        // The list: the commune's two, due soonest first, the time left in words; not Hồ Xá's.
        let list = c.get("/petitions").await?;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let (a, b) = (
            list.body
                .find(&format!("data-code=\"{older}\""))
                .ok_or("older not listed")?,
            list.body
                .find(&format!("data-code=\"{newer}\""))
                .ok_or("newer not listed")?,
        );
        assert!(a < b, "due soonest first");
        let r = row(&list.body, &older);
        for text in [
            "Lê Văn Tám",
            "Xã Vĩnh Khê",
            "Chờ xem xét tiếp nhận",
            "ngày làm việc",
        ] {
            assert!(r.contains(text), "{text}: {r}");
        }
        assert!(r.contains(&format!("href=\"/petitions/{older}\"")), "{r}");
        assert!(
            !list.body.contains(&elsewhere),
            "another commune's PAKN listed"
        );
        assert!(!list.body.contains("Phan Văn Hùng"));

        // The page: the content, the contact (reception may see personal data), the stage.
        let page = c.get(&format!("/petitions/{older}")).await?;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("0912345678"), "the contact");
        assert!(page.body.contains("Xem xét tiếp nhận"));
        assert!(page.body.contains("novalidate"));
        for form in ["admit", "refuse", "assign", "mark_repeat"] {
            assert!(
                page.body.contains(&format!("data-form=\"{form}\"")),
                "{form}"
            );
        }
        assert!(
            !page.body.contains("data-form=\"publish\""),
            "nothing to publish yet"
        );

        // Admit → answer → publish, each through its form.
        let a = step(&mut c, &older, &[("step", "admit")]).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), format!("/petitions/{older}?done=admit"));
        let page = c.get(a.location()).await?;
        assert!(page.body.contains("Đã ghi nhận: Tiếp nhận xử lý."));
        assert!(page.body.contains("Đang xử lý"));
        assert!(
            page.body.contains("Đúng hạn"),
            "decided within 2 working days"
        );
        let answer = "Đã trả kết quả hồ sơ ngày 25/11; xin lỗi ông vì sự chậm trễ.";
        let a = step(&mut c, &older, &[("step", "answer"), ("text", answer)]).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let a = step(&mut c, &older, &[("step", "publish")]).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = c.get(&format!("/petitions/{older}")).await?;
        assert!(page.body.contains("Đã công khai kết quả"));
        assert!(page.body.contains(answer));
        assert!(!page.body.contains("data-form=\"publish\""));
        // The history names the officer by name.
        let history = &page.body[page.body.find("id=\"history\"").ok_or("no history")?..];
        for e in [
            "Nhận phản ánh, kiến nghị",
            "Tiếp nhận xử lý",
            "Trả lời kết quả xử lý",
            "Công khai kết quả xử lý",
        ] {
            assert!(history.contains(e), "{e}");
        }
        let public = Client::new(&store).get("/feedback/answers").await?;
        assert!(public.body.contains(answer), "published on the portal");

        // Off the list's order: the published one has nothing due, so it comes last.
        let list = c.get("/petitions").await?;
        let (a, b) = (
            list.body
                .find(&format!("data-code=\"{older}\""))
                .ok_or("older")?,
            list.body
                .find(&format!("data-code=\"{newer}\""))
                .ok_or("newer")?,
        );
        assert!(b < a, "nothing due sorts last");
    }
    Ok(())
}

#[tokio::test]
async fn a_refused_step_says_why_beside_its_field_and_keeps_what_was_typed() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let code = submitted(&store, "vinh-khe", "Lê Văn Tám", 60).await?;
        let mut c = Client::signed_in(&store, "khe-reception", PASSWORD).await?;

        // Refusing without a reason: 400, the reason asked for beside the box.
        let a = step(&mut c, &code, &[("step", "refuse"), ("reason", "  ")]).await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        assert!(
            a.body
                .contains("id=\"refuse-reason-error\">Nhập lý do từ chối tiếp nhận</span>")
        );
        assert!(
            a.body
                .contains("aria-invalid=\"true\" aria-describedby=\"refuse-reason-error\"")
        );

        // A repeat of a PAKN that does not exist: the error beside the code, the code kept.
        let missing = "PAKN-VINH-KHE-240101-9999";
        let a = step(&mut c, &code, &[("step", "mark_repeat"), ("of", missing)]).await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(
            a.body.contains(&format!(
                "id=\"repeat-of-error\">Không có phản ánh, kiến nghị mã «{missing}»"
            )),
            "{}",
            a.body
        );
        assert!(
            a.body.contains(&format!("value=\"{missing}\"")),
            "what was typed is kept"
        );

        // Answering before admitting: the rules refuse it (409), with the state named.
        let typed = "Câu trả lời soạn sẵn";
        let page = c.get(&format!("/petitions/{code}")).await?;
        let csrf = hidden(&page.body, "csrf").ok_or("no token")?;
        let version = hidden(&page.body, "version").ok_or("no version")?;
        let a = c
            .post(
                &format!("/petitions/{code}/step"),
                &[
                    ("csrf", &csrf),
                    ("version", &version),
                    ("step", "answer"),
                    ("text", typed),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("Chờ xem xét tiếp nhận"), "the state named");

        // A page left open while another officer admitted it: the stale step is refused.
        let a = step(&mut c, &code, &[("step", "admit")]).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let a = c
            .post(
                &format!("/petitions/{code}/step"),
                &[
                    ("csrf", &csrf),
                    ("version", &version),
                    ("step", "refuse"),
                    ("reason", "Không thuộc thẩm quyền"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(
            a.body.contains("vừa được cập nhật ở nơi khác"),
            "{}",
            a.body
        );
        assert!(
            a.body.contains("Không thuộc thẩm quyền"),
            "what was typed is kept"
        );

        // Without the session's token, nothing is taken.
        let a = c
            .post(
                &format!("/petitions/{code}/step"),
                &[("csrf", "sai"), ("version", "1"), ("step", "publish")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
    Ok(())
}

#[tokio::test]
async fn another_communes_petition_is_not_found() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let code = submitted(&store, "ho-xa", "Phan Văn Hùng", 60).await?;
        let mut c = Client::signed_in(&store, "khe-reception", PASSWORD).await?;
        let a = c.get(&format!("/petitions/{code}")).await?;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert!(!a.body.contains("Phan Văn Hùng"));
        let none = c.get("/petitions/PAKN-HO-XA-240101-9999").await?;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
        let csrf = c.csrf().await?;
        let a = c
            .post(
                &format!("/petitions/{code}/step"),
                &[("csrf", &csrf), ("version", "1"), ("step", "admit")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        let stored = store
            .petition(&motcua_core::petition::PetitionCode::parse(&code).ok_or("code")?)
            .await?
            .ok_or("stored")?;
        assert_eq!(stored.version, 1, "nothing taken");
        // A list of another commune: 404. The district sees it.
        let a = c.get("/petitions?unit=ho-xa").await?;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        let mut district = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        let a = district.get("/petitions").await?;
        assert!(a.body.contains(&code));
        // A viewer may not handle PAKN (403 on its own unit).
        let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
        let a = viewer.get("/petitions").await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
    Ok(())
}

#[tokio::test]
async fn the_public_form_is_audited_as_the_visitor() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let before = store.audit(&AuditFilter::default()).await?.len();
        let a = Client::new(&store)
            .post(
                "/feedback",
                &[
                    ("unit", "vinh-khe"),
                    ("kind", "kien_nghi"),
                    ("subject", "quy_dinh"),
                    ("content", "Đề nghị niêm yết lệ phí tại bộ phận một cửa."),
                    ("name", "Lê Văn Tám"),
                    ("contact", "0912345678"),
                    ("dossier_code", ""),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let records = store.audit(&AuditFilter::default()).await?;
        assert_eq!(records.len(), before + 1);
        assert_eq!(
            (records[0].action.as_str(), records[0].actor.as_str()),
            ("petition.submit", "visitor")
        );
    }
    Ok(())
}
