//! Schema migrations, applied automatically on connection, for both backends.
//!
//! Each migration is plain DDL in the dialect both engines accept; the two places where they
//! differ (an auto-increment key, the trigger that keeps the event log append-only) branch on
//! the backend.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationName, MigrationTrait, MigratorTrait, SchemaManager};

mod idempotency;

pub(crate) struct Migrator;

#[async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(Foundation),
            Box::new(Calendar),
            Box::new(Access),
            Box::new(Receipts),
            Box::new(Desk),
            Box::new(Intake),
            Box::new(FollowUps),
            Box::new(Settings),
            Box::new(Aggregates),
            Box::new(MonthCloses),
            Box::new(LeanIndexes),
            Box::new(idempotency::IdempotencyAnswers),
            Box::new(crate::lockout::LoginFailures),
        ]
    }
}

/// Units, procedures, dossiers and the dossier event log.
struct Foundation;

impl MigrationName for Foundation {
    fn name(&self) -> &str {
        "m20261126_000001_foundation"
    }
}

const COMMON_DDL: &[&str] = &[
    "CREATE TABLE units (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        short_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        parent_code TEXT REFERENCES units(code)
    )",
    "CREATE TABLE procedures (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        field TEXT NOT NULL,
        offered_by TEXT NOT NULL,
        online_level TEXT NOT NULL,
        processing_millidays BIGINT NOT NULL,
        fee_vnd BIGINT NOT NULL,
        components BIGINT NOT NULL
    )",
    "CREATE TABLE dossiers (
        code TEXT PRIMARY KEY,
        procedure_code TEXT NOT NULL REFERENCES procedures(code),
        unit_code TEXT NOT NULL REFERENCES units(code),
        channel TEXT NOT NULL,
        online_level TEXT,
        received_at BIGINT NOT NULL,
        due_at BIGINT NOT NULL,
        resolved_at BIGINT,
        outcome TEXT,
        returned_at BIGINT,
        components_total BIGINT NOT NULL,
        components_digitized BIGINT NOT NULL,
        result_digitized BOOLEAN,
        fee_vnd BIGINT NOT NULL,
        payment_channel TEXT,
        paid_at BIGINT,
        e_receipt BOOLEAN,
        source_system TEXT NOT NULL
    )",
    "CREATE INDEX dossiers_unit_received ON dossiers (unit_code, received_at)",
    "CREATE INDEX dossiers_resolved ON dossiers (resolved_at)",
];

#[async_trait]
impl MigrationTrait for Foundation {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in COMMON_DDL {
            db.execute_unprepared(ddl).await?;
        }
        let backend = db.get_database_backend();
        let id = match backend {
            DbBackend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
        };
        db.execute_unprepared(&format!(
            "CREATE TABLE dossier_events (
                id {id},
                dossier_code TEXT NOT NULL REFERENCES dossiers(code),
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL
            )"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE INDEX dossier_events_dossier ON dossier_events (dossier_code, id)",
        )
        .await?;
        // The event log is the dossier's legal history: the database itself refuses to
        // change or remove an event, whatever code path asks.
        if backend == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE FUNCTION motcua_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
            )
            .await?;
        }
        append_only(db, "dossier_events").await?;
        Ok(())
    }
}

/// The working-day calendar: schedules that replace the bundled ones, unit office hours,
/// procedures with the 15:00 cut-off.
struct Calendar;

impl MigrationName for Calendar {
    fn name(&self) -> &str {
        "m20261126_000002_calendar"
    }
}

#[async_trait]
impl MigrationTrait for Calendar {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in [
            "ALTER TABLE units ADD COLUMN office_hours TEXT",
            "ALTER TABLE procedures ADD COLUMN cutoff_15h BOOLEAN NOT NULL DEFAULT FALSE",
            "CREATE TABLE calendar_schedules (
                year BIGINT PRIMARY KEY,
                body TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                updated_by TEXT NOT NULL
            )",
            "CREATE INDEX dossiers_open ON dossiers (resolved_at, received_at)",
        ] {
            db.execute_unprepared(ddl).await?;
        }
        Ok(())
    }
}

/// Accounts, sessions, API tokens and the audit trail.
struct Access;

impl MigrationName for Access {
    fn name(&self) -> &str {
        "m20261126_000003_access"
    }
}

