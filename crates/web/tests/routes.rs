//! Every route in-process: its status and the facts it must show.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use rodtrad_store::Store;
use rodtrad_web::{AppState, router};

mod common;
use common::{App, app, postgres_url};
use tower::ServiceExt;

async fn get(app: &App, uri: &str, accept_language: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::get(uri);
    if let Some(al) = accept_language {
        req = req.header("accept-language", al);
    }
    let res = router(app.state.clone())
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8(body.to_vec()).expect("utf-8"))
}

#[tokio::test]
async fn the_strategy_page_shows_the_top_of_the_red_thread() {
    let app = app().await;
    let (status, html) = get(&app, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(
        html.contains("Örebroregionen – Sveriges hjärta"),
        "the vision"
    );
    for fact in [
        "Stark konkurrenskraft",
        "Hög och jämlik livskvalitet",
        "God resurseffektivitet",
        "Goda uppväxtvillkor",
        "Hälsofrämjande arbete och hälso- och sjukvård",
        "Handlingsplan Social välfärd",
        "Övergripande mål",
    ] {
        assert!(html.contains(fact), "{fact}");
    }
}

#[tokio::test]
async fn english_by_query_or_browser_and_swedish_by_default() {
    let app = app().await;
    let (_, en) = get(&app, "/?lang=en", None).await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Overarching goals"));
    assert!(en.contains("href=\"/?lang=sv\""), "the switch back");
    let (_, browser) = get(&app, "/", Some("en-GB,en;q=0.9")).await;
    assert!(browser.contains("Overarching goals"));
    let (_, sv) = get(&app, "/", Some("de")).await;
    assert!(sv.contains("Övergripande mål") && sv.contains("href=\"/?lang=en\""));
}

#[tokio::test]
async fn an_unknown_address_gives_a_404_page_in_the_users_language() {
    let app = app().await;
    let (status, html) = get(&app, "/finns/inte", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Sidan finns inte"));
    let (status, html) = get(&app, "/finns/inte?lang=en", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn healthz_answers_when_the_database_answers() {
    let app = app().await;
    let (status, _) = get(&app, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_plan_shows_its_decision_its_tree_in_its_own_level_names_and_the_activities() {
    let app = app().await;
    let (status, html) = get(&app, "/plans/sammanhallen-vard-och-omsorg-2019-2022", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Hälso- och sjukvårdsnämnden") && html.contains("2019-12-04"),
        "the decision"
    );
    assert!(
        html.contains("Delmål 1:") && html.contains("Insatsområde:"),
        "level names from the data"
    );
    assert!(html.contains("Risker"));
    let (_, social) = get(&app, "/plans/social-valfard-2019-2022", None).await;
    assert!(social.contains("Sårbara barn får det stöd de behöver"));
    assert!(social.contains("Regionala tillväxtnämnden"));
    let (_, joint) = get(&app, "/plans/gemensamma-insatsomraden-2021", None).await;
    assert!(
        joint.contains("href=\"/activities/cross\""),
        "activities under their goals"
    );
    let (status, _) = get(&app, "/plans/finns-inte", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_activity_shows_its_red_thread_through_every_plan_it_serves() {
    let app = app().await;
    let (status, html) = get(&app, "/activities/cross", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>CROSS</h1>"));
    assert!(html.contains("Möckelnföreningarna"), "its partner");
    assert!(html.contains("Den röda tråden"));
    assert!(
        html.contains("/plans/psykisk-halsa-2020")
            && html.contains("/plans/gemensamma-insatsomraden-2021"),
        "both plans"
    );
    assert!(
        html.contains("Ett mer hälsofrämjande samhälle och levnadssätt"),
        "the goal it serves"
    );
    let (_, en) = get(&app, "/activities/cross?lang=en", None).await;
    assert!(en.contains("The red thread") && en.contains("/plans/psykisk-halsa-2020?lang=en"));
    let (status, _) = get(&app, "/activities/Not%20a%20slug", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_organisation_shows_what_it_leads_and_takes_part_in() {
    let app = app().await;
    let (status, html) = get(&app, "/organisations/mockelnforeningarna", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Deltar i") && html.contains("href=\"/activities/cross\""));
    let (_, orebro) = get(&app, "/organisations/orebro-kommun", None).await;
    assert!(orebro.contains("1880") && orebro.contains("kommun"));
    let (status, _) = get(&app, "/organisations/ingen", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_focus_area_shows_its_timeline_with_a_table_of_the_same_facts_and_its_narrative() {
    let app = app().await;
    let (status, html) = get(
        &app,
        "/plans/gemensamma-insatsomraden-2021/goals/tillgangliga-insatser-for-sarbara-grupper",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<svg role=\"img\""), "the timeline is SVG");
    assert!(
        html.contains("aria-labelledby=\"tl-title-tillgangliga-insatser-for-sarbara-grupper tl-desc-tillgangliga-insatser-for-sarbara-grupper\""),
        "with a text alternative"
    );
    assert!(html.contains("<table"), "the same facts as a table");
    let svg_part = &html
        [html.find("<svg role").expect("svg")..html.find("</svg>\n<figcaption>").expect("end")];
    let table_part = &html[html.find("<table").expect("table")..];
    for title in [
        "GAP-analys beroendevård",
        "Implementera kunskapsbaserade insatser och metoder",
    ] {
        assert!(
            svg_part.contains(title) && table_part.contains(title),
            "{title} in both"
        );
    }
    assert!(table_part.contains("pausad"), "status in words");
    assert!(html.contains("url(#st-paused)"), "status as a pattern");
    assert!(html.contains("Förklaring av mönstren"), "a legend");
    assert!(
        html.contains("Uppföljningens beskrivning") && html.contains("pandemin"),
        "the follow-up's narrative"
    );
    let (status, _) = get(
        &app,
        "/plans/gemensamma-insatsomraden-2021/goals/finns-inte",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The activity titles in a search result table.
fn result_titles(html: &str) -> Vec<String> {
    html.split("<th scope=\"row\"><a href=\"/activities/")
        .skip(1)
        .filter_map(|s| {
            s.split_once("\">")
                .and_then(|(_, rest)| rest.split_once("</a>"))
                .map(|(t, _)| t.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn search_filters_activities_and_the_result_is_a_url() {
    let app = app().await;
    let (status, all) = get(&app, "/activities", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        all.contains("54 aktiviteter"),
        "every activity without filters"
    );
    assert!(all.contains("<label for=\"f-q\">"), "labelled form fields");

    let (_, text) = get(&app, "/activities?q=maria", None).await;
    let titles = result_titles(&text);
    // Titles and narratives are searched: "Samordnad planering" tells of Maria Ungdom.
    for t in [
        "Maria Ungdom länsövergripande",
        "Utveckla Maria ungdom i hela länet",
        "Samordnad planering",
    ] {
        assert!(titles.contains(&t.to_owned()), "{t} in {titles:?}");
    }
    assert!(!titles.contains(&"CROSS".to_owned()));

    let (_, paused) = get(&app, "/activities?status=paused", None).await;
    assert!(
        paused.contains("Våld i nära relation inom äldreområdet") && !paused.contains(">CROSS<")
    );

    let (_, year) = get(&app, "/activities?year=2022", None).await;
    let titles = result_titles(&year);
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Från daglig verksamhet")),
        "{titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t == "Liv & hälsa ung 2021"),
        "ended in 2021"
    );

    let (_, org) = get(&app, "/activities?org=mockelnforeningarna", None).await;
    assert_eq!(result_titles(&org), vec!["CROSS"]);

    let (_, level) = get(&app, "/activities?level=indicated&perspective=", None).await;
    assert!(result_titles(&level).contains(&"Hälso-labb".to_owned()));

    let (_, combined) = get(&app, "/activities?q=maria&status=paused", None).await;
    assert!(combined.contains("0 aktiviteter"));
    let (_, unknown) = get(&app, "/activities?status=pausad", None).await;
    assert!(
        unknown.contains("0 aktiviteter"),
        "an unknown value matches nothing"
    );
    let (_, en) = get(&app, "/activities?q=cross&lang=en", None).await;
    assert!(
        en.contains("1 activity") && en.contains("name=\"lang\" value=\"en\""),
        "the language stays in the URL"
    );
}

#[tokio::test]
async fn the_overlap_shows_activities_serving_several_plans() {
    let app = app().await;
    let (status, html) = get(&app, "/overlap", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Aktiviteter som bidrar till 3 planer")
            || html.contains("Aktiviteter som bidrar till 2 planer")
    );
    assert!(html.contains("<caption>Antal aktiviteter som bidrar till båda planerna"));
    assert!(
        html.contains("Handlingsplan Social välfärd")
            && html.contains("href=\"/activities/cross\"")
    );
    assert!(
        html.contains("<span class=\"sr-only\">bidrar</span>"),
        "marks have words for screen readers"
    );
    // Activities of a single plan are counted, not listed: they are on their plan's page.
    assert!(html.contains("Aktiviteter som bidrar till 1 plan"));
    let model = app.state.model();
    let single = model
        .set
        .activities
        .iter()
        .find(|a| a.serves.iter().all(|g| g.plan == a.serves[0].plan))
        .expect("an activity of one plan");
    assert!(!html.contains(&format!("href=\"/activities/{}\"", single.id)));
}

#[tokio::test]
async fn the_follow_up_report_is_generated_in_the_structure_of_2021() {
    let app = app().await;
    let (status, html) = get(&app, "/follow-ups/uppfoljning-2021", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Uppföljning av handlingsplaner och insatsområden</h1>"));
    assert!(
        html.contains("2021-04-22") && html.contains("Ingmar Ångman"),
        "date and signature"
    );
    assert!(
        html.contains("Inledning") && html.contains("för tidigt att utvärdera"),
        "the introduction"
    );
    // The eight shared focus areas, each a section, in the report's order.
    let sections = html.matches("<section class=\"focus-area\"").count();
    assert_eq!(sections, 8);
    let god = html
        .find("id=\"area-god-och-nara-vard\"")
        .expect("God och nära vård");
    let kompetens = html
        .find("id=\"area-kompetensforsorjning\"")
        .expect("Kompetensförsörjning");
    assert!(god < kompetens);
    assert!(html.matches("<svg role=\"img\"").count() >= 6, "timelines");
    assert!(
        html.contains("ABC Föräldraskapsstödsprogram")
            && html.contains("Länsgemensam familjehemsutbildning")
    );
    assert!(
        html.contains("break-before: page"),
        "a print stylesheet with page breaks"
    );
    let (_, strategy) = get(&app, "/", None).await;
    assert!(
        strategy.contains("href=\"/follow-ups/uppfoljning-2021\""),
        "reachable from /"
    );
    let (status, _) = get(&app, "/follow-ups/1999", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_page_is_the_same_from_postgresql_as_from_sqlite() {
    let Some(url) = postgres_url("pages").await else {
        return;
    };
    let sqlite = app().await;
    let store = Store::open(&url).await.expect("postgres");
    let set =
        rodtrad_format::parse_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro"))
            .expect("data set");
    store
        .import(&set, &rodtrad_store::Actor::command_line(), 0)
        .await
        .expect("import");
    let postgres = App {
        _dir: tempfile::tempdir().expect("tmp"),
        state: AppState::load(store).await.expect("load"),
        url,
    };
    for path in [
        "/",
        "/plans/social-valfard-2019-2022",
        "/plans/gemensamma-insatsomraden-2021/goals/psykisk-halsa",
        "/activities/cross",
        "/organisations/region-orebro-lan",
        "/activities?status=ongoing",
        "/overlap",
        "/follow-ups/uppfoljning-2021?lang=en",
    ] {
        let (a, b) = (
            get(&sqlite, path, None).await,
            get(&postgres, path, None).await,
        );
        assert_eq!(a.0, StatusCode::OK, "{path}");
        assert!(a == b, "{path} differs between SQLite and PostgreSQL");
    }
}

#[tokio::test]
async fn pages_are_kept_until_the_data_changes_and_never_served_stale() {
    let app = app().await;
    assert_eq!(app.state.cached_pages(), 0);
    let (_, first) = get(&app, "/plans/psykisk-halsa-2020", None).await;
    let (_, again) = get(&app, "/plans/psykisk-halsa-2020", None).await;
    assert_eq!(first, again);
    let (_, english) = get(&app, "/plans/psykisk-halsa-2020", Some("en")).await;
    assert_ne!(first, english, "each language is kept apart");
    assert_eq!(app.state.cached_pages(), 2);

    // Searches with filters, unknown pages and escaped addresses are not kept.
    get(&app, "/activities?q=psykisk", None).await;
    get(&app, "/plans/no-such-plan", None).await;
    get(&app, "/plans/psykisk%2Dhalsa-2020", None).await;
    get(&app, "/healthz", None).await;
    assert_eq!(app.state.cached_pages(), 2);

    // The data changes: the next reader sees the change.
    let mut set = app.state.model().set.clone();
    let plan = set
        .plans
        .iter_mut()
        .find(|p| p.id.as_str() == "psykisk-halsa-2020")
        .expect("plan");
    plan.title = "Handlingsplan för psykisk hälsa, omarbetad".to_owned();
    app.state
        .store()
        .import(&set, &rodtrad_store::Actor::command_line(), 0)
        .await
        .expect("import");
    app.state.reload().await.expect("reload");
    assert_eq!(app.state.cached_pages(), 0);
    let (_, after) = get(&app, "/plans/psykisk-halsa-2020", None).await;
    assert!(
        after.contains("omarbetad"),
        "the new title, not the kept page"
    );
}

#[tokio::test]
async fn pages_say_their_language_and_that_the_browser_language_matters() {
    let app = app().await;
    for _ in 0..2 {
        // The first answer is rendered, the second kept: both carry the headers.
        let res = router(app.state.clone())
            .oneshot(
                Request::get("/overlap")
                    .header("accept-language", "en")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(res.headers()["content-language"], "en");
        assert_eq!(res.headers()["vary"], "accept-language");
        assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    }
}

#[tokio::test]
async fn long_lists_come_a_page_at_a_time_with_links_that_keep_the_filters() {
    let app = app().await;
    // 450 copies of an activity that serves two plans: three pages of 200.
    let mut set = app.state.model().set.clone();
    let template = set
        .activities
        .iter()
        .find(|a| a.id.as_str() == "cross")
        .expect("cross")
        .clone();
    for i in 0..450 {
        let mut a = (*template).clone();
        a.id = rodtrad_domain::Slug::parse(&format!("kopia-{i:03}")).expect("slug");
        a.title = format!("Kopia {i:03}");
        set.activities.push_back(std::sync::Arc::new(a));
    }
    app.state
        .store()
        .import(&set, &rodtrad_store::Actor::command_line(), 0)
        .await
        .expect("import");
    app.state.reload().await.expect("reload");

    let (status, first) = get(&app, "/overlap", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.contains("Visar 1–200 av"), "{first}");
    assert!(first.contains("rel=\"next\" href=\"/overlap?page=2\""));
    let (status, third) = get(&app, "/overlap?page=3&lang=en", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        third.contains("rel=\"prev\" href=\"/overlap?page=2&#38;lang=en\""),
        "{}",
        third.split("class=\"paging\"").nth(1).unwrap_or_default()
    );
    assert!(!third.contains("rel=\"next\""));
    assert!(third.contains("aria-current=\"page\""));
    for beyond in ["/overlap?page=9", "/overlap?page=0", "/activities?page=x"] {
        assert_eq!(
            get(&app, beyond, None).await.0,
            StatusCode::NOT_FOUND,
            "{beyond}"
        );
    }

    let (_, search) = get(&app, "/activities?q=kopia&status=", None).await;
    assert!(
        search.contains("450 aktiviteter"),
        "the count is of all pages"
    );
    assert!(search.contains("href=\"/activities?q=kopia&#38;page=3\""));
    assert_eq!(search.matches("href=\"/activities/kopia-").count(), 200);
    let (_, last) = get(&app, "/activities?q=kopia&page=3", None).await;
    assert_eq!(last.matches("href=\"/activities/kopia-").count(), 50);
    assert!(last.contains("Kopia 449"));
}
