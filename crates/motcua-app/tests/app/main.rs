//! The application services' integration tests: one binary (each test binary links sea-orm
//! and sqlx, so one per crate keeps `cargo test` short), one module per former test file.
//! Storage cases run on every test database through `motcua_testkit::for_each_db`.

mod aggregates;
mod audit;
mod bulk_import;
mod calendar;
mod citizens;
mod close;
mod desk;
mod fixture;
mod followups;
mod handoff;
mod idempotency;
mod ingest;
mod intake;
mod lists;
mod oidc;
mod online;
mod outbox;
mod payments;
mod petitions;
mod ratings;
mod receipts;
mod report;
mod report_files;
mod report_kinds;
mod transfers;
mod validation;
