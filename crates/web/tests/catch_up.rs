//! A server brought up to date from what was written since (item by item, not by reading the
//! whole database again) holds exactly what a server that reads everything would: the same
//! working data, the same public data, the same revisions and the same pages.

use axum::http::StatusCode;
use rodtrad_domain::Role;
use rodtrad_store::Store;
use rodtrad_web::AppState;

mod common;
use common::{App, apps, get, person, resend, submit};

const PLAN: &str = "psykisk-halsa-2020";

/// `other`, brought up to date item by item, against a server that reads everything anew.
async fn same_as_fresh(other: &AppState, store: &Store, step: &str) {
    other.catch_up().await.expect("catch up");
    let fresh = AppState::load(store.clone()).await.expect("load");
    assert_eq!(other.version(), fresh.version(), "{step}: version");
    assert_eq!(
        other.working().set,
        fresh.working().set,
        "{step}: working data"
    );
    assert_eq!(other.model().set, fresh.model().set, "{step}: public data");
    let (mine, theirs) = (other.working(), fresh.working());
    let mut mine: Vec<_> = mine.all_revisions().collect();
    let mut theirs: Vec<_> = theirs.all_revisions().collect();
    mine.sort();
    theirs.sort();
    assert_eq!(mine, theirs, "{step}: revisions");
    let pages = [
        "/".to_owned(),
        format!("/plans/{PLAN}"),
        "/activities".to_owned(),
        "/overlap".to_owned(),
        "/follow-ups/uppfoljning-2021".to_owned(),
        "/organisations/region-orebro-lan".to_owned(),
    ];
    for path in pages {
        let a = common::get(&wrap(other), &path, "").await;
        let b = common::get(&wrap(&fresh), &path, "").await;
        assert_eq!(a.status, b.status, "{step}: {path}");
        assert_eq!(a.body, b.body, "{step}: {path}");
    }
}

fn wrap(state: &AppState) -> App {
    App {
        _dir: tempfile::tempdir().expect("tmp"),
        state: state.clone(),
        url: String::new(),
    }
}

#[tokio::test]
async fn a_server_brought_up_to_date_item_by_item_holds_what_a_fresh_one_reads() {
    for app in apps("catch_up").await {
        let store = Store::open(&app.url).await.expect("store");
        let other = AppState::load(store.clone()).await.expect("load");
        let admin = person(&app, "admin@x.se", true, &[]).await;
        let owner = person(&app, "owner@x.se", false, &[(Role::PlanOwner, PLAN)]).await;
        same_as_fresh(&other, &store, "accounts made").await;

        let saved = resend(
            &app,
            &admin,
            "/edit/activity/narvaroteam",
            &[("title", "Närvaroteam, ändrat")],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        same_as_fresh(&other, &store, "an activity changed").await;

        let goal = app
            .state
            .working()
            .plan(PLAN)
            .expect("plan")
            .nodes
            .last()
            .map(|n| n.id.to_string())
            .expect("a goal");
        let made = resend(
            &app,
            &admin,
            "/new/activity",
            &[
                ("id", "ny-aktivitet"),
                ("title", "Ny aktivitet"),
                ("lead", "region-orebro-lan"),
                ("serves", &format!("{PLAN}/{goal}")),
            ],
        )
        .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        same_as_fresh(&other, &store, "an activity made").await;

        let path = format!("/edit/plan/{PLAN}/goal/{goal}");
        let changed = resend(&app, &owner, &path, &[("title", "Ett nytt namn på målet")]).await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        same_as_fresh(&other, &store, "a goal of a draft changed").await;

        let versions = get(&app, &format!("/plans/{PLAN}/versions"), &owner.cookie).await;
        let revision = common::field_value(&versions.body, "revision").expect("revision");
        let published = submit(
            &app,
            &owner,
            &format!("/plans/{PLAN}/publish"),
            &[("revision", &revision)],
        )
        .await;
        assert_eq!(
            published.status,
            StatusCode::SEE_OTHER,
            "{}",
            published.body
        );
        same_as_fresh(&other, &store, "the plan published").await;

        let org = resend(
            &app,
            &admin,
            "/edit/organisation/region-orebro-lan",
            &[("name", "Region Örebro län (ändrad)")],
        )
        .await;
        assert_eq!(org.status, StatusCode::SEE_OTHER, "{}", org.body);
        same_as_fresh(&other, &store, "an organisation changed").await;

        reports_saved_at_once(&app, &admin, &other, &store).await;

        let ask = get(&app, "/remove/activity/ny-aktivitet", &admin.cookie).await;
        let revision = common::field_value(&ask.body, "revision").expect("revision");
        let removed = submit(
            &app,
            &admin,
            "/remove/activity/ny-aktivitet",
            &[("revision", &revision)],
        )
        .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
        same_as_fresh(&other, &store, "an activity removed").await;

        let path = format!("/remove/plan/{PLAN}/goal/{goal}");
        let ask = get(&app, &path, &owner.cookie).await;
        let revision = common::field_value(&ask.body, "revision").expect("revision");
        let removed = submit(&app, &owner, &path, &[("revision", &revision)]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
        same_as_fresh(&other, &store, "a goal removed, its activities loosened").await;
        assert_eq!(other.whole_reads(), 1, "all of it item by item");

        // And what the command line imports is read whole.
        let mut set = store.export().await.expect("export");
        set.name = "Ändrat namn".into();
        store
            .import(&set, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("import");
        same_as_fresh(&other, &store, "an import").await;
        assert_eq!(other.whole_reads(), 2, "an import read whole");
        assert_eq!(other.working().set.name, "Ändrat namn");
    }
}

/// Reports saved at once, written together: new ones among them listed in the order a server
/// reading everything lists them, and visitors' kept pages left as they were.
async fn reports_saved_at_once(app: &App, admin: &common::Person, other: &AppState, store: &Store) {
    // Reports saved at once, written together, and new ones among them listed in the
    // order a server reading everything lists them.
    let made = resend(
        app,
        admin,
        "/new/follow_up",
        &[
            ("id", "omgang-2025"),
            ("title", "Omgång 2025"),
            ("structure", "gemensamma-insatsomraden-2021"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = get(app, "/rounds/omgang-2025", &admin.cookie).await;
    let revision = common::field_value(&page.body, "revision").expect("revision");
    let opened = submit(
        app,
        admin,
        "/rounds/omgang-2025/state",
        &[("to", "open"), ("revision", &revision)],
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    same_as_fresh(other, store, "a round opened").await;
    let kept = other.cached_pages();
    assert!(kept > 0, "visitors' pages kept");
    let working = app.state.working();
    let round = working.round("omgang-2025").expect("round");
    let asked: Vec<String> = working
        .round_activities(round)
        .into_iter()
        .rev()
        .take(12)
        .map(|i| working.set.activities[i].id.to_string())
        .collect();
    let mut tasks = Vec::new();
    for (n, id) in asked.iter().enumerate() {
        let (app, admin) = (wrap(&app.state), admin.clone());
        let path = format!("/rounds/omgang-2025/reports/{id}");
        let done = format!("Rapport {n}");
        tasks.push(tokio::spawn(async move {
            let form = [
                ("step", "save"),
                ("revision", "0"),
                ("status", "ongoing"),
                ("done", done.as_str()),
            ];
            submit(&app, &admin, &path, &form).await.status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("save"), StatusCode::SEE_OTHER);
    }
    other.catch_up().await.expect("catch up");
    assert_eq!(
        other.cached_pages(),
        kept,
        "the reports of a round not published leave visitors' pages as they were"
    );
    same_as_fresh(other, store, "reports saved at once").await;
}
