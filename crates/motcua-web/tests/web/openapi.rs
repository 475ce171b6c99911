//! The OpenAPI document at `GET /api/openapi.json`:
//! - it is served to anyone, as OpenAPI 3.x JSON;
//! - every route of `motcua_web::routes()` under `/api/` is documented with its method, its
//!   security and its refusals (a new API route without documentation fails here, named);
//! - real requests and answers of the API validate against the schemas the document gives for
//!   that operation and status, made strict (no property the schema does not name), so a field
//!   renamed, added or dropped in the Rust types without the schema following fails too.
//!
//! Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Answer, Client, PASSWORD, TestResult, loaded};
use motcua_store::SqlStore;
use motcua_web::{Access, routes};
use serde_json::{Value, json};

/// The body tests/dossiers.rs receives a dossier with.
const RECEPTION: &str = r#"{"procedure":"9.100010","unit":"ho-xa","channel":"direct","components_total":2,"components_digitized":2,"fee_vnd":0}"#;
/// A dossier of May, imported after May is closed.
const LATE_DOSSIER: &str = "code,procedure_code,unit_code,channel,online_level,received_at,due_at,resolved_at,outcome,returned_at,components_total,components_digitized,result_digitized,fee_vnd,payment_channel,paid_at,e_receipt,source_system
HO-XA-240520-9001,9.100010,ho-xa,direct,,2024-05-20T08:00:00+07:00,2024-05-29T08:00:00+07:00,,,,2,2,,0,,,,new
";
const WITHDRAW: &str = r#"{"step":"withdraw","reason":"Người nộp xin rút"}"#;

/// The document's operation for a method and a path of the route table.
fn operation<'a>(doc: &'a Value, method: &Method, path: &str) -> Option<&'a Value> {
    doc["paths"].get(path)?.get(method.as_str().to_lowercase())
}

/// Adds `additionalProperties: false` to every object schema that names its properties and
/// says nothing of others: the document stays as lenient as serde is, the test is not.
///
/// A schema made of parts (`allOf`, e.g. a struct with a flattened enum) is closed as a whole
/// with `unevaluatedProperties: false` instead, its parts left open: each part names only some
/// of the properties. `lenient` marks such a part (and the branches of its `oneOf`/`anyOf`),
/// down to its own properties, which are strict again.
fn strict_as(schema: &mut Value, lenient: bool) {
    match schema {
        Value::Object(map) => {
            let is_object = match map.get("type") {
                Some(Value::String(t)) => t == "object",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
                _ => false,
            };
            let open = map.contains_key("additionalProperties")
                || map.contains_key("unevaluatedProperties");
            let parts = map.contains_key("allOf");
            if parts && !open && !lenient {
                map.insert("unevaluatedProperties".to_owned(), Value::Bool(false));
            } else if is_object
                && map.get("properties").is_some_and(Value::is_object)
                && !open
                && !lenient
            {
                map.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            for (key, value) in map.iter_mut() {
                let part = match key.as_str() {
                    "allOf" => true,
                    "oneOf" | "anyOf" => lenient,
                    _ => false,
                };
                match value {
                    Value::Array(items) if part => {
                        items.iter_mut().for_each(|i| strict_as(i, true));
                    }
                    other => strict(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strict),
        _ => {}
    }
}

fn strict(schema: &mut Value) {
    strict_as(schema, false)
}

/// The components' schemas made strict, those used as a part of an `allOf` left open (the
/// whole is closed where it is used).
fn strict_components(doc: &Value) -> Value {
    let mut parts = std::collections::HashSet::new();
    fn collect(v: &Value, parts: &mut std::collections::HashSet<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Array(items)) = map.get("allOf") {
                    for i in items {
                        if let Some(r) = i.get("$ref").and_then(Value::as_str) {
                            parts.insert(r.trim_start_matches("#/components/schemas/").to_owned());
                        }
                    }
                }
                map.values().for_each(|x| collect(x, parts));
            }
            Value::Array(items) => items.iter().for_each(|x| collect(x, parts)),
            _ => {}
        }
    }
    collect(doc, &mut parts);
    let mut components = doc["components"].clone();
    if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
        for (name, schema) in schemas.iter_mut() {
            strict_as(schema, parts.contains(name));
        }
    }
    components
}

