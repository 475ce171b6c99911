//! The store's integration tests, each on every test database (SQLite, and PostgreSQL when
//! `TEST_DATABASE_URL` is set): one binary, one module per concern.

mod citizens;
mod oidc;
mod outbox;
mod schema;
