//! [`SmtpSink`]: a minimal SMTP server on `127.0.0.1:0` that keeps every message it is given
//! (EHLO/HELO, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT; no TLS, no
//! authentication), and hands them back decoded by `mail-parser` ([`SinkMessage`]: the
//! subject from RFC 2047, the text body from quoted-printable or base64). A sink made with
//! [`SmtpSink::refusing`] answers every MAIL FROM with a temporary failure (451).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The largest message kept (bytes); more closes the connection.
const MAX_MESSAGE: usize = 10 * 1024 * 1024;

/// One message the sink received, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkMessage {
    /// The envelope's sender (MAIL FROM).
    pub from: String,
    /// The envelope's recipients (RCPT TO).
    pub recipients: Vec<String>,
    /// The decoded subject (empty when absent).
    pub subject: String,
    /// The decoded text body (empty when absent).
    pub body: String,
    /// The message as transmitted, after dot-unstuffing.
    pub raw: Vec<u8>,
}

/// A local SMTP server for tests; it stops when dropped.
pub struct SmtpSink {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<SinkMessage>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpSink {
    /// Starts a sink that accepts every message.
    pub async fn start() -> std::io::Result<Self> {
        Self::with(false).await
    }

    /// Starts a sink that refuses every message with a temporary failure.
    pub async fn refusing() -> std::io::Result<Self> {
        Self::with(true).await
    }

    async fn with(refuse: bool) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let kept = Arc::clone(&kept);
                tokio::spawn(async move {
                    let _ = session(stream, refuse, kept).await;
                });
            }
        });
        Ok(Self {
            addr,
            received,
            task,
        })
    }

    /// The sink's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL an SMTP client is given: `smtp://127.0.0.1:PORT` (plain text).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every message received so far, in order of arrival.
    pub fn messages(&self) -> Vec<SinkMessage> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until at least `count` messages arrived, at most `timeout`; the messages, or
    /// an error saying how many came.
    pub async fn wait_for(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<SinkMessage>, String> {
        let until = tokio::time::Instant::now() + timeout;
        loop {
            let now = self.messages();
            if now.len() >= count {
                return Ok(now);
            }
            if tokio::time::Instant::now() >= until {
                return Err(format!(
                    "the SMTP sink received {} message(s) in {timeout:?}, not {count}",
                    now.len()
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One SMTP session.
async fn session(
    stream: TcpStream,
    refuse: bool,
    kept: Arc<Mutex<Vec<SinkMessage>>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write.write_all(b"220 motcua-sink ESMTP\r\n").await?;
    let mut from = String::new();
    let mut recipients = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = text
            .split([' ', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-motcua-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" => b"250 motcua-sink\r\n",
            "MAIL" if refuse => b"451 4.3.0 Temporary failure, try again later\r\n",
            "MAIL" => {
                from = address(&text);
                recipients.clear();
                b"250 2.1.0 OK\r\n"
            }
            "RCPT" => {
                recipients.push(address(&text));
                b"250 2.1.5 OK\r\n"
            }
            "DATA" if recipients.is_empty() => b"503 5.5.1 RCPT first\r\n",
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let raw = data(&mut read).await?;
                let message = decode(&from, &recipients, raw);
                kept.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(message);
                recipients.clear();
                b"250 2.0.0 Kept\r\n"
            }
            "RSET" => {
                from.clear();
                recipients.clear();
                b"250 2.0.0 OK\r\n"
            }
            "NOOP" => b"250 2.0.0 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 5.5.2 Command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// The address between `<` and `>` of a MAIL FROM or RCPT TO line.
fn address(line: &str) -> String {
    match (line.find('<'), line.rfind('>')) {
        (Some(a), Some(b)) if a < b => line[a + 1..b].to_owned(),
        _ => line
            .split_once(':')
            .map(|(_, a)| a.trim().to_owned())
            .unwrap_or_default(),
    }
}

/// The message of a DATA command, up to the line holding a single dot, dot-unstuffed.
async fn data(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(raw);
        }
        let unstuffed = if line.starts_with(b"..") {
            &line[1..]
        } else {
            &line[..]
        };
        raw.extend_from_slice(unstuffed);
        if raw.len() > MAX_MESSAGE {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
    }
}

fn decode(from: &str, recipients: &[String], raw: Vec<u8>) -> SinkMessage {
    let parsed = mail_parser::MessageParser::default().parse(&raw);
    let subject = parsed
        .as_ref()
        .and_then(|m| m.subject())
        .unwrap_or_default()
        .to_owned();
    let body = parsed
        .as_ref()
        .and_then(|m| m.body_text(0))
        .map(|b| b.into_owned())
        .unwrap_or_default();
    SinkMessage {
        from: from.to_owned(),
        recipients: recipients.to_vec(),
        subject,
        body,
        raw,
    }
}
