//! JSON-stat 2.0 (<https://json-stat.org/format/>): a data set, a collection embedding data sets,
//! or a bundle (an object of data sets by name, as version 1 wrote them). The whole format is
//! read: values as a list or as an object of positions, statuses as one string, a list or an
//! object, category indexes as a list or an object, units, notes, roles, child hierarchies;
//! extensions are a source's own and are passed over. PxWeb version 2 and SCB's tables answer in
//! this format (`json-stat2`).
//!
//! Input that breaks the format is refused with the rule and the path where it breaks
//! (`dimension.sex.category.index`), never with a panic.

use serde_json::{Map, Value};

use crate::{Category, Dimension, ReadError, Role, Rule, Table, Unit};

/// Every data set in `bytes`.
pub fn read(bytes: &[u8]) -> Result<Vec<Table>, ReadError> {
    read_value(&crate::error::json(bytes, "")?)
}

/// Every data set in a JSON value already parsed.
pub fn read_value(v: &Value) -> Result<Vec<Table>, ReadError> {
    let Some(o) = v.as_object() else {
        return Err(ReadError::new(Rule::NotDataSet, "", "not a JSON object"));
    };
    match o.get("class").and_then(Value::as_str) {
        Some("dataset") => Ok(vec![dataset(o, "")?]),
        Some("collection") => collection(o),
        Some("dimension") => Err(ReadError::new(
            Rule::NotDataSet,
            "class",
            "a dimension alone holds no values",
        )),
        Some(other) => Err(ReadError::new(
            Rule::NotDataSet,
            "class",
            format!("class \"{other}\" is not dataset, collection or dimension"),
        )),
        None => bundle(o),
    }
}

/// A collection's embedded data sets (`link.item` with values); one that only links to data
/// sets holds nothing to read.
fn collection(o: &Map<String, Value>) -> Result<Vec<Table>, ReadError> {
    let items = o
        .get("link")
        .and_then(|l| l.get("item"))
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(item) = item.as_object() else {
            continue;
        };
        if item.get("class").and_then(Value::as_str) == Some("dataset")
            && item.contains_key("value")
        {
            out.push(dataset(item, &format!("link.item[{i}]"))?);
        }
    }
    found(
        out,
        "link.item",
        "the collection embeds no data set with values",
    )
}

/// A bundle: data sets by name, as version 1 wrote them.
fn bundle(o: &Map<String, Value>) -> Result<Vec<Table>, ReadError> {
    let mut out = Vec::new();
    for (name, v) in o {
        if let Some(d) = v.as_object().filter(|d| d.contains_key("dimension")) {
            let mut table = dataset(d, name)?;
            if table.label.is_none() {
                table.label = Some(name.clone());
            }
            out.push(table);
        }
    }
    found(out, "", "no \"class\", and no data set in the object")
}

/// The data sets found, or `NotDataSet` with `why` when there are none.
fn found(tables: Vec<Table>, at: &str, why: &str) -> Result<Vec<Table>, ReadError> {
    if tables.is_empty() {
        return Err(ReadError::new(Rule::NotDataSet, at, why));
    }
    Ok(tables)
}

fn path(at: &str, field: &str) -> String {
    if at.is_empty() {
        field.to_owned()
    } else {
        format!("{at}.{field}")
    }
}

fn wrong(at: String, what: &str) -> ReadError {
    ReadError::new(Rule::FieldType, at, format!("should be {what}"))
}

fn text(o: &Map<String, Value>, field: &str) -> Option<String> {
    o.get(field).and_then(Value::as_str).map(str::to_owned)
}

/// Notes: a list of texts, or one text.
fn notes(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn dataset(o: &Map<String, Value>, at: &str) -> Result<Table, ReadError> {
    let dims = o
        .get("dimension")
        .ok_or_else(|| ReadError::new(Rule::Missing, path(at, "dimension"), "no dimension"))?
        .as_object()
        .ok_or_else(|| wrong(path(at, "dimension"), "an object"))?;
    // Version 2 puts id, size and role at the top; version 1 inside `dimension`.
    let top = |field: &str| o.get(field).or_else(|| dims.get(field));
    let ids = strings(top("id"), &path(at, "id"))?;
    let sizes = sizes(top("size"), &path(at, "size"))?;
    if ids.len() != sizes.len() {
        return Err(ReadError::new(
            Rule::IdSizeLength,
            path(at, "size"),
            format!("{} sizes for {} dimensions", sizes.len(), ids.len()),
        ));
    }
    let mut dimensions = Vec::with_capacity(ids.len());
    for (i, (id, size)) in ids.iter().zip(&sizes).enumerate() {
        let Some(d) = dims.get(id) else {
            return Err(ReadError::new(
                Rule::UnknownDimension,
                format!("{}[{i}]", path(at, "id")),
                format!("\"{id}\" is not described under dimension"),
            ));
        };
        let here = format!("{}.{id}", path(at, "dimension"));
        dimensions.push(dimension(id, d, &here, *size)?);
    }
    roles(top("role"), &mut dimensions, &path(at, "role"))?;
    let cells = sizes.iter().try_fold(1usize, |n, s| n.checked_mul(*s));
    let Some(cells) = cells else {
        return Err(ReadError::new(
            Rule::ValueCount,
            path(at, "size"),
            "the sizes multiply beyond what can be held",
        ));
    };
    let (values, texts) = values(o.get("value"), &path(at, "value"), cells, &sizes)?;
    let status = status(o.get("status"), &path(at, "status"), cells)?;
    Ok(Table {
        label: text(o, "label"),
        source: text(o, "source"),
        updated: text(o, "updated"),
        notes: notes(o.get("note")),
        dimensions,
        values,
        texts,
        status,
    })
}

fn strings(v: Option<&Value>, at: &str) -> Result<Vec<String>, ReadError> {
    let v = v.ok_or_else(|| ReadError::new(Rule::Missing, at, "missing"))?;
    let items = v.as_array().ok_or_else(|| wrong(at.into(), "a list"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, x)| {
            x.as_str()
                .map(str::to_owned)
                .ok_or_else(|| wrong(format!("{at}[{i}]"), "a text"))
        })
        .collect()
}

fn sizes(v: Option<&Value>, at: &str) -> Result<Vec<usize>, ReadError> {
    let v = v.ok_or_else(|| ReadError::new(Rule::Missing, at, "missing"))?;
    let items = v.as_array().ok_or_else(|| wrong(at.into(), "a list"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, x)| {
            x.as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| wrong(format!("{at}[{i}]"), "a whole number, 0 or more"))
        })
        .collect()
}

