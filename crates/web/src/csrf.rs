//! Protection against cross-site request forgery, for every request that can change anything.
//!
//! Every form that is posted carries a `csrf` field. For a signed-in person it must equal the
//! token stored with their session; before signing in (the log-in form) it must equal the
//! `rodtrad_csrf` cookie, which another site can neither read nor set. A browser's `Origin`
//! header, when sent, must name this site too, scheme included (`site.rs`): a page on the
//! plain-HTTP twin of the site, which anyone on the network can forge, is another site. The check sits in front of every route, so no
//! handler can forget it.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;

use crate::error::AppError;
use crate::lang;
use crate::session::{CSRF_COOKIE, SignedIn};

/// The largest form accepted: a plan's narrative is long, but not this long.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// Equal strings, compared in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub async fn verify(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let lang = lang::of_request(
        request.uri().query(),
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let expected = match request
        .extensions()
        .get::<SignedIn>()
        .and_then(|s| s.0.clone())
    {
        Some(session) => Some(session.csrf_token.clone()),
        None => CookieJar::from_headers(request.headers())
            .get(CSRF_COOKIE)
            .map(|c| c.value().to_owned()),
    };
    let (site, _) = crate::site::of_request(&request);
    if !site.same_origin(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "refused: a form posted from another site");
        return AppError::Forbidden(lang).into_response();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, AppError::BadRequest(lang)).into_response();
    };
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|t| t.starts_with("multipart/form-data"))
        .map(str::to_owned);
    let sent = match multipart {
        Some(content_type) => multipart_token(&content_type, bytes.clone()).await,
        None => form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.into_owned()),
    };
    match (expected, sent) {
        (Some(expected), Some(sent)) if !expected.is_empty() && same(&expected, &sent) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => {
            tracing::warn!(path = %parts.uri.path(), "refused: a form without the anti-forgery token");
            AppError::Forbidden(lang).into_response()
        }
    }
}

/// The `csrf` field of a multipart form (a file uploaded), read from its parts in order: a
/// form puts the token before its file, so the file is not read through for it.
async fn multipart_token(content_type: &str, bytes: axum::body::Bytes) -> Option<String> {
    use axum::extract::{FromRequest, Multipart};
    let request = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .ok()?;
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_compare_equal_only_when_equal() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert!(!same("", "a"));
    }
}
