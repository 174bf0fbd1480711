//! The findings of the security review (issue 10), each as a test named after what it guards,
//! on every backend: redirects stay on the site, accounts and drafts stay with those who may
//! read them, log-ins are slowed without locking the owner out, every response carries its
//! security headers, passwords are hard to guess and can be changed and reset, forms come from
//! this site's own origin, plain HTTP beyond this machine is said, and an activity that serves
//! other plans is not removed by someone who does not keep them.

use std::net::SocketAddr;

use axum::Extension;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use rodtrad_domain::Role;
use rodtrad_web::{Site, router};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

mod common;
use common::{Answer, App, Person, apps, field_value, get, person, post, send, submit};

const PLAN: &str = "psykisk-halsa-2020";
const OTHER_PLAN: &str = "gemensamma-insatsomraden-2021";
const ACTIVITY: &str = "brukarinflytandesamordnare-bisam";
const ORG: &str = "psykiatrin";
const STRONG: &str = "ett långt lösenord för testet";
const STRONGER: &str = "mossa tält ugn och sju kaniner";

/// A request as a browser at `client` sends it, to a site configured as `site`.
async fn send_as(app: &App, site: &Site, client: &str, mut req: Request<Body>) -> Answer {
    let addr: SocketAddr = client.parse().expect("client address");
    req.extensions_mut().insert(ConnectInfo(addr));
    let res = router(app.state.clone())
        .layer(Extension(site.clone()))
        .oneshot(req)
        .await
        .expect("response");
    common::answer(res).await
}

fn form_request(path: &str, cookie: &str, form: &[(&str, &str)]) -> Request<Body> {
    let body = serde_urlencoded::to_string(form).expect("form");
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:8080");
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    req.body(Body::from(body)).expect("request")
}

/// An account with a real password, not signed in.
async fn account_with_password(app: &App, email: &str, admin: bool) -> i64 {
    let hash = rodtrad_auth::hash_password(STRONG).expect("hash");
    app.state
        .store()
        .create_account(
            email,
            Some("Anna Andersson"),
            &hash,
            admin,
            &rodtrad_store::Actor::command_line(),
            0,
        )
        .await
        .expect("account")
        .id
}

/// The log-in form's anti-forgery token (its cookie and field).
async fn login_token(app: &App) -> String {
    get(app, "/login", "")
        .await
        .cookie("rodtrad_csrf")
        .expect("an anti-forgery cookie")
}

/// The log-in form sent with the anti-forgery token `csrf` got before, and `more` fields.
async fn log_in_with(
    app: &App,
    csrf: &str,
    (email, password): (&str, &str),
    more: &[(&str, &str)],
) -> Answer {
    let mut form = vec![("csrf", csrf), ("email", email), ("password", password)];
    form.extend_from_slice(more);
    post(app, "/login", &format!("rodtrad_csrf={csrf}"), &form).await
}

fn location(a: &Answer) -> &str {
    a.headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
}

// 1. Open redirect.

#[tokio::test]
async fn a_next_address_never_leads_off_the_site_nor_to_an_error() {
    for app in apps("sec_next").await {
        account_with_password(&app, "anna@region.se", false).await;
        let signed_in = person(&app, "bo@region.se", false, &[]).await;
        for next in [
            "%2F%09%2Fevil.example",
            "%2F%0A%2Fevil.example",
            "%2F%0D%0A%2Fevil.example",
            "%2F%0B%2Fevil.example",
            "%2F%00%2Fevil.example",
            "%2F%5C%2Fevil.example",
            "%2F%2Fevil.example",
            "https%3A%2F%2Fevil.example",
        ] {
            let path = format!("/login?next={next}");
            let a = get(&app, &path, &signed_in.cookie).await;
            assert_eq!(a.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(location(&a), "/", "{path}");
            let form = get(&app, &path, "").await;
            assert_eq!(form.status, StatusCode::OK, "{path}");
            assert_eq!(
                field_value(&form.body, "next").as_deref(),
                Some("/"),
                "{path}"
            );
        }
        // From the form's hidden field too.
        let csrf = login_token(&app).await;
        let next = [("next", "/\t/evil.example")];
        let a = log_in_with(&app, &csrf, ("anna@region.se", STRONG), &next).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&a), "/");
        // A good address of the site is kept.
        let a = get(
            &app,
            "/login?next=%2Fplans%2Fx%3Flang%3Den",
            &signed_in.cookie,
        )
        .await;
        assert_eq!(location(&a), "/plans/x?lang=en");
    }
}

