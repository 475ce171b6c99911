//! The sandbox gateway: a small VNPay (API 2.1.0) of its own, started by `motcua demo` and by
//! the tests on a local port, speaking the protocol of `motcua_core::payment::vnpay` from the
//! gateway's side. It is its own server, not part of [`crate::routes`]:
//!
//! - `GET /paymentv2/vpcpay.html?…` checks the signature, terminal, amount and expiry and shows
//!   the payer a Vietnamese page (`pay`), whose buttons pay, refuse for lack of funds, or
//!   cancel; the result is recorded, the IPN sent server-to-server to the configured URL
//!   (retried while the answer is not `RspCode` 00 or 02), and the browser sent back to
//!   `vnp_ReturnUrl` with the same signed fields.
//! - `POST /merchant_webapi/api/transaction` answers `querydr` and `refund` (`api`).
//!
//! A test steers it through the [`Sandbox`] handle, never over HTTP ([`IpnMode`], the API
//! down, a transaction marked failed) and reads what it received ([`Sandbox::deliveries`],
//! [`Sandbox::transactions`]).

mod api;
mod pay;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use motcua_core::Timestamp;
use motcua_core::payment::vnpay::{self, Keys};
use tokio::sync::oneshot;

use crate::ManualClock;

/// The payment page's path.
pub const PAYMENT_PATH: &str = "/paymentv2/vpcpay.html";
/// The API's path.
pub const API_PATH: &str = "/merchant_webapi/api/transaction";
/// The demo's terminal code.
pub const DEMO_TERMINAL: &str = "MOTCUA01";
/// Where motcua takes VNPay's IPN (the payment flows' route), which the sandbox calls.
pub const IPN_PATH: &str = "/payments/vnpay/ipn";

/// How the sandbox sends the IPN after a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IpnMode {
    /// Before sending the browser back (as VNPay usually does).
    #[default]
    BeforeReturn,
    /// Only this long after the browser was sent back.
    AfterReturn(Duration),
    /// Never ("the IPN never came": the merchant must query).
    Never,
}

/// One attempt at delivering an IPN, as the sandbox saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub txn_ref: String,
    /// 1 for the first try.
    pub attempt: u32,
    /// The HTTP status, or `None` when the merchant could not be reached.
    pub status: Option<u16>,
    /// The answer's `RspCode`, when it was VNPay's JSON.
    pub rsp_code: Option<String>,
    pub body: String,
}

/// A transaction the sandbox recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub txn_ref: String,
    /// In đồng.
    pub amount_vnd: i64,
    pub order_info: String,
    /// `vnp_CreateDate` of the payment URL.
    pub create_date: String,
    pub transaction_no: String,
    pub bank_code: String,
    /// `vnp_PayDate`.
    pub pay_date: String,
    pub response_code: String,
    pub transaction_status: String,
    /// Refunded so far, in đồng.
    pub refunded_vnd: i64,
    /// The signed fields sent to the merchant (IPN and return), in order.
    pub fields: Vec<(String, String)>,
}

/// What the sandbox is configured with.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The same terminal code and secret as the merchant's.
    pub keys: Keys,
    /// The merchant's IPN address (motcua's `/payments/vnpay/ipn`).
    pub ipn_url: String,
    /// The merchant's name on the payment page.
    pub merchant: String,
    /// The clock to check expiry dates and stamp payments with (the system's when `None`).
    pub clock: Option<ManualClock>,
    /// Tries at delivering one IPN, and the pause between them.
    pub ipn_attempts: u32,
    pub ipn_retry_delay: Duration,
}

impl SandboxConfig {
    pub fn new(keys: Keys, ipn_url: impl Into<String>) -> Self {
        Self {
            keys,
            ipn_url: ipn_url.into(),
            merchant: "Bộ phận Một cửa".to_owned(),
            clock: None,
            ipn_attempts: 3,
            ipn_retry_delay: Duration::from_millis(300),
        }
    }

    /// The demo's keys: [`DEMO_TERMINAL`] and a fresh random secret.
    pub fn demo_keys() -> std::io::Result<Keys> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
        let secret: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
        Ok(Keys::new(DEMO_TERMINAL, secret))
    }
}

/// What the sandbox holds and the test's knobs.
#[derive(Debug, Default)]
struct Ledger {
    ipn_url: String,
    ipn_mode: IpnMode,
    api_down: bool,
    transactions: BTreeMap<String, Transaction>,
    deliveries: Vec<Delivery>,
    request_ids: BTreeSet<String>,
    /// The last `vnp_TransactionNo` given.
    last_no: u64,
}

struct Inner {
    keys: Keys,
    merchant: String,
    clock: Option<ManualClock>,
    ipn_attempts: u32,
    ipn_retry_delay: Duration,
    http: reqwest::Client,
    ledger: Mutex<Ledger>,
}

