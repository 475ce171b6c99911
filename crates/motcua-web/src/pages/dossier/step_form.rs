//! The dossier page's step form, read into a [`Step`] by the same rules as the API's JSON:
//! the reason is a [`Reason`] (bounded, no control characters), the unit a `UnitCode`, the
//! new appointment an instant in Vietnam's time. The steps that cannot be undone or send the
//! dossier backwards need the form's confirmation box ticked.

use motcua_core::details::MAX_TEXT_CHARS;
use motcua_core::freetext::check_line;
use motcua_core::lifecycle::{Collector, Reason, Step, StepKind, SuppliedDocument};
use motcua_core::unit::UnitCode;
use serde::Deserialize;

/// How many supplied documents the supplement form offers lines for.
pub(super) const DOCUMENT_LINES: usize = 3;

/// What the step form sends (every field kept to show it again after a refusal).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct StepForm {
    pub(crate) csrf: String,
    pub(super) step: String,
    pub(super) reason: String,
    pub(super) result_digitized: String,
    /// Transfer: the unit.
    pub(super) to: String,
    /// Assignment: the specialist's user name.
    pub(super) assignee: String,
    /// Apology: the new appointment, `YYYY-MM-DDTHH:MM` in Vietnam's time.
    pub(super) new_due: String,
    /// The confirmation box of an irreversible step.
    pub(super) confirm: String,
    /// Return of the result: who collected it.
    pub(super) collector_name: String,
    pub(super) collector_id: String,
    pub(super) collector_relation: String,
    /// Supplement: the documents brought (name, originals, copies), up to [`DOCUMENT_LINES`].
    pub(super) doc_name_1: String,
    pub(super) doc_originals_1: String,
    pub(super) doc_copies_1: String,
    pub(super) doc_name_2: String,
    pub(super) doc_originals_2: String,
    pub(super) doc_copies_2: String,
    pub(super) doc_name_3: String,
    pub(super) doc_originals_3: String,
    pub(super) doc_copies_3: String,
}

/// A refusal of the form: the field it concerns (empty: the whole form) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn at(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// The new appointment as officers write it (`16:00 24/05/2024`, the way the page shows
/// times; the date first is fine too, and `2024-05-24T16:00` as an API client would send it),
/// read in Vietnam's time.
fn local_input(text: &str) -> Result<motcua_core::Timestamp, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("hãy nhập ngày giờ hẹn trả mới, ví dụ 16:00 24/05/2024".to_owned());
    }
    let invalid = || {
        format!(
            "ngày giờ «{t}» không hợp lệ: nhập dạng GIỜ:PHÚT NGÀY/THÁNG/NĂM, ví dụ 16:00 24/05/2024"
        )
    };
    let (date, clock) = match t.split_once('T') {
        Some((d, c)) if !t.contains(' ') => (d, c),
        _ => {
            let parts: Vec<&str> = t.split_whitespace().collect();
            match parts.as_slice() {
                [a, b] if a.contains(':') => (*b, *a),
                [a, b] if b.contains(':') => (*a, *b),
                _ => return Err(invalid()),
            }
        }
    };
    let date = motcua_core::display::parse_date(date).ok_or_else(invalid)?;
    let (h, m) = clock.split_once(':').ok_or_else(invalid)?;
    let (h, m): (u8, u8) = (
        h.trim().parse().map_err(|_| invalid())?,
        m.trim().parse().map_err(|_| invalid())?,
    );
    let time = time::Time::from_hms(h, m, 0).map_err(|_| invalid())?;
    motcua_core::Timestamp::parse(&format!(
        "{}T{:02}:{:02}:00+07:00",
        date,
        time.hour(),
        time.minute()
    ))
    .map_err(|_| invalid())
}

fn count(text: &str, what: &'static str) -> Result<u32, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    t.parse()
        .ok()
        .filter(|n| *n <= 99)
        .ok_or_else(|| at(what, format!("số bản «{t}» không hợp lệ: từ 0 đến 99")))
}

impl StepForm {
    /// The documents of a supplement, the lines with a name.
    fn documents(&self) -> Result<Vec<SuppliedDocument>, Vec<FieldError>> {
        let lines = [
            (&self.doc_name_1, &self.doc_originals_1, &self.doc_copies_1),
            (&self.doc_name_2, &self.doc_originals_2, &self.doc_copies_2),
            (&self.doc_name_3, &self.doc_originals_3, &self.doc_copies_3),
        ];
        let mut docs = Vec::new();
        let mut errors = Vec::new();
        for (name, originals, copies) in lines {
            if name.trim().is_empty() {
                continue;
            }
            if let Err(e) = check_line(name, MAX_TEXT_CHARS) {
                errors.push(at("documents", format!("tên giấy tờ {e}")));
            }
            match (count(originals, "documents"), count(copies, "documents")) {
                (Ok(o), Ok(c)) => docs.push(SuppliedDocument {
                    name: name.trim().to_owned(),
                    originals: o,
                    copies: c,
                }),
                (a, b) => errors.extend([a.err(), b.err()].into_iter().flatten()),
            }
        }
        if errors.is_empty() {
            Ok(docs)
        } else {
            Err(errors)
        }
    }