// 2. Accounts readable by anyone signed in.

#[tokio::test]
async fn an_accounts_record_is_only_for_administrators_and_the_person() {
    for app in apps("sec_account_record").await {
        let nobody = person(&app, "nobody@region.se", false, &[]).await;
        let other = person(&app, "other@region.se", true, &[]).await;
        let admin = person(&app, "admin@region.se", true, &[]).await;
        let theirs = format!("/history/account/{}", other.id);
        let own = format!("/history/account/{}", nobody.id);
        let a = get(&app, &theirs, &nobody.cookie).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        assert!(!a.body.contains("other@region.se"));
        let a = get(&app, &own, &nobody.cookie).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains("nobody@region.se"));
        assert!(!a.body.contains("Unknown localization key"), "{}", a.body);
        assert!(a.body.contains("konto"), "the kind in words");
        let a = get(&app, &theirs, &admin.cookie).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(!a.body.contains("Unknown localization key"));
        // What someone else changed, in their own history, is not for others either.
        let a = get(
            &app,
            &format!("/accounts/{}/history", other.id),
            &nobody.cookie,
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
}

// 3. Drafts leak through history.

/// Gives the plan's draft a goal no release has, and links the activity to it.
async fn draft_goal(app: &App, admin: &Person) {
    let path = format!("/new/plan/{PLAN}/goal");
    let form = get(app, &path, &admin.cookie).await;
    let revision = field_value(&form.body, "revision").expect("revision");
    let a = submit(
        app,
        admin,
        &path,
        &[
            ("revision", &revision),
            ("title", "Hemligt utkastmål"),
            ("level", "activity-area"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let edit = format!("/edit/activity/{ACTIVITY}");
    let form = get(app, &edit, &admin.cookie).await;
    let mut fields: Vec<(String, String)> = vec![(
        "revision".into(),
        field_value(&form.body, "revision").expect("revision"),
    )];
    for name in ["title", "start", "end"] {
        if let Some(v) = field_value(&form.body, name) {
            fields.push((name.into(), v));
        }
    }
    fields.push(("lead".into(), ORG.into()));
    for goal in [
        format!("{OTHER_PLAN}/psykisk-halsa"),
        format!("{PLAN}/individer-rustade-for-att-na-sin-fulla-potential-och-valmaende"),
        format!("{PLAN}/hemligt-utkastmal"),
    ] {
        fields.push(("serves".into(), goal));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let a = submit(app, admin, &edit, &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
}

#[tokio::test]
async fn history_shows_no_goal_that_is_only_in_a_draft_the_person_cannot_read() {
    for app in apps("sec_history_drafts").await {
        let admin = person(&app, "admin@region.se", true, &[]).await;
        let nobody = person(&app, "nobody@region.se", false, &[]).await;
        let reader = person(&app, "reader@region.se", false, &[(Role::Reader, PLAN)]).await;
        draft_goal(&app, &admin).await;
        let path = format!("/history/activity/{ACTIVITY}");
        let a = get(&app, &path, &nobody.cookie).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(!a.body.contains("hemligt-utkastmal"), "{}", a.body);
        assert!(a.body.contains("(ett mål som du inte kan se)"));
        assert!(
            a.body.contains("psykisk-halsa"),
            "what is published is still shown"
        );
        // The plan's own page shows them nothing of it either: the two agree.
        let plan = get(&app, &format!("/plans/{PLAN}"), &nobody.cookie).await;
        assert!(!plan.body.contains("Hemligt utkastmål"));
        for who in [&reader, &admin] {
            let a = get(&app, &path, &who.cookie).await;
            assert!(
                a.body.contains("hemligt-utkastmal"),
                "those with a role see it"
            );
        }
    }
}

// 4. Slowing of failed log-ins.

#[tokio::test]
async fn concurrent_wrong_passwords_are_checked_at_most_five_times_and_the_owner_is_not_locked_out()
{
    for app in apps("sec_throttle").await {
        account_with_password(&app, "anna@region.se", false).await;
        let site = Site::default();
        let csrf = login_token(&app).await;
        let cookie = format!("rodtrad_csrf={csrf}");
        let attempt = |password: &'static str| {
            form_request(
                "/login",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("email", "anna@region.se"),
                    ("password", password),
                ],
            )
        };
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (app_state, site, req) = (
                app.state.clone(),
                site.clone(),
                attempt("fel lösenord igen"),
            );
            tasks.push(tokio::spawn(async move {
                let mut req = req;
                req.extensions_mut().insert(ConnectInfo(
                    "198.51.100.7:5000".parse::<SocketAddr>().expect("addr"),
                ));
                router(app_state)
                    .layer(Extension(site))
                    .oneshot(req)
                    .await
                    .expect("response")
                    .status()
            }));
        }
        let mut checked = 0;
        for t in tasks {
            match t.await.expect("task") {
                StatusCode::UNAUTHORIZED => checked += 1,
                StatusCode::TOO_MANY_REQUESTS => {}
                other => panic!("unexpected {other}"),
            }
        }
        assert!(checked <= 5, "{checked} of 16 were checked");
        assert!(checked >= 1);
        // The attacker's client waits, even with the right password...
        let a = send_as(&app, &site, "198.51.100.7:5001", attempt(STRONG)).await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
        // ...but the owner, elsewhere, logs in at once.
        let a = send_as(&app, &site, "203.0.113.9:6000", attempt(STRONG)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert!(a.cookie("rodtrad_session").is_some());
    }
}

#[tokio::test]
async fn guessing_many_addresses_from_one_client_is_slowed_too() {
    for app in apps("sec_throttle_client").await {
        let site = Site::default();
        let csrf = login_token(&app).await;
        let cookie = format!("rodtrad_csrf={csrf}");
        let mut held = false;
        for i in 0..40 {
            let email = format!("person{i}@region.se");
            let req = form_request(
                "/login",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("email", &email),
                    ("password", "fel lösenord igen"),
                ],
            );
            let a = send_as(&app, &site, "198.51.100.8:5000", req).await;
            if a.status == StatusCode::TOO_MANY_REQUESTS {
                held = true;
                break;
            }
        }
        assert!(held, "forty addresses from one client were all checked");
    }
}

// 5. Security headers.

/// A path for every route of the application, as a signed-in administrator reaches it.
fn every_route(account: i64) -> Vec<String> {
    let mut v: Vec<String> = [
        "/",
        "/plans/psykisk-halsa-2020",
        "/plans/psykisk-halsa-2020/goals/hallbara-stod-till-dom-som-behover",
        "/activities",
        "/overlap",
        "/follow-ups/uppfoljning-2021",
        "/activities/brukarinflytandesamordnare-bisam",
        "/organisations/psykiatrin",
        "/login",
        "/edit/activity/brukarinflytandesamordnare-bisam",
        "/new/activity",
        "/remove/activity/brukarinflytandesamordnare-bisam",
        "/edit/organisation/psykiatrin",
        "/new/organisation",
        "/remove/organisation/psykiatrin",
        "/edit/perspective/jamstalldhet",
        "/new/perspective",
        "/remove/perspective/jamstalldhet",
        "/edit/strategy/rus-2018-2030",
        "/new/strategy",
        "/edit/plan/psykisk-halsa-2020",
        "/new/plan",
        "/remove/plan/psykisk-halsa-2020",
        "/edit/follow_up/uppfoljning-2021",
        "/new/follow_up",
        "/new/plan/psykisk-halsa-2020/goal",
        "/edit/plan/psykisk-halsa-2020/goal/hallbara-stod-till-dom-som-behover",
        "/remove/plan/psykisk-halsa-2020/goal/hallbara-stod-till-dom-som-behover",
        "/new/plan/psykisk-halsa-2020/risk",
        "/new/plan/psykisk-halsa-2020/direction",
        "/new/strategy/rus-2018-2030/area",
        "/new/strategy/rus-2018-2030/state",
        "/new/strategy/rus-2018-2030/goal",
        "/plans/psykisk-halsa-2020/versions",
        "/plans/psykisk-halsa-2020/versions/1",
        "/admin/accounts",
        "/history/activity/brukarinflytandesamordnare-bisam",
        "/account",
        "/reset/not-a-token",
        "/healthz",
        "/finns-inte",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    v.push(format!("/admin/accounts/{account}"));
    v.push(format!("/accounts/{account}/history"));
    v.push(format!("/history/account/{account}"));
    v
}

fn has_security_headers(a: &Answer) -> Result<(), String> {
    let h = |name: &str| {
        a.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = h("content-security-policy");
    let checks = [
        csp.contains("default-src 'none'")
            && !csp.contains("unsafe")
            && !csp.contains("script-src"),
        csp.contains("frame-ancestors 'none'"),
        h("x-frame-options") == "DENY",
        h("x-content-type-options") == "nosniff",
        h("referrer-policy") == "same-origin",
    ];
    if checks.iter().all(|c| *c) {
        Ok(())
    } else {
        Err(format!("{:?}", a.headers))
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_personal_pages_are_not_stored() {
    for app in apps("sec_headers").await {
        let admin = person(&app, "admin@region.se", true, &[]).await;
        let mut wrong = Vec::new();
        for path in every_route(admin.id) {
            for who in [&Person::visitor(), &admin] {
                let a = get(&app, &path, &who.cookie).await;
                if let Err(e) = has_security_headers(&a) {
                    wrong.push(format!("GET {path}: {e}"));
                }
                let no_store = a
                    .headers
                    .get(header::CACHE_CONTROL)
                    .is_some_and(|v| v == "no-store");
                let personal =
                    !who.cookie.is_empty() || path == "/login" || path.starts_with("/reset");
                if personal && !no_store {
                    wrong.push(format!("GET {path} signed in: may be stored"));
                }
                if !personal && no_store && path == "/" {
                    wrong.push(format!("GET {path}: a public page is not to be stored"));
                }
                if a.headers.contains_key(header::STRICT_TRANSPORT_SECURITY) {
                    wrong.push(format!("GET {path}: HSTS without HTTPS"));
                }
            }
        }
        // Refusals and posts too.
        let a = post(&app, "/logout", &admin.cookie, &[]).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        if let Err(e) = has_security_headers(&a) {
            wrong.push(format!("POST /logout: {e}"));
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));

        // Over HTTPS, as the site is told, browsers are told to keep to it.
        let site = Site::new(Some("https://planer.region.se"), None).expect("site");
        let req = Request::get("/").body(Body::empty()).expect("request");
        let a = send_as(&app, &site, "127.0.0.1:5000", req).await;
        let hsts = a
            .headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .expect("HSTS");
        assert!(hsts.to_str().expect("text").starts_with("max-age="));
    }
}

#[tokio::test]
async fn the_policy_allows_the_pages_own_stylesheet_and_no_inline_style_or_script() {
    let app = common::app().await;
    let a = get(&app, "/", "").await;
    let body = &a.body;
    let start = body.find("<style>").expect("a style element") + "<style>".len();
    let end = body.find("</style>").expect("its end");
    let hash = base64::engine::general_purpose::STANDARD
        .encode(Sha256::digest(&body.as_bytes()[start..end]));
    let csp = a.headers["content-security-policy"].to_str().expect("text");
    assert!(csp.contains(&format!("style-src 'sha256-{hash}'")), "{csp}");
    // No template has a style attribute or a script: the policy would block them.
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for entry in std::fs::read_dir(templates).expect("templates") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("template");
        assert!(
            !text.contains("style=") && !text.contains("<script"),
            "{}",
            path.display()
        );
        assert!(!has_handler(&text), "{}", path.display());
    }
}

/// Whether a template has an inline event handler (`onclick="..."` and the like).
fn has_handler(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        w.strip_prefix("on")
            .and_then(|rest| rest.split_once("=\""))
            .is_some_and(|(name, _)| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase())
            })
    })
}

// 6. Passwords.

#[tokio::test]
async fn blank_guessable_and_personal_passwords_are_refused() {
    for app in apps("sec_passwords").await {
        let admin = person(&app, "admin@region.se", true, &[]).await;
        for (password, said) in [
            ("            ", "bara vara blanksteg"),
            (
                "\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}",
                "bara vara blanksteg",
            ),
            ("password1234", "för lätt att gissa"),
            ("ny.person@region.se", "e-postadress"),
        ] {
            let a = submit(
                &app,
                &admin,
                "/admin/accounts",
                &[("email", "ny.person@region.se"), ("password", password)],
            )
            .await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{password:?}");
            assert!(a.body.contains(said), "{password:?}: {}", a.body);
        }
        let a = submit(
            &app,
            &admin,
            "/admin/accounts?lang=en",
            &[
                ("email", "ny.person@region.se"),
                ("password", "password1234"),
            ],
        )
        .await;
        assert!(a.body.contains("too easy to guess"));
        let a = submit(
            &app,
            &admin,
            "/admin/accounts",
            &[("email", "ny.person@region.se"), ("password", STRONG)],
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    }
}

/// Logs in with a password from a client; the session's cookie, or `None`.
async fn log_in(app: &App, email: &str, password: &str) -> Option<Person> {
    let csrf = login_token(app).await;
    let a = log_in_with(app, &csrf, (email, password), &[]).await;
    let token = a.cookie("rodtrad_session")?;
    let cookie = format!("rodtrad_session={token}");
    let page = get(app, "/account", &cookie).await;
    Some(Person {
        id: 0,
        csrf: field_value(&page.body, "csrf")?,
        cookie,
    })
}

#[tokio::test]
async fn a_person_changes_their_own_password_and_their_other_sessions_end() {
    for app in apps("sec_own_password").await {
        account_with_password(&app, "anna@region.se", false).await;
        let here = log_in(&app, "anna@region.se", STRONG).await.expect("here");
        let there = log_in(&app, "anna@region.se", STRONG).await.expect("there");
        let page = get(&app, "/account", &here.cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("anna@region.se") && page.body.contains("Anna Andersson"));
        assert!(page.body.contains("2 ställen"), "{}", page.body);
        // The current password first.
        let a = submit(
            &app,
            &here,
            "/account",
            &[
                ("do", "password"),
                ("old", "inte det här"),
                ("new", STRONGER),
                ("again", STRONGER),
            ],
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("Det nuvarande lösenordet stämmer inte"));
        let a = submit(
            &app,
            &here,
            "/account",
            &[
                ("do", "password"),
                ("old", STRONG),
                ("new", "password1234"),
                ("again", "password1234"),
            ],
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        let a = submit(
            &app,
            &here,
            "/account",
            &[
                ("do", "password"),
                ("old", STRONG),
                ("new", STRONGER),
                ("again", STRONGER),
            ],
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("Lösenordet är bytt"));
        assert_eq!(
            get(&app, "/account", &here.cookie).await.status,
            StatusCode::OK
        );
        let gone = get(&app, "/account", &there.cookie).await;
        assert_eq!(
            gone.status,
            StatusCode::SEE_OTHER,
            "the other session ended"
        );
        assert!(log_in(&app, "anna@region.se", STRONG).await.is_none());
        assert!(log_in(&app, "anna@region.se", STRONGER).await.is_some());
        // Guessing the current password from a session is slowed as at the log-in.
        let mut held = false;
        for _ in 0..8 {
            let a = submit(
                &app,
                &here,
                "/account",
                &[
                    ("do", "password"),
                    ("old", "en gissning till"),
                    ("new", STRONG),
                    ("again", STRONG),
                ],
            )
            .await;
            if a.status == StatusCode::TOO_MANY_REQUESTS {
                held = true;
                break;
            }
        }
        assert!(
            held,
            "eight guesses of the current password were all checked"
        );
        // On record, without the password.
        let record = app.state.store().all_changes().await.expect("record");
        let last = record.last().expect("a change");
        assert_eq!(last.item.kind, rodtrad_domain::ItemKind::Account);
        assert!(
            last.fields
                .iter()
                .all(|f| f.before.is_none() && f.after.is_none())
        );
    }
}

#[tokio::test]
async fn signing_out_everywhere_else_keeps_this_session_only() {
    for app in apps("sec_sessions").await {
        account_with_password(&app, "anna@region.se", false).await;
        let here = log_in(&app, "anna@region.se", STRONG).await.expect("here");
        let there = log_in(&app, "anna@region.se", STRONG).await.expect("there");
        let a = submit(&app, &here, "/account?lang=en", &[("do", "others")]).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains("signed out everywhere but here"));
        assert_eq!(
            get(&app, "/account", &here.cookie).await.status,
            StatusCode::OK
        );
        assert_eq!(
            get(&app, "/account", &there.cookie).await.status,
            StatusCode::SEE_OTHER
        );
    }
}

/// The link an administrator's page shows after making one.
fn reset_link(body: &str) -> String {
    let at = body.find("/reset/").expect("a link");
    body[at..].split('<').next().expect("link").to_owned()
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    for app in apps("sec_reset").await {
        let id = account_with_password(&app, "anna@region.se", false).await;
        let session = log_in(&app, "anna@region.se", STRONG)
            .await
            .expect("signed in");
        let admin = person(&app, "admin@region.se", true, &[]).await;
        let a = submit(
            &app,
            &admin,
            &format!("/admin/accounts/{id}"),
            &[("do", "reset")],
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let link = reset_link(&a.body);
        assert!(a.body.contains("http://localhost/reset/"), "a whole link");
        // Only an administrator makes one.
        let not = submit(
            &app,
            &session,
            &format!("/admin/accounts/{id}"),
            &[("do", "reset")],
        )
        .await;
        assert_eq!(not.status, StatusCode::FORBIDDEN);

        let form = get(&app, &link, "").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("anna@region.se"));
        let csrf = form.cookie("rodtrad_csrf").expect("a token");
        let cookie = format!("rodtrad_csrf={csrf}");
        let weak = post(
            &app,
            &link,
            &cookie,
            &[
                ("csrf", &csrf),
                ("new", "password1234"),
                ("again", "password1234"),
            ],
        )
        .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(weak.body.contains("för lätt att gissa"));
        let done = post(
            &app,
            &link,
            &cookie,
            &[("csrf", &csrf), ("new", STRONGER), ("again", STRONGER)],
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(done.body.contains("Lösenordet är sparat"));
        // Once only, and the sessions of before are over.
        let again = post(
            &app,
            &link,
            &cookie,
            &[("csrf", &csrf), ("new", STRONG), ("again", STRONG)],
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert!(again.body.contains("Länken gäller inte"));
        assert_eq!(
            get(&app, "/account", &session.cookie).await.status,
            StatusCode::SEE_OTHER
        );
        assert!(log_in(&app, "anna@region.se", STRONGER).await.is_some());

        // A link that has run out is no good.
        let token = rodtrad_auth::new_token().expect("token");
        app.state
            .store()
            .issue_password_reset(
                id,
                &rodtrad_auth::token_hash(&token),
                0,
                10,
                &rodtrad_store::Actor::command_line(),
            )
            .await
            .expect("issue");
        let old = get(&app, &format!("/reset/{token}?lang=en"), "").await;
        assert_eq!(old.status, StatusCode::NOT_FOUND);
        assert!(old.body.contains("This link is not valid"));
    }
}

// 7. Smaller points.

#[tokio::test]
async fn a_form_from_the_sites_plain_http_twin_is_refused() {
    for app in apps("sec_origin").await {
        account_with_password(&app, "anna@region.se", false).await;
        let csrf = login_token(&app).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("email", "anna@region.se"),
            ("password", STRONG),
        ];
        let attempt = |origin: &str, host: &str| {
            let mut req = form_request("/login", &format!("rodtrad_csrf={csrf}"), &form);
            req.headers_mut()
                .insert(header::ORIGIN, origin.parse().expect("origin"));
            req.headers_mut()
                .insert(header::HOST, host.parse().expect("host"));
            req
        };
        let a = send(&app, attempt("http://planer.region.se", "planer.region.se")).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let a = send(
            &app,
            attempt("https://planer.region.se", "planer.region.se"),
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn the_anti_forgery_cookie_of_before_is_renewed_at_log_in() {
    for app in apps("sec_csrf_renewed").await {
        account_with_password(&app, "anna@region.se", false).await;
        let csrf = login_token(&app).await;
        let a = log_in_with(&app, &csrf, ("anna@region.se", STRONG), &[]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let renewed = a.cookie("rodtrad_csrf").expect("a new anti-forgery cookie");
        assert!(!renewed.is_empty() && renewed != csrf);
    }
}

// 8. Plain HTTP on a server's own address.

#[tokio::test]
async fn the_log_in_page_says_when_plain_http_beyond_this_machine_cannot_keep_a_log_in() {
    let app = common::app().await;
    let page = |host: &str, site: Site| {
        let req = Request::get("/login")
            .header(header::HOST, host)
            .body(Body::empty())
            .expect("request");
        (req, site)
    };
    let (req, site) = page("10.0.0.5:8080", Site::default());
    let a = send_as(&app, &site, "10.0.0.9:4000", req).await;
    assert!(a.body.contains("okrypterad http"), "{}", a.body);
    let (req, site) = page("127.0.0.1:8080", Site::default());
    let a = send_as(&app, &site, "127.0.0.1:4000", req).await;
    assert!(!a.body.contains("okrypterad http"));
    let public = Site::new(Some("https://planer.region.se"), None).expect("site");
    let (req, site) = page("planer.region.se", public);
    let a = send_as(&app, &site, "127.0.0.1:4000", req).await;
    assert!(!a.body.contains("okrypterad http"));
}

// 9. Removal of what others depend on.

#[tokio::test]
async fn an_activity_serving_other_plans_is_removed_only_by_who_keeps_them_all() {
    for app in apps("sec_removal").await {
        let contributor = person(&app, "c@kommun.se", false, &[(Role::Contributor, ORG)]).await;
        let keeper = person(
            &app,
            "k@region.se",
            false,
            &[
                (Role::Contributor, ORG),
                (Role::PlanOwner, PLAN),
                (Role::PlanOwner, OTHER_PLAN),
            ],
        )
        .await;
        let path = format!("/remove/activity/{ACTIVITY}");
        let page = get(&app, &path, &contributor.cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("Inget annat hänger på det"),
            "{}",
            page.body
        );
        assert!(page.body.contains("förlorar den"));
        assert!(page.body.contains("Bara den som äger planen"));
        let revision = field_value(&page.body, "revision").expect("revision");
        let a = submit(&app, &contributor, &path, &[("revision", &revision)]).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert!(
            app.state
                .working()
                .set
                .activities
                .iter()
                .any(|a| a.id.as_str() == ACTIVITY)
        );

        let page = get(&app, &path, &keeper.cookie).await;
        assert!(
            !page.body.contains("Bara den som äger planen"),
            "{}",
            page.body
        );
        let revision = field_value(&page.body, "revision").expect("revision");
        let a = submit(&app, &keeper, &path, &[("revision", &revision)]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert!(
            !app.state
                .working()
                .set
                .activities
                .iter()
                .any(|a| a.id.as_str() == ACTIVITY)
        );
    }
}
