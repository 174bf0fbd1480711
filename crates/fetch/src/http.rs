//! One request and its answer, the same for every service: tries again when the service says
//! it is busy, refuses an answer over the size limit while it arrives (not after holding it
//! all), and turns what failed into a [`FetchError`] that says where.

use std::error::Error;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Response, StatusCode, Url};
use serde_json::Value;

use crate::{Client, FetchError};

/// How much of an error's body is read for its excerpt: its reason is at the start.
const ERROR_BODY_READ: usize = 4096;
/// How many characters of it the error keeps.
const EXCERPT_CHARS: usize = 300;

impl Client {
    pub(crate) async fn get(&self, url: &Url) -> Result<Vec<u8>, FetchError> {
        self.send(url, None).await
    }

    pub(crate) async fn post_json(&self, url: &Url, body: &[u8]) -> Result<Vec<u8>, FetchError> {
        self.send(url, Some(body)).await
    }

    async fn send(&self, url: &Url, json: Option<&[u8]>) -> Result<Vec<u8>, FetchError> {
        let mut attempt = 1;
        loop {
            let request = match json {
                Some(body) => self
                    .http
                    .post(url.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.to_vec()),
                None => self.http.get(url.clone()),
            };
            let response = request.send().await.map_err(|e| self.failure(url, e))?;
            let status = response.status();
            if status.is_success() {
                return self.body(url, response).await;
            }
            let busy = matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            );
            if busy && attempt < self.config.attempts {
                let wait = self.wait(&response, attempt);
                // Not to hold the connection while waiting.
                drop(response);
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            return Err(FetchError::Status {
                url: url.to_string(),
                status: status.as_u16(),
                excerpt: error_excerpt(response).await,
                attempts: attempt,
            });
        }
    }

    /// How long to wait before the next try: what `Retry-After` asks in seconds (its date
    /// form is rare and taken as absent), else a second more each try; never over the cap.
    fn wait(&self, response: &Response, attempt: u32) -> Duration {
        let asked = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        asked
            .unwrap_or(Duration::from_secs(u64::from(attempt)))
            .min(self.config.max_wait)
    }

    async fn body(&self, url: &Url, mut response: Response) -> Result<Vec<u8>, FetchError> {
        let limit = self.config.max_body;
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit,
        };
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.failure(url, e))? {
            let len = u64::try_from(body.len() + chunk.len()).unwrap_or(u64::MAX);
            if len > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        strip_bom(&mut body);
        Ok(body)
    }

    fn failure(&self, url: &Url, e: reqwest::Error) -> FetchError {
        let url = url.to_string();
        if e.is_timeout() {
            let limit = if e.is_connect() {
                self.config.connect_timeout
            } else {
                self.config.timeout
            };
            let seconds = limit.as_secs() + u64::from(limit.subsec_nanos() > 0);
            return FetchError::Timeout { url, seconds };
        }
        let connect = e.is_connect();
        if connect && refused(&e) {
            return FetchError::Refused { url };
        }
        let detail = chain(&e.without_url());
        if connect {
            FetchError::Connect { url, detail }
        } else {
            FetchError::Transfer { url, detail }
        }
    }
}

/// Whether the cause is a connection refused, which says more than "could not connect".
fn refused(e: &(dyn Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        {
            return true;
        }
        cause = c.source();
    }
    false
}

/// An error and its causes, as one line.
pub(crate) fn chain(e: &dyn Error) -> String {
    let mut line = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        line.push_str(": ");
        line.push_str(&c.to_string());
        cause = c.source();
    }
    line
}

/// SCB's PxWeb version 1 starts its JSON with a byte-order mark, which JSON forbids and
/// serde_json refuses; RFC 8259 lets a reader ignore it, so it goes here, for every reader.
/// Only before JSON: CSV's reader handles its own.
fn strip_bom(body: &mut Vec<u8>) {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let json_follows = body
        .get(BOM.len()..)
        .and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace()))
        .is_some_and(|b| matches!(b, b'{' | b'['));
    if body.starts_with(BOM) && json_follows {
        body.drain(..BOM.len());
    }
}

/// The start of an error's body: the reason Kolada and PxWeb give, in JSON (`title`,
/// `detail`, `message`, `error`) or as text, on one line.
async fn error_excerpt(mut response: Response) -> String {
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_READ {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    strip_bom(&mut body);
    excerpt(&body)
}

pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(&text) {
        let said: Vec<&str> = ["title", "detail", "message", "error"]
            .iter()
            .filter_map(|key| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .and_then(|(_, v)| v.as_str())
            })
            .collect();
        if !said.is_empty() {
            return cut(&said.join(": "));
        }
    }
    cut(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
