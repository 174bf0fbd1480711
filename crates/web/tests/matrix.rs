//! Who may reach what: every route that edits, administers or shows the record, asked by every
//! kind of person, visitors included, on every backend. Allowed means the request got past the
//! gate (a form, a refused value, a stale revision: none of them writes); refused means a 403,
//! or for a visitor the way to the log-in.

use axum::http::StatusCode;
use rodtrad_domain::Role;

mod common;
use common::{App, Person, apps, get, person, post, submit};

const PLAN: &str = "psykisk-halsa-2020";
const GOAL: &str = "hallbara-stod-till-dom-som-behover";
const ACTIVITY: &str = "brukarinflytandesamordnare-bisam";
const ORG: &str = "psykiatrin";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Visitor,
    Reader,
    Contributor,
    Owner,
    OtherOwner,
    Admin,
}

use Who::{Admin, Contributor, OtherOwner, Owner, Reader, Visitor};

/// Anyone signed in.
const SIGNED_IN: &[Who] = &[Reader, Contributor, Owner, OtherOwner, Admin];
const EVERYONE: &[Who] = &[Visitor, Reader, Contributor, Owner, OtherOwner, Admin];

async fn people(app: &App) -> Vec<(Who, Person)> {
    vec![
        (Visitor, Person::visitor()),
        (
            Reader,
            person(app, "reader@x.se", false, &[(Role::Reader, PLAN)]).await,
        ),
        (
            Contributor,
            person(app, "contributor@x.se", false, &[(Role::Contributor, ORG)]).await,
        ),
        (
            Owner,
            person(app, "owner@x.se", false, &[(Role::PlanOwner, PLAN)]).await,
        ),
        (
            OtherOwner,
            person(
                app,
                "other@x.se",
                false,
                &[(Role::PlanOwner, "social-valfard-2019-2022")],
            )
            .await,
        ),
        (Admin, person(app, "admin@x.se", true, &[]).await),
    ]
}

/// A draft is not shown to those without a role on its plan: for them it does not exist.
fn refused(status: StatusCode, body: &str, location: Option<&str>) -> bool {
    status == StatusCode::FORBIDDEN
        || status == StatusCode::NOT_FOUND
        || (status == StatusCode::SEE_OTHER && location.is_some_and(|l| l.starts_with("/login")))
        || (status == StatusCode::UNAUTHORIZED && body.contains("login"))
}

