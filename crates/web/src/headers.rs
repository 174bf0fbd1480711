//! The headers every response carries, whatever route made it (errors and redirects too):
//! a strict Content-Security-Policy, no framing by other sites, no guessing of content types,
//! no address sent to other sites, HSTS when the site is served over HTTPS, and
//! `Cache-Control: no-store` on everything that belongs to one person.
//!
//! The policy allows no script at all and one stylesheet: the site's own, inline in every page
//! (`templates/site.css`), allowed by its hash, so that a page is one request, as before, and
//! an injected `<style>` or `style=` does nothing. Templates must therefore have no `style=`
//! attributes and no `<script>`; the header test and the browser tests would show one.

use std::sync::LazyLock;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::session::SESSION_COOKIE;
use crate::site;

/// The stylesheet every page carries in its `<style>` element.
const STYLESHEET: &str = include_str!("../templates/site.css");

/// The Content-Security-Policy of every response.
pub static POLICY: LazyLock<String> = LazyLock::new(|| {
    // askama drops an included template's last line break, as the page has it.
    let css = STYLESHEET.strip_suffix('\n').unwrap_or(STYLESHEET);
    let hash = STANDARD.encode(Sha256::digest(css.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self' data:; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
});

/// A year: browsers that have seen the site over HTTPS use nothing else for that long.
const HSTS: &str = "max-age=31536000";

/// Paths whose pages carry something of one person's (an anti-forgery token, a reset token)
/// even to a visitor.
fn personal(path: &str) -> bool {
    ["/login", "/logout", "/reset", "/account"].iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The middleware: runs the request, then adds the headers.
pub async fn secure(request: Request, next: Next) -> Response {
    let (site, _) = site::of_request(&request);
    let signed_in = CookieJar::from_headers(request.headers())
        .get(SESSION_COOKIE)
        .is_some();
    let changes = !matches!(*request.method(), Method::GET | Method::HEAD);
    let personal = signed_in || changes || personal(request.uri().path());
    let mut response = next.run(request).await;
    let personal = personal || response.headers().contains_key(header::SET_COOKIE);
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set(header::CONTENT_SECURITY_POLICY, &POLICY);
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if site.https() {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    if personal {
        set(header::CACHE_CONTROL, "no-store");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_no_script_and_only_the_sites_stylesheet() {
        assert!(POLICY.starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(!POLICY.contains("script-src") && !POLICY.contains("unsafe"));
        assert!(POLICY.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn pages_of_one_person_are_told_apart() {
        for p in ["/login", "/reset/abc", "/account", "/logout"] {
            assert!(personal(p), "{p}");
        }
        for p in ["/", "/plans/x", "/accounts/1/history", "/loginx"] {
            assert!(!personal(p), "{p}");
        }
    }
}