#[async_trait]
impl MigrationTrait for Access {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let id = match backend {
            DbBackend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
        };
        for ddl in [
            format!(
                "CREATE TABLE users (
                    id {id},
                    username TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    unit_code TEXT NOT NULL REFERENCES units(code),
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    failed_logins BIGINT NOT NULL DEFAULT 0,
                    locked_until BIGINT,
                    created_at BIGINT NOT NULL
                )"
            ),
            "CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users(id),
                csrf TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )"
            .to_owned(),
            format!(
                "CREATE TABLE api_tokens (
                    id {id},
                    name TEXT NOT NULL UNIQUE,
                    token_hash TEXT NOT NULL UNIQUE,
                    unit_code TEXT NOT NULL REFERENCES units(code),
                    can_write BOOLEAN NOT NULL,
                    created_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )"
            ),
            format!(
                "CREATE TABLE audit_log (
                    id {id},
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    remote_addr TEXT,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    before_value TEXT NOT NULL,
                    after_value TEXT NOT NULL
                )"
            ),
            "CREATE INDEX audit_log_at ON audit_log (at)".to_owned(),
            "CREATE INDEX audit_log_actor ON audit_log (actor, at)".to_owned(),
        ] {
            db.execute_unprepared(&ddl).await?;
        }
        // Like the dossier history, the audit trail cannot be changed by any code path.
        append_only(db, "audit_log").await?;
        Ok(())
    }
}

/// Makes the database refuse UPDATE and DELETE on `table` (on PostgreSQL through the
/// `motcua_append_only()` function of the first migration).
async fn append_only<C: ConnectionTrait>(db: &C, table: &str) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                 FOR EACH ROW EXECUTE FUNCTION motcua_append_only()"
            ))
            .await?;
        }
        _ => {
            for op in ["UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_{op} BEFORE {op} ON {table}
                     BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                ))
                .await?;
            }
        }
    }
    Ok(())
}

/// E-receipts and their per-unit, per-year counters.
struct Receipts;

impl MigrationName for Receipts {
    fn name(&self) -> &str {
        "m20261127_000004_receipts"
    }
}

#[async_trait]
impl MigrationTrait for Receipts {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in [
            // One row per unit and year; the number is taken by incrementing it inside the
            // receipt's transaction, so a failed issuance leaves no gap.
            "CREATE TABLE receipt_counters (
                unit_code TEXT NOT NULL REFERENCES units(code),
                year INTEGER NOT NULL,
                last_number BIGINT NOT NULL,
                PRIMARY KEY (unit_code, year)
            )",
            "CREATE TABLE receipts (
                unit_code TEXT NOT NULL REFERENCES units(code),
                year INTEGER NOT NULL,
                number BIGINT NOT NULL CHECK (number BETWEEN 1 AND 9999999),
                form_symbol TEXT NOT NULL,
                series TEXT NOT NULL,
                dossier_code TEXT NOT NULL REFERENCES dossiers(code),
                amount_vnd BIGINT NOT NULL CHECK (amount_vnd > 0),
                payment_channel TEXT NOT NULL,
                issued_at BIGINT NOT NULL,
                issued_by TEXT NOT NULL,
                PRIMARY KEY (unit_code, year, number)
            )",
            "CREATE INDEX receipts_dossier ON receipts (dossier_code)",
        ] {
            db.execute_unprepared(ddl).await?;
        }
        // A receipt, once issued, is a financial document: never changed or deleted.
        append_only(db, "receipts").await?;
        Ok(())
    }
}

/// Dossiers handled in motcua: their lifecycle state, and the per-prefix counter of codes.
struct Desk;

impl MigrationName for Desk {
    fn name(&self) -> &str {
        "m20261127_000005_desk"
    }
}

#[async_trait]
impl MigrationTrait for Desk {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for ddl in [
            // NULL for dossiers imported from another system (their state is derived).
            "ALTER TABLE dossiers ADD COLUMN lifecycle TEXT",
            "ALTER TABLE dossiers ADD COLUMN status TEXT",
            "ALTER TABLE dossiers ADD COLUMN handling_unit TEXT",
            "CREATE INDEX dossiers_handling ON dossiers (handling_unit, status, due_at)",
            "CREATE TABLE dossier_counters (
                prefix TEXT PRIMARY KEY,
                last_number BIGINT NOT NULL
            )",
            // Answers of API writes by (principal, Idempotency-Key): a retried request gets
            // the first answer instead of a second dossier or receipt. `status` is NULL while
            // the first request runs.
            "CREATE TABLE idempotency_keys (
                principal TEXT NOT NULL,
                idem_key TEXT NOT NULL,
                request TEXT NOT NULL,
                status BIGINT,
                body TEXT,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (principal, idem_key)
            )",
        ] {
            db.execute_unprepared(ddl).await?;
        }
        Ok(())
    }
}

