//! The dossier page's step form, read into a [`Step`] by the same rules as the API's JSON:
//! the reason is a [`Reason`] (bounded, no control characters), the unit a `UnitCode`, the
//! new appointment an instant in Vietnam's time.

use motcua_core::lifecycle::{Reason, Step};
use motcua_core::unit::UnitCode;
use serde::Deserialize;

/// What the step form sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    pub(crate) csrf: String,
    step: String,
    reason: String,
    result_digitized: String,
    /// Transfer: the unit.
    to: String,
    /// Apology: the new appointment, `YYYY-MM-DDTHH:MM` in Vietnam's time.
    new_due: String,
}

/// A `datetime-local` field's value (`2024-05-24T16:00`), read in Vietnam's time.
fn local_input(text: &str) -> Result<motcua_core::Timestamp, String> {
    let t = text.trim();
    motcua_core::Timestamp::parse(&format!("{t}:00+07:00"))
        .map_err(|_| format!("ngày giờ không hợp lệ: «{t}»"))
}

impl StepForm {
    /// The step the form asks for, or why it cannot be read (in Vietnamese).
    pub fn step(&self) -> Result<Step, String> {
        let reason = || Reason::parse(&self.reason);
        Ok(match self.step.as_str() {
            "start_processing" => Step::StartProcessing,
            "request_supplement" => Step::RequestSupplement { reason: reason()? },
            "supplemented" => Step::Supplemented,
            "suspend" => Step::Suspend { reason: reason()? },
            "resume" => Step::Resume,
            "approve" => Step::Approve {
                result_digitized: self.result_digitized == "on" || self.result_digitized == "true",
            },
            "reject" => Step::Reject { reason: reason()? },
            "return_result" => Step::ReturnResult,
            "withdraw" => Step::Withdraw { reason: reason()? },
            "transfer" => Step::Transfer {
                to: UnitCode::parse(self.to.trim())
                    .map_err(|_| "hãy chọn đơn vị nhận liên thông".to_owned())?,
                reason: reason()?,
            },
            "apologize" => Step::Apologize {
                new_due: local_input(&self.new_due)?,
                reason: reason()?,
            },
            other => return Err(format!("thao tác không hợp lệ: «{other}»")),
        })
    }
}
