//! `serve`'s options for online payment through VNPay: the terminal code (`vnp_TmnCode`) and
//! hash secret VNPay issued to the unit, VNPay's payment page and API (the sandbox's by
//! default), and this server's address as VNPay's API calls state it. The IPN address
//! registered with VNPay is the public address followed by `/payments/vnpay/ipn`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use motcua_app::payments::PaymentGateway;
use motcua_app::payments::vnpay::{Vnpay, VnpayConfig};
use motcua_core::Timestamp;
use motcua_core::payment::vnpay::{Keys, SANDBOX_API_URL, SANDBOX_PAYMENT_URL};

#[derive(Debug, clap::Args)]
pub struct VnpayArgs {
    /// Online payment through VNPay: the terminal code (vnp_TmnCode) VNPay issued. Needs the
    /// hash secret.
    #[arg(long, env = "MOTCUA_VNPAY_TMN_CODE")]
    vnpay_tmn_code: Option<String>,
    /// VNPay's hash secret (better given through the environment or a file than on the
    /// command line, where other users may read it).
    #[arg(long, env = "MOTCUA_VNPAY_HASH_SECRET", hide_env_values = true)]
    vnpay_hash_secret: Option<String>,
    /// A file holding VNPay's hash secret (its first line), instead of --vnpay-hash-secret.
    #[arg(long, env = "MOTCUA_VNPAY_HASH_SECRET_FILE")]
    vnpay_hash_secret_file: Option<std::path::PathBuf>,
    /// VNPay's payment page.
    #[arg(long, env = "MOTCUA_VNPAY_PAYMENT_URL", default_value = SANDBOX_PAYMENT_URL)]
    vnpay_payment_url: String,
    /// VNPay's API (transaction query and refund).
    #[arg(long, env = "MOTCUA_VNPAY_API_URL", default_value = SANDBOX_API_URL)]
    vnpay_api_url: String,
    /// This server's IP address as VNPay's API calls state it (vnp_IpAddr).
    #[arg(long, env = "MOTCUA_VNPAY_SERVER_IP", default_value = "127.0.0.1")]
    vnpay_server_ip: String,
}

impl VnpayArgs {
    /// The gateway when a terminal code is given; `None` without one.
    pub fn gateway(self) -> Result<Option<Arc<dyn PaymentGateway>>> {
        let secret = match (self.vnpay_hash_secret, &self.vnpay_hash_secret_file) {
            (Some(_), Some(_)) => {
                bail!("chỉ cho một trong --vnpay-hash-secret và --vnpay-hash-secret-file")
            }
            (Some(secret), None) => Some(secret),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("không đọc được tệp khóa bí mật VNPay «{}»", path.display())
                })?;
                Some(text.lines().next().unwrap_or("").trim().to_owned())
            }
            (None, None) => None,
        };
        let Some(terminal) = self.vnpay_tmn_code else {
            if secret.is_some() {
                bail!("đã cho khóa bí mật VNPay mà thiếu --vnpay-tmn-code (MOTCUA_VNPAY_TMN_CODE)");
            }
            return Ok(None);
        };
        let Some(secret) = secret.filter(|s| !s.is_empty()) else {
            bail!(
                "thanh toán qua VNPay cần khóa bí mật: --vnpay-hash-secret hoặc --vnpay-hash-secret-file (MOTCUA_VNPAY_HASH_SECRET, MOTCUA_VNPAY_HASH_SECRET_FILE)"
            );
        };
        if terminal.is_empty() || !terminal.bytes().all(|b| b.is_ascii_alphanumeric()) {
            bail!("mã website VNPay (vnp_TmnCode) chỉ gồm chữ cái và chữ số: «{terminal}»");
        }
        for url in [&self.vnpay_payment_url, &self.vnpay_api_url] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                bail!("địa chỉ VNPay không hợp lệ: «{url}»");
            }
        }
        let config = VnpayConfig {
            keys: Keys::new(terminal, secret),
            payment_url: self.vnpay_payment_url,
            api_url: self.vnpay_api_url,
            server_ip: self.vnpay_server_ip,
        };
        Ok(Some(Arc::new(Vnpay::new(config)?)))
    }
}

/// How often the sweep asks the gateway about attempts left pending.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// The payment sweep (`motcua_app::payments::run_sweeper`) running in the background of
/// `serve` and `demo` while a gateway is configured, as the outbox's worker does.
pub struct Sweeper {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Sweeper {
    /// Starts sweeping `state`'s attempts through its gateway, at the system clock's time or
    /// at the fixed instant `clock`; `None` when no gateway is configured.
    pub fn start(state: &motcua_web::AppState, clock: Option<Timestamp>) -> Option<Self> {
        let gateway = state.payment_gateway()?.clone();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(motcua_app::payments::run_sweeper(
            state.store.clone(),
            gateway,
            state.portal_url(),
            SWEEP_EVERY,
            move || clock.or_else(|| crate::now().ok()),
            stopped,
        ));
        Some(Self { stop, task })
    }

    /// Stops the sweep once the one under way ends.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "the payment sweep ended badly");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(code: Option<&str>, secret: Option<&str>) -> VnpayArgs {
        VnpayArgs {
            vnpay_tmn_code: code.map(str::to_owned),
            vnpay_hash_secret: secret.map(str::to_owned),
            vnpay_hash_secret_file: None,
            vnpay_payment_url: SANDBOX_PAYMENT_URL.to_owned(),
            vnpay_api_url: SANDBOX_API_URL.to_owned(),
            vnpay_server_ip: "127.0.0.1".to_owned(),
        }
    }

    #[test]
    fn a_complete_configuration_gives_the_gateway() -> Result<()> {
        assert!(args(Some("DEMO0001"), Some("s3cret")).gateway()?.is_some());
        assert!(args(None, None).gateway()?.is_none());
        Ok(())
    }

    #[test]
    fn an_incomplete_configuration_is_refused_without_echoing_the_secret() {
        let e = args(None, Some("s3cret"))
            .gateway()
            .err()
            .map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|e| !e.contains("s3cret")), "{e:?}");
        assert!(args(Some("DEMO0001"), None).gateway().is_err());
        assert!(args(Some("DEMO 01"), Some("s")).gateway().is_err());
    }

    #[test]
    fn the_secret_may_come_from_a_file() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("secret");
        std::fs::write(&path, "s3cret\n")?;
        let mut a = args(Some("DEMO0001"), None);
        a.vnpay_hash_secret_file = Some(path);
        let gateway = a.gateway()?;
        assert!(gateway.is_some());
        Ok(())
    }
}
