//! Schema migrations, applied automatically on connection, for both backends.
//!
//! Each migration is plain DDL in the dialect both engines accept; the two places where they
//! differ (an auto-increment key, the trigger that keeps the event log append-only) branch on
//! the backend.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::async_trait::async_trait;
use sea_orm_migration::{DbErr, MigrationTrait, MigratorTrait};

mod access;
mod accounts;
mod aggregates;
mod calendar;
mod citizens;
mod closes;
mod components;
mod desk;
mod followups;
mod foundation;
mod idempotency;
mod indexes;
mod list_indexes;
mod lists;
mod lockout;
mod online;
mod payments;
mod petitions;
mod public_catalogue;
mod ratings;
mod receipts;
mod slips;
mod transfers;
mod workflow;

pub(crate) struct Migrator;

#[async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(foundation::Foundation),
            Box::new(calendar::Calendar),
            Box::new(access::Access),
            Box::new(receipts::Receipts),
            Box::new(desk::Desk),
            Box::new(desk::Intake),
            Box::new(followups::FollowUps),
            Box::new(followups::Settings),
            Box::new(aggregates::Aggregates),
            Box::new(closes::MonthCloses),
            Box::new(indexes::LeanIndexes),
            Box::new(idempotency::IdempotencyAnswers),
            Box::new(lockout::LoginFailures),
            Box::new(lists::Lists),
            Box::new(accounts::AccountStates),
            Box::new(components::ProcedureComponents),
            Box::new(workflow::Assignee),
            Box::new(slips::SlipNumbers),
            Box::new(list_indexes::ListIndexes),
            Box::new(public_catalogue::PublicCatalogue),
            Box::new(citizens::Citizens),
            Box::new(online::OnlineSubmissions),
            Box::new(transfers::BankTransfers),
            Box::new(payments::Payments),
            Box::new(ratings::Ratings),
            Box::new(petitions::Petitions),
        ]
    }
}

/// Makes the database refuse UPDATE and DELETE on `table` (on PostgreSQL through the
/// `motcua_append_only()` function of the first migration).
pub(super) async fn append_only<C: ConnectionTrait>(db: &C, table: &str) -> Result<(), DbErr> {
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