/// The running sandbox, shared by its handlers and the test (cheap to clone).
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
    addr: SocketAddr,
    stop: Arc<Mutex<Option<oneshot::Sender<()>>>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("keys", &self.inner.keys)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts the sandbox on `127.0.0.1` at a free port.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        Self::serve(listener, config).await
    }

    /// Starts the sandbox on `listener`; it runs until [`Sandbox::stop`] (or the runtime ends).
    pub async fn serve(
        listener: tokio::net::TcpListener,
        config: SandboxConfig,
    ) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(std::io::Error::other)?;
        let inner = Arc::new(Inner {
            keys: config.keys,
            merchant: config.merchant,
            clock: config.clock,
            ipn_attempts: config.ipn_attempts.max(1),
            ipn_retry_delay: config.ipn_retry_delay,
            http,
            ledger: Mutex::new(Ledger {
                ipn_url: config.ipn_url,
                ..Ledger::default()
            }),
        });
        let (tx, rx) = oneshot::channel::<()>();
        let sandbox = Self {
            inner,
            addr,
            stop: Arc::new(Mutex::new(Some(tx))),
        };
        let app = router(sandbox.clone());
        tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::warn!("sandbox gateway stopped: {e}");
            }
        });
        Ok(sandbox)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The payment page, for the merchant's configuration.
    pub fn payment_url(&self) -> String {
        format!("{}{PAYMENT_PATH}", self.base_url())
    }

    /// The API, for the merchant's configuration.
    pub fn api_url(&self) -> String {
        format!("{}{API_PATH}", self.base_url())
    }

    /// Stops answering (the gateway down); the port closes.
    pub fn stop(&self) {
        if let Some(tx) = lock(&self.stop).take() {
            let _ = tx.send(());
        }
    }

    /// Changes where IPNs go (a test learns the merchant's port after starting the sandbox).
    pub fn set_ipn_url(&self, url: impl Into<String>) {
        self.ledger().ipn_url = url.into();
    }

    pub fn set_ipn_mode(&self, mode: IpnMode) {
        self.ledger().ipn_mode = mode;
    }

    /// While `down`, the API answers 503 to every call.
    pub fn set_api_down(&self, down: bool) {
        self.ledger().api_down = down;
    }

    /// Marks a recorded transaction failed (`vnp_TransactionStatus` 02), as queries will tell.
    pub fn mark_failed(&self, txn_ref: &str) -> bool {
        match self.ledger().transactions.get_mut(txn_ref) {
            Some(t) => {
                t.transaction_status = "02".to_owned();
                true
            }
            None => false,
        }
    }

    /// Every IPN delivery attempt so far, in order.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.ledger().deliveries.clone()
    }

    /// Every transaction recorded so far.
    pub fn transactions(&self) -> Vec<Transaction> {
        self.ledger().transactions.values().cloned().collect()
    }

    pub fn transaction(&self, txn_ref: &str) -> Option<Transaction> {
        self.ledger().transactions.get(txn_ref).cloned()
    }

    /// The signed query of a recorded transaction's IPN and return (`vnp_…&vnp_SecureHash=…`),
    /// for a test to replay or tamper with.
    pub fn signed_query(&self, txn_ref: &str) -> Option<String> {
        let fields = self.ledger().transactions.get(txn_ref)?.fields.clone();
        Some(vnpay::signed_query(&self.inner.keys, &fields))
    }

    /// Sends a recorded transaction's IPN again (a replay), with the usual retries; returns
    /// the last attempt.
    pub async fn resend_ipn(&self, txn_ref: &str) -> Option<Delivery> {
        let query = self.signed_query(txn_ref)?;
        pay::deliver_ipn(self, txn_ref, &query).await
    }

    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        lock(&self.inner.ledger)
    }

    /// The sandbox's current instant.
    fn now(&self) -> Timestamp {
        match &self.inner.clock {
            Some(clock) => clock.now(),
            None => Timestamp::from_datetime(time::OffsetDateTime::now_utc())
                .unwrap_or(Timestamp::from_micros(0)),
        }
    }
}

/// Starts a sandbox for the motcua served at `merchant_base` (`http://127.0.0.1:8080`):
/// its IPNs go to `merchant_base` + [`IPN_PATH`]; with it, motcua's VNPay client configured
/// to it with the same `keys` (the demo, and the tests' servers).
pub async fn start_for(
    merchant_base: &str,
    keys: Keys,
    merchant: &str,
    clock: Option<ManualClock>,
) -> std::io::Result<(Sandbox, Arc<dyn motcua_app::payments::PaymentGateway>)> {
    use motcua_app::payments::vnpay::{Vnpay, VnpayConfig};
    let mut config = SandboxConfig::new(keys.clone(), format!("{merchant_base}{IPN_PATH}"));
    config.merchant = merchant.to_owned();
    config.clock = clock;
    let sandbox = Sandbox::start(config).await?;
    let gateway = Vnpay::new(VnpayConfig {
        keys,
        payment_url: sandbox.payment_url(),
        api_url: sandbox.api_url(),
        server_ip: "127.0.0.1".to_owned(),
    })
    .map_err(std::io::Error::other)?;
    Ok((sandbox, Arc::new(gateway)))
}

/// A poisoned lock still holds consistent data here (every update is one assignment).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn router(sandbox: Sandbox) -> Router {
    Router::new()
        .route(PAYMENT_PATH, get(pay::page).post(pay::decide))
        .route(API_PATH, post(api::transaction))
        .layer(axum::middleware::map_response(headers))
        .with_state(sandbox)
}

/// The sandbox's pages load nothing from elsewhere and are never cached; forms may lead
/// elsewhere (the payer is sent back to the merchant after a form).
async fn headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let h = response.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
