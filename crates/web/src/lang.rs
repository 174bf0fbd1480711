//! The language of a request: `?lang=` first, then the browser's `Accept-Language`, then Swedish.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rodtrad_i18n::Lang;

/// The language a request is answered in.
#[derive(Debug, Clone, Copy)]
pub struct UserLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for UserLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(UserLang(of_request(
            parts.uri.query(),
            parts
                .headers
                .get("accept-language")
                .and_then(|v| v.to_str().ok()),
        )))
    }
}

/// The language asked for by the query string or the `Accept-Language` header.
pub fn of_request(query: Option<&str>, accept_language: Option<&str>) -> Lang {
    let from_query = query.and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::from_tag(v))
    });
    from_query
        .or_else(|| accept_language.and_then(negotiate))
        .unwrap_or_default()
}

/// The first language we speak in an `Accept-Language` header, by its quality values.
fn negotiate(header: &str) -> Option<Lang> {
    let mut tags: Vec<(f32, &str)> = header
        .split(',')
        .map(|part| {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (q, tag)
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0));
    tags.into_iter()
        .filter(|(q, _)| *q > 0.0)
        .find_map(|(_, tag)| Lang::from_tag(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_wins_then_the_browser_then_swedish() {
        assert_eq!(of_request(Some("lang=en"), Some("sv")), Lang::En);
        assert_eq!(of_request(Some("q=x&lang=sv"), Some("en")), Lang::Sv);
        assert_eq!(
            of_request(None, Some("de-DE, en-GB;q=0.8, sv;q=0.5")),
            Lang::En
        );
        assert_eq!(of_request(None, Some("en;q=0.2, sv;q=0.9")), Lang::Sv);
        assert_eq!(of_request(None, Some("de, fr")), Lang::Sv);
        assert_eq!(of_request(Some("lang=xx"), None), Lang::Sv);
        assert_eq!(of_request(None, None), Lang::Sv);
    }
}
