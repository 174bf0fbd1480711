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
        match serde_json::from_slice::<Value>(bytes) {
            Ok(v) => Kind::of_json(&v),
            Err(_) => looks_like_csv(bytes).then_some(Kind::Csv),
        }
    }

    /// The kind of a JSON source: JSON-stat, PxWeb version 1 or Kolada, or `None`.
    fn of_json(v: &Value) -> Option<Kind> {
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
            Kind::Csv => csv::read(bytes, &csv::Columns::default()).map(|t| vec![t]),
            _ => self.read_json(&crate::error::json(bytes, "")?),
        }
    }

    fn read_json(self, v: &Value) -> Result<Vec<Table>, ReadError> {
        match self {
            Kind::JsonStat => jsonstat::read_value(v),
            Kind::PxWeb => pxweb::read_value(v).map(|t| vec![t]),
            Kind::Kolada => kolada::read_values(std::slice::from_ref(v)).map(|t| vec![t]),
            Kind::Csv => Err(ReadError::new(Rule::NotDataSet, "", "JSON, not CSV")),
        }
    }
}

/// Whether what does not parse as JSON is to be read as CSV: JSON that is broken (it starts
/// as JSON does) is said as such, not read as CSV.
fn looks_like_csv(bytes: &[u8]) -> bool {
    let start = bytes.iter().find(|b| !b.is_ascii_whitespace());
    !matches!(start, Some(b'{' | b'['))
}

/// The tables of a source, of the kind `from` says or the one it is told to be; JSON is
/// parsed once, for telling the kind and for reading it.
pub fn read(bytes: &[u8], from: Option<Kind>) -> Result<(Kind, Vec<Table>), ReadError> {
    if from == Some(Kind::Csv) {
        return Ok((Kind::Csv, Kind::Csv.read(bytes)?));
    }
    let v = match crate::error::json(bytes, "") {
        Ok(v) => v,
        Err(_) if from.is_none() && looks_like_csv(bytes) => {
            return Ok((Kind::Csv, Kind::Csv.read(bytes)?));
        }
        // Broken JSON, or a kind of JSON said: where it breaks.
        Err(e) => return Err(e),
    };
    let kind = from.or_else(|| Kind::of_json(&v)).ok_or_else(|| {
        ReadError::new(
            Rule::NotDataSet,
            "",
            "JSON, but neither JSON-stat, PxWeb nor Kolada",
        )
    })?;
    Ok((kind, kind.read_json(&v)?))
}
