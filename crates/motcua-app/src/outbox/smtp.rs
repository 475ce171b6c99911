//! [`SmtpSender`]: e-mails through an SMTP server with `lettre` (tokio, rustls). The server
//! is a URL: `smtp://HOST:PORT` in plain text (a local relay or a test sink),
//! `smtp://USER:PASSWORD@HOST:587?tls=required` with STARTTLS, `smtps://USER:PASSWORD@HOST:465`
//! over TLS. Subjects and bodies are UTF-8: lettre encodes the subject by RFC 2047 and the
//! body as quoted-printable or base64, whichever is shorter.

use std::fmt;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{EmailSender, SendError, SendFuture};

/// Sends e-mails through one SMTP server, from one address.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The URL without its password, for logs.
    shown: String,
}

// The URL may hold a password: never printed.
impl fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSender")
            .field("server", &self.shown)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl SmtpSender {
    /// A sender through the server at `url`, from `from` (`noreply@example.vn` or
    /// `Cổng dịch vụ công <noreply@example.vn>`). Nothing is connected yet.
    pub fn new(url: &str, from: &str) -> Result<Self, SendError> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| SendError(format!("địa chỉ gửi thư không hợp lệ «{from}»: {e}")))?;
        let shown = redact(url);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| SendError(format!("địa chỉ máy chủ thư không hợp lệ «{shown}»: {e}")))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        Ok(Self {
            transport,
            from,
            shown,
        })
    }

    /// The server's URL without its password.
    pub fn server(&self) -> &str {
        &self.shown
    }
}

impl EmailSender for SmtpSender {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, body: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let to: Mailbox = to
                .parse()
                .map_err(|e| SendError(format!("địa chỉ nhận không hợp lệ «{to}»: {e}")))?;
            let mail = lettre::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body.to_owned())
                .map_err(|e| SendError(format!("không soạn được thư: {e}")))?;
            self.transport
                .send(mail)
                .await
                .map_err(|e| SendError(format!("máy chủ thư {}: {e}", self.shown)))?;
            Ok(())
        })
    }
}

/// `url` with its password replaced by `***`.
fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((user, host)) => {
                let user = user.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}:***@{host}")
            }
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("smtps://mailer:s3cr%40t@mail.example.vn:465"),
            "smtps://mailer:***@mail.example.vn:465"
        );
        assert_eq!(redact("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }

    #[test]
    fn a_bad_url_or_address_is_refused_at_start() {
        assert!(SmtpSender::new("smtp://127.0.0.1:2525", "noreply@example.vn").is_ok());
        assert!(SmtpSender::new("http://127.0.0.1", "noreply@example.vn").is_err());
        assert!(SmtpSender::new("smtp://127.0.0.1:2525", "không phải địa chỉ").is_err());
    }
}