    /// The step the form asks for, or every reason it cannot be read (in Vietnamese, each
    /// beside its field).
    pub fn step(&self) -> Result<Step, Vec<FieldError>> {
        let kind = StepKind::parse(&self.step)
            .ok_or_else(|| vec![at("", format!("thao tác không hợp lệ: «{}»", self.step))])?;
        let mut errors = Vec::new();
        let reason = if kind.needs_reason() {
            match Reason::parse(&self.reason) {
                Ok(r) if !r.as_str().trim().is_empty() => Some(r),
                Ok(_) => {
                    errors.push(at("reason", "hãy ghi rõ lý do"));
                    None
                }
                Err(e) => {
                    errors.push(at("reason", e));
                    None
                }
            }
        } else {
            None
        };
        if kind.needs_confirmation() && self.confirm.is_empty() {
            errors.push(at(
                "confirm",
                "hãy đánh dấu ô xác nhận: thao tác này không hoàn tác được",
            ));
        }
        let flag = |v: &str| v == "on" || v == "true";
        let step = match kind {
            StepKind::StartProcessing => Some(Step::StartProcessing),
            StepKind::Assign => {
                if self.assignee.trim().is_empty() {
                    errors.push(at("assignee", "hãy chọn chuyên viên để chuyển xử lý"));
                }
                Some(Step::Assign {
                    to: self.assignee.trim().to_owned(),
                })
            }
            StepKind::Supplemented => match self.documents() {
                Ok(documents) => Some(Step::Supplemented { documents }),
                Err(e) => {
                    errors.extend(e);
                    None
                }
            },
            StepKind::Resume => Some(Step::Resume),
            StepKind::ProposeApproval => Some(Step::ProposeApproval {
                result_digitized: flag(&self.result_digitized),
            }),
            StepKind::Approve => Some(Step::Approve {
                result_digitized: flag(&self.result_digitized),
            }),
            StepKind::ReturnResult => {
                let (name, id) = (self.collector_name.trim(), self.collector_id.trim());
                if name.is_empty() {
                    errors.push(at("collector_name", "hãy ghi họ tên người nhận kết quả"));
                }
                if id.is_empty() {
                    errors.push(at(
                        "collector_id",
                        "hãy ghi số định danh người nhận kết quả",
                    ));
                }
                for (field, v) in [
                    ("collector_name", name),
                    ("collector_id", id),
                    ("collector_relation", self.collector_relation.trim()),
                ] {
                    if let Err(e) = check_line(v, MAX_TEXT_CHARS) {
                        errors.push(at(field, e.to_string()));
                    }
                }
                Some(Step::ReturnResult {
                    collected_by: Some(Collector {
                        name: name.to_owned(),
                        id_number: id.to_owned(),
                        relation: self.collector_relation.trim().to_owned(),
                    }),
                })
            }
            StepKind::Transfer => match UnitCode::parse(self.to.trim()) {
                Ok(to) => reason.clone().map(|reason| Step::Transfer { to, reason }),
                Err(_) => {
                    errors.push(at("to", "hãy chọn đơn vị nhận liên thông"));
                    None
                }
            },
            StepKind::Apologize => match local_input(&self.new_due) {
                Ok(new_due) => reason
                    .clone()
                    .map(|reason| Step::Apologize { new_due, reason }),
                Err(e) => {
                    errors.push(at("new_due", e));
                    None
                }
            },
            StepKind::RequestSupplement => reason
                .clone()
                .map(|reason| Step::RequestSupplement { reason }),
            StepKind::Suspend => reason.clone().map(|reason| Step::Suspend { reason }),
            StepKind::ProposeRejection => reason
                .clone()
                .map(|reason| Step::ProposeRejection { reason }),
            StepKind::SendBack => reason.clone().map(|reason| Step::SendBack { reason }),
            StepKind::Reject => reason.clone().map(|reason| Step::Reject { reason }),
            StepKind::Withdraw => reason.clone().map(|reason| Step::Withdraw { reason }),
        };
        match step {
            Some(step) if errors.is_empty() => Ok(step),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::local_input;

    #[test]
    fn the_new_appointment_is_read_as_officers_write_it() {
        let want = motcua_core::Timestamp::parse("2024-05-24T16:00:00+07:00").ok();
        for typed in [
            "16:00 24/05/2024",
            "24/5/2024 16:00",
            " 16:00  24/05/2024 ",
            "2024-05-24T16:00",
        ] {
            assert_eq!(local_input(typed).ok(), want, "{typed}");
        }
        for typed in [
            "",
            "mai",
            "25:00 24/05/2024",
            "16:00 31/02/2024",
            "16h 24/05/2024",
        ] {
            assert!(local_input(typed).is_err(), "{typed}");
        }
    }
}
