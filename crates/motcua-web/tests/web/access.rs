//! Unit scoping over the whole router, table-driven: every route of `motcua_web::routes()`
//! must have a probe here, or this test fails. For each route:
//! - a visitor who is not signed in is refused (401 for the API, sign-in page otherwise),
//!   unless the route is public; at the home page (`Access::Home`) such a visitor gets the
//!   public portal's home and none of the dashboard;
//! - the principals of one commune, whatever their role (administrator, reception officer,
//!   specialist, viewer) and API tokens of that commune (read, read and write), asking for
//!   another unit's data get 404 and none of that data: the answer to something that does not
//!   exist. For a dossier of another unit, the answer is the same, word for word, as for a
//!   code no dossier has (no existence oracle);
//! - the district's administrator making the same request succeeds, so the refusal is the
//!   scope check and not a malformed probe;
//! - a citizen's route (`Access::Citizen`) sends a visitor and an officer alike to the
//!   citizens' sign-in, and serves a signed-in citizen.
//!
//! Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Answer, Client, Error, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_store::SqlStore;
use motcua_web::{Access, RouteInfo, routes};

/// A request of a route, with the words that must not appear in a refused answer.
struct Probe {
    method: Method,
    uri: String,
    /// Form fields (the session's CSRF token is added), or a JSON body for PUT.
    form: Vec<(&'static str, String)>,
    json: Option<String>,
    /// Sent as multipart with these files (field, file name, bytes).
    files: Option<Vec<(&'static str, &'static str, &'static [u8])>>,
    secrets: Vec<String>,
}

/// The dossiers the probes act on.
struct Codes {
    calendar_2024: String,
    /// Imported, pending.
    pending: String,
    pending_2: String,
    /// Received at the desk, with a scan: for the pages and for the API.
    received: String,
    received_api: String,
    sha256: String,
    /// A citizen's online submission to ho-xa, submitted, and the hash of one of its scans.
    submission: i64,
    submission_sha256: String,
    /// The probing citizen's own draft, and dossiers: one waiting for a supplement, one
    /// approved with its result scanned.
    citizen_draft: i64,
    awaiting: String,
    approved: String,
    /// Received at the desk with a fee, for the transfer's confirmation.
    transfer: String,
    /// A PAKN sent to ho-xa.
    petition: String,
}

fn probe(method: Method, uri: &str, secrets: &[&str]) -> Probe {
    Probe {
        method,
        uri: uri.to_owned(),
        form: Vec::new(),
        json: None,
        files: None,
        secrets: secrets.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// What no citizen's page may show: the units' officers and dossiers.
const CITIZEN_SECRETS: &[&str] = &[
    "HO-XA-",
    "Nguyễn Thị Hoa",
    "hoxa-reception",
    "district-admin",
];

/// The probe of every route. A route missing here fails the test.
fn probe_of(info: &RouteInfo, codes: &Codes) -> Option<Probe> {
    let Codes {
        calendar_2024,
        pending,
        pending_2,
        received,
        received_api,
        sha256,
        submission,
        submission_sha256,
        citizen_draft,
        awaiting,
        approved,
        transfer,
        petition,
    } = codes;
    let m = info.method.clone();
    // Names that only data of other units carry.
    let others = ["Hồ Xá", "Vĩnh Linh", "hoxa-reception", "district-admin"];
    Some(match (info.method.as_str(), info.path) {
        ("GET", "/health") => probe(m, "/health", &others),
        ("GET", "/login") => probe(m, "/login", &others),
        ("POST", "/login") => Probe {
            form: vec![
                ("username", "district-admin".to_owned()),
                ("password", "sai-mat-khau".to_owned()),
            ],
            ..probe(m, "/login", &["Hồ Xá", "Vĩnh Linh"])
        },
        ("POST", "/logout") => probe(m, "/logout", &[]),
        ("GET", "/account/password") => probe(m, "/account/password", &[]),
        ("POST", "/account/password") => Probe {
            form: vec![
                ("current", PASSWORD.to_owned()),
                // The same password again: the probe must not lock the account out of the
                // next probes (changing it is tested in tests/auth.rs).
                ("new", PASSWORD.to_owned()),
                ("confirm", PASSWORD.to_owned()),
            ],
            ..probe(m, "/account/password", &[])
        },
        ("GET", "/") => probe(m, "/?unit=ho-xa&month=2024-05", &["Hồ Xá", "33,8%"]),
        // The public portal: published facts only, never an applicant, an officer or a
        // dossier's data.
        ("GET", "/procedures") => probe(
            m,
            "/procedures?unit=ho-xa&q=khai+sinh",
            &["HO-XA-", "Nguyễn Thị Hoa", "hoxa-reception"],
        ),
        ("GET", "/procedures/{code}") => probe(
            m,
            "/procedures/1.001193?unit=ho-xa",
            &["HO-XA-", "Nguyễn Thị Hoa", "hoxa-reception"],
        ),
        ("GET", "/units/{code}") => probe(
            m,
            "/units/ho-xa?month=2024-05",
            &["HO-XA-", "Nguyễn Thị Hoa", "hoxa-reception"],
        ),
        ("GET", "/track") => probe(
            m,
            &format!("/track?code={received}"),
            &["Nguyễn Thị Hoa", "hoxa-reception", "Tờ khai"],
        ),
        // A wrong number: nothing of the dossier.
        ("POST", "/track") => Probe {
            form: vec![
                ("code", received.to_owned()),
                ("proof", "0999999999".to_owned()),
            ],
            ..probe(m, "/track", &["Nguyễn Thị Hoa", "hoxa-reception", "Tờ khai", "Hẹn trả"])
        },
        // Feedback and petitions: public pages that show no dossier, officer or applicant, and
        // no unpublished PAKN (their examples of a code may name the fixture's commune).
        ("GET", "/feedback") => probe(m, "/feedback", &[received, "Phan Văn Hùng", "Nguyễn Thị Hoa", "hoxa-reception"]),
        ("POST", "/feedback") => Probe {
            // Errors only: nothing is sent by the probe.
            form: vec![("content", "Nội dung".to_owned())],
            ..probe(m, "/feedback", &[received, "Phan Văn Hùng", "Nguyễn Thị Hoa", "hoxa-reception"])
        },
        ("GET", "/feedback/follow") => probe(m, "/feedback/follow", &[received, "Phan Văn Hùng", "Nguyễn Thị Hoa"]),
        ("POST", "/feedback/follow") => Probe {
            form: vec![
                ("code", "PAKN-HO-XA-240101-0001".to_owned()),
                ("contact", "0999999999".to_owned()),
            ],
            ..probe(m, "/feedback/follow", &[received, "Phan Văn Hùng", "Nguyễn Thị Hoa", "hoxa-reception"])
        },
        ("POST", "/feedback/reply") => Probe {
            form: vec![
                ("code", "PAKN-HO-XA-240101-0001".to_owned()),
                ("contact", "0999999999".to_owned()),
                ("text", "Bổ sung".to_owned()),
            ],
            ..probe(m, "/feedback/reply", &[received, "Phan Văn Hùng", "Nguyễn Thị Hoa", "hoxa-reception"])
        },
        ("POST", "/feedback/dissatisfied") => Probe {
            form: vec![
                ("code", "PAKN-HO-XA-240101-0001".to_owned()),
                ("contact", "0999999999".to_owned()),
            ],
            ..probe(m, "/feedback/dissatisfied", &[received, "Phan Văn Hùng", "Nguyễn Thị Hoa", "hoxa-reception"])
        },
        ("GET", "/feedback/answers") => probe(m, "/feedback/answers", &[received, "Phan Văn Hùng", "Nguyễn Thị Hoa", "hoxa-reception"]),
        // The document is static: it names no account and no unit of the store (its examples
        // may name the fixture's district, as the types' documentation does).
        ("GET", "/api/openapi.json") => probe(
            m,
            "/api/openapi.json",
            &["Hồ Xá", "hoxa-reception", "district-admin"],
        ),
        ("GET", "/dossiers") => probe(
            m,
            "/dossiers?unit=ho-xa&month=2024-05&count=received",
            &["HO-XA-"],
        ),
        // The officers' PAKN pages: the petitioner's name and contact stay out.
        ("GET", "/petitions") => probe(
            m,
            "/petitions?unit=ho-xa",
            &[petition, "Phan Văn Hùng", "0912345678"],
        ),
        ("GET", "/petitions/{code}") => probe(
            m,
            &format!("/petitions/{petition}"),
            &["Phan Văn Hùng", "0912345678"],
        ),
        ("POST", "/petitions/{code}/step") => Probe {
            form: vec![
                ("version", "1".to_owned()),
                ("step", "assign".to_owned()),
                ("unit", "ho-xa".to_owned()),
            ],
            ..probe(
                m,
                &format!("/petitions/{petition}/step"),
                &["Phan Văn Hùng", "0912345678"],
            )
        },
        ("GET", "/follow-ups") => probe(
            m,
            "/follow-ups?unit=ben-quan&month=2024-05",
            &["Bến Quan"],
        ),
        ("POST", "/follow-ups") => Probe {
            form: vec![
                ("unit", "ben-quan".to_owned()),
                ("month", "2024-05".to_owned()),
                ("due", "2099-06-16".to_owned()),
            ],
            ..probe(m, "/follow-ups", &["Bến Quan"])
        },
        ("POST", "/follow-ups/submit") => Probe {
            form: vec![
                ("unit", "ben-quan".to_owned()),
                ("month", "2024-05".to_owned()),
                ("report", "Đã phát hành đủ biên lai điện tử".to_owned()),
            ],
            ..probe(m, "/follow-ups/submit", &["Bến Quan"])
        },
        ("GET", "/report") => probe(
            m,
            "/report?unit=ho-xa&month=2024-05&format=text",
            &["Hồ Xá", "đã tiếp nhận"],
        ),
        ("GET", "/api/indicators") => probe(
            m,
            "/api/indicators?unit=vinh-linh&month=2024-05",
            &["Vĩnh Linh", "Hồ Xá", "rates"],
        ),
        ("GET", "/api/calendar/{year}") => probe(m, "/api/calendar/2024", &[]),
        ("PUT", "/api/calendar/{year}") => Probe {
            json: Some(calendar_2024.to_owned()),
            ..probe(m, "/api/calendar/2024", &["moved"])
        },
        ("GET", "/desk") => probe(m, "/desk?unit=ho-xa", &["HO-XA-", "Hồ Xá"]),
        ("GET", "/search") => probe(m, "/search?unit=ho-xa&q=HO-XA", &["HO-XA-", "Hồ Xá"]),
        ("GET", "/desk/new") => probe(m, "/desk/new?unit=ho-xa", &["Hồ Xá"]),
        ("GET", "/desk/new/procedures") => {
            probe(m, "/desk/new/procedures?unit=ho-xa", &["1.001193"])
        }
        ("GET", "/desk/new/applicant") => probe(
            m,
            "/desk/new/applicant?unit=ho-xa&id=012345678901",
            &["found"],
        ),
        ("GET", "/assets/reception.js") => probe(m, "/assets/reception.js", &others),
        ("POST", "/desk/new") => Probe {
            form: vec![
                ("unit", "ho-xa".to_owned()),
                ("procedure", "9.100010".to_owned()),
                ("channel", "direct".to_owned()),
                ("applicant_name", "Trần Văn Nam".to_owned()),
                ("component_0", "Tờ khai".to_owned()),
                ("action", "confirm".to_owned()),
            ],
            files: Some(vec![("scan_0", "to-khai.pdf", common::PDF)]),
            ..probe(m, "/desk/new", &["HO-XA-"])
        },
        ("POST", "/dossiers/{code}/scans") => Probe {
            form: vec![("slot", "2".to_owned())],
            files: Some(vec![("file", "giay-chung-sinh.pdf", common::PDF)]),
            ..probe(
                m,
                &format!("/dossiers/{received}/scans"),
                &["Nguyễn Thị Hoa", "Tờ khai"],
            )
        },
        ("GET", "/dossiers/{code}/files/{sha256}") => probe(
            m,
            &format!("/dossiers/{received}/files/{sha256}"),
            &["%PDF"],
        ),
        ("POST", "/dossiers/{code}/payment") => Probe {
            form: vec![("channel", "offline".to_owned())],
            ..probe(
                m,
                &format!("/dossiers/{received}/payment"),
                &["Nguyễn Thị Hoa"],
            )
        },
        ("POST", "/dossiers/{code}/transfer") => {
            probe(m, &format!("/dossiers/{transfer}/transfer"), &["Nguyễn Thị Hoa"])
        }
        ("GET", "/desk/statements") => probe(m, "/desk/statements?unit=ho-xa", &["Thị trấn Hồ Xá", "thị trấn Hồ Xá"]),
        ("POST", "/desk/statements") => Probe {
            form: vec![("unit", "ho-xa".to_owned())],
            files: Some(vec![(
                "file",
                "sao-ke.csv",
                &b"transaction_id,booked_at,amount_vnd,description\nFT1,2024-05-20T09:00:00+07:00,8000,ung ho\n"[..],
            )]),
            ..probe(m, "/desk/statements", &["FT1", "ung ho"])
        },
        ("POST", "/dossiers/{code}/receipt") => Probe {
            form: vec![
                ("form_symbol", "01BLP0-001".to_owned()),
                ("series", "HX-24E".to_owned()),
            ],
            ..probe(
                m,
                &format!("/dossiers/{received}/receipt"),
                &["Nguyễn Thị Hoa", "0000001"],
            )
        },
        ("GET", "/dossiers/{code}/receipt") => probe(
            m,
            &format!("/dossiers/{received}/receipt"),
            &["Nguyễn Thị Hoa", "tám nghìn"],
        ),
        ("GET", "/dossiers/{code}/slips/{kind}") => probe(
            m,
            &format!("/dossiers/{received}/slips/tiep-nhan"),
            &["Nguyễn Thị Hoa", "Tờ khai"],
        ),
        ("POST", "/api/dossiers/{code}/scans") => Probe {
            form: vec![("slot", "2".to_owned())],
            files: Some(vec![("file", "giay-chung-sinh.pdf", common::PDF)]),
            ..probe(
                m,
                &format!("/api/dossiers/{received_api}/scans"),
                &["Nguyễn Thị Hoa", "sha256"],
            )
        },
        ("POST", "/api/dossiers/{code}/payment") => Probe {
            json: Some(r#"{"payment_channel":"online"}"#.to_owned()),
            ..probe(
                m,
                &format!("/api/dossiers/{received_api}/payment"),
                &["Nguyễn Thị Hoa", "paid_at"],
            )
        },
        ("POST", "/api/dossiers/{code}/receipt") => Probe {
            json: Some(String::new()),
            ..probe(
                m,
                &format!("/api/dossiers/{received_api}/receipt"),
                &["amount_vnd", "number_text"],
            )
        },
        ("GET", "/api/dossiers/{code}/receipt") => probe(
            m,
            &format!("/api/dossiers/{received_api}/receipt"),
            &["amount_vnd", "number_text"],
        ),
        ("GET", "/dossiers/{code}") => probe(
            m,
            &format!("/dossiers/{pending_2}"),
            &["Tiếp nhận lúc", "Hẹn trả"],
        ),
        ("POST", "/dossiers/{code}/steps") => Probe {
            form: vec![
                ("step", "withdraw".to_owned()),
                ("reason", "Người nộp xin rút".to_owned()),
                ("confirm", "on".to_owned()),
            ],
            ..probe(m, &format!("/dossiers/{pending_2}/steps"), &["Tiếp nhận lúc"])
        },
        ("GET", "/dossiers/{code}/correct") => probe(
            m,
            &format!("/dossiers/{received}/correct"),
            &["Sửa thông tin hồ sơ"],
        ),
        // Only the address changes: the name and both lines stay, for the probes after it
        // (a scan of line 2, the payment, the receipt) find the dossier as it was.
        ("POST", "/dossiers/{code}/correct") => Probe {
            form: vec![
                ("name", "Nguyễn Thị Hoa".to_owned()),
                ("phone", "0912345678".to_owned()),
                ("address", "Khu phố 4, Hồ Xá".to_owned()),
                ("comp_name_1", "Tờ khai".to_owned()),
                ("comp_originals_1", "1".to_owned()),
                ("comp_name_2", "Giấy chứng sinh".to_owned()),
                ("comp_originals_2", "1".to_owned()),
            ],
            ..probe(
                m,
                &format!("/dossiers/{received}/correct"),
                &["Nguyễn Thị Hoa", "Khu phố"],
            )
        },
        ("GET", "/queue") => probe(m, "/queue", &["HO-XA-", "Hồ Xá"]),
        ("POST", "/api/dossiers") => Probe {
            json: Some(
                r#"{"procedure":"9.100010","unit":"ho-xa","channel":"direct","components_total":2,"components_digitized":2,"fee_vnd":0}"#
                    .to_owned(),
            ),
            ..probe(m, "/api/dossiers", &["HO-XA-", "due_at"])
        },
        ("GET", "/api/dossiers/{code}") => probe(
            m,
            &format!("/api/dossiers/{pending}"),
            &["received_at", "procedure_code", "events"],
        ),
        ("POST", "/api/dossiers/{code}/steps") => Probe {
            json: Some(r#"{"step":"withdraw","reason":"Người nộp xin rút"}"#.to_owned()),
            ..probe(
                m,
                &format!("/api/dossiers/{pending}/steps"),
                &["received_at", "lifecycle"],
            )
        },
        ("GET", "/api/months/closed") => probe(m, "/api/months/closed", &[]),
        ("POST", "/api/months/{month}/close") => Probe {
            json: Some(String::new()),
            ..probe(m, "/api/months/2024-05/close", &["closed_at", "actor"])
        },
        ("GET", "/admin/users") => {
            probe(m, "/admin/users?unit=ho-xa", &["hoxa-reception", "Hồ Xá"])
        }
        ("POST", "/admin/users") => Probe {
            form: vec![
                ("username", "probe-user".to_owned()),
                ("display_name", "Người thử".to_owned()),
                ("unit", "ho-xa".to_owned()),
                ("role", "reception".to_owned()),
                ("password", PASSWORD.to_owned()),
            ],
            ..probe(m, "/admin/users", &["hoxa-reception", "probe-user"])
        },
        ("GET", "/admin/users/{username}") => probe(
            m,
            "/admin/users/hoxa-reception",
            &["hoxa-reception", "Hồ Xá"],
        ),
        ("POST", "/admin/users/{username}") => Probe {
            form: vec![
                ("display_name", "Người sửa thử".to_owned()),
                ("unit", "ho-xa".to_owned()),
                ("role", "reception".to_owned()),
            ],
            ..probe(
                m,
                "/admin/users/hoxa-reception",
                &["hoxa-reception", "Hồ Xá", "Người sửa thử"],
            )
        },
        ("POST", "/admin/users/{username}/action") => Probe {
            form: vec![
                ("action", "unlock".to_owned()),
                ("confirm", "yes".to_owned()),
            ],
            ..probe(
                m,
                "/admin/users/hoxa-reception/action",
                &["hoxa-reception", "Hồ Xá"],
            )
        },
        ("GET", "/admin/unit") => probe(m, "/admin/unit?unit=ho-xa", &["Hồ Xá"]),
        ("POST", "/admin/unit") => Probe {
            form: vec![
                ("unit", "ho-xa".to_owned()),
                ("action", "save".to_owned()),
                ("tax_code", "3200123456".to_owned()),
            ],
            ..probe(m, "/admin/unit", &["Hồ Xá"])
        },
        // Reception's online inbox: nothing of another unit's citizens or their papers.
        ("GET", "/desk/online") => probe(m, "/desk/online?unit=ho-xa", &["Trần Văn Bình"]),
        ("GET", "/desk/online/{id}") => probe(
            m,
            &format!("/desk/online/{submission}"),
            &["Trần Văn Bình", "Đăng ký khai sinh"],
        ),
        ("GET", "/desk/online/{id}/files/{sha256}") => probe(
            m,
            &format!("/desk/online/{submission}/files/{submission_sha256}"),
            &["%PDF"],
        ),
        ("POST", "/desk/online/{id}") => Probe {
            form: vec![
                ("decision", "return".to_owned()),
                ("reason", "Bản quét tờ khai bị mờ".to_owned()),
            ],
            ..probe(m, &format!("/desk/online/{submission}"), &["Trần Văn Bình"])
        },
        // The citizens' own pages: nothing of any unit's officers or dossiers.
        ("GET", "/citizen/sign-up") => probe(m, "/citizen/sign-up", CITIZEN_SECRETS),
        ("POST", "/citizen/sign-up") => Probe {
            form: vec![
                ("kind", "person".to_owned()),
                ("full_name", "Lê Thị An".to_owned()),
                ("contact", "0987000001".to_owned()),
                ("password", PASSWORD.to_owned()),
                ("confirm", PASSWORD.to_owned()),
            ],
            ..probe(m, "/citizen/sign-up", CITIZEN_SECRETS)
        },
        ("GET", "/citizen/confirm") => probe(m, "/citizen/confirm?to=0987000001", CITIZEN_SECRETS),
        ("POST", "/citizen/confirm") => Probe {
            form: vec![
                ("to", "0987000001".to_owned()),
                ("code", "000000".to_owned()),
            ],
            ..probe(m, "/citizen/confirm", CITIZEN_SECRETS)
        },
        ("GET", "/citizen/sign-in") => probe(m, "/citizen/sign-in?next=/citizen", CITIZEN_SECRETS),
        ("POST", "/citizen/sign-in") => Probe {
            form: vec![
                ("contact", "0912345678".to_owned()),
                ("password", "sai-mat-khau".to_owned()),
            ],
            ..probe(m, "/citizen/sign-in", CITIZEN_SECRETS)
        },
        ("GET", "/citizen") => probe(m, "/citizen", CITIZEN_SECRETS),
        ("GET", "/citizen/profile") => probe(m, "/citizen/profile", CITIZEN_SECRETS),
        ("POST", "/citizen/profile") => Probe {
            form: vec![
                ("full_name", "Trần Văn Bình".to_owned()),
                ("id_number", String::new()),
                ("tax_code", String::new()),
            ],
            ..probe(m, "/citizen/profile", CITIZEN_SECRETS)
        },
        ("POST", "/citizen/sign-out") => probe(m, "/citizen/sign-out", CITIZEN_SECRETS),
        // Signing in with the national identity account (no provider configured here: 404).
        ("GET", "/citizen/oidc/start") => probe(m, "/citizen/oidc/start?next=/citizen", CITIZEN_SECRETS),
        ("GET", "/citizen/oidc/callback") => {
            probe(m, "/citizen/oidc/callback?code=a&state=b", CITIZEN_SECRETS)
        }
        ("GET", "/procedures/{code}/submit") => {
            probe(m, "/procedures/1.001193/submit?unit=ho-xa", &["Trần Văn Bình"])
        }
        ("POST", "/procedures/{code}/submit") => {
            probe(m, "/procedures/1.001193/submit?unit=ho-xa", &["Trần Văn Bình"])
        }
        ("GET", "/citizen/submissions") => probe(m, "/citizen/submissions", &["Trần Văn Bình"]),
        ("GET", "/citizen/submissions/{id}") => probe(
            m,
            &format!("/citizen/submissions/{citizen_draft}"),
            &["Trần Văn Bình"],
        ),
        ("POST", "/citizen/submissions/{id}") => Probe {
            form: vec![
                ("action", "save".to_owned()),
                ("applicant_name", "Trần Văn Bình".to_owned()),
            ],
            files: Some(Vec::new()),
            ..probe(m, &format!("/citizen/submissions/{citizen_draft}"), &["Trần Văn Bình"])
        },
        ("GET", "/citizen/dossiers/{code}") => {
            probe(m, &format!("/citizen/dossiers/{awaiting}"), &["Trần Văn Bình", "Đăng ký khai sinh"])
        }
        ("POST", "/citizen/dossiers/{code}/supplement") => Probe {
            form: vec![("doc_name_0", "Bản sao giấy chứng nhận kết hôn".to_owned())],
            files: Some(vec![("doc_file_0", "ket-hon.pdf", b"%PDF-1.7\n% ket hon\n%%EOF\n")]),
            ..probe(
                m,
                &format!("/citizen/dossiers/{awaiting}/supplement"),
                &["Trần Văn Bình"],
            )
        },
        // Online payment: without a gateway configured here, the attempt sends back to the
        // dossier's page and the gateway's routes answer 404; the receipt is the citizen's own.
        ("POST", "/citizen/dossiers/{code}/pay") => {
            probe(m, &format!("/citizen/dossiers/{approved}/pay"), &["Trần Văn Bình"])
        }
        ("GET", "/citizen/dossiers/{code}/receipt") => {
            probe(m, &format!("/citizen/dossiers/{approved}/receipt"), &["Trần Văn Bình"])
        }
        ("GET", "/payments/vnpay/ipn") => probe(
            m,
            &format!("/payments/vnpay/ipn?vnp_TxnRef={received}-1&vnp_Amount=100"),
            CITIZEN_SECRETS,
        ),
        ("GET", "/payments/vnpay/return") => probe(
            m,
            &format!("/payments/vnpay/return?vnp_TxnRef={received}-1"),
            CITIZEN_SECRETS,
        ),
        ("POST", "/dossiers/{code}/refund") => Probe {
            form: vec![
                ("txn_ref", format!("{received}-1")),
                ("amount", "50000".to_owned()),
                ("reason", "Nộp trùng".to_owned()),
            ],
            ..probe(m, &format!("/dossiers/{received}/refund"), &["Nguyễn Thị Hoa"])
        },
        ("GET", "/citizen/dossiers/{code}/result") => {
            probe(m, &format!("/citizen/dossiers/{approved}/result"), &["%PDF"])
        }
        // Ratings: a wrong link's token and a device that is no opened tablet see nothing of
        // the dossier.
        ("GET", "/rate/{code}") => probe(
            m,
            &format!("/rate/{approved}?t={}", "0".repeat(32)),
            &["Trần Văn Bình", "Đăng ký khai sinh"],
        ),
        ("POST", "/rate/{code}") => Probe {
            form: vec![
                ("t", "0".repeat(32)),
                ("rating", "dissatisfied".to_owned()),
            ],
            ..probe(m, &format!("/rate/{approved}"), &["Trần Văn Bình", "Đăng ký khai sinh"])
        },
        ("GET", "/kiosk") => probe(
            m,
            &format!("/kiosk?code={approved}"),
            &["Trần Văn Bình", "Đăng ký khai sinh"],
        ),
        ("POST", "/kiosk") => Probe {
            form: vec![
                ("code", approved.to_owned()),
                ("rating", "dissatisfied".to_owned()),
            ],
            ..probe(m, "/kiosk", &["Trần Văn Bình", "Đăng ký khai sinh"])
        },
        ("GET", "/assets/kiosk.js") => probe(m, "/assets/kiosk.js", &[]),
        ("GET", "/desk/kiosk") => probe(m, "/desk/kiosk?unit=ho-xa", &["Hồ Xá"]),
        ("POST", "/desk/kiosk") => Probe {
            form: vec![("unit", "ho-xa".to_owned())],
            ..probe(m, "/desk/kiosk", &["Hồ Xá"])
        },
        ("GET", "/admin/audit") => probe(m, "/admin/audit", &["district-admin", "login"]),
        ("GET", "/admin/audit.csv") => probe(m, "/admin/audit.csv", &["district-admin", "login"]),
        ("GET", "/admin/audit.xlsx") => {
            probe(m, "/admin/audit.xlsx", &["district-admin", "login"])
        }
        _ => return None,
    })
}

async fn send(client: &mut Client, p: &Probe) -> Result<Answer, Error> {
    let csrf = if client.cookies.contains_key("motcua_session") {
        client.csrf().await?
    } else if client.cookies.contains_key(common::citizen::COOKIE) {
        common::citizen::csrf(client).await?
    } else {
        String::new()
    };
    if let Some(files) = &p.files {
        // Pages read the token from the form, the API from its header.
        let form_csrf = (!p.uri.starts_with("/api/")).then_some(("csrf", csrf.as_str()));
        let fields: Vec<(&str, &str)> = p
            .form
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .chain(form_csrf)
            .collect();
        let files: Vec<(&str, &str, &[u8])> = files.iter().map(|(a, b, c)| (*a, *b, *c)).collect();
        return client
            .post_multipart(&p.uri, &fields, &files, &[("x-csrf-token", &csrf)])
            .await;
    }
    if let Some(json) = &p.json {
        return client
            .send(
                p.method.clone(),
                &p.uri,
                Some("application/json"),
                json.clone(),
                &[("x-csrf-token", &csrf)],
            )
            .await;
    }
    if p.method == Method::GET {
        return client.get(&p.uri).await;
    }
    let mut fields: Vec<(&str, &str)> = p.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fields.push(("csrf", &csrf));
    client.post(&p.uri, &fields).await
}

/// Outside its subtree a principal gets 404, whatever its role and the method: the answer of
/// something that does not exist (a 403 would tell that it does).
fn refused_without_data(a: &Answer, p: &Probe, who: &str) {
    assert!(
        a.status == StatusCode::NOT_FOUND,
        "{who}: {} {} answered {} instead of 404: {}",
        p.method,
        p.uri,
        a.status,
        a.body.chars().take(300).collect::<String>()
    );
    for s in &p.secrets {
        assert!(
            !a.body.contains(s.as_str()),
            "{who}: {} {} leaked «{s}»",
            p.method,
            p.uri,
        );
    }
}

fn anonymous_refused(a: &Answer, info: &RouteInfo, p: &Probe) {
    let ok = if info.path.starts_with("/api/") {
        a.status == StatusCode::UNAUTHORIZED
    } else if info.access == Access::Citizen {
        a.status == StatusCode::SEE_OTHER && a.location().starts_with("/citizen/sign-in")
    } else {
        a.status == StatusCode::SEE_OTHER && a.location().starts_with("/login")
    };
    assert!(
        ok,
        "anonymous {} {} answered {} {}",
        p.method,
        p.uri,
        a.status,
        a.location()
    );
    for s in &p.secrets {
        assert!(
            !a.body.contains(s.as_str()),
            "anonymous {}: leaked {s}",
            p.uri
        );
    }
}

async fn setup(url: &str) -> Result<SqlStore, Error> {
    let store = loaded(url).await?;
    let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
    for (name, unit, role) in [
        ("hoxa-reception", "ho-xa", Role::Reception),
        ("khe-viewer", "vinh-khe", Role::Viewer),
        // (Not `khe-reception`: the own-account probes change its password, ending its
        // sessions.)
        ("khe-desk", "vinh-khe", Role::Reception),
    ] {
        motcua_app::auth::create_user(&store, name, name, unit, role, PASSWORD, &ctx).await?;
    }
    Ok(store)
}

/// A code no dossier has.
const NO_SUCH_DOSSIER: &str = "HO-XA-240101-9999";

#[tokio::test]
async fn every_route_keeps_other_units_data_out_of_reach() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = setup(&db.url).await?;
        let calendar = motcua_app::calendar::load(&store)
            .await?
            .schedule(2024)?
            .to_json()?;
        let khe_token = motcua_app::auth::create_token(
            &store,
            "khe-integration",
            "vinh-khe",
            true,
            &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
        )
        .await?;
        let pending = common::pending_dossiers(&store, "ho-xa", 2).await?;
        let files = common::scan_files();
        let (received, sha256) = common::received_dossier(&store, &files, "ho-xa").await?;
        let (received_api, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        let (transfer, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        let citizen_account =
            common::citizen::account(&store, "Trần Văn Bình", "0912345678").await?;
        let submission = common::online::submitted(
            &store,
            &files,
            &citizen_account,
            "ho-xa",
            "2026-11-20T16:30:00+07:00",
        )
        .await?;
        let citizen_draft = common::online::draft(
            &store,
            &citizen_account,
            "ho-xa",
            "2026-11-20T16:00:00+07:00",
        )
        .await?;
        let (awaiting, approved) =
            common::online::dossiers(&store, &files, &citizen_account, "ho-xa").await?;
        // An e-receipt on the approved dossier, for the citizen's receipt page.
        store
            .issue_receipt(
                &motcua_core::fees::NewReceipt {
                    unit: motcua_core::unit::UnitCode::parse("ho-xa")?,
                    dossier: motcua_core::dossier::DossierCode::parse(&approved)
                        .ok_or("a dossier code")?,
                    form_symbol: "01BLP0-001".to_owned(),
                    series: "HX-26E".to_owned(),
                    amount_vnd: 50_000,
                    payment_channel: motcua_core::dossier::PaymentChannel::Offline,
                    issued_at: Timestamp::parse("2026-11-30T10:00:00+07:00")?,
                    fee_kind: None,
                },
                &motcua_testkit::ctx("test", Timestamp::parse("2026-11-30T10:00:00+07:00")?),
                None,
            )
            .await?;
        let codes = Codes {
            calendar_2024: calendar,
            pending: pending[0].clone(),
            pending_2: pending[1].clone(),
            received,
            received_api,
            sha256,
            submission: submission.id.0,
            submission_sha256: submission
                .data
                .components
                .iter()
                .find_map(|c| c.scan.as_ref().map(|x| x.sha256.clone()))
                .ok_or("a scanned component")?,
            citizen_draft: citizen_draft.id.0,
            awaiting,
            approved,
            transfer,
            petition: crate::petitions::submitted(&store, "ho-xa", "Phan Văn Hùng", 60).await?,
        };
        let mut district = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        let mut outsider = Client::signed_in(&store, "khe-admin", PASSWORD).await?;
        let mut token = Client::new(&store);
        token.bearer = Some(khe_token);
        // The commune's other roles, and its read-only token.
        let mut others = Vec::new();
        for name in ["khe-desk", "khe-specialist", "khe-viewer"] {
            others.push((name, Client::signed_in(&store, name, PASSWORD).await?));
        }
        let mut read_token = Client::new(&store);
        read_token.bearer = Some(
            motcua_app::auth::create_token(
                &store,
                "khe-report",
                "vinh-khe",
                false,
                &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
            )
            .await?,
        );
        others.push(("commune read token", read_token));
        let dossier_codes = [
            codes.pending.clone(),
            codes.pending_2.clone(),
            codes.received.clone(),
            codes.received_api.clone(),
            codes.transfer.clone(),
        ];

        let table = routes();
        assert!(table.len() >= 14, "the table lists every route");
        for route in &table {
            let info = &route.info;
            let p = probe_of(info, &codes).unwrap_or_else(|| {
                panic!(
                    "route {} {} has no probe in tests/access.rs: add one",
                    info.method, info.path
                )
            });
            let who = format!("{} {}", db.backend, info.path);

            if let Access::Home(_) = info.access {
                let mut anonymous = Client::new(&store);
                let a = send(&mut anonymous, &p).await?;
                assert_eq!(a.status, StatusCode::OK, "{who}: anonymous home");
                assert!(
                    a.body.contains("Cán bộ đăng nhập"),
                    "{who}: the public home"
                );
                assert!(
                    !a.body.contains("33,8%"),
                    "{who}: the public home shows figures"
                );
            } else if info.access != Access::Public {
                let mut anonymous = Client::new(&store);
                let a = send(&mut anonymous, &p).await?;
                anonymous_refused(&a, info, &p);
            }
            match info.access {
                Access::Public => {
                    let mut anonymous = Client::new(&store);
                    let a = send(&mut anonymous, &p).await?;
                    assert!(a.status != StatusCode::INTERNAL_SERVER_ERROR, "{who}");
                    for s in &p.secrets {
                        assert!(!a.body.contains(s.as_str()), "{who}: public page shows {s}");
                    }
                }
                Access::OwnAccount | Access::Global(_) => {
                    // Nothing of another unit to reach: the data is the caller's own
                    // account, or the national calendar. Signed-in callers are served.
                    let mut own = Client::signed_in(&store, "khe-reception", PASSWORD).await?;
                    let a = send(&mut own, &p).await?;
                    assert!(
                        a.status.is_success() || a.status.is_redirection(),
                        "{who}: {} {}",
                        a.status,
                        a.body
                    );
                }
                Access::Citizen => {
                    // An officer's session is no citizen's: sent to the citizens' sign-in.
                    let a = send(&mut district, &p).await?;
                    anonymous_refused(&a, info, &p);
                    // The citizen is served (their own data: `tests/web/citizens.rs` checks
                    // that one citizen reaches nothing of another's). A session each: one
                    // probe signs out.
                    let mut citizen = common::citizen::client(&store, &citizen_account).await?;
                    let a = send(&mut citizen, &p).await?;
                    assert!(
                        a.status.is_success() || a.status.is_redirection(),
                        "{who}: the citizen is refused: {} {}",
                        a.status,
                        a.body
                    );
                    assert!(
                        !a.location().starts_with("/citizen/sign-in"),
                        "{who}: the citizen is sent to sign in"
                    );
                }
                Access::Unit(_) | Access::Root(_) | Access::Home(_) => {
                    let a = send(&mut outsider, &p).await?;
                    refused_without_data(&a, &p, &format!("{who}: commune administrator"));
                    // The same request about a dossier that does not exist: the same answer.
                    if let Some(code) = dossier_codes.iter().find(|c| p.uri.contains(c.as_str())) {
                        let missing = Probe {
                            method: p.method.clone(),
                            uri: p.uri.replace(code.as_str(), NO_SUCH_DOSSIER),
                            form: p.form.clone(),
                            json: p.json.clone(),
                            files: p.files.clone(),
                            secrets: Vec::new(),
                        };
                        let b = send(&mut outsider, &missing).await?;
                        assert_eq!(
                            (a.status, a.body.replace(code.as_str(), "?")),
                            (b.status, b.body.replace(NO_SUCH_DOSSIER, "?")),
                            "{who}: another unit's dossier and no dossier answer alike"
                        );
                    }
                    let a = send(&mut token, &p).await?;
                    refused_without_data(&a, &p, &format!("{who}: commune token"));
                    for (name, client) in &mut others {
                        let a = send(client, &p).await?;
                        refused_without_data(&a, &p, &format!("{who}: commune {name}"));
                    }
                    let a = send(&mut district, &p).await?;
                    assert!(
                        a.status.is_success() || a.status.is_redirection(),
                        "{who}: the district administrator is refused: {} {}",
                        a.status,
                        a.body
                    );
                }
            }
        }

        // The account created by the district's probe exists; the commune's attempt made
        // none before it (the name was free when the district created it).
        let users = store.users().await?;
        assert_eq!(
            users
                .iter()
                .filter(|u| u.username.as_str() == "probe-user")
                .count(),
            1
        );

        // Lists are scoped too: the commune's own pages show nothing of other units.
        let a = outsider.get("/admin/users").await?;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains("khe-reception"));
        for other in ["hoxa-reception", "district-admin", "district-viewer"] {
            assert!(!a.body.contains(other), "{other} listed to a commune");
        }
        // (The district's probe received a dossier today, so name the fixture's month.)
        let a = outsider.get("/?month=2024-05").await?;
        assert_eq!(a.status, StatusCode::OK);
        assert!(
            a.body.contains("xã Vĩnh Khê – tháng 5/2024"),
            "{}",
            &a.body[..a.body.len().min(500)]
        );
        assert!(
            !a.body.contains("Hồ Xá"),
            "the unit selector offers only the commune"
        );
        let a = outsider.get("/api/indicators?month=2024-05").await?;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains("\"unit\":\"vinh-khe\""), "{}", a.body);
        store.close().await?;
    }
    Ok(())
}
