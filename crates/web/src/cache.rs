//! Rendered pages, kept with the read model they were rendered from.
//!
//! Between two changes of the data, a page is the same bytes for everyone who reads it in the
//! same language; rendering the follow-up report for every reader would cost tens of times what
//! sending it does (docs/PERFORMANCE.md). So the first reader's page is kept and sent to the
//! next. The cache lives inside the [`ReadModel`](crate::ReadModel): when the data changes, a
//! new read model replaces the old one and its pages go with it, so a stale page cannot be
//! served and there is nothing to invalidate by hand.
//!
//! Only pages whose address has no query beyond `lang` are kept (a search with filters is
//! rendered each time), and only addresses without percent-escapes, so the number of entries
//! is bounded by the pages of the data set times its two languages; a visitor cannot grow it by
//! inventing addresses, since unknown ones answer 404 and are never kept.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rodtrad_i18n::Lang;

use crate::lang;
use crate::session::SignedIn;
use crate::state::AppState;

/// Pages by path and language.
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<(String, Lang), Bytes>>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("pages", &self.len())
            .finish()
    }
}

impl PageCache {
    fn get(&self, key: &(String, Lang)) -> Option<Bytes> {
        self.pages
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    fn put(&self, key: (String, Lang), page: Bytes) {
        self.pages
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, page);
    }

    /// How many pages are kept.
    pub fn len(&self) -> usize {
        self.pages
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }
}

/// The key a page at this address is kept under, if it may be kept: a path written only one
/// way, and a query of nothing but `lang` and a page number written without leading zeros.
fn key(path: &str, query: Option<&str>, lang: Lang) -> Option<(String, Lang)> {
    if path.contains('%') {
        return None;
    }
    let mut page = None;
    for pair in query.unwrap_or_default().split('&') {
        match pair.split_once('=') {
            None if pair.is_empty() => {}
            Some(("lang", "sv" | "en")) => {}
            Some(("page", n))
                if page.is_none()
                    && (1..=4).contains(&n.len())
                    && !n.starts_with('0')
                    && n.bytes().all(|b| b.is_ascii_digit()) =>
            {
                page = Some(n);
            }
            _ => return None,
        }
    }
    Some(match page {
        Some(n) => (format!("{path}?page={n}"), lang),
        None => (path.to_owned(), lang),
    })
}

/// The middleware: answers from the cache, or renders and keeps what rendered well.
pub async fn pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let lang = lang::of_request(
        request.uri().query(),
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    // A signed-in person may see drafts and their own controls: their pages are their own.
    let signed_in = request
        .extensions()
        .get::<SignedIn>()
        .is_some_and(|s| s.0.is_some());
    let key = key(request.uri().path(), request.uri().query(), lang);
    let Some(key) = key.filter(|_| request.method() == Method::GET && !signed_in) else {
        return with_language(next.run(request).await, lang);
    };
    // The model is taken before the page renders, so a page rendered from newer data can at
    // worst be kept in an older model that is already on its way out, never the other way.
    let model = state.model();
    if let Some(page) = model.pages.get(&key) {
        return with_language(html(page), lang);
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return with_language(response, lang);
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(page) => {
            model.pages.put(key, page.clone());
            with_language(Response::from_parts(parts, Body::from(page)), lang)
        }
        Err(e) => {
            tracing::error!(error = %e, "a page's body could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn html(page: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        page,
    )
        .into_response()
}

/// Says which language a page is in, and that the browser's language can change it, so that
/// no shared cache hands a Swedish page to someone who asked for English.
fn with_language(mut response: Response, lang: Lang) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-language"));
    response
}

#[cfg(test)]
mod tests {
    use super::key;
    use rodtrad_i18n::Lang;

    fn kept(path: &str, query: Option<&str>) -> Option<String> {
        key(path, query, Lang::Sv).map(|(k, _)| k)
    }

    #[test]
    fn only_addresses_written_one_way_without_filters_are_kept() {
        assert_eq!(kept("/", None).as_deref(), Some("/"));
        assert_eq!(
            kept("/plans/x", Some("lang=en")).as_deref(),
            Some("/plans/x")
        );
        assert_eq!(
            kept("/activities", Some("")).as_deref(),
            Some("/activities")
        );
        assert_eq!(
            kept("/overlap", Some("page=2&lang=en")).as_deref(),
            Some("/overlap?page=2")
        );
        for (path, query) in [
            ("/activities", Some("q=vård")),
            ("/activities", Some("lang=en&status=ongoing")),
            ("/activities/%61", None),
            ("/", Some("lang=de")),
            ("/overlap", Some("page=02")),
            ("/overlap", Some("page=12345")),
            ("/overlap", Some("page=1&page=2")),
            ("/overlap", Some("page=x")),
        ] {
            assert_eq!(kept(path, query), None, "{path}?{query:?}");
        }
    }
}
