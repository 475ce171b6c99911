//! The web crate's integration tests, one binary (beside it only `tests/browser.rs`, which drives
//! Chromium, and `tests/secrets.rs`, which captures every log line of its process).
//! Each module is one concern, driven through the router in memory (`common::Client`).

mod access;
mod auth;
mod close;
mod common;
mod desk;
mod dossiers;
mod followups;
mod http;
mod openapi;
mod report;
mod steps_on_pages;
mod workflow;
