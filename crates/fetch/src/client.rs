//! The [`Client`]: one HTTP client with the services' base URLs and the limits of every fetch
//! ([`Config`]), and [`Client::fetch`], which sends a [`Source`] to its service's module.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::{FetchError, Fetched, PxSite, Source, kolada, pxweb};

/// Where the services are and how long and how much a fetch may take. `Config::default()` is
/// the real services; tests point the base URLs at a local server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Kolada's API version 3.
    pub kolada: String,
    /// SCB's PxWeb version 1, up to the database (`ssd`).
    pub scb_v1: String,
    /// SCB's PxWeb version 2.
    pub scb_v2: String,
    /// Folkhälsomyndigheten's Folkhälsodata, PxWeb version 1, up to the language.
    pub folkhalsodata: String,
    /// For making a connection.
    pub connect_timeout: Duration,
    /// For one request, from sending it to the last byte of the answer.
    pub timeout: Duration,
    /// The largest answer taken, in bytes (after decompression).
    pub max_body: u64,
    /// The most Kolada pages one fetch follows.
    pub max_pages: usize,
    /// Tries of a request the service answers with 429 or 503 (busy).
    pub attempts: u32,
    /// The longest wait between tries, whatever `Retry-After` asks.
    pub max_wait: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            kolada: "https://api.kolada.se/v3".into(),
            scb_v1: "https://api.scb.se/OV0104/v1/doris/sv/ssd".into(),
            scb_v2: "https://api.scb.se/ov0104/v2beta/api/v2".into(),
            folkhalsodata: "https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv"
                .into(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_body: 200 * 1024 * 1024,
            max_pages: 1000,
            attempts: 3,
            // SCB counts 30 requests a window of 10 s: a longer wait is never needed there.
            max_wait: Duration::from_secs(10),
        }
    }
}

/// Fetches sources. Cheap to clone; clones share connections.
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) config: Arc<Config>,
    bases: Arc<Bases>,
}

/// The base URLs of [`Config`], parsed once.
#[derive(Debug)]
struct Bases {
    kolada: Url,
    scb_v1: Url,
    scb_v2: Url,
    folkhalsodata: Url,
}

impl Client {
    /// A client of the real services.
    pub fn new() -> Result<Client, FetchError> {
        Client::with_config(Config::default())
    }

    pub fn with_config(config: Config) -> Result<Client, FetchError> {
        let bases = Bases {
            kolada: parse_url(&config.kolada)?,
            scb_v1: parse_url(&config.scb_v1)?,
            scb_v2: parse_url(&config.scb_v2)?,
            folkhalsodata: parse_url(&config.folkhalsodata)?,
        };
        let http = reqwest::Client::builder()
            .user_agent(concat!("rodtrad/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .build()
            .map_err(|e| FetchError::Setup {
                detail: crate::http::chain(&e),
            })?;
        Ok(Client {
            http,
            config: Arc::new(config),
            bases: Arc::new(bases),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The source's answer: for Kolada every page of every request (key figures and areas
    /// are asked 25 at a time), else the one body.
    pub async fn fetch(&self, source: &Source) -> Result<Fetched, FetchError> {
        let pages = match source {
            Source::Kolada { kpis, areas, years } => {
                let urls = kolada::urls(&self.bases.kolada, kpis, areas, years)?;
                kolada::fetch(self, urls).await?
            }
            Source::PxWebV1 { site, table, query } => {
                let base = match site {
                    PxSite::Scb => self.bases.scb_v1.clone(),
                    PxSite::Folkhalsodata => self.bases.folkhalsodata.clone(),
                    PxSite::Other(base) => parse_url(base)?,
                };
                vec![pxweb::fetch_v1(self, &base, table, query).await?]
            }
            Source::PxWebV2 { table, select } => {
                let url = pxweb::v2_url(&self.bases.scb_v2, table, select);
                vec![self.get(&url).await?]
            }
            Source::Url(url) => vec![self.get(&parse_url(url)?).await?],
        };
        Ok(Fetched::new(pages, source.kind()))
    }
}

/// An `http` or `https` URL; reqwest would refuse the others only when sending.
pub(crate) fn parse_url(url: &str) -> Result<Url, FetchError> {
    let bad = |detail: String| FetchError::BadUrl {
        url: url.to_owned(),
        detail,
    };
    let parsed = Url::parse(url).map_err(|e| bad(e.to_string()))?;
    match parsed.scheme() {
        "http" | "https" if parsed.has_host() => Ok(parsed),
        "http" | "https" => Err(bad("no host".into())),
        other => Err(bad(format!("scheme {other}"))),
    }
}

/// `base` with path segments added, each percent-encoded: an id cannot reach another path
/// (a `/` in it stays in its segment), and `.` and `..` are left out.
pub(crate) fn with_segments<'a>(base: &Url, segments: impl IntoIterator<Item = &'a str>) -> Url {
    let mut url = base.clone();
    url.path_segments_mut()
        .expect("parse_url keeps only URLs with a host, which have a path")
        .pop_if_empty()
        .extend(
            segments
                .into_iter()
                .filter(|s| !matches!(*s, "" | "." | "..")),
        );
    url
}
