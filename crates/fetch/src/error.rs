//! Why a fetch failed, and where: every variant names the URL and keeps its facts as fields,
//! so that the layers above can say it in Swedish or English; `Display` is English, for logs.

use rodtrad_stats::ReadError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The HTTP client could not be set up (its TLS configuration, say).
    #[error("setting up the HTTP client: {detail}")]
    Setup { detail: String },
    /// Not an address that can be fetched: not a URL, or not `http`/`https`.
    #[error("{url}: not an http or https URL ({detail})")]
    BadUrl { url: String, detail: String },
    /// A Kolada source naming no key figure.
    #[error("a Kolada source needs at least one key figure")]
    NoKeyFigures,
    /// No connection or no answer within the time allowed (`seconds`).
    #[error("{url}: no answer within {seconds} s")]
    Timeout { url: String, seconds: u64 },
    /// Nothing listens there.
    #[error("{url}: connection refused")]
    Refused { url: String },
    /// No connection for another reason: the name not found, TLS refused, ...
    #[error("{url}: could not connect: {detail}")]
    Connect { url: String, detail: String },
    /// The connection broke, or the answer could not be decoded, part-way.
    #[error("{url}: the transfer failed: {detail}")]
    Transfer { url: String, detail: String },
    /// An answer other than success, after `attempts` tries (more than one when the service
    /// said it was busy, 429 or 503). `excerpt` is the start of its body, where Kolada and
    /// PxWeb say why (a key figure or variable not found, too many cells).
    #[error("{url}: HTTP {status}{}{}", attempts_note(*attempts), excerpt_note(excerpt))]
    Status {
        url: String,
        status: u16,
        excerpt: String,
        attempts: u32,
    },
    /// The answer is larger than the limit (`limit` bytes).
    #[error("{url}: the answer is larger than {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    /// Kolada's `next_url` leads back to a page already fetched.
    #[error("{url}: next_url leads back to a page already fetched")]
    Loop { url: String },
    /// More Kolada pages than the limit (`limit`): a `next_url` that never ends.
    #[error("{url}: more than {limit} pages")]
    TooManyPages { url: String, limit: usize },
    /// Kolada's `next_url` points to another host than the page it is on.
    #[error("{url}: next_url leads to another host: {next}")]
    ForeignNextUrl { url: String, next: String },
    /// A Kolada page that is not the JSON it should be, so its `next_url` is unknown.
    #[error("{url}: page {page} unreadable: {source}")]
    Page {
        url: String,
        page: usize,
        source: ReadError,
    },
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

fn excerpt_note(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(": {excerpt}")
    }
}

impl FetchError {
    /// The URL the error is about, where there is one.
    pub fn url(&self) -> Option<&str> {
        match self {
            FetchError::Setup { .. } | FetchError::NoKeyFigures => None,
            FetchError::BadUrl { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Refused { url }
            | FetchError::Connect { url, .. }
            | FetchError::Transfer { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Loop { url }
            | FetchError::TooManyPages { url, .. }
            | FetchError::ForeignNextUrl { url, .. }
            | FetchError::Page { url, .. } => Some(url),
        }
    }
}
