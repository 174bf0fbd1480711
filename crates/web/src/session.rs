//! Who is asking: the session behind the request's cookie, looked up once per request.
//!
//! A request without the session cookie costs nothing here (no database round trip), which keeps
//! reading as fast as before accounts existed. A cookie that names no live session is treated
//! as no cookie.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;
use rodtrad_auth::Access;
use rodtrad_i18n::Lang;
use rodtrad_store::Session;

use crate::lang::UserLang;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "rodtrad_session";
/// The anti-forgery token of a visitor who is not signed in (the log-in form's).
pub const CSRF_COOKIE: &str = "rodtrad_csrf";

/// The signed-in session of a request, if any (a request extension).
#[derive(Debug, Clone, Default)]
pub struct SignedIn(pub Option<Arc<Session>>);

/// The middleware: finds the session and puts it on the request.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let session = match jar.get(SESSION_COOKIE) {
        Some(cookie) => {
            let hash = rodtrad_auth::token_hash(cookie.value());
            match state.store().session(&hash, rodtrad_auth::now()).await {
                Ok(s) => s.map(Arc::new),
                Err(e) => {
                    // Reading goes on for everyone; the person is treated as not signed in.
                    tracing::error!(error = %e, "a session could not be looked up");
                    None
                }
            }
        }
        None => None,
    };
    request.extensions_mut().insert(SignedIn(session));
    next.run(request).await
}

/// The person asking and the language to answer in.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub lang: Lang,
    pub session: Option<Arc<Session>>,
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let UserLang(lang) = UserLang::from_request_parts(parts, state).await?;
        let session = parts.extensions.get::<SignedIn>().and_then(|s| s.0.clone());
        Ok(Viewer { lang, session })
    }
}

impl Viewer {
    /// What the viewer may do; nothing beyond reading when not signed in.
    pub fn access(&self) -> Access {
        self.session
            .as_ref()
            .map_or_else(Access::anonymous, |s| Access {
                admin: s.account.is_admin,
                grants: s.grants.iter().map(|g| (g.role, g.scope.clone())).collect(),
            })
    }

    /// The anti-forgery token the viewer's forms carry; empty when not signed in.
    pub fn csrf(&self) -> String {
        self.session
            .as_ref()
            .map(|s| s.csrf_token.clone())
            .unwrap_or_default()
    }
}
