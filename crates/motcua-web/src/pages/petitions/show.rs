//! `GET /petitions/{code}`: a PAKN's page for an officer of its unit's subtree (outside it,
//! 404 as for a code no PAKN has): the content, the petitioner's contact (for the roles that
//! may see personal data), each stage with its deadline and whether it was met, the history,
//! and the step forms that apply now. `POST /petitions/{code}/step` takes one step; a step
//! refused shows the page again with the reason beside the field and what was typed kept.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_core::access::Action;
use motcua_core::display::{self, local_time};
use motcua_core::petition::{PetitionCode, PetitionState, PetitionStep};
use motcua_core::timestamp::Timestamp;
use motcua_core::unit::UnitCode;
use motcua_store::StoredPetition;
use serde::Deserialize;

use super::time_left;
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, UnitOption, unit_label, unit_options};
use crate::{AppState, Authed, WebError};

/// What a step form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct StepForm {
    csrf: String,
    /// The version the page showed: a step is written over it only.
    version: String,
    step: String,
    unit: String,
    officer: String,
    reason: String,
    question: String,
    text: String,
    of: String,
}

/// A step refused: the form as sent, the field the reason belongs beside (`""`: the form).
#[derive(Default)]
struct Refused {
    form: StepForm,
    field: &'static str,
    message: String,
}

struct Stage {
    name: &'static str,
    due: String,
    done: String,
    verdict: String,
    late: bool,
}

struct Event {
    at: String,
    label: &'static str,
    actor: String,
}

#[derive(Template)]
#[template(path = "petitions/show.html")]
struct ShowPage {
    nav: Nav,
    code: String,
    version: i64,
    kind: &'static str,
    subject: &'static str,
    unit: String,
    assignee: String,
    state: &'static str,
    received: String,
    content: String,
    name: String,
    /// Empty for the roles that may not see personal data.
    contact: String,
    personal: bool,
    dossier_code: String,
    refusal_reason: String,
    question: String,
    reply: String,
    answer: String,
    dissatisfied: bool,
    repeat_of: String,
    stages: Vec<Stage>,
    events: Vec<Event>,
    /// The steps offered now, by id.
    offered: Vec<&'static str>,
    units: Vec<UnitOption>,
    officers: Vec<(String, String, bool)>,
    done: String,
    refused: Refused,
}

impl ShowPage {
    fn offers(&self, step: &str) -> bool {
        self.offered.contains(&step)
    }

    fn mine(&self, step: &str) -> bool {
        self.refused.form.step == step && !self.refused.message.is_empty()
    }

    /// What was typed in a field of `step`'s form, when it was refused.
    fn typed(&self, step: &str, field: &str) -> &str {
        if !self.mine(step) {
            return "";
        }
        let f = &self.refused.form;
        match field {
            "reason" => &f.reason,
            "question" => &f.question,
            "text" => &f.text,
            "of" => &f.of,
            _ => "",
        }
    }

    /// What was typed in a refused step's form that is no longer offered (the PAKN moved on
    /// meanwhile), shown apart so that it is not lost.
    fn typed_elsewhere(&self) -> &str {
        let f = &self.refused.form;
        if self.refused.message.is_empty() || self.offers(&f.step) {
            return "";
        }
        [&f.reason, &f.question, &f.text, &f.of]
            .into_iter()
            .find(|t| !t.trim().is_empty())
            .map_or("", String::as_str)
    }

    /// The reason beside a field of `step`'s form.
    fn error(&self, step: &str, field: &str) -> &str {
        if self.mine(step) && self.refused.field == field {
            &self.refused.message
        } else {
            ""
        }
    }
}

/// The steps an officer may take in a state (the core refuses the others anyway).
fn offered(s: &StoredPetition) -> Vec<&'static str> {
    let p = &s.petition;
    let mut v = Vec::new();
    if !p.state.is_final() {
        v.push("assign");
    }
    match p.state {
        PetitionState::Received => v.extend(["admit", "refuse"]),
        PetitionState::Admitted => {
            if p.asked_at.is_none() {
                v.push("ask_for_more");
            }
            v.push("answer");
        }
        PetitionState::Answered => v.push("publish"),
        PetitionState::AwaitingPetitioner | PetitionState::Refused | PetitionState::Published => {}
    }
    if p.repeat_of.is_none() {
        v.push("mark_repeat");
    }
    v
}

