//! The JSON API, one module per resource. Every handler answers JSON, refusals included
//! ([`crate::WebError`]), and is documented in [`openapi::ApiDoc`].

pub(crate) mod calendar;
pub(crate) mod dossiers;
pub(crate) mod health;
pub(crate) mod indicators;
pub(crate) mod months;
pub(crate) mod openapi;
pub(crate) mod receipts;
