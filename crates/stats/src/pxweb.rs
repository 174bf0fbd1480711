//! PxWeb version 1's answer to a POST query in its `json` format (SCB's statistikdatabasen
//! before version 2, Folkhälsomyndigheten's Folkhälsodata): `columns` (each a dimension, `d`,
//! the time, `t`, or a measure, `c`), `data` rows of a `key` (a code per dimension) and
//! `values` (a text per measure), `comments` and `metadata`. The measures become one dimension
//! of role metric, `ContentsCode`, as PxWeb's `json-stat2` answer names it; a value PxWeb marks
//! rather than gives (`..` not available, `-` nil, ...) is kept as its status.

use serde_json::Value;

use crate::rows::{Found, Gathered, table};
use crate::{ReadError, Role, Rule, Table};

/// The table of one answer.
pub fn read(bytes: &[u8]) -> Result<Table, ReadError> {
    read_value(&crate::error::json(bytes, "")?)
}

/// The table of one answer already parsed.
pub fn read_value(v: &Value) -> Result<Table, ReadError> {
    let field = |name: &str| -> Result<&Vec<Value>, ReadError> {
        v.get(name)
            .ok_or_else(|| ReadError::new(Rule::Missing, name, "missing"))?
            .as_array()
            .ok_or_else(|| ReadError::new(Rule::FieldType, name, "should be a list"))
    };
    let columns = field("columns")?;
    let rows = field("data")?;
    let mut keys = Vec::new();
    let mut measures = Gathered::new("ContentsCode", None, Some(Role::Metric));
    let mut measure_count = 0;
    for (i, c) in columns.iter().enumerate() {
        let text = |f: &str| c.get(f).and_then(Value::as_str);
        let at = format!("columns[{i}]");
        let code = text("code")
            .ok_or_else(|| ReadError::new(Rule::Missing, format!("{at}.code"), "missing"))?;
        let label = text("text").map(str::to_owned);
        match text("type") {
            Some("d") => keys.push(Gathered::new(code, label, None)),
            Some("t") => keys.push(Gathered::new(code, label, Some(Role::Time))),
            Some("c") => {
                measures.at(code, label.as_deref());
                measure_count += 1;
            }
            other => {
                return Err(ReadError::new(
                    Rule::FieldType,
                    format!("{at}.type"),
                    format!("{other:?} is not d, t or c"),
                ));
            }
        }
    }
    let mut found = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let at = format!("data[{i}]");
        let key = texts(row.get("key"), &format!("{at}.key"))?;
        let values = texts(row.get("values"), &format!("{at}.values"))?;
        if key.len() != keys.len() {
            return Err(ReadError::new(
                Rule::RowLength,
                format!("{at}.key"),
                format!("{} codes for {} columns", key.len(), keys.len()),
            ));
        }
        if values.len() != measure_count {
            return Err(ReadError::new(
                Rule::RowLength,
                format!("{at}.values"),
                format!("{} values for {measure_count} measures", values.len()),
            ));
        }
        let categories: Vec<usize> = keys
            .iter_mut()
            .zip(&key)
            .map(|(d, code)| d.at(code, None))
            .collect();
        for (j, text) in values.iter().enumerate() {
            let mut at_measure = categories.clone();
            at_measure.push(j);
            let (value, status) = match text.trim().parse::<f64>() {
                Ok(n) => (Some(n), None),
                Err(_) => (None, Some(text.clone())),
            };
            found.push(Found {
                categories: at_measure,
                value,
                status,
                at: format!("{at}.values[{j}]"),
            });
        }
    }
    let mut dimensions = keys;
    dimensions.push(measures);
    let mut t = table(dimensions, found)?;
    describe(v, &mut t);
    Ok(t)
}

/// The table's label, source, date and notes, from the answer's metadata and comments.
fn describe(v: &Value, t: &mut Table) {
    let meta = v
        .get("metadata")
        .and_then(Value::as_array)
        .and_then(|m| m.first());
    let meta_text = |f: &str| {
        meta.and_then(|m| m.get(f))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    t.label = meta_text("label");
    t.source = meta_text("source");
    t.updated = meta_text("updated");
    t.notes = v
        .get("comments")
        .and_then(Value::as_array)
        .map(|c| {
            c.iter()
                .filter_map(|x| x.get("comment").or(Some(x)).and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
}

fn texts(v: Option<&Value>, at: &str) -> Result<Vec<String>, ReadError> {
    let items = v
        .ok_or_else(|| ReadError::new(Rule::Missing, at, "missing"))?
        .as_array()
        .ok_or_else(|| ReadError::new(Rule::FieldType, at, "should be a list"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, x)| {
            x.as_str().map(str::to_owned).ok_or_else(|| {
                ReadError::new(Rule::FieldType, format!("{at}[{i}]"), "should be a text")
            })
        })
        .collect()
}
