//! The route table: every path the app answers, once, with the access it requires.
//!
//! [`crate::router`] is built from this list and the access test
//! (`tests/access.rs`) walks it, so a route added here without a sample request in that test
//! fails the test. Every route under `/api/` is also documented in [`crate::ApiDoc`] (checked by
//! `tests/openapi.rs`).

use axum::http::Method;
use axum::routing::{MethodRouter, get, post, put};
use motcua_core::access::Action;

use crate::AppState;

mod feedback;
use crate::api::{calendar, dossiers, health, indicators, months, openapi, receipts};
use crate::pages::{
    account, admin, desk, dossier, dossier_list, followups, kiosk, online, petitions, queue,
    reception, report, search, slips, statements,
};
use crate::public::citizen::online as citizen_online;
use crate::public::citizen::{
    account as citizen_account, confirm, oidc, profile, sign_in, sign_out, sign_up,
};
use crate::public::rating::{kiosk as rating_kiosk, link as rating_link};
use crate::public::{catalogue, home, payment, procedure, track, unit};

/// What a route requires of the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not. Serves no unit's data beyond what is published (the public
    /// portal: the catalogue, the units' desks and published figures, tracking by the
    /// applicant's own number).
    Public,
    /// The home page: a visitor who is not signed in gets the public portal's home; a
    /// signed-in principal gets the page of the action, on a unit of its subtree (as `Unit`).
    Home(Action),
    /// A signed-in principal acting on its own account only (no unit's data involved).
    OwnAccount,
    /// A principal allowed the action, on data the same for every unit (the national
    /// working-day calendar).
    Global(Action),
    /// A principal allowed the action, on data of a unit inside its own subtree.
    Unit(Action),
    /// A principal allowed the action whose unit is the root of the tree (data that spans
    /// every unit: the audit trail, the calendar).
    Root(Action),
    /// A signed-in citizen or business acting on their own data
    /// ([`crate::citizen_authed::CitizenAuthed`]); an officer's session is not one. Without
    /// a citizen's session, a page sends to `/citizen/sign-in?next=…` (303).
    Citizen,
}

/// A route's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// Takes files (multipart): its body may be as large as the files allowed.
    pub uploads: bool,
}

/// A route: its description and its handler.
pub struct Route {
    pub info: RouteInfo,
    pub handler: MethodRouter<AppState>,
}

impl Route {
    fn with_uploads(mut self) -> Self {
        self.info.uploads = true;
        self
    }
}

fn route(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        info: RouteInfo {
            method,
            path,
            access,
            uploads: false,
        },
        handler,
    }
}