fn event_label(step: &str) -> &'static str {
    match step {
        "received" => "Nhận phản ánh, kiến nghị",
        "assign" => "Phân công xử lý",
        "admit" => "Tiếp nhận xử lý",
        "refuse" => "Từ chối tiếp nhận",
        "ask_for_more" => "Đề nghị bổ sung thông tin",
        "reply" => "Người gửi bổ sung thông tin",
        "answer" => "Trả lời kết quả xử lý",
        "publish" => "Công khai kết quả xử lý",
        "dissatisfied" => "Người gửi không hài lòng",
        "mark_repeat" => "Đánh dấu trùng lặp",
        _ => "Cập nhật",
    }
}

fn stage(
    name: &'static str,
    due: Option<Timestamp>,
    done: Option<Timestamp>,
    left: impl Fn(Timestamp) -> (String, bool),
) -> Stage {
    let (verdict, late) = match (due, done) {
        (Some(due), Some(done)) if done > due => ("Quá hạn".to_owned(), true),
        (Some(_), Some(_)) => ("Đúng hạn".to_owned(), false),
        (Some(due), None) => left(due),
        (None, Some(_)) => ("Đã thực hiện".to_owned(), false),
        (None, None) => ("Tạm dừng tính thời gian".to_owned(), false),
    };
    Stage {
        name,
        due: due.map_or_else(|| "—".to_owned(), local_time),
        done: done.map_or_else(|| "Chưa thực hiện".to_owned(), local_time),
        verdict,
        late,
    }
}

