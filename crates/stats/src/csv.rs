//! CSV as Swedish offices write it: semicolons or commas (or tabs), a decimal comma, UTF-8 with
//! or without a byte-order mark, or Windows-1252 (what Excel saves on a Swedish Windows). The
//! header names the columns; one holds the values (named, or found by its usual names, or the
//! last), one may hold their status, and each of the others is a dimension, its categories
//! in the order they first appear. A value a source marks rather than gives (`..`, `-`, `x`)
//! is kept as its status.

use crate::rows::{Found, Gathered, table};
use crate::{ReadError, Role, Rule, Table};

/// Which columns are which, by their names in the header; those left `None` are found by
/// their usual names.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub value: Option<String>,
    pub status: Option<String>,
    pub period: Option<String>,
    pub area: Option<String>,
}

const VALUE_NAMES: [&str; 5] = ["värde", "varde", "value", "antal", "andel"];
const STATUS_NAMES: [&str; 3] = ["status", "anmärkning", "flagga"];
const PERIOD_NAMES: [&str; 6] = ["år", "ar", "period", "tid", "year", "time"];
const AREA_NAMES: [&str; 7] = ["region", "område", "omrade", "kommun", "län", "area", "kod"];

/// The text of `bytes`: UTF-8 (a byte-order mark dropped), or else Windows-1252.
pub fn text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The separator the header uses most: semicolon, tab or comma.
fn separator(header: &str) -> u8 {
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|&c| (header.bytes().filter(|&b| b == c).count(), c == b';'))
        .unwrap_or(b';')
}

/// A number as offices write it: a decimal comma or point, spaces (and non-breaking spaces)
/// between thousands; `None` when it is none.
pub fn number(s: &str) -> Option<f64> {
    let s: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let s = match (s.contains(','), s.contains('.')) {
        (true, false) => s.replace(',', "."),
        // 1.234,5: points between thousands, a decimal comma.
        (true, true) if s.rfind(',') > s.rfind('.') => s.replace('.', "").replace(',', "."),
        (true, true) => s.replace(',', ""),
        _ => s,
    };
    s.parse().ok()
}

fn find(
    header: &[String],
    named: Option<&str>,
    usual: &[&str],
) -> Result<Option<usize>, ReadError> {
    let lower: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    match named {
        Some(name) => lower
            .iter()
            .position(|h| *h == name.trim().to_lowercase())
            .map(Some)
            .ok_or_else(|| {
                ReadError::new(
                    Rule::Missing,
                    "line 1",
                    format!("no column \"{name}\" in the header ({})", header.join(", ")),
                )
            }),
        None => Ok(lower.iter().position(|h| usual.contains(&h.as_str()))),
    }
}

/// The table of a CSV file.
pub fn read(bytes: &[u8], columns: &Columns) -> Result<Table, ReadError> {
    let text = text(bytes);
    let first = text.lines().next().unwrap_or_default();
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(separator(first))
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ReadError::new(Rule::NotDataSet, "line 1", e.to_string()))?
        .iter()
        .map(str::to_owned)
        .collect();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(ReadError::new(Rule::Missing, "line 1", "no header"));
    }
    let value = find(&header, columns.value.as_deref(), &VALUE_NAMES)?.unwrap_or(header.len() - 1);
    let status = find(&header, columns.status.as_deref(), &STATUS_NAMES)?.filter(|&s| s != value);
    let period = find(&header, columns.period.as_deref(), &PERIOD_NAMES)?;
    let area = find(&header, columns.area.as_deref(), &AREA_NAMES)?;
    let keys: Vec<usize> = (0..header.len())
        .filter(|&i| i != value && Some(i) != status)
        .collect();
    let mut dimensions: Vec<Gathered> = keys
        .iter()
        .map(|&i| {
            let role = if Some(i) == period {
                Some(Role::Time)
            } else if Some(i) == area {
                Some(Role::Geo)
            } else {
                None
            };
            Gathered::new(header[i].trim(), None, role)
        })
        .collect();
    let mut found = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = record
            .map_err(|e| ReadError::new(Rule::NotDataSet, format!("line {line}"), e.to_string()))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            return Err(ReadError::new(
                Rule::RowLength,
                format!("line {line}"),
                format!(
                    "{} fields, where the header has {}",
                    record.len(),
                    header.len()
                ),
            ));
        }
        let categories = keys
            .iter()
            .zip(dimensions.iter_mut())
            .map(|(&i, d)| d.at(record[i].trim(), None))
            .collect();
        let written = record[value].trim();
        let (value, mark) = match number(written) {
            Some(v) => (Some(v), None),
            None if written.is_empty() || is_mark(written) => (None, Some(written.to_owned())),
            None => {
                return Err(ReadError::new(
                    Rule::ValueNotNumber,
                    format!("line {line}, column {}", header[value].trim()),
                    format!("\"{written}\" is not a number"),
                ));
            }
        };
        let status = status
            .map(|s| record[s].trim().to_owned())
            .filter(|s| !s.is_empty())
            .or(mark.filter(|m| !m.is_empty()));
        found.push(Found {
            categories,
            value,
            status,
            at: format!("line {line}"),
        });
    }
    table(dimensions, found)
}

/// The marks offices write for a value they do not give: not available, nil, secret.
fn is_mark(s: &str) -> bool {
    matches!(
        s,
        ".." | "..." | "." | "-" | "–" | "x" | "X" | ":" | "NA" | "n/a"
    )
}
