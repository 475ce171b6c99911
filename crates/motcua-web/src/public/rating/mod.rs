//! Citizens rating the service of their dossier (issue 19), from the portal: `link`
//! (`/rate/{code}`: the dossier's rating link or QR code, phone first, or the signed-in
//! citizen's own dossier) and `kiosk` (`/kiosk`: the desk's tablet, opened by a reception
//! officer, very large buttons, the dossier chosen by scanning its QR code or typing its
//! code). What both show and read is here: the three choices, the dossier in a few words, and
//! the form (`RatingForm`) read into a `motcua_core::rating::RatingInput` with every error
//! beside its field. The comment is optional, "Không hài lòng" included.

pub(crate) mod kiosk;
pub(crate) mod link;

use motcua_core::rating::{Rating, RatingChannel, RatingError, RatingInput};
use motcua_store::HeldDossier;
use serde::Deserialize;

use crate::catalogue::Tree;
use crate::view::{local_time, unit_label};

/// One of the three buttons.
pub(crate) struct Choice {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
    /// Its colour class: `very`, `ok`, `bad`.
    pub(crate) class: &'static str,
}

/// The three buttons, best first.
pub(crate) fn choices() -> Vec<Choice> {
    Rating::ALL
        .into_iter()
        .map(|r| Choice {
            value: r.as_str(),
            label: r.label_vi(),
            class: match r {
                Rating::VerySatisfied => "very",
                Rating::Satisfied => "ok",
                Rating::Dissatisfied => "bad",
            },
        })
        .collect()
}

/// The dossier as the rating page names it.
pub(crate) struct Facts {
    pub(crate) code: String,
    pub(crate) procedure: String,
    pub(crate) unit: String,
    pub(crate) resolved: String,
}

impl Facts {
    pub(crate) fn of(tree: &Tree, held: &HeldDossier) -> Self {
        let d = &held.dossier;
        Self {
            code: d.code.to_string(),
            procedure: tree
                .catalogue()
                .procedures
                .iter()
                .find(|p| p.code == d.procedure_code)
                .map_or_else(|| d.procedure_code.to_string(), |p| p.name.clone()),
            unit: unit_label(tree, &d.unit_code),
            resolved: d.resolved_at.map(local_time).unwrap_or_default(),
        }
    }
}

/// The rating form as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RatingForm {
    /// The dossier's code (the kiosk's form; the link's is in the path).
    pub(crate) code: String,
    /// The link's token.
    pub(crate) t: String,
    pub(crate) rating: String,
    pub(crate) comment: String,
    /// The citizen's session token, when signed in.
    pub(crate) csrf: String,
}

/// What the form's fields say is wrong, each beside its field.
#[derive(Debug, Default)]
pub(crate) struct FormErrors {
    pub(crate) rating: String,
    pub(crate) comment: String,
}

impl FormErrors {
    pub(crate) fn any(&self) -> bool {
        !(self.rating.is_empty() && self.comment.is_empty())
    }
}

/// Reads the form into a rating, or every error beside its field.
pub(crate) fn read(form: &RatingForm, channel: RatingChannel) -> Result<RatingInput, FormErrors> {
    match RatingInput::parse(&form.rating, &form.comment, channel) {
        Ok(input) => Ok(input),
        Err(e) => {
            let mut errors = FormErrors::default();
            // Both fields are checked, so that both errors show at once.
            if Rating::parse(&form.rating).is_none() {
                errors.rating = RatingError::NoRating.to_string();
            }
            if let Err(m) = motcua_core::rating::Comment::parse(&form.comment) {
                errors.comment = m;
            }
            if !errors.any() {
                errors.rating = e.to_string();
            }
            Err(errors)
        }
    }
}

/// What the page says once the dossier cannot be rated (any more): thanks for a rating
/// given, or why not yet.
pub(crate) fn closed_text(state: &Result<(), RatingError>) -> Option<String> {
    match state {
        Ok(()) => None,
        Err(RatingError::AlreadyRated) => None,
        Err(e) => Some(e.to_string()),
    }
}
