//! The web crate's integration tests, one binary (beside it only `tests/browser/`, which drives
//! Chromium, and `tests/secrets.rs`, which captures every log line of its process).
//! Each module is one concern, driven through the router in memory (`common::Client`).

mod access;
mod admin;
mod auth;
mod citizens;
mod close;
mod common;
mod dashboard;
mod desk;
mod dossiers;
mod errors;
mod followups;
mod http;
mod lists;
mod nav;
mod oidc;
mod online;
mod openapi;
mod payments;
mod people;
mod petitions;
mod public;
mod ratelink;
mod reception;
mod report;
mod sandbox;
mod steps_on_pages;
mod transfers;
mod unit_settings;
mod workflow;
