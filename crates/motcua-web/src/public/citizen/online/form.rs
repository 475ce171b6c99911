//! `GET /citizen/submissions/{id}`: the citizen's draft form (a draft, or one returned for
//! completion, with reception's reason), or once sent its receipt and state ("Đã nộp hồ
//! sơ": what was sent, when, what happens next); `POST` saves it ("Lưu nháp") or submits it
//! ("Nộp hồ sơ"). The files of a POST are stored and the draft saved first, so whatever the
//! answer the citizen never types or uploads anything twice; a submission refused for what
//! is missing comes back with every error at the top and beside its field. `GET
//! /citizen/submissions`: the citizen's submissions with their states.

use askama::Template;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::online::{self, DraftInput};
use motcua_core::details::Applicant;
use motcua_core::online::{
    Field, FieldError, Representation, Submission, SubmissionId, SubmissionState,
};

use super::procedure_name;
use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};
use crate::view::{local_time, size_text, unit_label};

struct Line {
    index: usize,
    name: String,
    copies: String,
    scan: String,
    error: String,
}

#[derive(Template)]
#[template(path = "public/citizen/online/form.html")]
struct FormPage {
    portal: String,
    visitor: Visitor,
    csrf: String,
    id: i64,
    procedure: String,
    unit: String,
    state: SubmissionState,
    state_label: &'static str,
    applicant: Applicant,
    request: String,
    lines: Vec<Line>,
    /// Submitted for another (the box ticked), whom for, and the paper's scan as shown.
    represented: bool,
    represented_name: String,
    represented_id_number: String,
    paper: String,
    /// Every error: (anchor, message), for the summary.
    errors: Vec<(String, String)>,
    notice: &'static str,
    reason: String,
    submitted: String,
    dossier: String,
}

impl FormPage {
    /// The error of a field, `""` when none.
    fn error(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, m)| m.as_str())
    }
}

async fn page(
    state: &AppState,
    citizen: &CitizenAuthed,
    s: &Submission,
    errors: Vec<FieldError>,
    notice: &'static str,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors: Vec<(String, String)> = errors
        .into_iter()
        .map(|e| (e.field.name(), e.message))
        .collect();
    let lines = s
        .data
        .components
        .iter()
        .enumerate()
        .map(|(index, c)| Line {
            index,
            name: c.name.clone(),
            copies: format!("{} bản chính, {} bản sao", c.originals, c.copies),
            scan: c
                .scan
                .as_ref()
                .map(|x| format!("{} ({})", x.file_name, size_text(x.size)))
                .unwrap_or_default(),
            error: errors
                .iter()
                .find(|(f, _)| *f == Field::Component(index).name())
                .map(|(_, m)| m.clone())
                .unwrap_or_default(),
        })
        .collect();
    let r = s.data.represented.clone().unwrap_or_default();
    let p = FormPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(Some(citizen)),
        csrf: citizen.csrf.clone(),
        id: s.id.0,
        procedure: procedure_name(state, s).await?,
        unit: unit_label(&tree, &s.unit),
        state: s.state,
        state_label: s.state.label_vi(),
        applicant: s.data.applicant.clone(),
        request: s.data.request.clone(),
        lines,
        represented: s.data.represented.is_some(),
        represented_name: r.name,
        represented_id_number: r.id_number,
        paper: r
            .paper
            .map(|x| format!("{} ({})", x.file_name, size_text(x.size)))
            .unwrap_or_default(),
        errors,
        notice,
        reason: s.reason.clone().unwrap_or_default(),
        submitted: s.submitted_at.map(local_time).unwrap_or_default(),
        dossier: s
            .dossier
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    };
    Ok((status, Html(p.render()?)).into_response())
}

/// `GET /citizen/submissions/{id}` (`?da-nop` after submitting, `?da-luu` after saving).
pub async fn show(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let s = online::own_submission(&state.store, citizen.citizen.id, SubmissionId(id)).await?;
    let notice = match query.as_deref() {
        Some("da-luu") => "Đã lưu nháp. Bạn có thể quay lại hoàn thiện và nộp sau.",
        _ => "",
    };
    page(&state, &citizen, &s, Vec::new(), notice).await
}

