//! Citizens rating the service of their dossier (issue 19): once the result exists, once per
//! dossier, online or on the desk's tablet.
//!
//! What proves that the rater may rate a dossier ([`RatingProof`]):
//! - the dossier's rating link (its QR code), which carries a token: the first 16 bytes of an
//!   HMAC-SHA256 of the dossier's code under a key generated once and kept as a setting
//!   ([`rating_token`]). The link grants nothing but this one rating, so the key is no sign-in
//!   credential; it is created by the first link asked for, audited without its value;
//! - the signed-in citizen who submitted the dossier;
//! - a tablet of the desk opened by a reception officer ([`open_kiosk`]): a random token in
//!   the device's cookie, stored as its SHA-256, bound to the officer's unit for
//!   [`KIOSK_HOURS`]; it rates that unit's dossiers by their code alone.
//!
//! A wrong proof answers as an unknown dossier. [`ratable`] says what the pages show before
//! the rating, [`rate_dossier`] records it (the dossier's `rating`, its event, its audit
//! record and the aggregates, through the store's `apply_change`, with the comment).

use hmac::{Hmac, KeyInit, Mac};
use motcua_core::Timestamp;
use motcua_core::access::{Action, AuditContext, Principal};
use motcua_core::citizen::CitizenId;
use motcua_core::dossier::DossierCode;
use motcua_core::rating::{RatingError, RatingInput, may_rate};
use motcua_core::unit::UnitCode;
use motcua_store::{Change, HeldDossier, SqlStore, StoredRating};
use sha2::Sha256;

use crate::AppError;
use crate::auth::{random_secret, secret_hash};

/// How long a tablet opened for ratings stays open: a working day.
pub const KIOSK_HOURS: i64 = 12;

/// The bytes of the HMAC kept in a rating link's token.
const TOKEN_BYTES: usize = 16;

/// What proves that the rater may rate the dossier.
#[derive(Debug, Clone, Copy)]
pub enum RatingProof<'a> {
    /// The token of the dossier's rating link.
    Link(&'a str),
    /// The signed-in citizen's account.
    Citizen(CitizenId),
    /// The cookie of a tablet of the desk.
    Kiosk(&'a str),
}

/// A dossier a rater may see on the rating page: the dossier, and whether it may be rated
/// now (its result exists and it has no rating), with the rating given when it has one.
#[derive(Debug, Clone)]
pub struct Ratable {
    pub held: HeldDossier,
    pub state: Result<(), RatingError>,
    pub given: Option<StoredRating>,
}

fn mac(key: &str, code: &DossierCode) -> Result<Hmac<Sha256>, AppError> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes())
        .map_err(|e| AppError::Refused(format!("khóa đường dẫn đánh giá: {e}")))?;
    mac.update(b"motcua-rating:");
    mac.update(code.as_str().as_bytes());
    Ok(mac)
}

async fn link_key(store: &SqlStore, at: Timestamp) -> Result<String, AppError> {
    let ctx = AuditContext {
        actor: "system:ratings".to_owned(),
        remote_addr: None,
        at,
    };
    Ok(store.rating_link_key(&random_secret()?, &ctx).await?)
}

