//! `GET /citizen/dossiers/{code}`: the citizen's own dossier, its state and timeline in
//! plain words (`public::track_view`, as tracking shows it); when the handling unit asked for
//! a supplement, the form that answers it online (`POST …/supplement`: the documents with
//! their scans, which takes the `Supplemented` step: the clock resumes); when the dossier is
//! toàn trình, approved and its result digitized, the result to download (`GET …/result`);
//! once the result exists, the way to rate the service (`/rate/{code}`), or the rating given.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::online::{self, SuppliedScan};
use motcua_core::lifecycle::{Status, Step};

use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::track_view::{self, Line};
use crate::public::{Visitor, portal_name};
use crate::view::{local_time, unit_label};

/// The documents the supplement form offers at once.
const SUPPLEMENT_LINES: usize = 3;

/// A line of the supplement form: its number (from 1) and the name typed.
struct DocLine {
    index: usize,
    number: usize,
    name: String,
}

#[derive(Template)]
#[template(path = "public/citizen/online/dossier.html")]
struct DossierPage {
    portal: String,
    visitor: Visitor,
    csrf: String,
    code: String,
    procedure: String,
    unit: String,
    status: &'static str,
    received: String,
    due: String,
    timeline: Vec<Line>,
    /// The reason of the supplement asked for, when one waits.
    supplement: Option<String>,
    docs: Vec<DocLine>,
    error: String,
    result: String,
    /// The fee in đồng (`50.000`), empty when there is none.
    fee: String,
    /// Whether the fee can be paid online now (due, and a gateway configured).
    payable: bool,
    /// The fee paid: when and how (`20/05/2024 09:03, trực tuyến`); empty when not.
    paid: String,
    /// The e-receipt's number, once issued.
    receipt: String,
    /// The citizen's rating once given (`Hài lòng`), or whether the page offers to rate
    /// (the result exists, not rated yet: issue 19).
    rating: String,
    may_rate: bool,
}

async fn page(
    state: &AppState,
    citizen: &CitizenAuthed,
    code: &str,
    typed: Vec<String>,
    error: String,
) -> Result<Response, PageError> {
    let tracked = online::my_dossier(&state.store, citizen.citizen.id, code).await?;
    let tree = tree(&state.store).await?;
    let held = &tracked.held;
    let d = &held.dossier;
    let procedure = state
        .store
        .procedures()
        .await
        .map_err(AppError::from)?
        .into_iter()
        .find(|p| p.code == d.procedure_code)
        .map_or_else(|| d.procedure_code.to_string(), |p| p.name);
    let supplement = (held.lifecycle.status == Status::AwaitingSupplement).then(|| {
        tracked
            .events
            .iter()
            .rev()
            .find_map(|e| match &e.detail {
                motcua_core::history::EventDetail::Step(s) => match &s.step {
                    Step::RequestSupplement { reason } => Some(reason.as_str().to_owned()),
                    _ => None,
                },
                _ => None,
            })
            .unwrap_or_default()
    });
    let receipt = state
        .store
        .dossier_receipts(&d.code)
        .await
        .map_err(AppError::from)?
        .pop()
        .map(|r| r.number_text())
        .unwrap_or_default();
    let paid = d.paid_at.map_or_else(String::new, |t| {
        let how = match d.payment_channel {
            Some(motcua_core::dossier::PaymentChannel::Online) => "trực tuyến",
            _ => "tại Bộ phận Một cửa",
        };
        format!("{}, {how}", local_time(t))
    });
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = DossierPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(Some(citizen)),
        csrf: citizen.csrf.clone(),
        code: d.code.to_string(),
        procedure,
        unit: unit_label(&tree, &d.unit_code),
        status: held.lifecycle.status.name_vi(),
        received: local_time(d.received_at),
        due: local_time(d.due_at),
        timeline: track_view::lines(&tracked.events, &tree),
        supplement,
        docs: (0..SUPPLEMENT_LINES)
            .map(|index| DocLine {
                index,
                number: index + 1,
                name: typed.get(index).cloned().unwrap_or_default(),
            })
            .collect(),
        error,
        result: online::result_downloadable(held)
            .map(|s| s.file_name.clone())
            .unwrap_or_default(),
        fee: if d.fee_vnd > 0 {
            motcua_core::display::count(d.fee_vnd as u64)
        } else {
            String::new()
        },
        payable: state.payments("").is_some() && motcua_app::payments::not_payable(held).is_none(),
        paid,
        receipt,
        rating: d
            .rating
            .map(|r| r.label_vi().to_owned())
            .unwrap_or_default(),
        may_rate: motcua_core::rating::may_rate(d).is_ok(),
    };
    Ok((status, Html(p.render()?)).into_response())
}

/// `GET /citizen/dossiers/{code}`.
pub async fn show(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    page(&state, &citizen, &code, Vec::new(), String::new()).await
}

/// `POST /citizen/dossiers/{code}/supplement`: the documents asked for, each named with its
/// scan.
pub async fn supplement(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    Path(code): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let form = crate::upload::read(multipart, &state.files).await?;
    citizen.check_csrf(form.text("csrf"))?;
    // Another citizen's dossier answers as none, before anything is stored.
    online::my_dossier(&state.store, citizen.citizen.id, &code).await?;
    let typed: Vec<String> = (0..SUPPLEMENT_LINES)
        .map(|i| form.text(&format!("doc_name_{i}")).trim().to_owned())
        .collect();
    if let Some((_, message)) = form.oversized.first() {
        return page(&state, &citizen, &code, typed, message.clone()).await;
    }
    let mut supplied = Vec::new();
    for (i, name) in typed.iter().enumerate() {
        let file = form.file(&format!("doc_file_{i}"));
        match (name.is_empty(), file) {
            (true, None) => continue,
            (false, None) => {
                let m = format!("Chọn tệp bản quét của «{name}»");
                return page(&state, &citizen, &code, typed.clone(), m).await;
            }
            (true, Some(_)) => {
                let m = format!("Ghi tên giấy tờ của tệp thứ {}", i + 1);
                return page(&state, &citizen, &code, typed.clone(), m).await;
            }
            (false, Some(f)) => match state.files.put(&f.file_name, &f.bytes).await {
                Ok(scan) => supplied.push(SuppliedScan {
                    name: name.clone(),
                    scan,
                }),
                Err(motcua_store::FileError::Io { .. }) => {
                    return Err(AppError::Files("không lưu được tệp".to_owned()).into());
                }
                Err(e) => {
                    let m = motcua_core::display::capitalise(&e.to_string());
                    return page(&state, &citizen, &code, typed.clone(), m).await;
                }
            },
        }
    }
    if supplied.is_empty() {
        let m = "Tải lên ít nhất một giấy tờ bổ sung, kèm tên giấy tờ".to_owned();
        return page(&state, &citizen, &code, typed, m).await;
    }
    match online::supplement(
        &state.store,
        &state.files,
        citizen.citizen.id,
        &code,
        &supplied,
        &citizen.ctx(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/citizen/dossiers/{code}")).into_response()),
        Err(AppError::Refused(m)) => {
            page(
                &state,
                &citizen,
                &code,
                typed,
                motcua_core::display::capitalise(&m),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /citizen/dossiers/{code}/result`: the digitized result, as an attachment.
pub async fn result(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let (scan, bytes) =
        online::download_result(&state.store, &state.files, citizen.citizen.id, &code)
            .await
            .map_err(|e| match e {
                AppError::Refused(m) => crate::error::WebError::NotFound(m),
                other => other.into(),
            })?;
    Ok(crate::pages::dossier::scan_response(&scan, bytes))
}