fn dimension(id: &str, d: &Value, at: &str, size: usize) -> Result<Dimension, ReadError> {
    let d = d.as_object().ok_or_else(|| wrong(at.into(), "an object"))?;
    let c = d
        .get("category")
        .ok_or_else(|| ReadError::new(Rule::Missing, format!("{at}.category"), "missing"))?
        .as_object()
        .ok_or_else(|| wrong(format!("{at}.category"), "an object"))?;
    let here = format!("{at}.category");
    let codes = codes(c, &here)?;
    if codes.len() != size {
        return Err(ReadError::new(
            Rule::CategoryCount,
            here,
            format!("{} categories, where size says {size}", codes.len()),
        ));
    }
    let labels = c.get("label").and_then(Value::as_object);
    let units = c.get("unit").and_then(Value::as_object);
    let category_notes = c.get("note").and_then(Value::as_object);
    let mut categories: Vec<Category> = codes
        .into_iter()
        .map(|code| Category {
            label: labels
                .and_then(|l| l.get(&code))
                .and_then(Value::as_str)
                .map(str::to_owned),
            unit: units.and_then(|u| u.get(&code)).map(unit),
            parent: None,
            notes: notes(category_notes.and_then(|n| n.get(&code))),
            code,
        })
        .collect();
    if let Some(children) = c.get("child").and_then(Value::as_object) {
        for (parent, kids) in children {
            for kid in kids.as_array().map_or(&[][..], Vec::as_slice) {
                if let Some(cat) = categories
                    .iter_mut()
                    .find(|x| Some(x.code.as_str()) == kid.as_str())
                {
                    cat.parent = Some(parent.clone());
                }
            }
        }
    }
    Ok(Dimension {
        id: id.to_owned(),
        label: text(d, "label"),
        role: None,
        categories,
        notes: notes(d.get("note")),
    })
}

/// The categories' codes in their order: by `index` (a list, or positions by code), or, for a
/// dimension of one category, the one `label` names.
fn codes(c: &Map<String, Value>, at: &str) -> Result<Vec<String>, ReadError> {
    match c.get("index") {
        Some(Value::Array(_)) => strings(c.get("index"), &format!("{at}.index")),
        Some(Value::Object(positions)) => {
            let mut codes = vec![None; positions.len()];
            for (code, p) in positions {
                let slot = p
                    .as_u64()
                    .and_then(|p| usize::try_from(p).ok())
                    .and_then(|p| codes.get_mut(p));
                match slot {
                    Some(slot @ None) => *slot = Some(code.clone()),
                    _ => {
                        return Err(ReadError::new(
                            Rule::CategoryIndex,
                            format!("{at}.index.{code}"),
                            format!(
                                "position {p} is not one of 0 to {} given once",
                                positions.len().saturating_sub(1)
                            ),
                        ));
                    }
                }
            }
            Ok(codes.into_iter().flatten().collect())
        }
        Some(_) => Err(wrong(format!("{at}.index"), "a list or an object")),
        None => {
            let labels = c.get("label").and_then(Value::as_object);
            match labels.map(|l| l.keys().collect::<Vec<_>>()) {
                Some(keys) if keys.len() == 1 => Ok(vec![keys[0].clone()]),
                Some(keys) => Err(ReadError::new(
                    Rule::CategoryIndex,
                    format!("{at}.index"),
                    format!(
                        "no index for {} categories (only one may go without)",
                        keys.len()
                    ),
                )),
                None => Err(ReadError::new(
                    Rule::Missing,
                    format!("{at}.index"),
                    "neither an index nor a label",
                )),
            }
        }
    }
}