/// Checks `instance` against `schema` (a schema of the document, `$ref`s into its components
/// resolved), strictly and with formats (date-time) checked. Returns the errors.
fn violations(doc: &Value, schema: &Value, instance: &Value) -> Vec<String> {
    let components = strict_components(doc);
    let mut schema = schema.clone();
    strict(&mut schema);
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": components,
        "allOf": [schema],
    });
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("the document's schema does not compile: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn request_schema<'a>(doc: &'a Value, method: &Method, path: &str) -> &'a Value {
    let op = operation(doc, method, path).unwrap_or_else(|| panic!("{method} {path} undocumented"));
    &op["requestBody"]["content"]["application/json"]["schema"]
}

fn response_schema<'a>(doc: &'a Value, method: &Method, path: &str, status: u16) -> &'a Value {
    let op = operation(doc, method, path).unwrap_or_else(|| panic!("{method} {path} undocumented"));
    let schema = &op["responses"][status.to_string()]["content"]["application/json"]["schema"];
    assert!(
        !schema.is_null(),
        "{method} {path} documents no JSON body for {status}"
    );
    schema
}

/// The request body validates against the operation's request schema.
fn check_request(doc: &Value, method: &Method, path: &str, body: &str) {
    let schema = request_schema(doc, method, path);
    assert!(!schema.is_null(), "{method} {path} documents no JSON body");
    let errors = violations(doc, schema, &serde_json::from_str(body).unwrap());
    assert!(
        errors.is_empty(),
        "{method} {path}: request {body} does not match the document: {errors:#?}"
    );
}

/// The answer has the status expected and its body validates against the document's schema
/// of that status.
fn check_answer(doc: &Value, method: &Method, path: &str, answer: &Answer, status: StatusCode) {
    assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
    let schema = response_schema(doc, method, path, status.as_u16());
    let body: Value = serde_json::from_str(&answer.body).unwrap();
    let errors = violations(doc, schema, &body);
    assert!(
        errors.is_empty(),
        "{method} {path}: the {status} answer does not match the document: {errors:#?}\n{}",
        answer.body
    );
}

async fn fetch(store: &SqlStore) -> Value {
    let mut anonymous = Client::new(store);
    let a = anonymous.get("/api/openapi.json").await.unwrap();
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.headers.get("content-type").unwrap(),
        "application/json",
        "served as JSON"
    );
    serde_json::from_str(&a.body).unwrap()
}

