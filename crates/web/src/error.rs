//! Failures as pages: a 400, 403, 404 or 500 in the user's language, with the cause in the log only.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use rodtrad_i18n::Lang;

use crate::pages::Page;

#[derive(Debug)]
pub enum AppError {
    NotFound(Lang),
    /// A request that would change something without the right to, or without the
    /// anti-forgery token.
    Forbidden(Lang),
    /// A request too large or malformed to read.
    BadRequest(Lang),
    /// The cause is logged, never shown.
    Internal(Lang, String),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    heading: String,
    text: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, lang, key) = match &self {
            AppError::NotFound(lang) => (StatusCode::NOT_FOUND, *lang, "error-not-found"),
            AppError::Forbidden(lang) => (StatusCode::FORBIDDEN, *lang, "error-forbidden"),
            AppError::BadRequest(lang) => (StatusCode::BAD_REQUEST, *lang, "error-bad-request"),
            AppError::Internal(lang, cause) => {
                tracing::error!(%cause, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, *lang, "error-internal")
            }
        };
        let page = ErrorPage {
            page: Page::new(lang, lang.text(&format!("{key}-title")), "/"),
            heading: lang.text(&format!("{key}-title")),
            text: lang.text(&format!("{key}-text")),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                status.into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("utf-8")
    }

    #[tokio::test]
    async fn a_failure_is_a_500_page_in_the_users_language_without_internals() {
        let response =
            AppError::Internal(Lang::Sv, "template exploded at line 3".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let html = body(response).await;
        assert!(html.contains("Något gick fel"), "{html}");
        assert!(!html.contains("exploded"), "the cause stays in the log");
        let english = body(AppError::Internal(Lang::En, "x".into()).into_response()).await;
        assert!(english.contains("Something went wrong"));
    }
}
