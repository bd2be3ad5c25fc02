//! `--dry-run`: the request the client would send, printed instead of sent. The client really
//! builds it (with its checks, headers and body encoding), but against a listener on
//! 127.0.0.1 that records it and answers nothing useful; then the real origin is put back in
//! the printout and the token is redacted.

use opentact_client::reqwest::Url;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::error::Error;

/// What a capture gives back.
pub struct Captured {
    pub head: String,
    pub body: Vec<u8>,
}

/// A loopback listener taking one request.
pub struct Capture {
    listener: TcpListener,
    base: Url,
}

const MAX_REQUEST: usize = 16 * 1024 * 1024;

impl Capture {
    /// Listens on 127.0.0.1; `base_url` is where the request would really go.
    pub async fn start(base_url: &str) -> Result<Capture, Error> {
        let base = Url::parse(base_url).map_err(|e| Error::Usage(format!("--base-url {base_url:?}: {e}")))?;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| Error::Local(format!("--dry-run cannot listen on 127.0.0.1: {e}")))?;
        Ok(Capture { listener, base })
    }

    /// The base URL the client is pointed at: this listener, with the real base URL's path.
    pub fn local_base_url(&self) -> Result<String, Error> {
        let addr = self.listener.local_addr().map_err(|e| Error::Local(e.to_string()))?;
        Ok(format!("http://{addr}{}", self.base.path().trim_end_matches('/')))
    }

    /// Takes one request and answers `204` (which the client will not accept: that error is
    /// expected and dropped by the caller).
    pub async fn take(&self) -> Result<Captured, Error> {
        let io = |e: std::io::Error| Error::Local(format!("--dry-run: {e}"));
        let (mut stream, _) = self.listener.accept().await.map_err(io)?;
        let mut data = Vec::new();
        let mut buffer = [0u8; 8192];
        let (head_end, length) = loop {
            let n = stream.read(&mut buffer).await.map_err(io)?;
            if n == 0 {
                return Err(Error::Local("--dry-run: the client closed the connection".into()));
            }
            data.extend_from_slice(&buffer[..n]);
            if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&data[..end]).to_string();
                break (end + 4, content_length(&head));
            }
            if data.len() > MAX_REQUEST {
                return Err(Error::Local("--dry-run: the request head is too large".into()));
            }
        };
        while data.len() < head_end + length.min(MAX_REQUEST) {
            let n = stream.read(&mut buffer).await.map_err(io)?;
            if n == 0 {
                break;
            }
            data.extend_from_slice(&buffer[..n]);
        }
        let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n").await;
        let head = String::from_utf8_lossy(&data[..head_end - 4]).to_string();
        Ok(Captured { head, body: data[head_end..].to_vec() })
    }

    /// The request as it would go to the real server: the request line with the real origin,
    /// the headers (the token redacted, `host` the real one), then the body.
    pub fn render(&self, captured: &Captured, token: &str) -> String {
        let origin = self.base.origin().ascii_serialization();
        let mut lines = captured.head.lines();
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split(' ');
        let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        let mut out = format!("{method} {origin}{target}\n");
        for line in lines {
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            let value = match name.to_ascii_lowercase().as_str() {
                "x-auth-token" => "<redacted>".to_string(),
                "host" => match (self.base.host_str(), self.base.port()) {
                    (Some(host), Some(port)) => format!("{host}:{port}"),
                    (host, _) => host.unwrap_or_default().to_string(),
                },
                _ => value.trim().to_string(),
            };
            out.push_str(&format!("{name}: {value}\n"));
        }
        if !captured.body.is_empty() {
            out.push('\n');
            let body = String::from_utf8_lossy(&captured.body);
            match serde_json::from_str::<serde_json::Value>(&body) {
                Ok(json) => out.push_str(&serde_json::to_string_pretty(&json).unwrap_or_default()),
                Err(_) => out.push_str(&body),
            }
            out.push('\n');
        }
        // Wherever else it might appear (a header the service echoes, a body field), never show it.
        if token.is_empty() { out } else { out.replace(token, "<redacted>") }
    }
}

fn content_length(head: &str) -> usize {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}
