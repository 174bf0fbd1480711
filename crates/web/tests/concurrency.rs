//! Many people saving at once, on two servers sharing one database: nothing is lost, nothing
//! answers with a server error, and no form shows values older than the revision it carries.
//!
//! The story of issue 9, as a test: in every round two editors save two different activities
//! at the same moment, while a third saves one of the same activities, changing only another
//! field. Exactly one of the two saves of the same activity wins; the other gets the conflict
//! page with what was typed kept; the save of the other activity always succeeds; and the
//! database then holds exactly what the winners saved.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use rodtrad_store::Store;
use rodtrad_web::{AppState, router};
use tower::ServiceExt;

mod common;
use common::{Person, app_at, form_fields, person, postgres_url};

/// Rounds per database; `RODTRAD_TEST_ROUNDS` sets another number.
fn rounds() -> usize {
    std::env::var("RODTRAD_TEST_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500)
}

async fn answer(state: &AppState, req: Request<Body>) -> (StatusCode, String) {
    let res = router(state.clone()).oneshot(req).await.expect("response");
    let status = res.status();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn form(state: &AppState, who: &Person, path: &str) -> Vec<(String, String)> {
    let req = Request::get(path)
        .header(header::COOKIE, &who.cookie)
        .body(Body::empty())
        .expect("request");
    let (status, body) = answer(state, req).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    form_fields(&body)
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for (n, v) in fields.iter_mut() {
        if n == name {
            value.clone_into(v);
        }
    }
}

async fn save(
    state: AppState,
    who: Person,
    path: String,
    mut fields: Vec<(String, String)>,
) -> (StatusCode, String) {
    set(&mut fields, "csrf", &who.csrf);
    let body = serde_urlencoded::to_string(&fields).expect("form");
    let req = Request::post(&path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &who.cookie)
        .body(Body::from(body))
        .expect("request");
    answer(&state, req).await
}

/// Two servers on the database at `url`, holding the Örebro data set.
async fn two_servers(url: &str) -> (common::App, AppState) {
    let one = app_at(url).await;
    let two = AppState::load(Store::open(url).await.expect("store"))
        .await
        .expect("load");
    (one, two)
}

struct Stored {
    title: String,
    narrative: Option<String>,
    revision: i64,
}

async fn stored(store: &Store, id: &str) -> Stored {
    let set = store.export().await.expect("export");
    let a = set
        .activities
        .iter()
        .find(|a| a.id.as_str() == id)
        .expect("activity");
    let key = rodtrad_domain::ItemKey::new(rodtrad_domain::ItemKind::Activity, &a.id);
    Stored {
        title: a.title.clone(),
        narrative: a.narrative.clone(),
        revision: store.revision(&key).await.expect("revision"),
    }
}

async fn story(url: &str) {
    let (app, two) = two_servers(url).await;
    let one = app.state.clone();
    let anna = person(&app, "a@x.se", true, &[]).await;
    let bo = person(&app, "b@x.se", true, &[]).await;
    let cecilia = person(&app, "c@x.se", true, &[]).await;
    let (first, second) = ("brukarinflytandesamordnare-bisam", "narvaroteam");
    let (px, py) = (
        format!("/edit/activity/{first}"),
        format!("/edit/activity/{second}"),
    );
    let store = one.store().clone();
    let (mut errors, mut lost, mut stale_forms) = (0, 0, 0);
    for round in 0..rounds() {
        let before = stored(&store, first).await;
        let mut fa = form(&one, &anna, &px).await;
        let mut fb = form(&two, &bo, &py).await;
        let mut fc = form(&two, &cecilia, &px).await;
        let (ta, tb, nc) = (
            format!("A {round}"),
            format!("B {round}"),
            format!("C {round}"),
        );
        set(&mut fa, "title", &ta);
        set(&mut fb, "title", &tb);
        set(&mut fc, "narrative", &nc);
        let ja = tokio::spawn(save(one.clone(), anna.clone(), px.clone(), fa));
        let jb = tokio::spawn(save(two.clone(), bo.clone(), py.clone(), fb));
        let jc = tokio::spawn(save(two.clone(), cecilia.clone(), px.clone(), fc));
        let (ra, rb, rc) = (
            ja.await.expect("a"),
            jb.await.expect("b"),
            jc.await.expect("c"),
        );
        for (who, (status, body)) in [("a", &ra), ("b", &rb), ("c", &rc)] {
            if status.is_server_error() {
                errors += 1;
                eprintln!("round {round}: {who} got {status}: {body}");
            }
        }
        assert_eq!(
            rb.0,
            StatusCode::SEE_OTHER,
            "round {round}: b, a different item"
        );
        let won = |r: &(StatusCode, String)| r.0 == StatusCode::SEE_OTHER;
        assert!(
            won(&ra) != won(&rc),
            "round {round}: exactly one of two saves of one item wins: {:?} {:?}",
            ra.0,
            rc.0
        );
        let (loser, typed) = if won(&ra) { (&rc, &nc) } else { (&ra, &ta) };
        assert_eq!(loser.0, StatusCode::CONFLICT, "round {round}");
        assert!(
            loser.1.contains(typed.as_str()),
            "round {round}: typing kept"
        );

        let now = stored(&store, first).await;
        let (title, narrative) = if won(&ra) {
            (ta.clone(), before.narrative.clone())
        } else {
            (before.title.clone(), Some(nc.clone()))
        };
        if now.title != title || now.narrative != narrative {
            lost += 1;
            eprintln!(
                "round {round}: stored {:?}/{:?}, saved {title:?}/{narrative:?}",
                now.title, now.narrative
            );
        }
        if stored(&store, second).await.title != tb {
            lost += 1;
        }
        // Whoever opens the form next, on either server, sees what is stored and its revision.
        for server in [&one, &two] {
            let shown = form(server, &cecilia, &px).await;
            let value = |n: &str| shown.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
            if value("title").as_deref() != Some(now.title.as_str())
                || value("revision") != Some(now.revision.to_string())
            {
                stale_forms += 1;
            }
        }
    }
    assert_eq!(
        (errors, lost, stale_forms),
        (0, 0, 0),
        "server errors, lost updates, stale forms"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_on_two_servers_lose_nothing_and_never_fail_on_sqlite() {
    let dir = tempfile::tempdir().expect("tmp");
    story(&format!("sqlite:{}", dir.path().join("web.db").display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_on_two_servers_lose_nothing_and_never_fail_on_postgres() {
    if let Some(url) = postgres_url("concurrency").await {
        story(&url).await;
    }
}

/// A save on one server is on the other's pages within a second, without a request to it that
/// could bring it up to date: its own watch does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_on_one_server_is_seen_by_the_other_within_a_second() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut urls = vec![format!("sqlite:{}", dir.path().join("web.db").display())];
    urls.extend(postgres_url("coherence").await);
    for url in urls {
        let (app, two) = two_servers(&url).await;
        let watching = tokio::spawn(rodtrad_web::watch(two.clone()));
        let admin = person(&app, "admin@x.se", true, &[]).await;
        let path = "/edit/activity/narvaroteam";
        let mut fields = form(&app.state, &admin, path).await;
        set(&mut fields, "title", "Sparad på den första servern");
        let (status, body) = save(app.state.clone(), admin, path.to_owned(), fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let saved = std::time::Instant::now();
        let page = loop {
            let req = Request::get("/activities/narvaroteam")
                .body(Body::empty())
                .expect("request");
            let (_, page) = answer(&two, req).await;
            if page.contains("Sparad på den första servern")
                || saved.elapsed() > std::time::Duration::from_secs(2)
            {
                break page;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert!(
            page.contains("Sparad på den första servern"),
            "{url}: not seen after 2 s"
        );
        assert!(
            saved.elapsed() < std::time::Duration::from_secs(1),
            "{url}: seen after {:?}",
            saved.elapsed()
        );
        watching.abort();
    }
}

/// Saves of many different activities at the very same moment, half on each server: all of them
/// are saved, none answers with a server error (SQLite waits for its lock).
async fn burst(url: &str) {
    let (app, two) = two_servers(url).await;
    let one = app.state.clone();
    let admin = person(&app, "burst@x.se", true, &[]).await;
    let ids: Vec<String> = one
        .working()
        .set
        .activities
        .iter()
        .map(|a| a.id.to_string())
        .collect();
    let mut saves = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let server = if i % 2 == 0 { one.clone() } else { two.clone() };
        let path = format!("/edit/activity/{id}");
        let mut fields = form(&server, &admin, &path).await;
        set(&mut fields, "title", &format!("Samtidigt {i}"));
        saves.push(tokio::spawn(save(server, admin.clone(), path, fields)));
    }
    for (i, s) in saves.into_iter().enumerate() {
        let (status, body) = s.await.expect("save");
        assert_eq!(status, StatusCode::SEE_OTHER, "{url}: save {i}: {body}");
    }
    let set = one.store().export().await.expect("export");
    for (i, id) in ids.iter().enumerate() {
        let a = set
            .activities
            .iter()
            .find(|a| a.id.as_str() == id)
            .expect("activity");
        assert_eq!(a.title, format!("Samtidigt {i}"), "{url}: {id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saves_of_every_activity_at_once_on_two_servers_all_succeed() {
    let dir = tempfile::tempdir().expect("tmp");
    burst(&format!("sqlite:{}", dir.path().join("web.db").display())).await;
    if let Some(url) = postgres_url("burst").await {
        burst(&url).await;
    }
}
