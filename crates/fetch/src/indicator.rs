//! What to fetch for an indicator's source: the one mapping from the domain's `Fetch` (what a
//! data set says) to a [`Source`] (what this crate asks), shared by the command line's
//! `indicator refresh` and the web's "fetch again".

use std::collections::BTreeSet;

use rodtrad_domain::Fetch;

use crate::{PxSite, Source};

/// The areas asked of Kolada for a region, in Kolada's codes: its municipalities (`codes`), the
/// county each lies in (`00LL`) and Riket (`0000`), so that an indicator can be set beside its
/// surroundings.
pub fn kolada_areas<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut areas = BTreeSet::from(["0000".to_owned()]);
    for code in codes {
        areas.insert(code.to_owned());
        if let Some(county) = code.get(..2) {
            areas.insert(format!("00{county}"));
        }
    }
    areas.into_iter().collect()
}

/// The source to fetch for `how`, Kolada asked for `areas`: a PxWeb table by its address, its
/// query posted (version 1) or none (version 2: the address carries the selection); any other
/// address as it is. `None` for a file, which is imported by hand; an error for a query that
/// is not JSON.
pub fn source_for(how: &Fetch, areas: &[String]) -> Option<Result<Source, serde_json::Error>> {
    Some(Ok(match how {
        Fetch::Kolada { kpi } => Source::Kolada {
            kpis: vec![kpi.clone()],
            areas: areas.to_vec(),
            years: Vec::new(),
        },
        Fetch::PxWeb {
            url,
            query: Some(query),
        } => match serde_json::from_str(query) {
            Ok(query) => Source::PxWebV1 {
                site: PxSite::Other(url.clone()),
                table: String::new(),
                query,
            },
            Err(e) => return Some(Err(e)),
        },
        Fetch::PxWeb { url, query: None } | Fetch::Url { url } => Source::Url(url.clone()),
        Fetch::File { .. } => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kolada_is_asked_for_the_municipalities_their_counties_and_riket() {
        assert_eq!(
            kolada_areas(["1880", "1814", "0180"]),
            ["0000", "0001", "0018", "0180", "1814", "1880"]
        );
    }

    #[test]
    fn each_kind_of_source_is_asked_its_way() {
        let areas = vec!["1880".to_owned()];
        let kolada = Fetch::Kolada {
            kpi: "N00945".into(),
        };
        assert!(matches!(
            source_for(&kolada, &areas),
            Some(Ok(Source::Kolada { ref kpis, ref areas, .. })) if kpis == &["N00945"] && areas == &["1880"]
        ));
        let posted = Fetch::PxWeb {
            url: "https://x/t".into(),
            query: Some("{\"query\":[]}".into()),
        };
        assert!(matches!(
            source_for(&posted, &areas),
            Some(Ok(Source::PxWebV1 { .. }))
        ));
        let broken = Fetch::PxWeb {
            url: "https://x/t".into(),
            query: Some("{".into()),
        };
        assert!(matches!(source_for(&broken, &areas), Some(Err(_))));
        let file = Fetch::File { name: "x".into() };
        assert!(source_for(&file, &areas).is_none());
    }
}