/// The token of the rating link of `code` (32 hexadecimal digits).
pub async fn rating_token(
    store: &SqlStore,
    code: &DossierCode,
    at: Timestamp,
) -> Result<String, AppError> {
    let key = link_key(store, at).await?;
    let tag = mac(&key, code)?.finalize().into_bytes();
    Ok(tag
        .iter()
        .take(TOKEN_BYTES)
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The rating link of `code` under the portal's address `base` (`https://…`, without a final
/// `/`): `BASE/rate/CODE?t=TOKEN`, what the web's `GET /rate/{code}` opens.
pub async fn rating_link(
    store: &SqlStore,
    base: &str,
    code: &DossierCode,
    at: Timestamp,
) -> Result<String, AppError> {
    // Dossier codes are letters, digits, `.` and `-`, the token hexadecimal: nothing to escape.
    let token = rating_token(store, code, at).await?;
    Ok(format!(
        "{}/rate/{code}?t={token}",
        base.trim_end_matches('/')
    ))
}

fn token_bytes(token: &str) -> Option<Vec<u8>> {
    let token = token.trim();
    if token.len() != TOKEN_BYTES * 2 || !token.is_ascii() {
        return None;
    }
    (0..TOKEN_BYTES)
        .map(|i| u8::from_str_radix(&token[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// Opens the device of a reception officer's request as a tablet for ratings at the desk of
/// `unit` (the officer's own or one below it): returns the token for its cookie (stored only
/// as its SHA-256).
pub async fn open_kiosk(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    ctx: &AuditContext,
) -> Result<String, AppError> {
    if !principal.may(Action::ReceiveDossier) {
        return Err(motcua_core::access::Denied::Action.into());
    }
    let tree = store.catalogue().await?;
    if !tree.tree.is_within(unit, &principal.unit) {
        return Err(AppError::UnknownUnit(unit.to_string()));
    }
    let token = random_secret()?;
    let expires = Timestamp::from_micros(ctx.at.as_micros() + KIOSK_HOURS * 3_600_000_000);
    store
        .open_kiosk(&secret_hash(&token), unit, expires, ctx)
        .await?;
    Ok(token)
}

/// The unit of the tablet whose cookie is `token`, while it is open.
pub async fn kiosk_unit(
    store: &SqlStore,
    token: &str,
    at: Timestamp,
) -> Result<Option<UnitCode>, AppError> {
    Ok(store.kiosk_unit(&secret_hash(token), at).await?)
}

/// The dossier of `code` if `proof` proves that its rater may see it (`None` for an unknown
/// code and a wrong proof alike), with whether it may be rated now.
pub async fn ratable(
    store: &SqlStore,
    code: &str,
    proof: RatingProof<'_>,
    at: Timestamp,
) -> Result<Option<Ratable>, AppError> {
    let Some(code) = DossierCode::parse(code.trim()) else {
        return Ok(None);
    };
    let Some(held) = store.held_dossier(&code).await? else {
        return Ok(None);
    };
    let proven = match proof {
        RatingProof::Link(token) => match token_bytes(token) {
            Some(tag) => {
                let key = link_key(store, at).await?;
                mac(&key, &code)?.verify_truncated_left(&tag).is_ok()
            }
            None => false,
        },
        RatingProof::Citizen(id) => held.citizen == Some(id),
        RatingProof::Kiosk(token) => {
            kiosk_unit(store, token, at).await?.as_ref() == Some(&held.dossier.unit_code)
        }
    };
    if !proven {
        return Ok(None);
    }
    let state = may_rate(&held.dossier);
    let given = match held.dossier.rating {
        Some(_) => store.dossier_rating(&code).await?,
        None => None,
    };
    Ok(Some(Ratable { held, state, given }))
}

/// The actor a rating is recorded under: the citizen's account, the tablet's unit, or a
/// visitor holding the link.
fn actor(proof: RatingProof<'_>, held: &HeldDossier) -> String {
    match proof {
        RatingProof::Citizen(id) => format!("citizen:{}", id.0),
        RatingProof::Kiosk(_) => format!("kiosk:{}", held.dossier.unit_code),
        RatingProof::Link(_) => motcua_core::audit::VISITOR.to_owned(),
    }
}

/// Records the rating of the dossier of `code` proven by `proof`: refused (with the reason
/// a citizen reads) before the result exists, for a withdrawn dossier and for a dossier
/// rated already; an unknown code or a wrong proof is [`AppError::UnknownDossier`].
pub async fn rate_dossier(
    store: &SqlStore,
    code: &str,
    proof: RatingProof<'_>,
    input: &RatingInput,
    remote_addr: Option<String>,
    at: Timestamp,
) -> Result<(), AppError> {
    let Some(found) = ratable(store, code, proof, at).await? else {
        return Err(AppError::UnknownDossier(code.trim().to_owned()));
    };
    found.state.map_err(|e| AppError::Refused(e.to_string()))?;
    let before = found.held;
    let mut dossier = before.dossier.clone();
    dossier.rating = Some(input.rating);
    let ctx = AuditContext {
        actor: actor(proof, &before),
        remote_addr,
        at,
    };
    store
        .apply_change(
            &before,
            (&dossier, &before.lifecycle, before.details.as_ref()),
            &Change::Rating(input),
            &[],
            &ctx,
            None,
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_sixteen_bytes_of_hex() {
        assert_eq!(token_bytes(&"ab".repeat(16)), Some(vec![0xab; 16]));
        assert_eq!(token_bytes(&"ab".repeat(15)), None);
        assert_eq!(token_bytes(&"zz".repeat(16)), None);
        assert_eq!(token_bytes(&"é".repeat(16)), None);
    }
}
