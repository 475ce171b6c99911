//! Citizens' and businesses' accounts, their sign-ins (password, one-time codes, OpenID
//! Connect), the outbox of messages sent to them, and the account that submitted a dossier
//! online.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, SchemaManager};

pub(super) struct Citizens;

impl MigrationName for Citizens {
    fn name(&self) -> &str {
        "m20261203_000022_citizens"
    }
}

#[async_trait]
impl MigrationTrait for Citizens {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let id = match db.get_database_backend() {
            DbBackend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
        };
        for ddl in [
            // `phone` and `email` are verified (a one-time code was typed back) and normalised;
            // `password_hash` is NULL for an account that signs in only through OpenID Connect.
            format!(
                "CREATE TABLE citizens (
                    id {id},
                    kind TEXT NOT NULL,
                    full_name TEXT NOT NULL,
                    phone TEXT UNIQUE,
                    email TEXT UNIQUE,
                    id_number TEXT,
                    tax_code TEXT,
                    password_hash TEXT,
                    failed_logins BIGINT NOT NULL DEFAULT 0,
                    locked_until BIGINT,
                    created_at BIGINT NOT NULL
                )"
            ),
            // An identity provider's account (issuer URL, `sub` claim) linked to a citizen.
            "CREATE TABLE citizen_logins (
                issuer TEXT NOT NULL,
                subject TEXT NOT NULL,
                citizen_id BIGINT NOT NULL REFERENCES citizens(id),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (issuer, subject)
            )"
            .to_owned(),
            "CREATE TABLE citizen_sessions (
                token_hash TEXT PRIMARY KEY,
                citizen_id BIGINT NOT NULL REFERENCES citizens(id),
                csrf TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )"
            .to_owned(),
            // One-time codes sent by SMS or e-mail (stored as a hash), with what they confirm
            // (`purpose`, and `payload`: JSON, e.g. the sign-up waiting for its code).
            format!(
                "CREATE TABLE citizen_codes (
                    id {id},
                    purpose TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    code_hash TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    attempts BIGINT NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    used_at BIGINT
                )"
            ),
            "CREATE INDEX citizen_codes_recipient ON citizen_codes (recipient, created_at)"
                .to_owned(),
            // An OpenID Connect sign-in under way: the state sent to the provider (its hash is
            // the key), the nonce and the PKCE verifier kept on the server, used once.
            "CREATE TABLE citizen_oidc_states (
                state_hash TEXT PRIMARY KEY,
                issuer TEXT NOT NULL,
                nonce TEXT NOT NULL,
                pkce_verifier TEXT NOT NULL,
                return_to TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT
            )"
            .to_owned(),
            // Messages to citizens, written in the transaction of the change they tell of and
            // sent by the app's worker with retries (`next_attempt_at`); a sent one keeps
            // `sent_at`.
            format!(
                "CREATE TABLE outbox (
                    id {id},
                    channel TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    dossier_code TEXT,
                    created_at BIGINT NOT NULL,
                    attempts BIGINT NOT NULL DEFAULT 0,
                    next_attempt_at BIGINT NOT NULL,
                    sent_at BIGINT,
                    last_error TEXT
                )"
            ),
            "CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL".to_owned(),
            // The account that submitted a dossier online; NULL for every other dossier.
            "ALTER TABLE dossiers ADD COLUMN citizen_id BIGINT REFERENCES citizens(id)".to_owned(),
            "CREATE INDEX dossiers_citizen ON dossiers (citizen_id, received_at)
             WHERE citizen_id IS NOT NULL"
                .to_owned(),
        ] {
            db.execute_unprepared(&ddl).await?;
        }
        Ok(())
    }
}
