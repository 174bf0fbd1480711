//! Which reader a source is for: said by the person (`--from`), or told from what it holds.

use serde_json::Value;

use crate::{ReadError, Rule, Table, csv, jsonstat, kolada, pxweb};

/// The kinds of source there is a reader for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    JsonStat,
    PxWeb,
    Kolada,
    Csv,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::JsonStat, Kind::PxWeb, Kind::Kolada, Kind::Csv];

    /// How `--from` and messages name it.
    pub fn code(self) -> &'static str {
        match self {
            Kind::JsonStat => "jsonstat",
            Kind::PxWeb => "pxweb",
            Kind::Kolada => "kolada",
            Kind::Csv => "csv",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind of a source, from what it holds: JSON-stat's `class` or `dimension`, PxWeb
    /// version 1's `columns` and `data`, Kolada's `values` of key figures; what is not JSON is
    /// taken for CSV. `None` when it is JSON of none of these kinds.
    pub fn detect(bytes: &[u8]) -> Option<Kind> {
        let Ok(v) = serde_json::from_slice::<Value>(bytes) else {
            let start = bytes.iter().find(|b| !b.is_ascii_whitespace());
            // JSON that does not parse is said as such, not read as CSV.
            return (!matches!(start, Some(b'{' | b'['))).then_some(Kind::Csv);
        };
        let o = v.as_object()?;
        if o.contains_key("columns") && o.contains_key("data") {
            return Some(Kind::PxWeb);
        }
        let kpi_rows = o
            .get("values")
            .and_then(Value::as_array)
            .is_some_and(|rows| rows.iter().all(|r| r.get("kpi").is_some()));
        if kpi_rows && !o.contains_key("dimension") {
            return Some(Kind::Kolada);
        }
        let jsonstat = o.contains_key("class")
            || o.contains_key("dimension")
            || o.values().any(|d| d.get("dimension").is_some());
        jsonstat.then_some(Kind::JsonStat)
    }

    /// The tables of a source of this kind.
    pub fn read(self, bytes: &[u8]) -> Result<Vec<Table>, ReadError> {
        match self {
            Kind::JsonStat => jsonstat::read(bytes),
            Kind::PxWeb => pxweb::read(bytes).map(|t| vec![t]),
            Kind::Kolada => kolada::read(&[bytes.to_vec()]).map(|t| vec![t]),
            Kind::Csv => csv::read(bytes, &csv::Columns::default()).map(|t| vec![t]),
        }
    }
}

/// The tables of a source, of the kind `from` says or the one it is told to be.
pub fn read(bytes: &[u8], from: Option<Kind>) -> Result<(Kind, Vec<Table>), ReadError> {
    let kind = match from.or_else(|| Kind::detect(bytes)) {
        Some(kind) => kind,
        None if serde_json::from_slice::<Value>(bytes).is_err() => {
            // JSON that does not parse: say where, as the JSON-stat reader does.
            return jsonstat::read(bytes).map(|t| (Kind::JsonStat, t));
        }
        None => {
            return Err(ReadError::new(
                Rule::NotDataSet,
                "",
                "JSON, but neither JSON-stat, PxWeb nor Kolada",
            ));
        }
    };
    Ok((kind, kind.read(bytes)?))
}