async fn page(
    state: &AppState,
    authed: &Authed,
    code: &str,
    status: StatusCode,
    done: &str,
    refused: Refused,
) -> Result<Response, PageError> {
    let s = match motcua_app::petitions::for_officer(&state.store, &authed.principal, code).await {
        Ok(s) => s,
        Err(AppError::Refused(m)) => return Err(WebError::NotFound(m).into()),
        Err(e) => return Err(e.into()),
    };
    let tree = tree(&state.store).await?;
    let p = &s.petition;
    let calendars = motcua_app::calendar::load(&state.store).await?;
    let calendar = tree.get(&p.unit_code).map(|u| calendars.for_unit(u));
    let now = authed.at;
    let left = |due: Timestamp| match &calendar {
        Some(c) => time_left(c, now, due),
        None if due < now => ("Quá hạn".to_owned(), true),
        None => (String::new(), false),
    };
    let d = &p.deadlines;
    let refused_now = p.state == PetitionState::Refused;
    let mut stages = vec![stage(
        "Xem xét tiếp nhận",
        Some(d.decide),
        p.decided_at,
        left,
    )];
    if p.asked_at.is_some() {
        stages.push(stage(
            "Đề nghị bổ sung thông tin",
            Some(d.ask),
            p.asked_at,
            left,
        ));
    }
    if !refused_now {
        stages.push(stage("Trả lời", d.answer, p.answered_at, left));
        if p.answered_at.is_some() {
            stages.push(stage("Công khai kết quả", d.publish, p.published_at, left));
        }
    }
    let names: HashMap<String, String> = state
        .store
        .users()
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|u| (u.username.as_str().to_owned(), u.display_name))
        .collect();
    let person = |actor: &str| match actor.strip_prefix("user:") {
        Some(u) => names.get(u).cloned().unwrap_or_else(|| u.to_owned()),
        None if actor == "visitor" => "Người gửi".to_owned(),
        None => actor.to_owned(),
    };
    let events = state
        .store
        .petition_events(&p.code)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|e| Event {
            at: local_time(e.at),
            label: event_label(&e.step),
            actor: person(&e.actor),
        })
        .collect();
    let officers = motcua_app::desk::specialists(&state.store, &p.unit_code)
        .await?
        .into_iter()
        .map(|o| {
            let selected = p.assignee.as_deref() == Some(o.username.as_str());
            (o.username, o.display_name, selected)
        })
        .collect();
    let personal = authed.principal.may(Action::ViewPersonalData);
    let page = ShowPage {
        nav: Nav::new(authed, &tree),
        code: p.code.to_string(),
        version: s.version,
        kind: p.kind.label_vi(),
        subject: p.subject.label_vi(),
        unit: display::capitalise(&unit_label(&tree, &p.unit_code)),
        assignee: p.assignee.as_deref().map(&person).unwrap_or_default(),
        state: p.state.label_vi(),
        received: local_time(p.received_at),
        content: p.content.clone(),
        name: p.name.clone(),
        contact: if personal {
            p.contact.as_str().to_owned()
        } else {
            String::new()
        },
        personal,
        dossier_code: p
            .dossier_code
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        refusal_reason: p.refusal_reason.clone().unwrap_or_default(),
        question: p.question.clone().unwrap_or_default(),
        reply: p.reply.clone().unwrap_or_default(),
        answer: p.answer.clone().unwrap_or_default(),
        dissatisfied: p.dissatisfied_at.is_some(),
        repeat_of: p
            .repeat_of
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        stages,
        events,
        offered: offered(&s),
        units: unit_options(&tree, &authed.principal.unit, &p.unit_code),
        officers,
        done: match done {
            "" => String::new(),
            id => format!("Đã ghi nhận: {}.", event_label(id)),
        },
        refused,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /petitions/{code}` (`?done=STEP` after a step).
pub async fn show(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let done = query
        .as_deref()
        .and_then(|q| q.strip_prefix("done="))
        .filter(|s| s.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .unwrap_or_default();
    page(
        &state,
        &authed,
        &code,
        StatusCode::OK,
        done,
        Refused::default(),
    )
    .await
}

/// The step a form asks for, or the field it lacks and why.
fn step_of(f: &StepForm) -> Result<PetitionStep, (&'static str, String)> {
    let need = |field: &'static str, value: &str, what: &str| {
        if value.trim().is_empty() {
            Err((field, format!("Nhập {what}")))
        } else {
            Ok(value.trim().to_owned())
        }
    };
    Ok(match f.step.as_str() {
        "assign" => PetitionStep::Assign {
            unit: UnitCode::parse(f.unit.trim())
                .map_err(|_| ("unit", "Chọn đơn vị xử lý trong danh sách".to_owned()))?,
            officer: Some(f.officer.trim().to_owned()).filter(|o| !o.is_empty()),
        },
        "admit" => PetitionStep::Admit,
        "refuse" => PetitionStep::Refuse {
            reason: need("reason", &f.reason, "lý do từ chối tiếp nhận")?,
        },
        "ask_for_more" => PetitionStep::AskForMore {
            question: need("question", &f.question, "nội dung đề nghị bổ sung")?,
        },
        "answer" => PetitionStep::Answer {
            text: need("text", &f.text, "nội dung trả lời")?,
        },
        "publish" => PetitionStep::Publish,
        "mark_repeat" => {
            let of = need("of", &f.of, "mã phản ánh, kiến nghị trước đó")?;
            PetitionStep::MarkRepeat {
                of: PetitionCode::parse(&of).ok_or_else(|| {
                    (
                        "of",
                        format!("«{of}» không phải là mã phản ánh, kiến nghị, ví dụ PAKN-HO-XA-241120-0001"),
                    )
                })?,
            }
        }
        _ => return Err(("", "Thao tác không có trên trang này".to_owned())),
    })
}

/// The field a step's refusal is shown beside.
fn main_field(step: &str) -> &'static str {
    match step {
        "refuse" => "reason",
        "ask_for_more" => "question",
        "answer" => "text",
        "mark_repeat" => "of",
        "assign" => "unit",
        _ => "",
    }
}

/// `POST /petitions/{code}/step`.
pub async fn step(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let refuse = |status, field, message: String, form: StepForm| {
        let refused = Refused {
            form,
            field,
            message,
        };
        (status, refused)
    };
    let step = match step_of(&form) {
        Ok(step) => step,
        Err((field, message)) => {
            let (status, refused) = refuse(StatusCode::BAD_REQUEST, field, message, form);
            return page(&state, &authed, &code, status, "", refused).await;
        }
    };
    let version: i64 = form.version.trim().parse().unwrap_or(-1);
    match motcua_app::petitions::officer_step(
        &state.store,
        &authed.principal,
        &code,
        version,
        &step,
        &authed.ctx(),
    )
    .await
    {
        Ok(s) => Ok(Redirect::to(&format!(
            "/petitions/{}?done={}",
            s.petition.code,
            step.id()
        ))
        .into_response()),
        Err(AppError::Refused(m)) => {
            let field = main_field(&form.step);
            let message = display::capitalise(&m);
            let (status, refused) = refuse(StatusCode::CONFLICT, field, message, form);
            page(&state, &authed, &code, status, "", refused).await
        }
        Err(e) => Err(e.into()),
    }
}