/// (path, who may) for the pages.
fn pages(account: i64) -> Vec<(String, &'static [Who])> {
    let mut v: Vec<(String, &'static [Who])> = vec![
        (format!("/edit/activity/{ACTIVITY}"), &[Contributor, Admin]),
        ("/new/activity".into(), &[Contributor, Admin]),
        (
            format!("/remove/activity/{ACTIVITY}"),
            &[Contributor, Admin],
        ),
        (format!("/edit/organisation/{ORG}"), &[Admin]),
        ("/new/organisation".into(), &[Admin]),
        (format!("/remove/organisation/{ORG}"), &[Admin]),
        ("/edit/perspective/jamstalldhet".into(), &[Admin]),
        ("/new/perspective".into(), &[Admin]),
        ("/remove/perspective/jamstalldhet".into(), &[Admin]),
        ("/edit/strategy/rus-2018-2030".into(), &[Admin]),
        ("/new/plan".into(), &[Admin]),
        (format!("/edit/plan/{PLAN}"), &[Owner, Admin]),
        (format!("/remove/plan/{PLAN}"), &[Owner, Admin]),
        (format!("/new/plan/{PLAN}/goal"), &[Owner, Admin]),
        (format!("/edit/plan/{PLAN}/goal/{GOAL}"), &[Owner, Admin]),
        (format!("/remove/plan/{PLAN}/goal/{GOAL}"), &[Owner, Admin]),
        (format!("/new/plan/{PLAN}/risk"), &[Owner, Admin]),
        (format!("/new/plan/{PLAN}/direction"), &[Owner, Admin]),
        ("/new/strategy/rus-2018-2030/area".into(), &[Admin]),
        ("/new/strategy/rus-2018-2030/goal".into(), &[Admin]),
        ("/edit/follow_up/uppfoljning-2021".into(), &[Admin]),
        ("/new/follow_up".into(), &[Owner, OtherOwner, Admin]),
        ("/rounds".into(), EVERYONE),
        (format!("/plans/{PLAN}/proposals"), &[Owner, Admin]),
        ("/rounds/compare".into(), EVERYONE),
        // A published round and its reports are for anyone to read.
        ("/rounds/uppfoljning-2021".into(), EVERYONE),
        ("/rounds/uppfoljning-2021/reports.csv".into(), EVERYONE),
        (
            format!("/rounds/uppfoljning-2021/reports/{ACTIVITY}"),
            EVERYONE,
        ),
        ("/follow-ups/uppfoljning-2021".into(), EVERYONE),
        ("/my".into(), SIGNED_IN),
        ("/admin/accounts".into(), &[Admin]),
        (format!("/admin/accounts/{account}"), &[Admin]),
        (format!("/history/plan/{PLAN}"), &[Reader, Owner, Admin]),
        (format!("/history/activity/{ACTIVITY}"), SIGNED_IN),
        // The account is the reader's own: they may see what they changed, and its record.
        (format!("/accounts/{account}/history"), &[Reader, Admin]),
        (format!("/history/account/{account}"), &[Reader, Admin]),
        ("/account".into(), SIGNED_IN),
        (format!("/plans/{PLAN}"), EVERYONE),
        (format!("/plans/{PLAN}/versions"), EVERYONE),
        (format!("/plans/{PLAN}/versions/1"), EVERYONE),
        (
            format!("/plans/{PLAN}/versions?from=1&to=draft"),
            &[Reader, Owner, Admin],
        ),
    ];
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// (path, form, who may) for the forms; each is built so that an allowed request stops
/// before writing (a missing value, a stale revision, an unknown action).
/// A form: its path, its fields, who may send it.
type Case = (String, Vec<(&'static str, &'static str)>, &'static [Who]);

#[expect(clippy::too_many_lines, reason = "one case per route, in one list")]
fn forms(account: i64) -> Vec<Case> {
    let empty = vec![("revision", "0")];
    let stale = vec![("revision", "-1")];
    vec![
        (
            format!("/edit/activity/{ACTIVITY}"),
            empty.clone(),
            &[Contributor, Admin],
        ),
        ("/new/activity".into(), empty.clone(), &[Contributor, Admin]),
        // The activity serves goals of plans the contributor does not keep.
        (
            format!("/remove/activity/{ACTIVITY}"),
            stale.clone(),
            &[Admin],
        ),
        (format!("/edit/organisation/{ORG}"), empty.clone(), &[Admin]),
        ("/new/organisation".into(), empty.clone(), &[Admin]),
        (
            format!("/remove/organisation/{ORG}"),
            stale.clone(),
            &[Admin],
        ),
        (
            "/edit/perspective/jamstalldhet".into(),
            empty.clone(),
            &[Admin],
        ),
        ("/new/perspective".into(), empty.clone(), &[Admin]),
        (
            "/remove/perspective/jamstalldhet".into(),
            stale.clone(),
            &[Admin],
        ),
        (
            "/edit/strategy/rus-2018-2030".into(),
            empty.clone(),
            &[Admin],
        ),
        ("/new/plan".into(), empty.clone(), &[Admin]),
        (format!("/edit/plan/{PLAN}"), empty.clone(), &[Owner, Admin]),
        (
            format!("/remove/plan/{PLAN}"),
            stale.clone(),
            &[Owner, Admin],
        ),
        (
            format!("/new/plan/{PLAN}/goal"),
            empty.clone(),
            &[Owner, Admin],
        ),
        (
            format!("/edit/plan/{PLAN}/goal/{GOAL}"),
            empty.clone(),
            &[Owner, Admin],
        ),
        (
            format!("/remove/plan/{PLAN}/goal/{GOAL}"),
            stale.clone(),
            &[Owner, Admin],
        ),
        (
            format!("/new/plan/{PLAN}/risk"),
            empty.clone(),
            &[Owner, Admin],
        ),
        (
            format!("/new/plan/{PLAN}/direction"),
            empty.clone(),
            &[Owner, Admin],
        ),
        (
            "/new/strategy/rus-2018-2030/area".into(),
            empty.clone(),
            &[Admin],
        ),
        (
            "/new/strategy/rus-2018-2030/goal".into(),
            empty.clone(),
            &[Admin],
        ),
        (
            format!("/plans/{PLAN}/publish"),
            stale.clone(),
            &[Owner, Admin],
        ),
        (
            format!("/plans/{PLAN}/decide"),
            empty.clone(),
            &[Owner, Admin],
        ),
        // The round's owner keeps its structure: only an administrator here. A published
        // round refuses every step (409), which writes nothing.
        (
            "/rounds/uppfoljning-2021/state".into(),
            vec![("to", "open"), ("revision", "-1")],
            &[Admin],
        ),
        // The lead's contributor writes, a plan's owner reviews; the round is published, so
        // whoever may is refused with the reason (409), and nothing is written.
        (
            format!("/rounds/uppfoljning-2021/reports/{ACTIVITY}"),
            vec![("step", "save"), ("revision", "-1")],
            &[Contributor, Admin],
        ),
        (
            format!("/rounds/uppfoljning-2021/reports/{ACTIVITY}"),
            vec![("step", "approve"), ("revision", "-1")],
            &[Owner, Admin],
        ),
        // No such proposal: whoever may answer is told so (409), and nothing is written.
        (
            format!("/plans/{PLAN}/proposals"),
            vec![
                ("activity", ACTIVITY),
                ("node", GOAL),
                ("answer", "accept"),
                ("revision", "-1"),
            ],
            &[Owner, Admin],
        ),
        ("/admin/accounts".into(), empty.clone(), &[Admin]),
        (
            format!("/admin/accounts/{account}"),
            vec![("do", "nothing")],
            &[Admin],
        ),
        ("/account".into(), vec![("do", "nothing")], SIGNED_IN),
    ]
}

#[tokio::test]
async fn every_route_for_every_role() {
    for app in apps("matrix").await {
        let people = people(&app).await;
        let account = people[1].1.id;
        let before = app.state.store().export().await.expect("export");
        let record = app.state.store().all_changes().await.expect("record").len();
        let mut wrong = Vec::new();
        for (path, may) in pages(account) {
            for (who, p) in &people {
                let a = get(&app, &path, &p.cookie).await;
                let location = a.headers.get("location").and_then(|l| l.to_str().ok());
                let allowed = a.status == StatusCode::OK;
                let was_refused = refused(a.status, &a.body, location);
                let expected = may.contains(who);
                if !(if expected { allowed } else { was_refused }) {
                    wrong.push(format!("GET {path} as {who:?}: {}", a.status));
                }
            }
        }
        for (path, form, may) in forms(account) {
            for (who, p) in &people {
                let a = submit(&app, p, &path, &form).await;
                let location = a.headers.get("location").and_then(|l| l.to_str().ok());
                let was_refused = refused(a.status, &a.body, location);
                let expected = may.contains(who);
                let passed = !was_refused;
                if !(if expected {
                    passed && a.status != StatusCode::SEE_OTHER
                } else {
                    was_refused
                }) {
                    wrong.push(format!("POST {path} as {who:?}: {}", a.status));
                }
            }
            // Without the anti-forgery token, not even an administrator gets through.
            let admin = &people[5].1;
            let mut no_token = form.clone();
            no_token.retain(|(k, _)| *k != "csrf");
            let a = post(&app, &path, &admin.cookie, &no_token).await;
            if a.status != StatusCode::FORBIDDEN {
                wrong.push(format!("POST {path} without the token: {}", a.status));
            }
        }
        // Addresses that name nothing are the site's own 404, whoever asks.
        for path in [
            format!("/plans/{PLAN}/versions/x"),
            format!("/plans/{PLAN}/versions/99"),
            "/admin/accounts/x".to_owned(),
            "/admin/accounts/999".to_owned(),
            "/accounts/x/history".to_owned(),
            "/history/nothing/x".to_owned(),
            "/edit/activity/finns-inte".to_owned(),
            "/edit/plan/finns-inte/goal/x".to_owned(),
        ] {
            let a = get(&app, &path, &people[5].1.cookie).await;
            if a.status != StatusCode::NOT_FOUND || !a.body.contains("<html") {
                wrong.push(format!("GET {path}: {}", a.status));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert_eq!(
            app.state.store().export().await.expect("export"),
            before,
            "nothing written"
        );
        // The accounts made for the test are on record; nothing else is.
        let after = app.state.store().all_changes().await.expect("record");
        assert!(
            after[record..]
                .iter()
                .all(|c| c.item.kind == rodtrad_domain::ItemKind::Account),
            "{:?}",
            &after[record..]
        );
    }
}
