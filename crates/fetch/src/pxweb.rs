//! PxWeb's APIs. Version 1 is asked by POSTing the table's JSON query to the table's URL;
//! version 2 (SCB's) by GET of `{base}/tables/{id}/data` with the selection in the query
//! string, `valueCodes[Region]=1880,1814`, and the answer asked as JSON-stat 2.0 in Swedish.

use reqwest::Url;
use serde_json::Value;

use crate::client::with_segments;
use crate::{Client, FetchError, Select};

pub(crate) async fn fetch_v1(
    client: &Client,
    base: &Url,
    table: &str,
    query: &Value,
) -> Result<Vec<u8>, FetchError> {
    let url = with_segments(base, table.split('/'));
    let body = serde_json::to_vec(query).expect("a JSON value serialises");
    client.post_json(&url, &body).await
}

pub(crate) fn v2_url(base: &Url, table: &str, select: &[Select]) -> Url {
    let mut url = with_segments(base, ["tables", table, "data"]);
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("lang", "sv")
            .append_pair("outputFormat", "json-stat2");
        for (variable, codes, codelist) in merged(select) {
            if !codes.is_empty() {
                query.append_pair(&format!("valueCodes[{variable}]"), &codes.join(","));
            }
            if let Some(codelist) = codelist {
                query.append_pair(&format!("codelist[{variable}]"), codelist);
            }
        }
    }
    url
}

/// One entry per variable: SCB answers a repeated `valueCodes[X]` with the first one's values
/// only, silently, so the codes of one variable go together in one parameter.
fn merged(select: &[Select]) -> Vec<(&str, Vec<&str>, Option<&str>)> {
    let mut merged: Vec<(&str, Vec<&str>, Option<&str>)> = Vec::new();
    for s in select {
        let codes = s.codes.iter().map(String::as_str);
        match merged.iter_mut().find(|m| m.0 == s.variable) {
            Some(m) => {
                m.1.extend(codes);
                m.2 = m.2.or(s.codelist.as_deref());
            }
            None => merged.push((&s.variable, codes.collect(), s.codelist.as_deref())),
        }
    }
    merged
}