#[tokio::test]
async fn the_document_is_public_and_covers_every_api_route() -> TestResult {
    let db = motcua_testkit::test_databases()
        .await
        .into_iter()
        .next()
        .ok_or("no test database")?;
    let store = SqlStore::connect(&db.url).await?;
    let doc = fetch(&store).await;
    let version = doc["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3."), "openapi is «{version}»");

    let mut missing = Vec::new();
    let mut api_routes = 0;
    for route in routes() {
        let info = &route.info;
        if !info.path.starts_with("/api/") {
            continue;
        }
        api_routes += 1;
        let Some(op) = operation(&doc, &info.method, info.path) else {
            if info.path != "/api/openapi.json" {
                missing.push(format!("{} {}", info.method, info.path));
            }
            continue;
        };
        let who = format!("{} {}", info.method, info.path);
        let summary = op["summary"].as_str().unwrap_or_default();
        assert!(
            !summary.is_ascii(),
            "{who}: the summary «{summary}» should be Vietnamese"
        );
        // Each `{name}` of the path is a documented path parameter.
        for name in info
            .path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
        {
            let documented = op["parameters"].as_array().is_some_and(|ps| {
                ps.iter()
                    .any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true)
            });
            assert!(documented, "{who}: path parameter {name} is not documented");
        }
        let responses = op["responses"].as_object().unwrap();
        let security = op["security"].as_array().cloned().unwrap_or_default();
        if info.access == Access::Public {
            assert!(
                security.iter().any(|s| s == &json!({})),
                "{who} is public: its security must allow no credentials"
            );
            continue;
        }
        for status in ["401", "403"] {
            assert!(
                responses.contains_key(status),
                "{who}: the refusal {status} is not documented"
            );
        }
        for status in responses.keys().filter(|s| !s.starts_with('2')) {
            assert_eq!(
                responses[status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{who}: the {status} body is the error JSON"
            );
        }
        assert!(
            security.contains(&json!({ "bearer": [] })),
            "{who}: an API token is accepted"
        );
        let session = if info.method == Method::GET {
            json!({ "session": [] })
        } else {
            json!({ "session": [], "csrf": [] })
        };
        assert!(
            security.contains(&session),
            "{who}: the session requirement should be {session}"
        );
    }
    assert!(api_routes >= 6, "the route table lists the API");
    assert!(
        missing.is_empty(),
        "API routes missing from the OpenAPI document (add #[utoipa::path] to the handler and \
         list it in crates/motcua-web/src/openapi.rs): {missing:?}"
    );

    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "motcua_session");
    assert_eq!(schemes["csrf"]["in"], "header");
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
    let keyed = |method: Method, path: &str| {
        operation(&doc, &method, path).unwrap()["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| {
                p["name"] == "Idempotency-Key"
                    && p["in"] == "header"
                    && p["required"] == false
                    && p["schema"]["type"] == "string"
            })
    };
    assert!(keyed(Method::POST, "/api/dossiers"));
    assert!(keyed(Method::POST, "/api/dossiers/{code}/steps"));
    store.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_requests_and_answers_match_the_schemas() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let doc = fetch(&store).await;
        let mut c = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        let csrf = c.csrf().await?;
        let (get, post, put) = (Method::GET, Method::POST, Method::PUT);
        let json = Some("application/json");

        // Receive a dossier, read it, withdraw it, and be refused to withdraw it again.
        check_request(&doc, &post, "/api/dossiers", RECEPTION);
        let a = c
            .send(
                post.clone(),
                "/api/dossiers",
                json,
                RECEPTION.to_owned(),
                &[("x-csrf-token", &csrf), ("idempotency-key", "openapi-1")],
            )
            .await?;
        check_answer(&doc, &post, "/api/dossiers", &a, StatusCode::CREATED);
        let mut handled: Value = serde_json::from_str(&a.body)?;
        let code = handled["dossier"]["code"]
            .as_str()
            .ok_or("no code")?
            .to_owned();
        // A property the schema does not name is caught (the check is strict).
        handled["dossier"]["undocumented"] = json!(1);
        let schema = response_schema(&doc, &post, "/api/dossiers", 201);
        assert!(!violations(&doc, schema, &handled).is_empty());

        let a = c.get(&format!("/api/dossiers/{code}")).await?;
        check_answer(&doc, &get, "/api/dossiers/{code}", &a, StatusCode::OK);

        let steps = "/api/dossiers/{code}/steps";
        check_request(&doc, &post, steps, WITHDRAW);
        let uri = format!("/api/dossiers/{code}/steps");
        let a = c
            .send(
                post.clone(),
                &uri,
                json,
                WITHDRAW.to_owned(),
                &[("x-csrf-token", &csrf)],
            )
            .await?;
        check_answer(&doc, &post, steps, &a, StatusCode::OK);
        let a = c
            .send(
                post.clone(),
                &uri,
                json,
                WITHDRAW.to_owned(),
                &[("x-csrf-token", &csrf)],
            )
            .await?;
        check_answer(&doc, &post, steps, &a, StatusCode::CONFLICT);
        let a = c.get("/api/dossiers/KHONG-CO").await?;
        check_answer(
            &doc,
            &get,
            "/api/dossiers/{code}",
            &a,
            StatusCode::NOT_FOUND,
        );

        // The indicators and the calendar, read and written back unchanged.
        let a = c
            .get("/api/indicators?unit=vinh-linh&month=2024-05")
            .await?;
        check_answer(&doc, &get, "/api/indicators", &a, StatusCode::OK);
        let a = c.get("/api/indicators?unit=vinh-linh").await?;
        check_answer(&doc, &get, "/api/indicators", &a, StatusCode::BAD_REQUEST);

        // Month close: closed, refused twice, listed; a May dossier imported afterwards puts
        // the live figures beside the frozen ones (`closed.live`), all as documented.
        let close = "/api/months/{month}/close";
        let a = c
            .send(
                post.clone(),
                "/api/months/2024-05/close",
                None,
                String::new(),
                &[("x-csrf-token", &csrf)],
            )
            .await?;
        check_answer(&doc, &post, close, &a, StatusCode::CREATED);
        let a = c
            .send(
                post.clone(),
                "/api/months/2024-05/close",
                None,
                String::new(),
                &[("x-csrf-token", &csrf)],
            )
            .await?;
        check_answer(&doc, &post, close, &a, StatusCode::CONFLICT);
        let a = c.get("/api/months/closed").await?;
        check_answer(&doc, &get, "/api/months/closed", &a, StatusCode::OK);
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("dossiers.csv"), LATE_DOSSIER)?;
        motcua_app::import_dir(
            &store,
            dir.path(),
            &motcua_testkit::ctx("test", motcua_testkit::after_fixture()),
        )
        .await?;
        let a = c
            .get("/api/indicators?unit=vinh-linh&month=2024-05")
            .await?;
        assert!(a.body.contains("\"live\""), "{}", a.body);
        check_answer(&doc, &get, "/api/indicators", &a, StatusCode::OK);

        let calendar = "/api/calendar/{year}";
        let a = c.get("/api/calendar/2024").await?;
        check_answer(&doc, &get, calendar, &a, StatusCode::OK);
        check_request(&doc, &put, calendar, &a.body);
        let a = c
            .send(
                put.clone(),
                "/api/calendar/2024",
                json,
                a.body.clone(),
                &[("x-csrf-token", &csrf)],
            )
            .await?;
        check_answer(&doc, &put, calendar, &a, StatusCode::OK);

        // Anonymous callers get the documented 401.
        let a = Client::new(&store).get("/api/calendar/2024").await?;
        check_answer(&doc, &get, calendar, &a, StatusCode::UNAUTHORIZED);
        store.close().await?;
    }
    Ok(())
}

