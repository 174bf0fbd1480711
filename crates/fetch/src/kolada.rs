//! Kolada's API version 3: the values of key figures by area and year, asked at
//! `{base}/data/kpi/{ids}/municipality/{ids}/year/{years}` (the last two optional) and
//! answered in pages, each naming the next in `next_url`. Kolada takes at most 25 ids in a
//! segment of the path, so longer lists are asked in several requests; the pages of all of
//! them together make the answer, which `rodtrad_stats::kolada::read` reads as one table.

use std::collections::HashSet;

use reqwest::Url;

use crate::client::with_segments;
use crate::{Client, FetchError};

/// The most ids Kolada takes in one segment of the path.
pub(crate) const IDS_PER_SEGMENT: usize = 25;

/// The first page of every request the question needs.
pub(crate) fn urls(
    base: &Url,
    kpis: &[String],
    areas: &[String],
    years: &[u16],
) -> Result<Vec<Url>, FetchError> {
    let kpis = distinct(kpis.iter().map(String::as_str));
    if kpis.is_empty() {
        return Err(FetchError::NoKeyFigures);
    }
    let areas = distinct(areas.iter().map(String::as_str));
    let years: Vec<String> = years.iter().map(u16::to_string).collect();
    let years = distinct(years.iter().map(String::as_str));
    let mut urls = Vec::new();
    for k in kpis.chunks(IDS_PER_SEGMENT) {
        for a in chunks(&areas) {
            for y in chunks(&years) {
                let kpi = k.join(",");
                let mut path = vec!["data", "kpi", &kpi];
                let area = a.map(|a| a.join(","));
                if let Some(area) = &area {
                    path.extend(["municipality", area]);
                }
                let year = y.map(|y| y.join(","));
                if let Some(year) = &year {
                    path.extend(["year", year]);
                }
                urls.push(with_segments(base, path));
            }
        }
    }
    Ok(urls)
}

/// Each id once, in the order given: a repeated one would only make a request twice.
fn distinct<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    ids.filter(|id| seen.insert(*id)).collect()
}

/// The segments' lists of ids, or one without the segment when there are none.
fn chunks<'a>(ids: &'a [&'a str]) -> Vec<Option<&'a [&'a str]>> {
    if ids.is_empty() {
        vec![None]
    } else {
        ids.chunks(IDS_PER_SEGMENT).map(Some).collect()
    }
}

/// Every page of every request, following `next_url`. A page seen before, or more pages than
/// the limit, stop it: a service answering with a loop must not keep the caller for ever.
pub(crate) async fn fetch(client: &Client, urls: Vec<Url>) -> Result<Vec<Vec<u8>>, FetchError> {
    let limit = client.config.max_pages;
    let mut seen = HashSet::new();
    let mut pages = Vec::new();
    for first in urls {
        let mut next = Some(first);
        while let Some(url) = next.take() {
            if !seen.insert(url.clone()) {
                return Err(FetchError::Loop {
                    url: url.to_string(),
                });
            }
            if pages.len() >= limit {
                return Err(FetchError::TooManyPages {
                    url: url.to_string(),
                    limit,
                });
            }
            let page = client.get(&url).await?;
            next = match rodtrad_stats::kolada::next_url(&page) {
                Ok(None) => None,
                Ok(Some(after)) => Some(follow(&url, &after)?),
                Err(source) => {
                    return Err(FetchError::Page {
                        url: url.to_string(),
                        page: pages.len() + 1,
                        source,
                    });
                }
            };
            pages.push(page);
        }
    }
    Ok(pages)
}

/// The URL of the next page, on the same host: the question goes only where it was sent.
fn follow(url: &Url, next: &str) -> Result<Url, FetchError> {
    let foreign = || FetchError::ForeignNextUrl {
        url: url.to_string(),
        next: next.to_owned(),
    };
    let to = url.join(next).map_err(|_| foreign())?;
    let web = matches!(to.scheme(), "http" | "https");
    if !web || to.host_str() != url.host_str() {
        return Err(foreign());
    }
    Ok(to)
}
