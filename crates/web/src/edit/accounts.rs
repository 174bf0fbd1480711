//! Administrators manage the other accounts: make one, give and take back roles, make an
//! administrator, disable. Every change is on record as the administrator's.

use askama::Template;
use axum::extract::{Form as Posted, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{Role, Slug, Vocabulary};
use rodtrad_store::{Account, Grant, StoreError};

use axum::http::HeaderMap;

use crate::edit::history::when;
use crate::edit::{Choice, Input, Problems, actor, refuse, saved};
use crate::error::AppError;
use crate::pages::account::password_problem;
use crate::pages::{Page, respond};
use crate::session::Viewer;
use crate::site::Reached;
use crate::state::AppState;

struct Row {
    account: Account,
    href: String,
    roles: String,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    page: Page,
    rows: Vec<Row>,
    csrf: String,
    problems: Problems,
    input: Input,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Page,
    account: Account,
    grants: Vec<(Grant, String)>,
    csrf: String,
    roles: Vec<Choice>,
    scopes: Vec<Choice>,
    history: String,
    action: String,
    problems: Problems,
    reset_intro: String,
    /// A link to set a new password, just made: the link and until when it is valid.
    reset: Option<(String, String)>,
}

impl AccountsPage {
    fn typed(&self, name: &str) -> String {
        self.input.text(name).unwrap_or_default()
    }

    fn problem(&self, name: &str) -> Option<&String> {
        self.problems.fields.get(name)
    }
}

impl AccountPage {
    fn problem(&self, name: &str) -> Option<&String> {
        self.problems.fields.get(name)
    }
}

fn failed(viewer: &Viewer, e: &StoreError) -> Response {
    AppError::Internal(viewer.lang, e.to_string()).into_response()
}

fn csrf(viewer: &Viewer) -> String {
    viewer.csrf()
}

/// A role in words, with what it reaches.
pub fn role_text(state: &AppState, viewer: &Viewer, g: &Grant) -> String {
    let working = state.working();
    let scope = if g.role.scoped_to_organisation() {
        working.org_name(&g.scope)
    } else {
        working
            .plan(g.scope.as_str())
            .map_or_else(|| g.scope.to_string(), |p| p.title.clone())
    };
    format!(
        "{}: {scope}",
        viewer.lang.text(&format!("role-{}", g.role.code()))
    )
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    problems: Problems,
    input: Input,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let accounts = match state.store().accounts().await {
        Ok(a) => a,
        Err(e) => return failed(viewer, &e),
    };
    let page = Page::new(lang, lang.text("accounts-title"), "/admin/accounts").with(viewer);
    let mut rows = Vec::new();
    for account in accounts {
        let grants = match state.store().grants(account.id).await {
            Ok(g) => g,
            Err(e) => return failed(viewer, &e),
        };
        rows.push(Row {
            href: page.href(&format!("/admin/accounts/{}", account.id)),
            roles: grants
                .iter()
                .map(|g| role_text(state, viewer, g))
                .collect::<Vec<_>>()
                .join("; "),
            account,
        });
    }
    let list = AccountsPage {
        page,
        rows,
        csrf: csrf(viewer),
        problems,
        input,
    };
    respond(&list, lang, status)
}

/// `GET /admin/accounts`: every account, and the form for a new one.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    if !viewer.access().may_administer() {
        return refuse(&viewer, "/admin/accounts");
    }
    list_page(
        &state,
        &viewer,
        Problems::default(),
        Input::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/accounts`: a new account.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Posted(input): Posted<Input>,
) -> Response {
    if !viewer.access().may_administer() {
        return refuse(&viewer, "/admin/accounts");
    }
    let lang = viewer.lang;
    let mut problems = Problems::default();
    let email = input.text("email").unwrap_or_default();
    if !rodtrad_auth::plausible_email(&email) {
        problems.add("email", lang.text("accounts-bad-email"));
    }
    // A password is taken as typed: spaces are characters like any other.
    let password = input
        .0
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let name = input.text("name");
    if let Err(e) = rodtrad_auth::check_new_password(&password, &email, name.as_deref()) {
        problems.add("password", password_problem(lang, &e));
    }
    if !problems.is_empty() {
        return list_page(
            &state,
            &viewer,
            problems,
            input,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let hash = match rodtrad_auth::hash_password(&password) {
        Ok(h) => h,
        Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
    };
    let admin = input.text("admin").is_some();
    match state
        .store()
        .create_account(
            &email,
            name.as_deref(),
            &hash,
            admin,
            &actor(&viewer),
            rodtrad_auth::now(),
        )
        .await
    {
        Ok(account) => saved(
            &Page::new(lang, String::new(), "/").href(&format!("/admin/accounts/{}", account.id)),
        ),
        Err(StoreError::Duplicate(_)) => {
            problems.add("email", lang.text("accounts-taken"));
            list_page(
                &state,
                &viewer,
                problems,
                input,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => failed(&viewer, &e),
    }
}

async fn account_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    problems: Problems,
    status: StatusCode,
) -> Response {
    account_page_with(state, viewer, id, problems, None, status).await
}

async fn account_page_with(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    problems: Problems,
    reset: Option<(String, String)>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let account = match state.store().account(id).await {
        Ok(Some(a)) => a,
        Ok(None) => return AppError::NotFound(lang).into_response(),
        Err(e) => return failed(viewer, &e),
    };
    let grants = match state.store().grants(id).await {
        Ok(g) => g,
        Err(e) => return failed(viewer, &e),
    };
    let path = format!("/admin/accounts/{id}");
    let title = account
        .name
        .clone()
        .unwrap_or_else(|| account.email.clone());
    let page = Page::new(lang, title, &path).with(viewer);
    let working = state.working();
    let mut scopes: Vec<Choice> = working
        .set
        .plans
        .iter()
        .map(|p| {
            Choice::new(
                &p.id,
                &lang.format("accounts-scope-plan", &[("title", p.title.clone())]),
            )
        })
        .collect();
    scopes.extend(working.set.organisations.iter().map(|o| {
        Choice::new(
            &o.id,
            &lang.format("accounts-scope-organisation", &[("name", o.name.clone())]),
        )
    }));
    let one = AccountPage {
        grants: grants
            .iter()
            .map(|g| (g.clone(), role_text(state, viewer, g)))
            .collect(),
        csrf: csrf(viewer),
        roles: Role::ALL
            .iter()
            .map(|r| Choice::new(&r.code(), &lang.text(&format!("role-{}", r.code()))))
            .collect(),
        scopes,
        history: page.href(&format!("/accounts/{id}/history")),
        action: page.href(&path),
        problems,
        reset_intro: lang.format(
            "accounts-reset-intro",
            &[(
                "hours",
                (rodtrad_auth::RESET_LINK_SECONDS / 3600).to_string(),
            )],
        ),
        reset,
        account,
        page,
    };
    respond(&one, lang, status)
}

/// `GET /admin/accounts/{id}`: one account, its roles and its state.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return AppError::NotFound(viewer.lang).into_response();
    };
    if !viewer.access().may_administer() {
        return refuse(&viewer, &format!("/admin/accounts/{id}"));
    }
    account_page(&state, &viewer, id, Problems::default(), StatusCode::OK).await
}

/// Makes a link to set a new password for the account and shows it, once, to the
/// administrator: the store keeps only the token's hash.
async fn issue_reset(
    state: &AppState,
    viewer: &Viewer,
    reached: &Reached,
    headers: &HeaderMap,
    id: i64,
) -> Response {
    let lang = viewer.lang;
    let token = match rodtrad_auth::new_token() {
        Ok(t) => t,
        Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
    };
    let now = rodtrad_auth::now();
    let expires = now + rodtrad_auth::RESET_LINK_SECONDS;
    let hash = rodtrad_auth::token_hash(&token);
    match state
        .store()
        .issue_password_reset(id, &hash, now, expires, &actor(viewer))
        .await
    {
        Ok(Some(account)) => {
            tracing::info!(email = %account.email, "a link to set a new password made");
            let link = format!("{}/reset/{token}", reached.site.base_url(headers));
            let issued = lang.format(
                "accounts-reset-issued",
                &[("email", account.email), ("expires", when(expires))],
            );
            account_page_with(
                state,
                viewer,
                id,
                Problems::default(),
                Some((issued, link)),
                StatusCode::OK,
            )
            .await
        }
        Ok(None) => AppError::NotFound(lang).into_response(),
        Err(e) => failed(viewer, &e),
    }
}

/// `POST /admin/accounts/{id}`: give a role, take one back, or change the account's state;
/// the button pressed (`do`) says which.
pub async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    reached: Reached,
    headers: HeaderMap,
    Path(id): Path<String>,
    Posted(input): Posted<Input>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return AppError::NotFound(viewer.lang).into_response();
    };
    let path = format!("/admin/accounts/{id}");
    if !viewer.access().may_administer() {
        return refuse(&viewer, &path);
    }
    let lang = viewer.lang;
    match state.store().account(id).await {
        Ok(Some(_)) => {}
        Ok(None) => return AppError::NotFound(lang).into_response(),
        Err(e) => return failed(&viewer, &e),
    }
    let who = actor(&viewer);
    let now = rodtrad_auth::now();
    let grant = || {
        let role = input.text("role").and_then(|r| Role::parse(&r).ok());
        let scope = input.text("scope").and_then(|s| Slug::parse(&s).ok());
        role.zip(scope).map(|(role, scope)| Grant { role, scope })
    };
    let result = match input.text("do").as_deref() {
        Some("grant") => {
            let working = state.working();
            let fits = grant().filter(|g| {
                if g.role.scoped_to_organisation() {
                    working.organisation(&g.scope).is_some()
                } else {
                    working.plan(g.scope.as_str()).is_some()
                }
            });
            let Some(g) = fits else {
                let mut problems = Problems::default();
                problems.add("scope", lang.text("accounts-bad-scope"));
                return account_page(
                    &state,
                    &viewer,
                    id,
                    problems,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            };
            state.store().grant(id, &g, &who, now).await
        }
        Some("reset") => return issue_reset(&state, &viewer, &reached, &headers, id).await,
        Some("revoke") => match grant() {
            Some(g) => state.store().revoke(id, &g, &who, now).await,
            None => return AppError::BadRequest(lang).into_response(),
        },
        Some("status") => {
            // An administrator cannot lock themselves out by mistake.
            if viewer.session.as_ref().is_some_and(|s| s.account.id == id) {
                let mut problems = Problems::default();
                problems.general.push(lang.text("accounts-not-yourself"));
                return account_page(
                    &state,
                    &viewer,
                    id,
                    problems,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
            let admin = input.text("admin").is_some();
            let disabled = input.text("disabled").is_some();
            state
                .store()
                .set_account_status(id, admin, disabled, &who, now)
                .await
        }
        _ => return AppError::BadRequest(lang).into_response(),
    };
    match result {
        Ok(()) => saved(&Page::new(lang, String::new(), "/").href(&path)),
        Err(e) => failed(&viewer, &e),
    }
}