/// The schemas refuse what serde refuses: they are not so loose that anything validates.
#[tokio::test]
async fn the_schemas_refuse_malformed_bodies() -> TestResult {
    let db = motcua_testkit::test_databases()
        .await
        .into_iter()
        .next()
        .ok_or("no test database")?;
    let store = SqlStore::connect(&db.url).await?;
    let doc = fetch(&store).await;
    let post = Method::POST;
    let reception = request_schema(&doc, &post, "/api/dossiers");
    let step = request_schema(&doc, &post, "/api/dossiers/{code}/steps");
    for (schema, body) in [
        (step, r#"{"step":"fly"}"#),
        (step, r#"{"step":"withdraw"}"#),
        (step, r#"{"step":"assign"}"#),
        (step, r#"{"step":"send_back"}"#),
        (
            step,
            r#"{"step":"return_result","collected_by":{"name":"Trần Văn Nam"}}"#,
        ),
        (step, r#"{"step":"approve","result_digitized":"yes"}"#),
        (
            step,
            r#"{"step":"apologize","new_due":"2024-05-20","reason":"x"}"#,
        ),
        (reception, r#"{"procedure":"9.100010","unit":"ho-xa"}"#),
        (
            reception,
            r#"{"procedure":"9.100010","unit":"ho-xa","channel":"fax","components_total":1}"#,
        ),
    ] {
        let errors = violations(&doc, schema, &serde_json::from_str(body)?);
        assert!(!errors.is_empty(), "{body} validates, but serde refuses it");
    }
    for body in [
        r#"{"step":"start_processing"}"#,
        r#"{"step":"transfer","to":"vinh-khe","reason":"Liên thông"}"#,
        r#"{"step":"approve","result_digitized":true}"#,
        r#"{"step":"apologize","new_due":"2024-05-20T17:00:00+07:00","reason":"Chậm"}"#,
        r#"{"step":"assign","to":"chuyen-vien"}"#,
        r#"{"step":"propose_approval","result_digitized":true}"#,
        r#"{"step":"propose_rejection","reason":"Không đủ điều kiện"}"#,
        r#"{"step":"send_back","reason":"Kiểm tra lại"}"#,
        r#"{"step":"supplemented","documents":[{"name":"Bản sao sổ hộ khẩu","copies":1}]}"#,
        r#"{"step":"return_result","collected_by":{"name":"Trần Văn Nam","id_number":"045090000777","relation":"chồng"}}"#,
        r#"{"step":"return_result"}"#,
    ] {
        let parsed: motcua_core::lifecycle::Step = serde_json::from_str(body)?;
        let errors = violations(&doc, step, &serde_json::to_value(&parsed)?);
        assert!(errors.is_empty(), "{body}: {errors:#?}");
    }
    store.close().await?;
    Ok(())
}

/// Whatever the API refuses, it refuses with the documented JSON error body (`ErrorBody`, a
/// Vietnamese message) and a status the document lists for that operation: the refusals of
/// the framework's extractors too (a body that is not UTF-8, a repeated query parameter, a
/// path that is not UTF-8, a multipart body without boundary or with a field the document
/// does not name), a method the route does not take (405, with `Allow`), a reused
/// Idempotency-Key (409). And what the document allows is accepted: `null` for a receipt.
#[tokio::test]
async fn every_refusal_is_the_documented_json() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let doc = fetch(&store).await;
        let files = common::scan_files();
        let (code, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        let mut c = Client::new(&store);
        c.bearer = Some(
            motcua_app::auth::create_token(
                &store,
                "tich-hop",
                "vinh-linh",
                true,
                &motcua_testkit::ctx("test", motcua_core::Timestamp::from_micros(0)),
            )
            .await?,
        );
        let json = Some("application/json");
        let (get, post, put) = (Method::GET, Method::POST, Method::PUT);
        let calendar = c.get("/api/calendar/2024").await?.body;
        let not_utf8: &[u8] = b"{\"step\":\"\xff\xfe\"}";
        let no_boundary = "multipart/form-data";
        let (form_type, extra_field) = common::multipart(
            &[("slot", "1"), ("ghi-chu", "x")],
            &[("file", "a.pdf", common::PDF)],
        );
        let steps = format!("/api/dossiers/{code}/steps");
        let scans = format!("/api/dossiers/{code}/scans");
        // (method, URI, the document's path, content type, body, status)
        type Case<'a> = (
            Method,
            String,
            &'a str,
            Option<&'a str>,
            Vec<u8>,
            StatusCode,
        );
        let cases: Vec<Case> = vec![
            (
                post.clone(),
                steps.clone(),
                "/api/dossiers/{code}/steps",
                json,
                not_utf8.to_vec(),
                StatusCode::BAD_REQUEST,
            ),
            (
                put.clone(),
                "/api/calendar/2024".to_owned(),
                "/api/calendar/{year}",
                json,
                b"\xff".to_vec(),
                StatusCode::BAD_REQUEST,
            ),
            (
                get.clone(),
                "/api/indicators?month=2024-05&month=2024-05".to_owned(),
                "/api/indicators",
                None,
                Vec::new(),
                StatusCode::BAD_REQUEST,
            ),
            (
                get.clone(),
                "/api/indicators?month=+024-05".to_owned(),
                "/api/indicators",
                None,
                Vec::new(),
                StatusCode::BAD_REQUEST,
            ),
            (
                get.clone(),
                "/api/dossiers/%FF%FE".to_owned(),
                "/api/dossiers/{code}",
                None,
                Vec::new(),
                StatusCode::BAD_REQUEST,
            ),
            (
                post.clone(),
                scans.clone(),
                "/api/dossiers/{code}/scans",
                Some(no_boundary),
                b"x".to_vec(),
                StatusCode::BAD_REQUEST,
            ),
            (
                post.clone(),
                scans.clone(),
                "/api/dossiers/{code}/scans",
                Some(&form_type),
                extra_field.clone(),
                StatusCode::BAD_REQUEST,
            ),
            (
                post.clone(),
                steps.clone(),
                "/api/dossiers/{code}/steps",
                json,
                br#"{"step":"reject","reason":"x"} x"#.to_vec(),
                StatusCode::BAD_REQUEST,
            ),
            (
                put.clone(),
                "/api/calendar/2024".to_owned(),
                "/api/calendar/{year}",
                json,
                calendar.into_bytes(),
                StatusCode::FORBIDDEN,
            ),
        ];
        for (method, uri, path, content_type, body, status) in cases {
            let a = c
                .send(method.clone(), &uri, content_type, body, &[])
                .await?;
            check_answer(&doc, &method, path, &a, status);
            assert_eq!(
                a.headers.get("content-type").and_then(|v| v.to_str().ok()),
                Some("application/json"),
                "{b}: {method} {uri}"
            );
            let message: Value = serde_json::from_str(&a.body)?;
            let message = message["error"].as_str().unwrap_or_default();
            assert!(
                !message.is_ascii() && !message.contains("Failed") && !message.contains("Invalid"),
                "{b}: {method} {uri}: «{message}» is not Vietnamese"
            );
        }

        // A method the route does not take: 405, `Allow`, and the JSON error body.
        let a = c
            .send(Method::DELETE, "/api/dossiers", None, Vec::new(), &[])
            .await?;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{b}");
        assert!(a.headers.contains_key("allow"), "{b}");
        let body: Value = serde_json::from_str(&a.body)?;
        let error_body = json!({ "$ref": "#/components/schemas/ErrorBody" });
        assert!(
            violations(&doc, &error_body, &body).is_empty(),
            "{b}: {}",
            a.body
        );

        // A reused Idempotency-Key with another request: 409, as documented.
        let keyed = |body: &str| body.to_owned();
        for (i, body) in [
            RECEPTION,
            r#"{"procedure":"9.100010","unit":"ho-xa","channel":"postal","components_total":1}"#,
        ]
        .into_iter()
        .enumerate()
        {
            let a = c
                .send(
                    post.clone(),
                    "/api/dossiers",
                    json,
                    keyed(body),
                    &[("idempotency-key", "st-1")],
                )
                .await?;
            let expected = if i == 0 {
                StatusCode::CREATED
            } else {
                StatusCode::CONFLICT
            };
            check_answer(&doc, &post, "/api/dossiers", &a, expected);
        }

        // `null` is what the document allows for a receipt: the unit's current series.
        let a = c
            .send(
                post.clone(),
                &format!("/api/dossiers/{code}/payment"),
                json,
                r#"{"payment_channel":"offline"}"#.to_owned(),
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::OK, "{b}: {}", a.body);
        let receipt = "/api/dossiers/{code}/receipt";
        check_request(&doc, &post, receipt, "null");
        let a = c
            .send(
                post.clone(),
                &format!("/api/dossiers/{code}/receipt"),
                json,
                "null".to_owned(),
                &[],
            )
            .await?;
        check_answer(&doc, &post, receipt, &a, StatusCode::CREATED);
        store.close().await?;
    }
    Ok(())
}

/// The bounds of what people type are in the document, as the server enforces them.
#[tokio::test]
async fn the_document_states_the_bounds_of_free_text() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = SqlStore::connect(&db.url).await?;
    let doc = fetch(&store).await;
    let schemas = &doc["components"]["schemas"];
    let reason = &schemas["Reason"];
    assert_eq!(reason["maxLength"], motcua_core::freetext::MAX_REASON_CHARS);
    assert_eq!(reason["pattern"], motcua_core::freetext::NOTE_PATTERN);
    for (schema, field) in [
        ("Applicant", "name"),
        ("Applicant", "id_number"),
        ("Applicant", "address"),
        ("Applicant", "phone"),
        ("Applicant", "email"),
        ("Component", "name"),
        ("Reception", "request"),
    ] {
        let f = &schemas[schema]["properties"][field];
        assert_eq!(
            f["maxLength"],
            motcua_core::details::MAX_TEXT_CHARS,
            "{schema}.{field}"
        );
        assert_eq!(
            f["pattern"],
            motcua_core::freetext::LINE_PATTERN,
            "{schema}.{field}"
        );
    }
    for field in ["form_symbol", "series"] {
        let f = &schemas["ReceiptSeries"]["properties"][field];
        assert_eq!(
            f["maxLength"],
            motcua_core::fees::MAX_SYMBOL_CHARS,
            "{field}"
        );
        assert_eq!(f["pattern"], motcua_core::freetext::LINE_PATTERN, "{field}");
    }
    // Every step's reason is that schema.
    let step = request_schema(&doc, &Method::POST, "/api/dossiers/{code}/steps");
    let too_long = "x".repeat(motcua_core::freetext::MAX_REASON_CHARS + 1);
    for kind in ["request_supplement", "suspend", "reject", "withdraw"] {
        let body = json!({ "step": kind, "reason": too_long });
        assert!(!violations(&doc, step, &body).is_empty(), "{kind}");
        assert!(serde_json::from_value::<motcua_core::lifecycle::Step>(body).is_err());
    }
    store.close().await?;
    Ok(())
}
