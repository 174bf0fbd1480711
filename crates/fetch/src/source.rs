//! What to fetch for an indicator ([`Source`]) and what came back ([`Fetched`]): the bytes as
//! the service answered, with the reader they are for where the source says it.

use rodtrad_stats::{Kind, ReadError, Table};
use serde_json::Value;

/// Where an indicator's statistics are on the web.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Kolada's values of key figures (`kpis`, such as `N00945`) for areas in Kolada's codes
    /// (municipalities `0180`, regions `0018`, Riket `0000`) and years. Empty `areas` or
    /// `years` ask for all; Kolada may refuse a question that names neither.
    Kolada {
        kpis: Vec<String>,
        areas: Vec<String>,
        years: Vec<u16>,
    },
    /// A table of a PxWeb version 1 API, `table` its path under the site's base (SCB's
    /// `BE/BE0101/BE0101A/BefolkningNy`), asked with the query its page "API för denna tabell"
    /// shows: `{"query": [...], "response": {"format": "json"}}`, or `json-stat2`.
    PxWebV1 {
        site: PxSite,
        table: String,
        query: Value,
    },
    /// A table of SCB's PxWeb version 2 API (`TAB6471`), its values selected per variable; a
    /// variable not named gets the table's default selection. Answered as JSON-stat 2.0.
    PxWebV2 { table: String, select: Vec<Select> },
    /// Any other `http` or `https` address answering with JSON-stat, PxWeb's `json`, a Kolada
    /// page (its `next_url` not followed) or CSV.
    Url(String),
}

/// The PxWeb version 1 API a table is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PxSite {
    /// Statistics Sweden's Statistikdatabasen.
    Scb,
    /// Folkhälsomyndigheten's Folkhälsodata.
    Folkhalsodata,
    /// Another PxWeb version 1 API (a region's, say), by its base URL up to the language:
    /// `https://example.se/PXWeb/api/v1/sv`; or a table by its whole URL, `table` then empty.
    Other(String),
}

/// Which values of one variable of a PxWeb version 2 table to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Select {
    /// The variable's code, such as `Region` or `Tid`.
    pub variable: String,
    /// Value codes; `*` and `?` mask as PxWeb defines (`????` is every municipality). The
    /// selection expressions with commas in them (`top(3,1)`) cannot be sent this way.
    pub codes: Vec<String>,
    /// A code list of the variable to select from, such as `vs_RegionKommun07`.
    pub codelist: Option<String>,
}

impl Source {
    /// The reader for what the source answers, where the source says it: `None` for a plain
    /// URL, or a PxWeb version 1 query asking a format there is no reader for, to be told
    /// from the content.
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Source::Kolada { .. } => Some(Kind::Kolada),
            Source::PxWebV1 { query, .. } => {
                match query.pointer("/response/format").and_then(Value::as_str) {
                    Some("json") => Some(Kind::PxWeb),
                    Some("json-stat2") => Some(Kind::JsonStat),
                    Some("csv") => Some(Kind::Csv),
                    _ => None,
                }
            }
            Source::PxWebV2 { .. } => Some(Kind::JsonStat),
            Source::Url(_) => None,
        }
    }
}

/// A source's answer: one body, or Kolada's pages in the order fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pages: Vec<Vec<u8>>,
    kind: Option<Kind>,
}

impl Fetched {
    pub(crate) fn new(pages: Vec<Vec<u8>>, kind: Option<Kind>) -> Self {
        Self { pages, kind }
    }

    /// The bodies as answered (a JSON answer's byte-order mark taken away).
    pub fn pages(&self) -> &[Vec<u8>] {
        &self.pages
    }

    pub fn into_pages(self) -> Vec<Vec<u8>> {
        self.pages
    }

    /// The reader they are for, where the source said it.
    pub fn kind(&self) -> Option<Kind> {
        self.kind
    }

    /// The tables of the answer: Kolada's pages read as one table, another answer by the
    /// reader of its kind, or of the kind told from its content.
    pub fn read(&self) -> Result<Vec<Table>, ReadError> {
        if self.kind == Some(Kind::Kolada) {
            return rodtrad_stats::kolada::read(&self.pages).map(|t| vec![t]);
        }
        let mut tables = Vec::new();
        for page in &self.pages {
            tables.extend(rodtrad_stats::read(page, self.kind)?.1);
        }
        Ok(tables)
    }
}