/// Every route of the app.
pub fn routes() -> Vec<Route> {
    use Access::*;
    use Method as M;
    // A unit's fee settings (`/admin/unit`): named once, for the lines of its two routes.
    let fees = Unit(Action::EditUnitSettings);
    // The feedback routes first: `POST /desk/kiosk` stays last (it ends the officer's session,
    // and `tests/web/access.rs` probes the routes in this order).
    feedback::routes()
        .into_iter()
        .chain(vec![
            route(M::GET, "/health", Public, get(health::health)),
            route(M::GET, "/login", Public, get(account::login_form)),
            route(M::POST, "/login", Public, post(account::login)),
            route(M::POST, "/logout", OwnAccount, post(account::logout)),
            route(
                M::GET,
                "/account/password",
                OwnAccount,
                get(account::password_form),
            ),
            route(
                M::POST,
                "/account/password",
                OwnAccount,
                post(account::change_password),
            ),
            route(M::GET, "/", Home(Action::ViewIndicators), get(home::home)),
            route(M::GET, "/procedures", Public, get(catalogue::catalogue)),
            route(
                M::GET,
                "/procedures/{code}",
                Public,
                get(procedure::procedure),
            ),
            route(M::GET, "/units/{code}", Public, get(unit::unit)),
            route(M::GET, "/track", Public, get(track::form)),
            route(M::POST, "/track", Public, post(track::track)),
            // Ratings (issue 19): by the dossier's link (or the citizen's own session), and on
            // the desk's tablet opened by a reception officer (its cookie, checked inside).
            route(M::GET, "/rate/{code}", Public, get(rating_link::show)),
            route(M::POST, "/rate/{code}", Public, post(rating_link::rate)),
            route(M::GET, "/kiosk", Public, get(rating_kiosk::show)),
            route(M::POST, "/kiosk", Public, post(rating_kiosk::rate)),
            route(
                M::GET,
                "/assets/kiosk.js",
                Public,
                get(rating_kiosk::script),
            ),
            route(
                M::GET,
                "/desk/kiosk",
                Unit(Action::ReceiveDossier),
                get(kiosk::form),
            ),
            route(M::GET, "/citizen/sign-up", Public, get(sign_up::form)),
            route(M::POST, "/citizen/sign-up", Public, post(sign_up::sign_up)),
            route(M::GET, "/citizen/confirm", Public, get(confirm::form)),
            route(M::POST, "/citizen/confirm", Public, post(confirm::confirm)),
            route(M::GET, "/citizen/sign-in", Public, get(sign_in::form)),
            route(M::POST, "/citizen/sign-in", Public, post(sign_in::sign_in)),
            route(M::GET, "/citizen", Citizen, get(citizen_account::account)),
            route(M::GET, "/citizen/profile", Citizen, get(profile::form)),
            route(M::POST, "/citizen/profile", Citizen, post(profile::save)),
            route(
                M::POST,
                "/citizen/sign-out",
                Citizen,
                post(sign_out::sign_out),
            ),
            route(M::GET, "/citizen/oidc/start", Public, get(oidc::start)),
            route(
                M::GET,
                "/citizen/oidc/callback",
                Public,
                get(oidc::callback),
            ),
            // The citizen's online submission (`public/citizen/online`): their own only.
            route(
                M::GET,
                "/procedures/{code}/submit",
                Citizen,
                get(citizen_online::start::start_page),
            ),
            route(
                M::POST,
                "/procedures/{code}/submit",
                Citizen,
                post(citizen_online::start::start),
            ),
            route(
                M::GET,
                "/citizen/submissions",
                Citizen,
                get(citizen_online::form::list),
            ),
            route(
                M::GET,
                "/citizen/submissions/{id}",
                Citizen,
                get(citizen_online::form::show),
            ),
            route(
                M::POST,
                "/citizen/submissions/{id}",
                Citizen,
                post(citizen_online::form::save),
            )
            .with_uploads(),
            route(
                M::GET,
                "/citizen/dossiers/{code}",
                Citizen,
                get(citizen_online::dossier::show),
            ),
            route(
                M::POST,
                "/citizen/dossiers/{code}/supplement",
                Citizen,
                post(citizen_online::dossier::supplement),
            )
            .with_uploads(),
            route(
                M::GET,
                "/citizen/dossiers/{code}/result",
                Citizen,
                get(citizen_online::dossier::result),
            ),
            // Online payment (`public/payment`): the citizen's attempt and e-receipt; the
            // gateway's notice (public: its signature is the proof; JSON only) and the payer's
            // return (public: the browser may come back without the session).
            route(
                M::POST,
                "/citizen/dossiers/{code}/pay",
                Citizen,
                post(payment::pay::pay),
            ),
            route(
                M::GET,
                "/citizen/dossiers/{code}/receipt",
                Citizen,
                get(payment::receipt::receipt),
            ),
            route(
                M::GET,
                "/payments/vnpay/ipn",
                Public,
                get(payment::ipn::ipn),
            ),
            route(
                M::GET,
                "/payments/vnpay/return",
                Public,
                get(payment::returned::returned),
            ),
            route(
                M::GET,
                "/api/openapi.json",
                Public,
                get(openapi::openapi_json),
            ),
            route(
                M::GET,
                "/follow-ups",
                Unit(Action::ViewIndicators),
                get(followups::list),
            ),
            route(
                M::POST,
                "/follow-ups",
                Unit(Action::FollowUp),
                post(followups::create),
            ),
            route(
                M::POST,
                "/follow-ups/submit",
                Unit(Action::FollowUp),
                post(followups::submit),
            ),
            // Feedback and petitions (PAKN), the officers' side (`pages/petitions`).
            route(
                M::GET,
                "/petitions",
                Unit(Action::HandlePetition),
                get(petitions::list),
            ),
            route(
                M::GET,
                "/petitions/{code}",
                Unit(Action::HandlePetition),
                get(petitions::show),
            ),
            route(
                M::POST,
                "/petitions/{code}/step",
                Unit(Action::HandlePetition),
                post(petitions::step),
            ),
            route(
                M::GET,
                "/report",
                Unit(Action::ViewIndicators),
                get(report::report),
            ),
            route(
                M::GET,
                "/api/indicators",
                Unit(Action::ViewIndicators),
                get(indicators::api_indicators),
            ),
            route(
                M::GET,
                "/api/calendar/{year}",
                Global(Action::ViewCalendar),
                get(calendar::api_calendar),
            ),
            route(
                M::PUT,
                "/api/calendar/{year}",
                Root(Action::EditCalendar),
                put(calendar::api_set_calendar),
            ),
            route(
                M::GET,
                "/desk",
                Unit(Action::ViewIndicators),
                get(desk::worklist),
            ),
            route(
                M::GET,
                "/search",
                Unit(Action::ViewIndicators),
                get(search::search),
            ),
            route(
                M::GET,
                "/desk/new",
                Unit(Action::ReceiveDossier),
                get(reception::receive_form),
            ),
            route(
                M::POST,
                "/desk/new",
                Unit(Action::ReceiveDossier),
                post(reception::receive),
            )
            .with_uploads(),
            route(
                M::GET,
                "/desk/new/procedures",
                Unit(Action::ReceiveDossier),
                get(reception::procedures_json),
            ),
            route(
                M::GET,
                "/desk/new/applicant",
                Unit(Action::ReceiveDossier),
                get(reception::applicant_json),
            ),
            route(
                M::GET,
                "/assets/reception.js",
                Public,
                get(reception::script),
            ),
            route(
                M::GET,
                "/dossiers",
                Unit(Action::ViewIndicators),
                get(dossier_list::list),
            ),
            route(
                M::GET,
                "/dossiers/{code}",
                Unit(Action::ViewIndicators),
                get(dossier::dossier),
            ),
            route(
                M::POST,
                "/dossiers/{code}/steps",
                Unit(Action::ProcessDossier),
                post(dossier::step),
            ),
            route(
                M::GET,
                "/dossiers/{code}/correct",
                Unit(Action::ReceiveDossier),
                get(dossier::correct_form),
            ),
            route(
                M::POST,
                "/dossiers/{code}/correct",
                Unit(Action::ReceiveDossier),
                post(dossier::correct),
            ),
            // Reception's online inbox (`pages/online`): the submissions of the unit's subtree.
            route(
                M::GET,
                "/desk/statements",
                Unit(Action::ReceiveDossier),
                get(statements::statements),
            ),
            route(
                M::POST,
                "/desk/statements",
                Unit(Action::ReceiveDossier),
                post(statements::import),
            )
            .with_uploads(),
            route(
                M::GET,
                "/desk/online",
                Unit(Action::ReceiveDossier),
                get(online::inbox),
            ),
            route(
                M::GET,
                "/desk/online/{id}",
                Unit(Action::ReceiveDossier),
                get(online::review),
            ),
            route(
                M::GET,
                "/desk/online/{id}/files/{sha256}",
                Unit(Action::ViewPersonalData),
                get(online::file),
            ),
            route(
                M::POST,
                "/desk/online/{id}",
                Unit(Action::ReceiveDossier),
                post(online::decide),
            ),
            // The principal's own hand-off queue: the dossiers assigned to the specialist, or
            // waiting for the leader's decision, inside the principal's subtree.
            route(M::GET, "/queue", OwnAccount, get(queue::queue)),
            route(
                M::POST,
                "/dossiers/{code}/scans",
                Unit(Action::ReceiveDossier),
                post(dossier::scan),
            )
            .with_uploads(),
            route(
                M::GET,
                "/dossiers/{code}/files/{sha256}",
                Unit(Action::ViewPersonalData),
                get(dossier::file),
            ),
            route(
                M::POST,
                "/dossiers/{code}/payment",
                Unit(Action::ReceiveDossier),
                post(dossier::payment),
            ),
            route(
                M::POST,
                "/dossiers/{code}/transfer",
                Unit(Action::ReceiveDossier),
                post(dossier::confirm_transfer),
            ),
            route(
                M::POST,
                "/dossiers/{code}/refund",
                Unit(Action::ApproveDossier),
                post(dossier::refund),
            ),
            route(
                M::POST,
                "/dossiers/{code}/receipt",
                Unit(Action::ReceiveDossier),
                post(dossier::issue_receipt),
            ),
            route(
                M::GET,
                "/dossiers/{code}/receipt",
                Unit(Action::ViewIndicators),
                get(slips::receipt),
            ),
            route(
                M::GET,
                "/dossiers/{code}/slips/{kind}",
                Unit(Action::ViewIndicators),
                get(slips::slip),
            ),
            route(
                M::POST,
                "/api/dossiers",
                Unit(Action::ReceiveDossier),
                post(dossiers::receive),
            ),
            route(
                M::GET,
                "/api/dossiers/{code}",
                Unit(Action::ViewIndicators),
                get(dossiers::get),
            ),
            route(
                M::POST,
                "/api/dossiers/{code}/steps",
                Unit(Action::ProcessDossier),
                post(dossiers::step),
            ),
            route(
                M::POST,
                "/api/dossiers/{code}/scans",
                Unit(Action::ReceiveDossier),
                post(dossiers::scan),
            )
            .with_uploads(),
            route(
                M::POST,
                "/api/dossiers/{code}/payment",
                Unit(Action::ReceiveDossier),
                post(receipts::payment),
            ),
            route(
                M::POST,
                "/api/dossiers/{code}/receipt",
                Unit(Action::ReceiveDossier),
                post(receipts::issue_receipt),
            ),
            route(
                M::GET,
                "/api/dossiers/{code}/receipt",
                Unit(Action::ViewIndicators),
                get(receipts::receipt),
            ),
            route(
                M::GET,
                "/admin/users",
                Unit(Action::ManageUsers),
                get(admin::users::users),
            ),
            route(
                M::POST,
                "/admin/users",
                Unit(Action::ManageUsers),
                post(admin::users::create_user),
            ),
            route(
                M::GET,
                "/admin/users/{username}",
                Unit(Action::ManageUsers),
                get(admin::users::user),
            ),
            route(
                M::POST,
                "/admin/users/{username}",
                Unit(Action::ManageUsers),
                post(admin::users::update_user),
            ),
            route(
                M::POST,
                "/admin/users/{username}/action",
                Unit(Action::ManageUsers),
                post(admin::actions::user_action),
            ),
            route(M::GET, "/admin/unit", fees, get(admin::unit::unit)),
            route(M::POST, "/admin/unit", fees, post(admin::unit::save_unit)),
            route(
                M::GET,
                "/api/months/closed",
                Global(Action::ViewIndicators),
                get(months::api_closed_months),
            ),
            route(
                M::POST,
                "/api/months/{month}/close",
                Root(Action::CloseMonth),
                post(months::api_close_month),
            ),
            route(
                M::GET,
                "/admin/audit",
                Root(Action::ViewAudit),
                get(admin::audit::audit),
            ),
            route(
                M::GET,
                "/admin/audit.csv",
                Root(Action::ViewAudit),
                get(admin::audit::audit_csv),
            ),
            route(
                M::GET,
                "/admin/audit.xlsx",
                Root(Action::ViewAudit),
                get(admin::audit::audit_xlsx),
            ),
            // Last: opening a tablet ends the officer's session on the device (the access test
            // probes the routes in this order with one session per principal).
            route(
                M::POST,
                "/desk/kiosk",
                Unit(Action::ReceiveDossier),
                post(kiosk::open),
            ),
        ])
        .collect()
}
