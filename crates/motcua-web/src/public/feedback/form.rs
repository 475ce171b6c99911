//! `GET /feedback` and `POST /feedback`: the public form "Gửi phản ánh, kiến nghị". Every
//! error is beside its field and nothing typed is lost; once sent, the page shows the PAKN's
//! code, the date by which it is decided and how to follow it.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::petitions::{self, SubmitError};
use motcua_core::access::AuditContext;
use motcua_core::petition::{FormField, PetitionForm, PetitionKind, PetitionSubject};

use crate::authed::remote_addr;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};
use crate::view::local_time;
use crate::{AppState, WebError};

/// Too many sends from one address.
const THROTTLED: &str =
    "Bạn đã gửi quá nhiều lần trong thời gian ngắn. Vui lòng đợi vài phút rồi thử lại.";

pub(crate) struct Choice {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// The errors of the form, one per field (empty when none).
#[derive(Default)]
pub(crate) struct Errors {
    pub(crate) unit: String,
    pub(crate) kind: String,
    pub(crate) subject: String,
    pub(crate) content: String,
    pub(crate) name: String,
    pub(crate) contact: String,
    pub(crate) dossier_code: String,
}

impl Errors {
    fn of(list: Vec<(FormField, String)>) -> Self {
        let mut e = Self::default();
        for (field, message) in list {
            let slot = match field {
                FormField::Unit => &mut e.unit,
                FormField::Kind => &mut e.kind,
                FormField::Subject => &mut e.subject,
                FormField::Content => &mut e.content,
                FormField::Name => &mut e.name,
                FormField::Contact => &mut e.contact,
                FormField::DossierCode => &mut e.dossier_code,
            };
            if slot.is_empty() {
                *slot = message;
            }
        }
        e
    }

    /// `(field id, message)` of every error, in the form's order, for the summary.
    pub(crate) fn list(&self) -> Vec<(&'static str, &str)> {
        [
            ("unit", &self.unit),
            ("kind-phan_anh", &self.kind),
            ("subject", &self.subject),
            ("content", &self.content),
            ("name", &self.name),
            ("contact", &self.contact),
            ("dossier_code", &self.dossier_code),
        ]
        .into_iter()
        .filter(|(_, m)| !m.is_empty())
        .map(|(id, m)| (id, m.as_str()))
        .collect()
    }
}

/// What the page shows once the PAKN is sent.
pub(crate) struct Sent {
    pub(crate) code: String,
    pub(crate) unit: String,
    pub(crate) decide_by: String,
    pub(crate) answer_by: String,
}

#[derive(Template)]
#[template(path = "public/feedback/form.html")]
struct FeedbackPage {
    portal: String,
    visitor: Visitor,
    units: Vec<Choice>,
    kinds: Vec<Choice>,
    subjects: Vec<Choice>,
    form: PetitionForm,
    errors: Errors,
    notice: &'static str,
    sent: Option<Sent>,
}

impl FeedbackPage {
    fn has_errors(&self) -> bool {
        !self.errors.list().is_empty()
    }
}

fn render(status: StatusCode, page: &FeedbackPage) -> Result<Response, PageError> {
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}

async fn page(
    state: &AppState,
    citizen: Option<&CitizenAuthed>,
    form: PetitionForm,
) -> Result<FeedbackPage, PageError> {
    let tree = tree(&state.store).await?;
    let units = tree
        .iter_preorder()
        .map(|u| Choice {
            id: u.code.to_string(),
            label: format!("{} {}", u.label, u.short_name),
            selected: u.code.as_str() == form.unit,
        })
        .collect();
    let kinds = PetitionKind::ALL
        .iter()
        .map(|k| Choice {
            id: k.id().to_owned(),
            label: k.label_vi().to_owned(),
            selected: k.id() == form.kind,
        })
        .collect();
    let subjects = PetitionSubject::ALL
        .iter()
        .map(|k| Choice {
            id: k.id().to_owned(),
            label: k.label_vi().to_owned(),
            selected: k.id() == form.subject,
        })
        .collect();
    Ok(FeedbackPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(citizen),
        units,
        kinds,
        subjects,
        form,
        errors: Errors::default(),
        notice: "",
        sent: None,
    })
}

/// `GET /feedback`.
pub async fn form(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
) -> Result<Response, PageError> {
    let page = page(&state, citizen.as_ref(), PetitionForm::default()).await?;
    render(StatusCode::OK, &page)
}

/// `POST /feedback`: sent, or the form again with its errors.
pub async fn send(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Form(form): Form<PetitionForm>,
) -> Result<Response, PageError> {
    let mut page = page(&state, citizen.as_ref(), form).await?;
    let key = remote_addr(&parts).unwrap_or_else(|| "unknown".to_owned());
    if state.track_limiter.check_key(&key).is_err() {
        tracing::warn!(addr = %key, "feedback rate limit reached");
        page.notice = THROTTLED;
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let ctx = AuditContext {
        actor: "visitor".to_owned(),
        remote_addr: Some(key),
        at: state.now()?,
    };
    match petitions::submit(&state.store, &page.form, &ctx).await {
        Ok(p) => {
            let tree = tree(&state.store).await?;
            page.sent = Some(Sent {
                code: p.code.to_string(),
                unit: crate::view::unit_label(&tree, &p.unit_code),
                decide_by: local_time(p.deadlines.decide),
                answer_by: p.deadlines.answer.map(local_time).unwrap_or_default(),
            });
            render(StatusCode::OK, &page)
        }
        Err(SubmitError::Fields(list)) => {
            page.errors = Errors::of(list);
            render(StatusCode::BAD_REQUEST, &page)
        }
        Err(SubmitError::App(e)) => Err(e.into()),
    }
}
