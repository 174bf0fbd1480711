//! The signed-in person's own account (`/account`): their record and roles, a change of
//! password (the current one asked first), signing out everywhere else; and the page a
//! one-time link leads to (`/reset/{token}`), where a person whose administrator made the link
//! chooses a new password.
//!
//! Every new password meets the same rules (`rodtrad_auth::check_new_password`) and ends the
//! account's other sessions, so that whoever knew the old password, or held a session of it,
//! is out.

use askama::Template;
use axum::extract::{Form as Posted, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use rodtrad_auth::PasswordError;
use rodtrad_i18n::Lang;
use rodtrad_store::Account;

use crate::edit::accounts::role_text;
use crate::edit::{Input, Problems, actor, refuse};
use crate::error::AppError;
use crate::pages::login::{attempt_keys, claim_attempt};
use crate::pages::{Page, respond};
use crate::session::{CSRF_COOKIE, SESSION_COOKIE, Viewer};
use crate::site::Reached;
use crate::state::AppState;

/// A new password's problem in words.
pub fn password_problem(lang: Lang, e: &PasswordError) -> String {
    match e {
        PasswordError::TooShort => lang.format(
            "password-too-short",
            &[("min", rodtrad_auth::MIN_PASSWORD_LENGTH.to_string())],
        ),
        PasswordError::TooLong => lang.text("password-too-long"),
        PasswordError::Blank => lang.text("password-blank"),
        PasswordError::Personal => lang.text("password-personal"),
        PasswordError::Guessable => lang.text("password-guessable"),
        PasswordError::Hashing(_) => lang.text("error-internal-text"),
    }
}

/// A field as typed: passwords are not trimmed, spaces are characters like any other.
fn typed(input: &Input, name: &str) -> String {
    input
        .0
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The new password of a form (`new`, `again`), checked for `account`: its hash, or the
/// problems by field.
async fn new_password(
    lang: Lang,
    input: &Input,
    account: &Account,
    problems: &mut Problems,
) -> Option<String> {
    let new = typed(input, "new");
    if let Err(e) = rodtrad_auth::check_new_password(&new, &account.email, account.name.as_deref())
    {
        problems.add("new", password_problem(lang, &e));
        return None;
    }
    if typed(input, "again") != new {
        problems.add("again", lang.text("password-mismatch"));
        return None;
    }
    // Argon2 takes tens of milliseconds of CPU on purpose; it runs off the request threads.
    match tokio::task::spawn_blocking(move || rodtrad_auth::hash_password(&new)).await {
        Ok(Ok(hash)) => Some(hash),
        Ok(Err(e)) => {
            problems.add("new", password_problem(lang, &e));
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "hashing a password failed");
            problems.general.push(lang.text("error-internal-text"));
            None
        }
    }
}

#[derive(Template)]
#[template(path = "me.html")]
struct AccountPage {
    page: Page,
    account: Account,
    roles: Vec<String>,
    history: String,
    action: String,
    csrf: String,
    sessions: String,
    intro: String,
    min: usize,
    problems: Problems,
    done: Option<String>,
}

/// What a new password must be, in words.
fn intro(lang: Lang) -> String {
    lang.format(
        "account-password-intro",
        &[("min", rodtrad_auth::MIN_PASSWORD_LENGTH.to_string())],
    )
}

impl AccountPage {
    fn problem(&self, name: &str) -> Option<&String> {
        self.problems.fields.get(name)
    }
}

async fn account_page(
    state: &AppState,
    viewer: &Viewer,
    problems: Problems,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let Some(session) = &viewer.session else {
        return refuse(viewer, "/account");
    };
    let id = session.account.id;
    let failed =
        |e: rodtrad_store::StoreError| AppError::Internal(lang, e.to_string()).into_response();
    let account = match state.store().account(id).await {
        Ok(Some(a)) => a,
        Ok(None) => return refuse(viewer, "/account"),
        Err(e) => return failed(e),
    };
    let sessions = match state.store().session_count(id, rodtrad_auth::now()).await {
        Ok(n) => n,
        Err(e) => return failed(e),
    };
    let page = Page::new(lang, lang.text("account-title"), "/account").with(viewer);
    let me = AccountPage {
        roles: session
            .grants
            .iter()
            .map(|g| role_text(state, viewer, g))
            .collect(),
        history: page.href(&format!("/accounts/{id}/history")),
        action: page.href("/account"),
        csrf: session.csrf_token.clone(),
        sessions: lang.count(
            "account-sessions-count",
            usize::try_from(sessions).unwrap_or(0),
        ),
        intro: intro(lang),
        min: rodtrad_auth::MIN_PASSWORD_LENGTH,
        problems,
        done,
        account,
        page,
    };
    respond(&me, lang, status)
}

/// `GET /account`: the signed-in person's own account.
pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Response {
    account_page(&state, &viewer, Problems::default(), None, StatusCode::OK).await
}

/// `POST /account`: a new password (`do=password`) or signing out everywhere else
/// (`do=others`).
pub async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    reached: Reached,
    jar: CookieJar,
    Posted(input): Posted<Input>,
) -> Response {
    let lang = viewer.lang;
    let Some(session) = viewer.session.clone() else {
        return refuse(&viewer, "/account");
    };
    let failed =
        |e: rodtrad_store::StoreError| AppError::Internal(lang, e.to_string()).into_response();
    let this = jar
        .get(SESSION_COOKIE)
        .map(|c| rodtrad_auth::token_hash(c.value()))
        .unwrap_or_default();
    let store = state.store();
    let account = &session.account;
    match input.text("do").as_deref() {
        Some("others") => {
            if let Err(e) = store.end_other_sessions(account.id, &this).await {
                return failed(e);
            }
            tracing::info!(email = %account.email, "signed out everywhere else");
            let done = Some(lang.text("account-others-ended"));
            account_page(&state, &viewer, Problems::default(), done, StatusCode::OK).await
        }
        Some("password") => {
            let mut problems = Problems::default();
            // The current password is guessed no faster here than at the log-in: whoever
            // holds a stolen session must not learn it by trying.
            let now = rodtrad_auth::now();
            let keys = attempt_keys(&account.email, reached.client);
            let wait = match claim_attempt(store, &keys, now).await {
                Ok(w) => w,
                Err(e) => return failed(e),
            };
            if wait > 0 {
                let said = lang.format("login-throttled", &[("seconds", wait.to_string())]);
                problems.add("old", said);
                return account_page(
                    &state,
                    &viewer,
                    problems,
                    None,
                    StatusCode::TOO_MANY_REQUESTS,
                )
                .await;
            }
            let old = typed(&input, "old");
            let hash = match store.password_hash(account.id).await {
                Ok(h) => h.unwrap_or_default(),
                Err(e) => return failed(e),
            };
            let matches =
                tokio::task::spawn_blocking(move || rodtrad_auth::verify_password(&old, &hash))
                    .await
                    .unwrap_or(false);
            if !matches {
                problems.add("old", lang.text("account-password-wrong"));
            }
            let new = if matches {
                new_password(lang, &input, account, &mut problems).await
            } else {
                None
            };
            let Some(new) = new else {
                return account_page(
                    &state,
                    &viewer,
                    problems,
                    None,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            };
            if let Err(e) = store.clear_login_attempts(&keys[0].0).await {
                return failed(e);
            }
            if let Err(e) = store
                .change_password(account.id, &new, &this, &actor(&viewer), now)
                .await
            {
                return failed(e);
            }
            tracing::info!(email = %account.email, "changed their password");
            let done = Some(lang.text("account-password-changed"));
            account_page(&state, &viewer, Problems::default(), done, StatusCode::OK).await
        }
        _ => AppError::BadRequest(lang).into_response(),
    }
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    page: Page,
    /// The account the link is for; `None` when the link is not valid.
    email: Option<String>,
    action: String,
    csrf: String,
    intro: String,
    min: usize,
    problems: Problems,
    /// Set once the password is saved: where to log in.
    login: Option<String>,
}

impl ResetPage {
    fn problem(&self, name: &str) -> Option<&String> {
        self.problems.fields.get(name)
    }
}

/// The reset page; the form's anti-forgery token is the visitor's cookie, as on the log-in
/// form (a person following a link is usually not signed in).
fn reset_page(
    viewer: &Viewer,
    jar: CookieJar,
    token: &str,
    email: Option<String>,
    problems: Problems,
    login: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    // The token stays out of the page's own path in the language switch: it is in the URL
    // already, and the page is never cached.
    let path = format!("/reset/{token}");
    let page = Page::new(lang, lang.text("reset-title"), &path).with(viewer);
    let (jar, csrf) = match &viewer.session {
        Some(s) => (jar, s.csrf_token.clone()),
        None => match jar.get(CSRF_COOKIE).map(|c| c.value().to_owned()) {
            Some(c) if !c.is_empty() => (jar, c),
            _ => match rodtrad_auth::new_token() {
                Ok(t) => (
                    jar.add(crate::pages::login::cookie(
                        CSRF_COOKIE,
                        t.clone(),
                        crate::pages::login::SESSION_SECONDS,
                    )),
                    t,
                ),
                Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
            },
        },
    };
    let reset = ResetPage {
        action: page.href(&path),
        intro: email.as_ref().map_or_else(String::new, |e| {
            format!(
                "{} {}",
                lang.format("reset-intro", &[("email", e.clone())]),
                intro(lang)
            )
        }),
        email,
        csrf,
        min: rodtrad_auth::MIN_PASSWORD_LENGTH,
        problems,
        login,
        page,
    };
    (jar, respond(&reset, lang, status)).into_response()
}

/// Whether a token can be one of ours at all: what `new_token` makes, and nothing longer.
fn plausible(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `GET /reset/{token}`: the form for a new password, or why the link is not valid.
pub async fn reset_form(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Response {
    let lang = viewer.lang;
    let account = if plausible(&token) {
        match state
            .store()
            .password_reset(&rodtrad_auth::token_hash(&token), rodtrad_auth::now())
            .await
        {
            Ok(a) => a,
            Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
        }
    } else {
        None
    };
    let status = if account.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let token = if plausible(&token) {
        token
    } else {
        String::new()
    };
    reset_page(
        &viewer,
        jar,
        &token,
        account.map(|a| a.email),
        Problems::default(),
        None,
        status,
    )
}

/// `POST /reset/{token}`: sets the new password, once; every session of the account ends.
pub async fn reset(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Path(token): Path<String>,
    Posted(input): Posted<Input>,
) -> Response {
    let lang = viewer.lang;
    let failed =
        |e: rodtrad_store::StoreError| AppError::Internal(lang, e.to_string()).into_response();
    let invalid = |jar| {
        reset_page(
            &viewer,
            jar,
            "",
            None,
            Problems::default(),
            None,
            StatusCode::NOT_FOUND,
        )
    };
    if !plausible(&token) {
        return invalid(jar);
    }
    let hash = rodtrad_auth::token_hash(&token);
    let store = state.store();
    let account = match store.password_reset(&hash, rodtrad_auth::now()).await {
        Ok(Some(a)) => a,
        Ok(None) => return invalid(jar),
        Err(e) => return failed(e),
    };
    let mut problems = Problems::default();
    let Some(new) = new_password(lang, &input, &account, &mut problems).await else {
        return reset_page(
            &viewer,
            jar,
            &token,
            Some(account.email),
            problems,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    match store
        .use_password_reset(&hash, &new, rodtrad_auth::now())
        .await
    {
        Ok(Some(account)) => {
            tracing::info!(email = %account.email, "a new password by a one-time link");
            let login = Page::new(lang, String::new(), "/").href("/login");
            // Whoever is signed in in this browser is signed out: their session may be the
            // account's own, which has just ended everywhere.
            let jar =
                jar.remove(axum_extra::extract::cookie::Cookie::build(SESSION_COOKIE).path("/"));
            reset_page(
                &Viewer {
                    lang,
                    session: None,
                },
                jar,
                "",
                None,
                Problems::default(),
                Some(login),
                StatusCode::OK,
            )
        }
        Ok(None) => invalid(jar),
        Err(e) => failed(e),
    }
}
