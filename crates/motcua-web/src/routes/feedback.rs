//! The public routes of feedback and petitions (PAKN, `public/feedback`), listed with the
//! others by [`super::routes`].

use axum::routing::{get, post};

use super::Access::Public;
use axum::http::Method as M;

use super::{Route, route};
use crate::public::feedback;

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(M::GET, "/feedback", Public, get(feedback::form::form)),
        route(M::POST, "/feedback", Public, post(feedback::form::send)),
        route(
            M::GET,
            "/feedback/follow",
            Public,
            get(feedback::follow::form),
        ),
        route(
            M::POST,
            "/feedback/follow",
            Public,
            post(feedback::follow::follow),
        ),
        route(
            M::POST,
            "/feedback/reply",
            Public,
            post(feedback::follow::reply),
        ),
        route(
            M::POST,
            "/feedback/dissatisfied",
            Public,
            post(feedback::follow::dissatisfied),
        ),
        route(
            M::GET,
            "/feedback/answers",
            Public,
            get(feedback::answers::answers),
        ),
    ]
}
