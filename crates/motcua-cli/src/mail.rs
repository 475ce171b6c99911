//! The notices' delivery for `serve` and `demo`: the senders chosen by the options
//! (`--smtp-url`, `--mail-from`, `--sms`) and the background worker that delivers the outbox
//! every few seconds until the server stops.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use motcua_app::outbox::{LogEmail, LogSms, Senders, SmtpSender};
use motcua_core::Timestamp;
use motcua_store::SqlStore;

/// How often the worker looks for messages due.
const EVERY: Duration = Duration::from_secs(5);

/// The SMS providers `--sms` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SmsChoice {
    /// Logs each SMS (development; no provider contracted).
    Log,
}

/// The senders of `serve`: SMTP when `smtp_url` is given (then `mail_from` is required),
/// e-mails logged otherwise.
pub fn senders(smtp_url: Option<&str>, mail_from: Option<&str>, sms: SmsChoice) -> Result<Senders> {
    let sms = match sms {
        SmsChoice::Log => Arc::new(LogSms),
    };
    let email: Arc<dyn motcua_app::outbox::EmailSender> = match (smtp_url, mail_from) {
        (Some(url), Some(from)) => {
            let sender = SmtpSender::new(url, from).context("cấu hình gửi thư điện tử")?;
            tracing::info!(server = sender.server(), "e-mails sent through SMTP");
            Arc::new(sender)
        }
        (Some(_), None) => {
            bail!("--smtp-url cần kèm --mail-from (hoặc MOTCUA_MAIL_FROM): địa chỉ gửi thư")
        }
        (None, _) => {
            tracing::warn!("no --smtp-url: e-mails to citizens are logged, not sent");
            Arc::new(LogEmail)
        }
    };
    Ok(Senders { email, sms })
}

/// The outbox worker running in the background.
pub struct Worker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    /// Starts delivering `store`'s outbox with `senders`, at the system clock's time, or at
    /// the fixed instant `clock` (the demo run at a given instant).
    pub fn start(store: SqlStore, senders: Senders, clock: Option<Timestamp>) -> Self {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(motcua_app::outbox::run_worker(
            store,
            senders,
            EVERY,
            move || clock.or_else(|| crate::now().ok()),
            stopped,
        ));
        Self { stop, task }
    }

    /// Stops the worker once its pass under way ends.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "the outbox worker ended badly");
        }
    }
}