/// The desk's details of a dossier received in motcua: applicant, component checklist with
/// the scans' hashes, the result's scan (JSON, see `motcua_core::details::Details`).
struct Intake;

impl MigrationName for Intake {
    fn name(&self) -> &str {
        "m20261127_000006_intake"
    }
}

#[async_trait]
impl MigrationTrait for Intake {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE dossiers ADD COLUMN details TEXT")
            .await?;
        Ok(())
    }
}

/// Follow-ups of units below target: one per unit and month.
struct FollowUps;

impl MigrationName for FollowUps {
    fn name(&self) -> &str {
        "m20261127_000007_follow_ups"
    }
}

#[async_trait]
impl MigrationTrait for FollowUps {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE follow_ups (
                    unit_code TEXT NOT NULL REFERENCES units(code),
                    month TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    note TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    submitted_at BIGINT,
                    submitted_by TEXT,
                    report TEXT,
                    PRIMARY KEY (unit_code, month)
                )",
            )
            .await?;
        Ok(())
    }
}

/// Settings an administrator changes without a release (the report's targets).
struct Settings;

impl MigrationName for Settings {
    fn name(&self) -> &str {
        "m20261127_000008_settings"
    }
}

#[async_trait]
impl MigrationTrait for Settings {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE settings (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    updated_by TEXT NOT NULL
                )",
            )
            .await?;
        Ok(())
    }
}

/// The indicator aggregates (`motcua_core::aggregate`): per unit and month, the counts of the
/// contract (`agg_months`, dense between `agg_units.first_month` and `last_month`, months as
/// `year × 12 + month − 1`); per unit, procedure and month, the online dossiers
/// (`agg_usage`); and the revision counters (`revisions`) that tell a node its cached
/// catalogue is stale. They are filled from the stored dossiers when the store connects
/// (`SqlStore::connect`), so this migration only creates them.
struct Aggregates;

impl MigrationName for Aggregates {
    fn name(&self) -> &str {
        "m20261127_000009_aggregates"
    }
}

#[async_trait]
impl MigrationTrait for Aggregates {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE agg_units (
                    unit TEXT PRIMARY KEY,
                    first_month BIGINT NOT NULL,
                    last_month BIGINT NOT NULL
                )",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TABLE agg_months (
                    unit TEXT NOT NULL,
                    month BIGINT NOT NULL,
                    received BIGINT NOT NULL DEFAULT 0,
                    received_online BIGINT NOT NULL DEFAULT 0,
                    received_online_full BIGINT NOT NULL DEFAULT 0,
                    received_online_partial BIGINT NOT NULL DEFAULT 0,
                    received_direct BIGINT NOT NULL DEFAULT 0,
                    carried_over BIGINT NOT NULL DEFAULT 0,
                    resolved BIGINT NOT NULL DEFAULT 0,
                    resolved_approved BIGINT NOT NULL DEFAULT 0,
                    resolved_rejected BIGINT NOT NULL DEFAULT 0,
                    resolved_early BIGINT NOT NULL DEFAULT 0,
                    resolved_on_time BIGINT NOT NULL DEFAULT 0,
                    resolved_late BIGINT NOT NULL DEFAULT 0,
                    withdrawn BIGINT NOT NULL DEFAULT 0,
                    pending BIGINT NOT NULL DEFAULT 0,
                    pending_within_due BIGINT NOT NULL DEFAULT 0,
                    pending_overdue BIGINT NOT NULL DEFAULT 0,
                    pending_old_system BIGINT NOT NULL DEFAULT 0,
                    received_with_components BIGINT NOT NULL DEFAULT 0,
                    received_fully_digitized BIGINT NOT NULL DEFAULT 0,
                    resolved_approved_result_digitized BIGINT NOT NULL DEFAULT 0,
                    fee_received BIGINT NOT NULL DEFAULT 0,
                    fee_received_paid BIGINT NOT NULL DEFAULT 0,
                    fee_received_paid_online BIGINT NOT NULL DEFAULT 0,
                    fee_received_e_receipt BIGINT NOT NULL DEFAULT 0,
                    online_services_used BIGINT NOT NULL DEFAULT 0,
                    PRIMARY KEY (unit, month)
                )",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TABLE agg_usage (
                    unit TEXT NOT NULL,
                    procedure_code TEXT NOT NULL,
                    month BIGINT NOT NULL,
                    n BIGINT NOT NULL,
                    PRIMARY KEY (unit, month, procedure_code)
                )",
        )
        .await?;
        db.execute_unprepared(
            "CREATE TABLE revisions (
                    name TEXT PRIMARY KEY,
                    n BIGINT NOT NULL
                )",
        )
        .await?;
        Ok(())
    }
}

