//! Citizens' accounts for the tests: made straight through the store (the sign-up with its
//! code is tested in `citizens.rs`), signed in by a session of their own, and the session's
//! CSRF token read from the page as a browser has it.

use motcua_core::Timestamp;
use motcua_core::citizen::{Citizen, CitizenKind};
use motcua_store::{NewCitizen, SqlStore};

use super::{Client, Error, hidden};

/// The citizens' session cookie.
pub const COOKIE: &str = "motcua_citizen";
/// The password of every account made here.
pub const PASSWORD: &str = "mat-khau-cong-dan";

/// A person's account with a phone number and [`PASSWORD`].
pub async fn account(store: &SqlStore, full_name: &str, phone: &str) -> Result<Citizen, Error> {
    let new = NewCitizen {
        kind: CitizenKind::Person,
        full_name: full_name.to_owned(),
        phone: Some(phone.to_owned()),
        email: None,
        id_number: None,
        tax_code: None,
        password_hash: Some(motcua_app::auth::hash_password(PASSWORD).await?),
    };
    let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
    Ok(store.create_citizen(&new, &ctx).await?)
}

/// A client holding a new session of `citizen`.
pub async fn client(store: &SqlStore, citizen: &Citizen) -> Result<Client, Error> {
    // A session opened now: the router reads the system clock.
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?;
    let ctx = motcua_testkit::ctx("test", now);
    let session = motcua_app::citizens::start_session(store, citizen, &ctx).await?;
    let mut c = Client::new(store);
    c.cookies.insert(COOKIE.to_owned(), session.cookie);
    Ok(c)
}

/// A new account and a client signed in to it.
pub async fn signed_in(store: &SqlStore, full_name: &str, phone: &str) -> Result<Client, Error> {
    let citizen = account(store, full_name, phone).await?;
    client(store, &citizen).await
}

/// The session's CSRF token, as the account's page gives it.
pub async fn csrf(client: &mut Client) -> Result<String, Error> {
    let page = client.get("/citizen").await?;
    Ok(hidden(&page.body, "csrf").ok_or("no token on the citizen's page")?)
}
