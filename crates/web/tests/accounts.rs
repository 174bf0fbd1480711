//! Logging in and out, sessions, anti-forgery tokens and the slowing of failed log-ins, on
//! every backend.

use axum::http::StatusCode;

mod common;
use axum::body::Body;
use axum::http::{Request, header};
use common::{App, apps, get, post, send};

const PASSWORD: &str = "ett långt lösenord";

async fn with_account(app: &App, email: &str) {
    let hash = rodtrad_auth::hash_password(PASSWORD).expect("hash");
    app.state
        .store()
        .create_account(
            email,
            Some("Anna Andersson"),
            &hash,
            false,
            &rodtrad_store::Actor::command_line(),
            0,
        )
        .await
        .expect("account");
}

/// The log-in form's anti-forgery token, as its cookie and its field.
async fn login_form(app: &App) -> String {
    let form = get(app, "/login", "").await;
    assert_eq!(form.status, StatusCode::OK);
    let token = form.cookie("rodtrad_csrf").expect("an anti-forgery cookie");
    assert!(
        form.body
            .contains(&format!("name=\"csrf\" value=\"{token}\""))
    );
    token
}

#[tokio::test]
async fn logging_in_and_out() {
    for app in apps("login").await {
        with_account(&app, "anna@region.se").await;
        let csrf = login_form(&app).await;
        let cookie = format!("rodtrad_csrf={csrf}");

        // A wrong password: said, the address kept, no session.
        let wrong = post(
            &app,
            "/login",
            &cookie,
            &[
                ("csrf", &csrf),
                ("email", "anna@region.se"),
                ("password", "fel lösenord här"),
                ("next", "/"),
            ],
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(
            wrong
                .body
                .contains("E-postadressen eller lösenordet stämmer inte")
        );
        assert!(
            wrong.body.contains("value=\"anna@region.se\""),
            "what was typed is kept"
        );
        assert!(wrong.cookie("rodtrad_session").is_none());

        // An empty field is pointed out next to the field.
        let empty = post(
            &app,
            "/login?lang=en",
            &cookie,
            &[("csrf", &csrf), ("email", ""), ("password", "")],
        )
        .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty
                .body
                .contains("id=\"login-email-error\">Fill in your e-mail address.")
        );
        assert!(
            empty
                .body
                .contains("aria-invalid=\"true\" aria-describedby=\"login-password-error\"")
        );

        // The right one, in another case of the address: a session in a protected cookie.
        let ok = post(
            &app,
            "/login",
            &cookie,
            &[
                ("csrf", &csrf),
                ("email", "Anna@Region.se"),
                ("password", PASSWORD),
                ("next", "/overlap"),
            ],
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(ok.headers[header::LOCATION], "/overlap");
        let set = ok.set_cookie("rodtrad_session");
        for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
            assert!(set.contains(attribute), "{attribute} in {set}");
        }
        let session = format!(
            "rodtrad_session={}",
            ok.cookie("rodtrad_session").expect("session")
        );

        // Signed in: the header says so, and the page is not kept for others.
        let kept = app.state.cached_pages();
        let home = get(&app, "/", &session).await;
        assert!(
            home.body
                .contains("Inloggad som <strong>Anna Andersson</strong>")
        );
        assert_eq!(
            app.state.cached_pages(),
            kept,
            "a signed-in page is not kept"
        );
        let anonymous = get(&app, "/", "").await;
        assert!(
            anonymous.body.contains(">Logga in</a>") && !anonymous.body.contains("Inloggad som")
        );

        // Logging out needs the session's own token; then the cookie opens nothing.
        let session_csrf = home
            .body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the log-out form's token")
            .to_owned();
        assert_ne!(session_csrf, csrf, "a session gets a token of its own");
        let forged = post(&app, "/logout", &session, &[("csrf", &csrf)]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let out = post(&app, "/logout", &session, &[("csrf", &session_csrf)]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        let after = get(&app, "/", &session).await;
        assert!(
            !after.body.contains("Inloggad som"),
            "the session is gone from the database"
        );
    }
}

#[tokio::test]
async fn a_form_without_the_anti_forgery_token_is_refused() {
    for app in apps("csrf").await {
        with_account(&app, "anna@region.se").await;
        let csrf = login_form(&app).await;
        let login = [("email", "anna@region.se"), ("password", PASSWORD)];
        for (cookie, form) in [
            (String::new(), vec![("csrf", csrf.as_str())]),
            (format!("rodtrad_csrf={csrf}"), vec![]),
            (
                format!("rodtrad_csrf={csrf}"),
                vec![("csrf", "något annat")],
            ),
            (String::new(), vec![("csrf", "")]),
        ] {
            let mut fields = form.clone();
            fields.extend_from_slice(&login);
            let answer = post(&app, "/login", &cookie, &fields).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{cookie} {form:?}");
            assert!(answer.body.contains("Inte tillåtet"));
            assert!(answer.cookie("rodtrad_session").is_none());
        }
        // A form posted from another site is refused even with the token.
        let body = serde_urlencoded::to_string([
            ("csrf", csrf.as_str()),
            ("email", "anna@region.se"),
            ("password", PASSWORD),
        ])
        .expect("form");
        let cross = send(
            &app,
            Request::post("/login")
                .header(header::HOST, "rodtrad.example")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::COOKIE, format!("rodtrad_csrf={csrf}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn repeated_failed_logins_are_slowed_down() {
    for app in apps("throttle").await {
        with_account(&app, "bo@kommun.se").await;
        let csrf = login_form(&app).await;
        let cookie = format!("rodtrad_csrf={csrf}");
        let attempt = |password: &'static str| {
            let cookie = cookie.clone();
            let csrf = csrf.clone();
            let app = &app;
            async move {
                post(
                    app,
                    "/login",
                    &cookie,
                    &[
                        ("csrf", &csrf),
                        ("email", "bo@kommun.se"),
                        ("password", password),
                    ],
                )
                .await
            }
        };
        for _ in 0..rodtrad_auth::FREE_ATTEMPTS {
            assert_eq!(
                attempt("inte rätt lösenord").await.status,
                StatusCode::UNAUTHORIZED
            );
        }
        // Now even the right password must wait, and the page says for how long.
        let slowed = attempt(PASSWORD).await;
        assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(slowed.body.contains("Försök igen om"), "{}", slowed.body);
        assert!(slowed.cookie("rodtrad_session").is_none());
        // An address without an account is slowed the same way: nothing tells them apart.
        for _ in 0..rodtrad_auth::FREE_ATTEMPTS {
            let a = post(
                &app,
                "/login",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("email", "ingen@kommun.se"),
                    ("password", "x"),
                ],
            )
            .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        }
        let none = post(
            &app,
            "/login",
            &cookie,
            &[
                ("csrf", &csrf),
                ("email", "ingen@kommun.se"),
                ("password", "x"),
            ],
        )
        .await;
        assert_eq!(none.status, StatusCode::TOO_MANY_REQUESTS);
    }
}