/// `POST /citizen/submissions/{id}`: save, or submit.
pub async fn save(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let form = crate::upload::read(multipart, &state.files).await?;
    citizen.check_csrf(form.text("csrf"))?;
    let sid = SubmissionId(id);
    let me = citizen.citizen.id;
    let ctx = citizen.ctx();
    let before = online::own_submission(&state.store, me, sid).await?;
    // The files first: each checked (size, type) and stored, or its error beside its line.
    let mut errors: Vec<FieldError> = Vec::new();
    let represented = form.text("represented") == "on";
    let field_of = |name: &str| match name {
        "authorisation_paper" if represented => Some(Field::AuthorisationPaper),
        _ => name
            .strip_prefix("component_")
            .and_then(|i| i.parse::<usize>().ok())
            .filter(|i| *i < before.data.components.len())
            .map(Field::Component),
    };
    for (field, message) in &form.oversized {
        if let Some(f) = field_of(field) {
            errors.push(FieldError::new(f, message.clone()));
        }
    }
    let mut scans = Vec::new();
    let mut paper = None;
    for upload in &form.files {
        let Some(field) = field_of(&upload.field) else {
            continue;
        };
        match state.files.put(&upload.file_name, &upload.bytes).await {
            Ok(scan) => match field {
                Field::Component(index) => scans.push((index, scan)),
                _ => paper = Some(scan),
            },
            Err(motcua_store::FileError::Io { .. }) => {
                return Err(AppError::Files("không lưu được tệp".to_owned()).into());
            }
            Err(e) => errors.push(FieldError::new(field, capital(&e.to_string()))),
        }
    }
    let text = |name: &str| form.text(name).to_owned();
    let input = DraftInput {
        applicant: Applicant {
            name: text("applicant_name"),
            id_number: text("applicant_id_number"),
            address: text("applicant_address"),
            phone: text("applicant_phone"),
            email: text("applicant_email"),
        },
        request: text("request"),
        scans,
        represented: represented.then(|| Representation {
            name: text("represented_name"),
            id_number: text("represented_id_number"),
            paper: None,
        }),
        paper,
    };
    let saved = match online::save_draft(&state.store, &state.files, me, sid, &input, &ctx).await {
        Ok(saved) => saved,
        Err(AppError::Incomplete(mut more)) => {
            // What was typed comes back as typed, with the bounds it broke.
            more.extend(errors);
            let mut shown = before.clone();
            shown.data.applicant = input.applicant.clone();
            shown.data.request = input.request.clone();
            shown.data.represented = input.represented.clone().map(|mut r| {
                r.paper = before
                    .data
                    .represented
                    .as_ref()
                    .and_then(|b| b.paper.clone());
                r
            });
            return page(&state, &citizen, &shown, more, "").await;
        }
        Err(e) => return Err(e.into()),
    };
    if !errors.is_empty() {
        return page(&state, &citizen, &saved, errors, "").await;
    }
    if form.text("action") != "submit" {
        return Ok(Redirect::to(&format!("/citizen/submissions/{id}?da-luu")).into_response());
    }
    let keep = DraftInput {
        applicant: saved.data.applicant.clone(),
        request: saved.data.request.clone(),
        scans: Vec::new(),
        represented: saved.data.represented.clone(),
        paper: None,
    };
    match online::submit(&state.store, &state.files, me, sid, &keep, &ctx).await {
        Ok(_) => Ok(Redirect::to(&format!("/citizen/submissions/{id}")).into_response()),
        Err(AppError::Incomplete(errors)) => page(&state, &citizen, &saved, errors, "").await,
        Err(e) => Err(e.into()),
    }
}

fn capital(text: &str) -> String {
    motcua_core::display::capitalise(text)
}

struct ListRow {
    href: String,
    procedure: String,
    unit: String,
    state: &'static str,
    when: String,
}

#[derive(Template)]
#[template(path = "public/citizen/online/list.html")]
struct ListPage {
    portal: String,
    visitor: Visitor,
    rows: Vec<ListRow>,
}

/// `GET /citizen/submissions`: the citizen's submissions, the latest changed first; an
/// accepted one links to its dossier.
pub async fn list(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let mine = online::my_submissions(&state.store, citizen.citizen.id).await?;
    let mut rows = Vec::with_capacity(mine.len());
    for s in &mine {
        rows.push(ListRow {
            href: match &s.dossier {
                Some(code) => format!("/citizen/dossiers/{code}"),
                None => format!("/citizen/submissions/{}", s.id),
            },
            procedure: procedure_name(&state, s).await?,
            unit: unit_label(&tree, &s.unit),
            state: s.state.label_vi(),
            when: local_time(s.updated_at),
        });
    }
    let p = ListPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(Some(&citizen)),
        rows,
    };
    Ok(Html(p.render()?).into_response())
}