/// Month close (chốt số liệu, `motcua_core::close`): one row per closed month
/// (`month_closes`, months as `YYYY-MM`) and the frozen counts of every unit for it
/// (`closed_counts`: the columns of `agg_months`, plus the online services offered, which the
/// live figures take from the catalogue). A close is never undone and its figures never
/// change: both tables are append-only, like the audit trail.
struct MonthCloses;

impl MigrationName for MonthCloses {
    fn name(&self) -> &str {
        "m20261128_000010_month_closes"
    }
}

#[async_trait]
impl MigrationTrait for MonthCloses {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE month_closes (
                    month TEXT PRIMARY KEY,
                    closed_at BIGINT NOT NULL,
                    actor TEXT NOT NULL
                )",
        )
        .await?;
        // Frozen text, like every migration: the columns are those of `agg_months` when this
        // migration was written, never read from the live list of counts (a count added
        // later gets its column from its own migration).
        db.execute_unprepared(
            "CREATE TABLE closed_counts (
                    unit_code TEXT NOT NULL,
                    month TEXT NOT NULL REFERENCES month_closes(month),
                    received BIGINT NOT NULL,
                    received_online BIGINT NOT NULL,
                    received_online_full BIGINT NOT NULL,
                    received_online_partial BIGINT NOT NULL,
                    received_direct BIGINT NOT NULL,
                    carried_over BIGINT NOT NULL,
                    resolved BIGINT NOT NULL,
                    resolved_approved BIGINT NOT NULL,
                    resolved_rejected BIGINT NOT NULL,
                    resolved_early BIGINT NOT NULL,
                    resolved_on_time BIGINT NOT NULL,
                    resolved_late BIGINT NOT NULL,
                    withdrawn BIGINT NOT NULL,
                    pending BIGINT NOT NULL,
                    pending_within_due BIGINT NOT NULL,
                    pending_overdue BIGINT NOT NULL,
                    pending_old_system BIGINT NOT NULL,
                    received_with_components BIGINT NOT NULL,
                    received_fully_digitized BIGINT NOT NULL,
                    resolved_approved_result_digitized BIGINT NOT NULL,
                    fee_received BIGINT NOT NULL,
                    fee_received_paid BIGINT NOT NULL,
                    fee_received_paid_online BIGINT NOT NULL,
                    fee_received_e_receipt BIGINT NOT NULL,
                    online_services_used BIGINT NOT NULL,
                    online_services_offered BIGINT NOT NULL,
                    PRIMARY KEY (month, unit_code)
                )",
        )
        .await?;
        append_only(db, "month_closes").await?;
        append_only(db, "closed_counts").await?;
        Ok(())
    }
}

/// Leaner indexes on `dossiers`, each of which a bulk import pays for on every row:
/// `dossiers_resolved (resolved_at)` duplicated the prefix of `dossiers_open`; the only
/// reader of `dossiers_open` asks for the open dossiers by code, which a partial index over
/// those alone serves (`dossiers_open_by_code`); and the desk's index skips the imported
/// dossiers, which have no handling unit (`dossiers_at_desk`). New names: SQLite refused to
/// re-create an index under the name just dropped in the same migration.
struct LeanIndexes;

impl MigrationName for LeanIndexes {
    fn name(&self) -> &str {
        "m20261128_000011_lean_indexes"
    }
}

#[async_trait]
impl MigrationTrait for LeanIndexes {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "DROP INDEX dossiers_resolved",
            "DROP INDEX dossiers_open",
            "CREATE INDEX dossiers_open_by_code ON dossiers (code) WHERE resolved_at IS NULL",
            "DROP INDEX dossiers_handling",
            "CREATE INDEX dossiers_at_desk ON dossiers (handling_unit, status, due_at)
                 WHERE handling_unit IS NOT NULL",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
