//! [`Vnpay`]: the [`PaymentGateway`] of VNPay (API 2.1.0), configured by [`VnpayConfig`]
//! (terminal code, hash secret, payment page, API address, the server's address). The
//! protocol itself (encoding, signatures, fields) is `motcua_core::payment::vnpay`'s; this
//! module adds the two server-to-server calls over HTTP (`querydr`, `refund`).

use std::fmt;
use std::time::Duration;

use motcua_core::Timestamp;
use motcua_core::payment::vnpay::{self, Keys, VerifyError, api};
use motcua_core::payment::{GatewayOrder, GatewayReport, NoticeAck, RefundReport, RefundRequest};
use serde_json::{Map, Value};

use super::{CallbackError, GatewayError, GatewayFuture, PaymentGateway};

/// How long a call to VNPay's API may take.
pub const API_TIMEOUT: Duration = Duration::from_secs(10);

/// A merchant's VNPay configuration.
#[derive(Clone)]
pub struct VnpayConfig {
    /// `vnp_TmnCode` and the hash secret.
    pub keys: Keys,
    /// The payment page the payer is sent to (VNPay's `…/paymentv2/vpcpay.html`).
    pub payment_url: String,
    /// The API taking `querydr` and `refund` (`…/merchant_webapi/api/transaction`).
    pub api_url: String,
    /// This server's address, sent as `vnp_IpAddr` in API calls.
    pub server_ip: String,
}

impl VnpayConfig {
    /// VNPay's sandbox with `keys`.
    pub fn sandbox(keys: Keys) -> Self {
        Self {
            keys,
            payment_url: vnpay::SANDBOX_PAYMENT_URL.to_owned(),
            api_url: vnpay::SANDBOX_API_URL.to_owned(),
            server_ip: "127.0.0.1".to_owned(),
        }
    }
}

impl fmt::Debug for VnpayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Keys`' own Debug hides the secret.
        f.debug_struct("VnpayConfig")
            .field("keys", &self.keys)
            .field("payment_url", &self.payment_url)
            .field("api_url", &self.api_url)
            .field("server_ip", &self.server_ip)
            .finish()
    }
}

/// VNPay, as a [`PaymentGateway`].
#[derive(Debug, Clone)]
pub struct Vnpay {
    config: VnpayConfig,
    http: reqwest::Client,
}

impl Vnpay {
    pub fn new(config: VnpayConfig) -> Result<Self, GatewayError> {
        let http = reqwest::ClientBuilder::new()
            .timeout(API_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| GatewayError::Unavailable(format!("HTTP client: {e}")))?;
        Ok(Self { config, http })
    }

    pub fn config(&self) -> &VnpayConfig {
        &self.config
    }

    /// POSTs `body` to the API and returns its JSON answer.
    async fn call(&self, body: Map<String, Value>) -> Result<Value, GatewayError> {
        let response = self
            .http
            .post(&self.config.api_url)
            .json(&body)
            .send()
            .await
            .map_err(|e| GatewayError::Unavailable(e.without_url().to_string()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(GatewayError::Unavailable(format!("HTTP {status}")));
        }
        response
            .json::<Value>()
            .await
            .map_err(|e| GatewayError::BadAnswer(e.without_url().to_string()))
    }
}

/// A request id unique per day (VNPay: letters and digits, up to 32): 16 random bytes in hex.
fn request_id() -> Result<String, GatewayError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| GatewayError::Unavailable(format!("nguồn ngẫu nhiên: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn answer_error(e: api::AnswerError) -> GatewayError {
    match e {
        api::AnswerError::BadAnswer(m) => GatewayError::BadAnswer(m),
        api::AnswerError::Refused { code, message } => GatewayError::Refused { code, message },
    }
}

impl PaymentGateway for Vnpay {
    fn name(&self) -> &'static str {
        "vnpay"
    }

    fn payment_url(&self, order: &GatewayOrder) -> String {
        vnpay::payment_url(&self.config.payment_url, &self.config.keys, order)
    }

    fn verify_callback(&self, query: &[(String, String)]) -> Result<GatewayReport, CallbackError> {
        vnpay::verify_callback(&self.config.keys, query).map_err(|e| match e {
            VerifyError::BadSignature => CallbackError::BadSignature,
            VerifyError::WrongTerminal => CallbackError::WrongTerminal,
            VerifyError::Malformed(field) => CallbackError::Malformed {
                field: field.to_owned(),
            },
        })
    }

    fn notice_reply(&self, ack: NoticeAck) -> (&'static str, String) {
        ("application/json", vnpay::ipn_reply(ack))
    }

    fn query<'a>(
        &'a self,
        order: &'a GatewayOrder,
        at: Timestamp,
    ) -> GatewayFuture<'a, GatewayReport> {
        Box::pin(async move {
            let id = request_id()?;
            let body = api::querydr_body(&self.config.keys, &id, order, at, &self.config.server_ip);
            let answer = self.call(body).await?;
            api::read_querydr_answer(&self.config.keys, &answer, &order.txn_ref)
                .map_err(answer_error)
        })
    }

    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundReport> {
        Box::pin(async move {
            let id = request_id()?;
            let body = api::refund_body(&self.config.keys, &id, request, &self.config.server_ip);
            let answer = self.call(body).await?;
            api::read_refund_answer(&self.config.keys, &answer).map_err(answer_error)
        })
    }
}
