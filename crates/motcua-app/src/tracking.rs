//! Tracking a dossier from the public portal (tra cứu hồ sơ): a dossier's code and the
//! applicant's telephone or identification number give its state and history; anything else
//! gives nothing, and the same nothing whether the code exists or not.

use motcua_core::dossier::DossierCode;
use motcua_core::history::DossierEvent;
use motcua_store::{HeldDossier, SqlStore};

use crate::AppError;

/// A dossier its applicant tracks: the dossier, its lifecycle and details, and its history.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub held: HeldDossier,
    pub events: Vec<DossierEvent>,
}

/// The dossier of `code` when `proof` is its applicant's telephone or identification number
/// (`motcua_core::tracking::proves`); `None` for an unknown code, a code that is not a code,
/// a dossier without an applicant on record and a wrong proof alike.
pub async fn track(store: &SqlStore, code: &str, proof: &str) -> Result<Option<Tracked>, AppError> {
    let Some(code) = DossierCode::parse(code.trim()) else {
        return Ok(None);
    };
    let Some(held) = store.held_dossier(&code).await? else {
        return Ok(None);
    };
    let proven = held
        .details
        .as_ref()
        .is_some_and(|d| motcua_core::tracking::proves(&d.applicant, proof));
    if !proven {
        return Ok(None);
    }
    let events = store.dossier_events(&code).await?;
    Ok(Some(Tracked { held, events }))
}