fn unit(v: &Value) -> Unit {
    Unit {
        label: v.get("label").and_then(Value::as_str).map(str::to_owned),
        symbol: v.get("symbol").and_then(Value::as_str).map(str::to_owned),
        decimals: v
            .get("decimals")
            .and_then(Value::as_u64)
            .and_then(|d| u32::try_from(d).ok()),
    }
}

fn roles(v: Option<&Value>, dimensions: &mut [Dimension], at: &str) -> Result<(), ReadError> {
    let Some(v) = v else { return Ok(()) };
    let roles = v.as_object().ok_or_else(|| wrong(at.into(), "an object"))?;
    for (name, role) in [
        ("time", Role::Time),
        ("geo", Role::Geo),
        ("metric", Role::Metric),
    ] {
        let Some(list) = roles.get(name) else {
            continue;
        };
        let here = format!("{at}.{name}");
        for (i, id) in strings(Some(list), &here)?.into_iter().enumerate() {
            let Some(d) = dimensions.iter_mut().find(|d| d.id == id) else {
                return Err(ReadError::new(
                    Rule::UnknownRoleDimension,
                    format!("{here}[{i}]"),
                    format!("\"{id}\" is not a dimension of the data set"),
                ));
            };
            d.role = Some(role);
        }
    }
    Ok(())
}

/// A value: a number, empty, or a text (some writers quote numbers; other texts are kept as
/// texts, which the format allows).
enum Datum {
    Number(Option<f64>),
    Text(String),
}

fn datum(v: &Value, at: impl Fn() -> String) -> Result<Datum, ReadError> {
    match v {
        Value::Null => Ok(Datum::Number(None)),
        Value::Number(n) => Ok(Datum::Number(n.as_f64())),
        Value::String(s) => Ok(s
            .trim()
            .parse::<f64>()
            .map_or_else(|_| Datum::Text(s.clone()), |n| Datum::Number(Some(n)))),
        other => Err(ReadError::new(
            Rule::ValueNotNumber,
            at(),
            format!("{other} is neither a number nor a text"),
        )),
    }
}

/// Numbers by position, and the texts apart.
type Values = (Vec<Option<f64>>, std::collections::BTreeMap<usize, String>);

fn put(out: &mut Values, at: usize, d: Datum) {
    match d {
        Datum::Number(n) => out.0[at] = n,
        Datum::Text(t) => {
            out.1.insert(at, t);
        }
    }
}

fn values(v: Option<&Value>, at: &str, cells: usize, sizes: &[usize]) -> Result<Values, ReadError> {
    let v = v.ok_or_else(|| ReadError::new(Rule::Missing, at, "no values"))?;
    match v {
        Value::Array(items) => {
            if items.len() != cells {
                let product = sizes
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" × ");
                return Err(ReadError::new(
                    Rule::ValueCount,
                    at,
                    format!("{} values for a table of {product} = {cells}", items.len()),
                ));
            }
            let mut out = (vec![None; cells], std::collections::BTreeMap::new());
            for (i, x) in items.iter().enumerate() {
                put(&mut out, i, datum(x, || format!("{at}[{i}]"))?);
            }
            Ok(out)
        }
        Value::Object(sparse) => {
            let mut out = (vec![None; cells], std::collections::BTreeMap::new());
            for (key, x) in sparse {
                let Some(p) = key.parse::<usize>().ok().filter(|&p| p < cells) else {
                    return Err(ReadError::new(
                        Rule::ValuePosition,
                        format!("{at}.{key}"),
                        format!(
                            "\"{key}\" is not a position from 0 to {}",
                            cells.saturating_sub(1)
                        ),
                    ));
                };
                put(&mut out, p, datum(x, || format!("{at}.{key}"))?);
            }
            Ok(out)
        }
        _ => Err(wrong(at.into(), "a list or an object")),
    }
}

fn status(v: Option<&Value>, at: &str, cells: usize) -> Result<Vec<Option<String>>, ReadError> {
    let text = |x: &Value| x.as_str().map(str::to_owned);
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![Some(s.clone()); cells]),
        Some(Value::Array(items)) if items.len() == 1 => Ok(vec![text(&items[0]); cells]),
        Some(Value::Array(items)) if items.len() == cells => Ok(items.iter().map(text).collect()),
        Some(Value::Array(items)) => Err(ReadError::new(
            Rule::StatusCount,
            at,
            format!(
                "{} statuses for {cells} values (one, or one each)",
                items.len()
            ),
        )),
        Some(Value::Object(sparse)) => {
            let mut out = vec![None; cells];
            for (key, x) in sparse {
                let slot = key.parse::<usize>().ok().and_then(|p| out.get_mut(p));
                let Some(slot) = slot else {
                    return Err(ReadError::new(
                        Rule::ValuePosition,
                        format!("{at}.{key}"),
                        format!(
                            "\"{key}\" is not a position from 0 to {}",
                            cells.saturating_sub(1)
                        ),
                    ));
                };
                *slot = text(x);
            }
            Ok(out)
        }
        Some(_) => Err(wrong(at.into(), "a text, a list or an object")),
    }
}
