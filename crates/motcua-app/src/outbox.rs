//! The outbox's delivery: a worker claims the messages due (`SqlStore::claim_due_messages`,
//! leased so that two app nodes never send the same one), hands each to its channel's
//! sender — an [`EmailSender`] ([`SmtpSender`] through `lettre`, or [`LogEmail`]) or an
//! [`SmsProvider`] ([`LogSms`], the development provider that logs) —, and records the
//! outcome: sent, or failed and retried after a growing delay ([`backoff`]: 1 min, 5 min,
//! 30 min, 2 h, then every 6 h) until `MAX_SEND_ATTEMPTS` failures give it up.
//! [`deliver_due`] is one pass; [`run_worker`] repeats it until told to stop.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use motcua_core::Timestamp;
use motcua_core::outbox::Channel;
use motcua_store::{Failure, Outgoing, SqlStore};

use crate::AppError;

mod smtp;

pub use smtp::SmtpSender;

/// How long a claimed message is kept from other nodes: longer than any one attempt (the
/// SMTP sender gives up a connection after 30 s).
const LEASE: Duration = Duration::from_secs(10 * 60);

/// How many messages one pass claims at most.
const BATCH: u32 = 50;

/// Why a message could not be sent (kept with the message as its last error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// What a sender's attempt returns.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

/// Sends one e-mail (plain text, UTF-8).
pub trait EmailSender: Send + Sync {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, body: &'a str) -> SendFuture<'a>;
}

/// Sends one SMS through a provider.
pub trait SmsProvider: Send + Sync {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> SendFuture<'a>;
}

/// The senders of each channel.
#[derive(Clone)]
pub struct Senders {
    pub email: Arc<dyn EmailSender>,
    pub sms: Arc<dyn SmsProvider>,
}

impl Senders {
    /// Both channels logged, nothing sent: for development and the demo.
    pub fn logged() -> Self {
        Self {
            email: Arc::new(LogEmail),
            sms: Arc::new(LogSms),
        }
    }
}

/// What one pass of [`deliver_due`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: u32,
    /// Failed, to be retried.
    pub failed: u32,
    /// Failed for the last time.
    pub given_up: u32,
}

/// The delay before the next attempt after `failures` failed ones (counting this one):
/// 1 min, 5 min, 30 min, 2 h, then 6 h.
pub fn backoff(failures: u32) -> Duration {
    const MINUTE: u64 = 60;
    Duration::from_secs(match failures {
        0 | 1 => MINUTE,
        2 => 5 * MINUTE,
        3 => 30 * MINUTE,
        4 => 2 * 60 * MINUTE,
        _ => 6 * 60 * MINUTE,
    })
}

fn after(t: Timestamp, d: Duration) -> Timestamp {
    let micros = i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
    Timestamp::from_micros(t.as_micros().saturating_add(micros))
}

/// Sends the messages due at `now` (one batch), recording each outcome.
pub async fn deliver_due(
    store: &SqlStore,
    senders: &Senders,
    now: Timestamp,
) -> Result<Delivery, AppError> {
    let claimed = store
        .claim_due_messages(now, after(now, LEASE), BATCH)
        .await?;
    let mut delivery = Delivery::default();
    for Outgoing {
        id,
        message,
        attempts,
        dossier,
    } in claimed
    {
        let result = match message.channel {
            Channel::Email => {
                senders
                    .email
                    .send(&message.to, &message.subject, &message.body)
                    .await
            }
            Channel::Sms => senders.sms.send(&message.to, &message.body).await,
        };
        match result {
            Ok(()) => {
                store.mark_sent(id, now).await?;
                delivery.sent += 1;
            }
            Err(e) => {
                let retry_at = after(now, backoff(attempts + 1));
                match store.mark_failed(id, &e.0, retry_at).await? {
                    Failure::Retry => {
                        tracing::info!(id, channel = message.channel.code(), dossier, error = %e, "message not sent, retried later");
                        delivery.failed += 1;
                    }
                    Failure::GivenUp => {
                        tracing::warn!(id, channel = message.channel.code(), dossier, error = %e, "message given up");
                        delivery.given_up += 1;
                    }
                }
            }
        }
    }
    Ok(delivery)
}

/// Runs [`deliver_due`] every `every` (at `clock()`), until `stop` turns true (or its sender
/// is dropped): the pass under way ends first. A failing pass (the database away) is logged
/// and the next one tried.
pub async fn run_worker(
    store: SqlStore,
    senders: Senders,
    every: Duration,
    clock: impl Fn() -> Option<Timestamp> + Send,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        if *stop.borrow() {
            return;
        }
        if let Some(now) = clock() {
            match deliver_due(&store, &senders, now).await {
                Ok(d) if d != Delivery::default() => {
                    tracing::info!(
                        sent = d.sent,
                        failed = d.failed,
                        given_up = d.given_up,
                        "outbox delivered"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox delivery failed"),
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            changed = stop.changed() => if changed.is_err() { return },
        }
    }
}

/// The e-mail "sender" of a node without SMTP: logs each e-mail (recipient and subject).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogEmail;

impl EmailSender for LogEmail {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, body: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(to, subject, body, "e-mail (logged, not sent)");
            Ok(())
        })
    }
}

/// The development SMS provider: logs each SMS.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogSms;

impl SmsProvider for LogSms {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(to, text, "SMS (logged, not sent)");
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_then_stays_at_six_hours() {
        let minutes: Vec<u64> = (1..=8).map(|n| backoff(n).as_secs() / 60).collect();
        assert_eq!(minutes, [1, 5, 30, 120, 360, 360, 360, 360]);
    }
}
