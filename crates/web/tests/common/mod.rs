//! What the web tests share: the application on the Örebro data set, on each backend.

#![allow(dead_code)]

use std::path::Path;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use rodtrad_domain::{Role, Slug};
use rodtrad_store::{Grant, Store};
use rodtrad_web::{AppState, router};
use scraper::{Html, Selector};
use tower::ServiceExt;

pub struct App {
    pub _dir: tempfile::TempDir,
    pub state: AppState,
    /// The database's URL.
    pub url: String,
}

/// The application on the Örebro data set in a new SQLite file.
pub async fn app() -> App {
    let dir = tempfile::tempdir().expect("tmp");
    let url = format!("sqlite:{}", dir.path().join("web.db").display());
    App {
        _dir: dir,
        ..app_at(&url).await
    }
}

/// A new, empty database on the test PostgreSQL server, if `RODTRAD_TEST_POSTGRES` names one.
pub async fn postgres_url(name: &str) -> Option<String> {
    use sqlx::{Connection, Executor};
    let Ok(admin) = std::env::var("RODTRAD_TEST_POSTGRES") else {
        assert!(
            std::env::var("RODTRAD_REQUIRE_POSTGRES").is_err(),
            "RODTRAD_TEST_POSTGRES is not set"
        );
        return None;
    };
    let db = format!("rodtrad_web_{name}_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect");
    conn.execute(format!("DROP DATABASE IF EXISTS {db}").as_str())
        .await
        .expect("drop");
    conn.execute(format!("CREATE DATABASE {db}").as_str())
        .await
        .expect("create");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Some(format!("{base}/{db}"))
}

/// The application on the Örebro data set in a store at `url`.
pub async fn app_at(url: &str) -> App {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(url).await.expect("store");
    let set =
        rodtrad_format::parse_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro"))
            .expect("data set");
    store
        .import(&set, &rodtrad_store::Actor::command_line(), 0)
        .await
        .expect("import");
    let state = AppState::load(store).await.expect("load");
    App {
        _dir: dir,
        state,
        url: url.to_owned(),
    }
}

/// The application on SQLite, and on PostgreSQL when a test server is given.
pub async fn apps(name: &str) -> Vec<App> {
    let mut apps = vec![app().await];
    if let Some(url) = postgres_url(name).await {
        apps.push(app_at(&url).await);
    }
    apps
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The value of a cookie this answer sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| {
                c[name.len() + 1..]
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
    }

    pub fn set_cookie(&self, name: &str) -> String {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .unwrap_or_default()
            .to_owned()
    }
}

pub async fn send(app: &App, req: Request<Body>) -> Answer {
    let res = router(app.state.clone())
        .oneshot(req)
        .await
        .expect("response");
    answer(res).await
}

/// A response, read whole.
pub async fn answer(res: axum::response::Response) -> Answer {
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8(body.to_vec()).expect("utf-8"),
    }
}

pub async fn get(app: &App, path: &str, cookie: &str) -> Answer {
    let mut req = Request::get(path);
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    send(app, req.body(Body::empty()).expect("request")).await
}

pub async fn post(app: &App, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
    let body = serde_urlencoded::to_string(form).expect("form");
    let mut req =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    send(app, req.body(Body::from(body)).expect("request")).await
}

/// A signed-in person, as a test sends their requests.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub id: i64,
    /// The `Cookie` header of their requests; empty for a visitor.
    pub cookie: String,
    pub csrf: String,
}

impl Person {
    pub fn visitor() -> Self {
        Self::default()
    }
}

/// An account with these roles, signed in: the session is made in the store, as logging in
/// would make it (logging in itself is tested in `accounts.rs`).
pub async fn person(app: &App, email: &str, admin: bool, grants: &[(Role, &str)]) -> Person {
    let store = app.state.store();
    let account = store
        .create_account(
            email,
            Some(&format!("Person {email}")),
            "not-a-usable-hash",
            admin,
            &rodtrad_store::Actor::command_line(),
            0,
        )
        .await
        .expect("account");
    for (role, scope) in grants {
        let grant = Grant {
            role: *role,
            scope: Slug::parse(scope).expect("scope"),
        };
        store
            .grant(account.id, &grant, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("grant");
    }
    let token = rodtrad_auth::new_token().expect("token");
    let csrf = rodtrad_auth::new_token().expect("token");
    let now = rodtrad_auth::now();
    store
        .create_session(
            &rodtrad_auth::token_hash(&token),
            account.id,
            &csrf,
            now,
            now + 3600,
        )
        .await
        .expect("session");
    Person {
        id: account.id,
        cookie: format!("rodtrad_session={token}"),
        csrf,
    }
}

/// A form posted by `who`, with their anti-forgery token.
pub async fn submit(app: &App, who: &Person, path: &str, form: &[(&str, &str)]) -> Answer {
    let mut fields: Vec<(&str, &str)> = vec![("csrf", who.csrf.as_str())];
    fields.extend_from_slice(form);
    post(app, path, &who.cookie, &fields).await
}

/// The value of a hidden or text field in a form page.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let rest = &html[at..];
    let v = rest.find("value=\"")? + 7;
    let end = rest[v..].find('"')?;
    Some(rest[v..v + end].to_owned())
}

/// The fields a browser would send for the first edit form of a page: text inputs and hidden
/// ones, text areas, the chosen option of each select, the checked boxes.
pub fn form_fields(html: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    let form = doc
        .select(&Selector::parse("form.edit").expect("selector"))
        .next()
        .expect("an edit form");
    let mut out = Vec::new();
    for input in form.select(&Selector::parse("input").expect("selector")) {
        let e = input.value();
        let (Some(name), kind) = (e.attr("name"), e.attr("type").unwrap_or("text")) else {
            continue;
        };
        if kind == "checkbox" && e.attr("checked").is_none() {
            continue;
        }
        out.push((name.to_owned(), e.attr("value").unwrap_or("").to_owned()));
    }
    for area in form.select(&Selector::parse("textarea").expect("selector")) {
        let name = area.value().attr("name").unwrap_or("").to_owned();
        out.push((name, area.text().collect()));
    }
    let option = Selector::parse("option[selected]").expect("selector");
    for select in form.select(&Selector::parse("select").expect("selector")) {
        let name = select.value().attr("name").unwrap_or("").to_owned();
        let chosen = select
            .select(&option)
            .next()
            .and_then(|o| o.value().attr("value"))
            .unwrap_or("");
        out.push((name, chosen.to_owned()));
    }
    out
}

/// The form at `path` as a browser would send it back, with `changes` made.
pub async fn resend(app: &App, who: &Person, path: &str, changes: &[(&str, &str)]) -> Answer {
    let page = get(app, path, &who.cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    let mut fields: Vec<(String, String)> = form_fields(&page.body)
        .into_iter()
        .filter(|(k, _)| k != "csrf")
        .collect();
    for (name, value) in changes {
        match fields.iter_mut().find(|(k, _)| k == name) {
            Some(f) => (*value).clone_into(&mut f.1),
            None => fields.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    submit(app, who, path, &pairs).await
}
