//! Failures as pages: a 404 or 500 in the user's language, with the cause in the log only.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use rodtrad_i18n::Lang;

use crate::pages::Page;

#[derive(Debug)]
pub enum AppError {
    NotFound(Lang),
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
