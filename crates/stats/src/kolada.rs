//! Kolada's API version 3: the answer to `/v3/data/kpi/{ids}/...`, a page of `values` (each a
//! key figure, `kpi`, an area, `municipality`, a year, `period`, and a value per gender `T`, `K`
//! or `M` with its status), `count`, and `next_url` where more pages follow. The caller fetches
//! the pages (following [`next_url`]); [`read`] makes one table of them all, of the dimensions
//! `kpi`, `municipality` (role geo), `period` (role time) and `gender`.

use serde_json::Value;

use crate::rows::{Found, Gathered, table};
use crate::{ReadError, Role, Rule, Table};

fn parse(page: &[u8], n: usize) -> Result<Value, ReadError> {
    crate::error::json(page, &format!("page {n}, "))
}

/// Where the page after this one is, if there is one.
pub fn next_url(page: &[u8]) -> Result<Option<String>, ReadError> {
    let v = parse(page, 1)?;
    Ok(v.get("next_url")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .map(str::to_owned))
}

/// One table of the values of every page.
pub fn read(pages: &[Vec<u8>]) -> Result<Table, ReadError> {
    let pages = pages
        .iter()
        .enumerate()
        .map(|(n, p)| parse(p, n + 1))
        .collect::<Result<Vec<_>, _>>()?;
    read_values(&pages)
}

/// One table of the values of every page, already parsed.
pub fn read_values(pages: &[Value]) -> Result<Table, ReadError> {
    let mut kpi = Gathered::new("kpi", None, None);
    let mut area = Gathered::new("municipality", None, Some(Role::Geo));
    let mut period = Gathered::new("period", None, Some(Role::Time));
    let mut gender = Gathered::new("gender", None, None);
    let mut found = Vec::new();
    for (n, v) in pages.iter().enumerate() {
        let page_at = format!("page {}", n + 1);
        let values = v
            .get("values")
            .ok_or_else(|| ReadError::new(Rule::NotDataSet, &page_at, "no \"values\""))?
            .as_array()
            .ok_or_else(|| ReadError::new(Rule::FieldType, &page_at, "values should be a list"))?;
        for (i, row) in values.iter().enumerate() {
            let at = format!("{page_at}: values[{i}]");
            let text = |f: &str| -> Result<String, ReadError> {
                match row.get(f) {
                    Some(Value::String(s)) => Ok(s.clone()),
                    // Periods are years, written as numbers.
                    Some(Value::Number(n)) => Ok(n.to_string()),
                    Some(_) => Err(ReadError::new(
                        Rule::FieldType,
                        format!("{at}.{f}"),
                        "should be a text or a number",
                    )),
                    None => Err(ReadError::new(
                        Rule::Missing,
                        format!("{at}.{f}"),
                        "missing",
                    )),
                }
            };
            let at_kpi = kpi.at(&text("kpi")?, None);
            let at_area = area.at(&text("municipality")?, None);
            let at_period = period.at(&text("period")?, None);
            let by_gender = row
                .get("values")
                .and_then(Value::as_array)
                .ok_or_else(|| ReadError::new(Rule::Missing, format!("{at}.values"), "missing"))?;
            for (j, g) in by_gender.iter().enumerate() {
                let here = format!("{at}.values[{j}]");
                let Some(sex) = g.get("gender").and_then(Value::as_str) else {
                    return Err(ReadError::new(
                        Rule::Missing,
                        format!("{here}.gender"),
                        "missing",
                    ));
                };
                let value = match g.get("value") {
                    None | Some(Value::Null) => None,
                    Some(Value::Number(x)) => x.as_f64(),
                    Some(other) => {
                        return Err(ReadError::new(
                            Rule::ValueNotNumber,
                            format!("{here}.value"),
                            format!("{other} is not a number"),
                        ));
                    }
                };
                let status = g
                    .get("status")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned);
                found.push(Found {
                    categories: vec![at_kpi, at_area, at_period, gender.at(sex, None)],
                    value,
                    status,
                    at: here,
                });
            }
        }
    }
    let mut t = table(vec![kpi, area, period, gender], found)?;
    t.source = Some("Kolada".into());
    Ok(t)
}
