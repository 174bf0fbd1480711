//! Logging in and out: a form of e-mail address and password; a session in a cookie that
//! scripts cannot read and other sites do not send; failed attempts slowed down.

use std::sync::LazyLock;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rodtrad_i18n::Lang;
use serde::Deserialize;

use std::fmt::Write as _;
use std::net::IpAddr;

use rodtrad_auth::Limit;
use rodtrad_store::{Store, StoreError};

use crate::error::AppError;
use crate::pages::{Page, render};
use crate::session::{CSRF_COOKIE, SESSION_COOKIE, Viewer};
use crate::site::Reached;
use crate::state::AppState;

/// How long a session lasts: a working day and then some.
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;

/// A hash to verify against when the address has no account, so that a missing account takes
/// as long to refuse as a wrong password and does not give itself away.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    rodtrad_auth::hash_password("no account has this password").unwrap_or_default()
});

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    csrf: String,
    next: String,
    email: String,
    form_error: Option<String>,
    /// Why logging in cannot work here (plain HTTP beyond this machine), when it cannot.
    insecure: Option<String>,
    email_error: Option<String>,
    password_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Where to go after logging in: a path of this site only, never another site, and `/` for
/// anything else. Browsers drop tabs and line breaks from an address and read `\\` as `/`, so
/// `/\t/evil.example` would be `//evil.example`, another site: a path with a control
/// character or a backslash is refused whole, not cleaned. What is left is sent in the
/// `Location` header, so letters beyond ASCII are percent-encoded, as a browser would.
pub fn local_path(next: &str) -> String {
    let refused = !next.starts_with('/')
        || next.starts_with("//")
        || next.chars().any(|c| c.is_control() || c == '\\');
    if refused {
        return "/".to_owned();
    }
    let mut out = String::with_capacity(next.len());
    for c in next.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut bytes = [0u8; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                // Writing to a String cannot fail.
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A cookie scripts cannot read, sent over HTTPS only (and to localhost, which browsers trust).
pub fn cookie(name: &'static str, value: String, max_age: i64) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::seconds(max_age))
        .build()
}

fn form_page(
    lang: Lang,
    viewer: &Viewer,
    reached: &Reached,
    csrf: String,
    next: &str,
) -> LoginPage {
    LoginPage {
        page: Page::new(lang, lang.text("login-title"), "/login").with(viewer),
        csrf,
        next: local_path(next),
        email: String::new(),
        form_error: None,
        insecure: reached.insecure.then(|| lang.text("login-insecure")),
        email_error: None,
        password_error: None,
    }
}

/// The form. A visitor gets an anti-forgery cookie here, which the form echoes.
pub async fn form(
    viewer: Viewer,
    reached: Reached,
    jar: CookieJar,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let lang = viewer.lang;
    if viewer.session.is_some() {
        return Ok(Redirect::to(&local_path(&query.next)).into_response());
    }
    let (jar, csrf) = match jar.get(CSRF_COOKIE) {
        Some(c) if !c.value().is_empty() => {
            let value = c.value().to_owned();
            (jar, value)
        }
        _ => {
            let token =
                rodtrad_auth::new_token().map_err(|e| AppError::Internal(lang, e.to_string()))?;
            (
                jar.add(cookie(CSRF_COOKIE, token.clone(), SESSION_SECONDS)),
                token,
            )
        }
    };
    let page = form_page(lang, &viewer, &reached, csrf, &query.next);
    Ok((jar, render(&page, lang)?).into_response())
}

/// Checks the address and password; on success starts a session and goes on to `next`.
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    reached: Reached,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let lang = viewer.lang;
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(lang, e.to_string());
    // The anti-forgery middleware has checked the token; the form shows it again on a retry.
    let csrf = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    let mut page = form_page(lang, &viewer, &reached, csrf, &form.next);
    page.email = form.email.trim().to_owned();
    let refuse = |page: LoginPage, status: StatusCode| -> Result<Response, AppError> {
        Ok((status, render(&page, lang)?).into_response())
    };
    if page.email.is_empty() || form.password.is_empty() {
        if page.email.is_empty() {
            page.email_error = Some(lang.text("login-missing-email"));
        }
        if form.password.is_empty() {
            page.password_error = Some(lang.text("login-missing-password"));
        }
        return refuse(page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let store = state.store();
    let now = rodtrad_auth::now();
    let keys = attempt_keys(&page.email, reached.client);
    let wait = claim_attempt(store, &keys, now)
        .await
        .map_err(|e| internal(&e))?;
    if wait > 0 {
        tracing::info!(email = %page.email, client = ?reached.client, wait, "a log-in held back");
        page.form_error = Some(lang.format("login-throttled", &[("seconds", wait.to_string())]));
        return refuse(page, StatusCode::TOO_MANY_REQUESTS);
    }
    let found = store
        .account_by_email(&page.email)
        .await
        .map_err(|e| internal(&e))?;
    let (hash, account) = match &found {
        Some((account, hash)) => (hash.as_str(), Some(account)),
        None => (DUMMY_HASH.as_str(), None),
    };
    let password = form.password;
    let hash = hash.to_owned();
    // Argon2 takes tens of milliseconds of CPU on purpose; it runs off the request threads.
    let matches =
        tokio::task::spawn_blocking(move || rodtrad_auth::verify_password(&password, &hash))
            .await
            .map_err(|e| internal(&e))?;
    let account = match account {
        Some(a) if matches && !a.disabled => a.clone(),
        _ => {
            // The attempt was counted before the password was checked; it stays counted.
            tracing::info!(email = %page.email, client = ?reached.client, "a failed log-in");
            page.form_error = Some(lang.text("login-failed"));
            return refuse(page, StatusCode::UNAUTHORIZED);
        }
    };
    // The address's count from this client starts again; the client's own does not, so that
    // an account of one's own cannot be used to keep guessing others'.
    store
        .clear_login_attempts(&keys[0].0)
        .await
        .map_err(|e| internal(&e))?;
    let token = rodtrad_auth::new_token().map_err(|e| internal(&e))?;
    let csrf = rodtrad_auth::new_token().map_err(|e| internal(&e))?;
    store
        .create_session(
            &rodtrad_auth::token_hash(&token),
            account.id,
            &csrf,
            now,
            now + SESSION_SECONDS,
        )
        .await
        .map_err(|e| internal(&e))?;
    tracing::info!(email = %account.email, "logged in");
    // The anti-forgery token of before is renewed, so that one seen before logging in (on a
    // shared computer, in a page kept) is worth nothing after.
    let renewed = rodtrad_auth::new_token().map_err(|e| internal(&e))?;
    let jar = jar
        .add(cookie(CSRF_COOKIE, renewed, SESSION_SECONDS))
        .add(cookie(SESSION_COOKIE, token, SESSION_SECONDS));
    // Someone with reports to write or review in an open round starts on their own page;
    // anyone else goes back where they came from.
    let grants = store.grants(account.id).await.map_err(|e| internal(&e))?;
    let access = rodtrad_auth::Access {
        admin: account.is_admin,
        grants: grants.into_iter().map(|g| (g.role, g.scope)).collect(),
    };
    let to_do = crate::pages::my::has_something_to_do(&state.working(), &access);
    let next = if to_do && page.next == "/" {
        "/my".to_owned()
    } else {
        page.next
    };
    Ok((jar, Redirect::to(&next)).into_response())
}

/// The counts an attempt to log in as `email` from `client` is held to: the address from this
/// client first, then the client.
pub fn attempt_keys(email: &str, client: Option<IpAddr>) -> [(String, Limit); 2] {
    let client = client.map_or_else(|| "?".to_owned(), |c| c.to_string());
    // No address is longer than 254 characters; a longer one must not make a long key.
    let email: String = email.trim().to_lowercase().chars().take(254).collect();
    [
        (format!("{email} from {client}"), Limit::Address),
        (format!("client {client}"), Limit::Client),
    ]
}

/// Counts this attempt under each of its keys, unless one of them must wait first: the wait
/// in seconds, or 0 when the attempt is counted and its password may be checked. Counted
/// before the check, by compare-and-set, so that attempts sent at once are counted one after
/// the other and at most the free ones are checked.
pub async fn claim_attempt(
    store: &Store,
    keys: &[(String, Limit)],
    now: i64,
) -> Result<i64, StoreError> {
    for _ in 0..64 {
        let mut seen = Vec::with_capacity(keys.len());
        let mut wait = 0;
        for (key, limit) in keys {
            let attempts = store.login_attempts(key).await?;
            if let Some(a) = attempts {
                wait = wait.max(limit.wait(a.failures, a.last_failure_at, now));
            }
            seen.push(attempts);
        }
        if wait > 0 {
            return Ok(wait);
        }
        let mut counted = true;
        for ((key, limit), attempts) in keys.iter().zip(&seen) {
            let failures =
                attempts.map_or(1, |a| limit.counted(a.failures, a.last_failure_at, now));
            if !store
                .count_login_attempt(key, *attempts, failures, now)
                .await?
            {
                counted = false;
                break;
            }
        }
        if counted {
            return Ok(0);
        }
    }
    // So many attempts at once that the count never settled: the sender waits.
    Ok(2)
}

/// Ends the session, here and in the database.
pub async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
) -> Result<Response, AppError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        state
            .store()
            .delete_session(&rodtrad_auth::token_hash(c.value()))
            .await
            .map_err(|e| AppError::Internal(viewer.lang, e.to_string()))?;
    }
    let home = match viewer.lang {
        Lang::Sv => "/",
        Lang::En => "/?lang=en",
    };
    let jar = jar
        .remove(Cookie::build(SESSION_COOKIE).path("/"))
        .remove(Cookie::build(CSRF_COOKIE).path("/"));
    Ok((jar, Redirect::to(home)).into_response())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn after_logging_in_only_this_sites_pages_are_reached() {
        assert_eq!(local_path("/plans/x?lang=en"), "/plans/x?lang=en");
        for elsewhere in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "",
            "plans",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\x0b/evil.example",
            "/\0/evil.example",
            "/\u{85}/evil.example",
        ] {
            assert_eq!(local_path(elsewhere), "/", "{elsewhere:?}");
        }
        assert_eq!(
            local_path("/activities?q=välfärd"),
            "/activities?q=v%C3%A4lf%C3%A4rd"
        );
        assert_eq!(local_path("/a b"), "/a%20b");
    }
}
