//! The figures' rules of `Counts::tally`, written as conditions on a dossier row, so that
//! the dossiers behind a figure are read a page at a time by the database. A test of the app
//! (`tests/app/lists.rs`) checks every figure against `tally` on both databases.

use motcua_core::counts::{CountId, Figure};
use motcua_core::dossier::{
    Channel, Outcome, PaymentChannel, Rating, SourceSystem, SubmissionLevel,
};
use motcua_core::timestamp::Month;

use super::builder::Sql;

/// The local day (UTC+7) of a microsecond column, as an integer: what `timeliness` compares.
fn local_day(column: &str) -> String {
    format!("(({column} + 25200000000) / 86400000000)")
}

/// `Counts::tally`'s rule for `figure` in `month`, as a condition on a dossier row.
pub(super) fn figure_condition(sql: &mut Sql, figure: Figure, month: Month) {
    let (start, end) = (month.start().as_micros(), month.end().as_micros());
    let received_in = |sql: &mut Sql| {
        sql.push("received_at >= ")
            .bind(start)
            .push(" AND received_at < ")
            .bind(end);
    };
    let settled_in = |sql: &mut Sql| {
        sql.push("resolved_at >= ")
            .bind(start)
            .push(" AND resolved_at < ")
            .bind(end)
            .push(" AND outcome IS NOT NULL");
    };
    let resolved_in = |sql: &mut Sql| {
        settled_in(sql);
        sql.push(" AND outcome IN ")
            .bind_list([Outcome::Approved.as_str(), Outcome::Rejected.as_str()]);
    };
    let pending = |sql: &mut Sql| {
        sql.push("received_at < ")
            .bind(end)
            .push(" AND (resolved_at IS NULL OR resolved_at >= ")
            .bind(end)
            .push(")");
    };
    let early = format!(
        "resolved_at <= due_at AND {} < {}",
        local_day("resolved_at"),
        local_day("due_at")
    );
    let on_time = format!(
        "resolved_at <= due_at AND {} >= {}",
        local_day("resolved_at"),
        local_day("due_at")
    );
    let id = match figure {
        Figure::ResolvedInTime => {
            resolved_in(sql);
            sql.push(" AND resolved_at <= due_at");
            return;
        }
        Figure::Count(id) => id,
    };
    match id {
        CountId::Received => received_in(sql),
        CountId::ReceivedOnline => {
            received_in(sql);
            sql.push(" AND channel = ").bind(Channel::Online.as_str());
        }
        CountId::ReceivedOnlineFull | CountId::ReceivedOnlinePartial => {
            let level = if id == CountId::ReceivedOnlineFull {
                SubmissionLevel::Full
            } else {
                SubmissionLevel::Partial
            };
            received_in(sql);
            sql.push(" AND channel = ")
                .bind(Channel::Online.as_str())
                .push(" AND online_level = ")
                .bind(level.as_str());
        }
        CountId::ReceivedDirect => {
            received_in(sql);
            sql.push(" AND channel IN ")
                .bind_list([Channel::Direct.as_str(), Channel::Postal.as_str()]);
        }
        CountId::CarriedOver => {
            sql.push("received_at < ")
                .bind(start)
                .push(" AND (resolved_at IS NULL OR resolved_at >= ")
                .bind(start)
                .push(")");
        }
        CountId::Resolved => resolved_in(sql),
        CountId::ResolvedApproved | CountId::ResolvedRejected => {
            let outcome = if id == CountId::ResolvedApproved {
                Outcome::Approved
            } else {
                Outcome::Rejected
            };
            settled_in(sql);
            sql.push(" AND outcome = ").bind(outcome.as_str());
        }
        CountId::ResolvedEarly => {
            resolved_in(sql);
            sql.push(" AND ").push(&early);
        }
        CountId::ResolvedOnTime => {
            resolved_in(sql);
            sql.push(" AND ").push(&on_time);
        }
        CountId::ResolvedLate => {
            resolved_in(sql);
            sql.push(" AND resolved_at > due_at");
        }
        CountId::Withdrawn => {
            settled_in(sql);
            sql.push(" AND outcome = ")
                .bind(Outcome::Withdrawn.as_str());
        }
        CountId::Pending => pending(sql),
        CountId::PendingWithinDue => {
            pending(sql);
            sql.push(" AND due_at >= ").bind(end);
        }
        CountId::PendingOverdue => {
            pending(sql);
            sql.push(" AND due_at < ").bind(end);
        }
        CountId::PendingOldSystem => {
            pending(sql);
            sql.push(" AND source_system = ")
                .bind(SourceSystem::Old.as_str());
        }
        CountId::ReceivedWithComponents => {
            received_in(sql);
            sql.push(" AND components_total > 0");
        }
        CountId::ReceivedFullyDigitized => {
            received_in(sql);
            sql.push(" AND components_total > 0 AND components_digitized = components_total");
        }
        CountId::ResolvedApprovedResultDigitized => {
            settled_in(sql);
            sql.push(" AND outcome = ")
                .bind(Outcome::Approved.as_str())
                .push(" AND result_digitized = ")
                .bind(true);
        }
        CountId::FeeReceived => {
            received_in(sql);
            sql.push(" AND fee_vnd > 0");
        }
        CountId::FeeReceivedPaid => {
            received_in(sql);
            sql.push(" AND fee_vnd > 0 AND payment_channel IS NOT NULL");
        }
        CountId::FeeReceivedPaidOnline => {
            received_in(sql);
            sql.push(" AND fee_vnd > 0 AND payment_channel = ")
                .bind(PaymentChannel::Online.as_str());
        }
        CountId::FeeReceivedEReceipt => {
            received_in(sql);
            sql.push(" AND fee_vnd > 0 AND payment_channel IS NOT NULL AND e_receipt = ")
                .bind(true);
        }
        CountId::ResolvedRated => {
            resolved_in(sql);
            sql.push(" AND rating IS NOT NULL");
        }
        CountId::ResolvedRatedDissatisfied => {
            resolved_in(sql);
            sql.push(" AND rating = ")
                .bind(Rating::Dissatisfied.as_str());
        }
        CountId::ResolvedInTimeDissatisfied => {
            resolved_in(sql);
            sql.push(" AND resolved_at <= due_at AND rating = ")
                .bind(Rating::Dissatisfied.as_str());
        }
        // Counts of procedures or of PAKN, not of dossiers: nothing to list.
        CountId::OnlineServicesOffered
        | CountId::OnlineServicesUsed
        | CountId::PetitionsReceived
        | CountId::PetitionsRejected
        | CountId::PetitionsAnswered
        | CountId::PetitionsAnsweredInTime
        | CountId::PetitionsPending
        | CountId::PetitionsPendingWithinDue
        | CountId::PetitionsReceivedUnsatisfactory => {
            sql.push("1 = 0");
        }
    }
}
