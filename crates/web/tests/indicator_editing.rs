//! Indicators edited through their forms and their values imported from the web pages: made
//! with a measure, its baseline and targets; a refused value said at its field with nothing
//! saved; changed, on record, removed; refused to a person without the right; values uploaded
//! as CSV, a broken JSON-stat file refused with its rule; fetched again from a Kolada served
//! locally; Kolada's catalogue searched on a local server answering as its API v3 does, from
//! rows of its catalogue recorded in `tests/data/kolada-kpi.json` (Kolada, CC BY 4.0).

mod common;

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::extract::Query;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use common::{Answer, App, Person, apps, get as fetch_page, person, resend, send, submit};
use rodtrad_domain::{Indicator, Role, Sex, ValuePeriod};

const PLAN: &str = "social-valfard-2019-2022";
const GOAL: &str = "delmal-1";
const ID: &str = "trygghet";

fn goal() -> String {
    format!("{PLAN}/{GOAL}")
}

fn find(app: &App, id: &str) -> Option<Indicator> {
    app.state
        .working()
        .set
        .indicators
        .iter()
        .find(|i| i.id.as_str() == id)
        .cloned()
}

/// The new indicator's form as a person fills it in: a measure with a baseline, two targets.
fn filled() -> Vec<(&'static str, String)> {
    vec![
        ("id", ID.into()),
        ("title", "Andel som känner sig trygga".into()),
        ("definition", "Andel som svarar ja.".into()),
        ("unit", "procent".into()),
        ("decimals", "1".into()),
        ("direction", "higher".into()),
        ("publisher", "Kolada".into()),
        ("source_kind", "kolada".into()),
        ("source", "N00945".into()),
        ("query", String::new()),
        ("measure-1-goal", goal()),
        ("measure-1-baseline", "60,5".into()),
        ("measure-1-baseline_period", "2018".into()),
        ("measure-1-baseline_sex", String::new()),
        ("measure-1-baseline_area", String::new()),
        ("measure-1-baseline_age", String::new()),
        ("measure-2-goal", String::new()),
        ("target-1-goal", goal()),
        ("target-1-value", "70".into()),
        ("target-1-period", "2024".into()),
        ("target-2-goal", goal()),
        ("target-2-value", "66".into()),
        ("target-2-period", "2024".into()),
        ("target-2-sex", "women".into()),
        ("target-2-area", "1880".into()),
        ("target-3-goal", String::new()),
    ]
}

async fn post_form(app: &App, who: &Person, path: &str, form: &[(&str, String)]) -> Answer {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    submit(app, who, path, &pairs).await
}

/// A multipart post of a file, as a browser sends the upload form.
async fn upload(app: &App, who: &Person, path: &str, file: &[u8], area: &str) -> Answer {
    let boundary = "----rodtradtestboundary";
    let mut body = Vec::new();
    let mut text = |name: &str, value: &str| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    text("csrf", &who.csrf);
    text("kind", "");
    text("area", area);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, &who.cookie)
        .body(Body::from(body))
        .expect("request");
    send(app, req).await
}

#[tokio::test]
async fn an_indicator_is_made_changed_on_record_and_removed_through_its_forms() {
    for app in apps("indicator_editing").await {
        let admin = person(&app, "admin@example.se", true, &[]).await;
        let form = fetch_page(&app, "/new/indicator", &admin.cookie).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("name=\"measure-1-goal\""),
            "{}",
            form.body
        );
        assert!(
            form.body.contains("/indicators/kolada"),
            "the search is linked"
        );

        let made = post_form(&app, &admin, "/new/indicator", &filled()).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let saved = find(&app, ID).expect("saved");
        assert_eq!(saved.decimals, 1);
        let [measure] = saved.measures.as_slice() else {
            panic!("one measure: {:?}", saved.measures)
        };
        assert_eq!(measure.goal.to_string(), goal());
        let baseline = measure.baseline.as_ref().expect("baseline");
        assert!((baseline.value - 60.5).abs() < 1e-9);
        assert_eq!(baseline.period, ValuePeriod::Year(2018));
        assert_eq!(measure.targets.len(), 2);
        assert_eq!(measure.targets[1].sex, Sex::Women);
        assert_eq!(
            measure.targets[1].area.as_ref().map(ToString::to_string),
            Some("1880".into())
        );

        // The form shows what was saved, and sent back unchanged changes nothing.
        let path = format!("/edit/indicator/{ID}");
        let again = resend(&app, &admin, &path, &[]).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        assert_eq!(find(&app, ID), Some(saved.clone()));

        let changed = resend(&app, &admin, &path, &[("title", "Andel trygga")]).await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        assert_eq!(find(&app, ID).expect("kept").title, "Andel trygga");

        let page = fetch_page(&app, &format!("/indicators/{ID}"), &admin.cookie).await;
        assert!(page.body.contains(&format!("/edit/indicator/{ID}")));
        assert!(page.body.contains("enctype=\"multipart/form-data\""));
        let history = fetch_page(&app, &format!("/history/indicator/{ID}"), &admin.cookie).await;
        assert_eq!(history.status, StatusCode::OK);
        assert!(history.body.contains("Andel trygga"), "{}", history.body);

        let removal = fetch_page(&app, &format!("/remove/indicator/{ID}"), &admin.cookie).await;
        assert_eq!(removal.status, StatusCode::OK);
        let revision = common::field_value(&removal.body, "revision").expect("revision");
        let removed = submit(
            &app,
            &admin,
            &format!("/remove/indicator/{ID}"),
            &[("revision", &revision)],
        )
        .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
        assert!(find(&app, ID).is_none());
    }
}

#[tokio::test]
async fn refused_values_are_said_at_their_fields_and_nothing_is_saved() {
    for app in apps("indicator_refused").await {
        let admin = person(&app, "admin@example.se", true, &[]).await;
        let mut form = filled();
        for (name, value) in [
            ("decimals", "9"),
            ("measure-1-baseline", "sextio"),
            ("target-1-period", "år 2024"),
            ("measure-2-goal", "ingen-plan/inget-mal"),
        ] {
            form.iter_mut().find(|(k, _)| *k == name).expect(name).1 = value.into();
        }
        let refused = post_form(&app, &admin, "/new/indicator", &form).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let error = |field: &str| {
            let at = refused
                .body
                .find(&format!("id=\"f-{field}-error\""))
                .unwrap_or_else(|| panic!("no problem at {field}: {}", refused.body));
            refused.body[at..]
                .split("</p>")
                .next()
                .unwrap_or("")
                .to_owned()
        };
        assert!(
            error("decimals").contains("0 till 6"),
            "{}",
            error("decimals")
        );
        assert!(error("measure-1-baseline").contains("inget tal"));
        assert!(error("target-1-period").contains("inget år"));
        assert!(error("measure-2-goal").contains("ingen-plan/inget-mal"));
        // What was typed is kept.
        assert!(refused.body.contains("value=\"sextio\""));
        assert!(find(&app, ID).is_none(), "nothing saved");

        // In English too.
        let en = post_form(&app, &admin, "/new/indicator?lang=en", &form).await;
        assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(en.body.contains("is not a number"), "{}", en.body);
    }
}

#[tokio::test]
async fn only_administrators_and_owners_of_a_measured_plan_may_change_an_indicator() {
    for app in apps("indicator_rights").await {
        let admin = person(&app, "admin@example.se", true, &[]).await;
        let made = post_form(&app, &admin, "/new/indicator", &filled()).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);

        let contributor = person(
            &app,
            "bidrar@example.se",
            false,
            &[(Role::Contributor, "psykiatrin")],
        )
        .await;
        let other_owner = person(
            &app,
            "annan@example.se",
            false,
            &[(Role::PlanOwner, "psykisk-halsa-2020")],
        )
        .await;
        for who in [&contributor, &other_owner] {
            for path in [
                format!("/edit/indicator/{ID}"),
                format!("/remove/indicator/{ID}"),
                format!("/indicators/{ID}/values"),
            ] {
                let answer = fetch_page(&app, &path, &who.cookie).await;
                assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
            }
            let post = upload(&app, who, &format!("/indicators/{ID}/values"), b"x", "").await;
            assert_eq!(post.status, StatusCode::FORBIDDEN);
        }
        let refused = fetch_page(&app, "/new/indicator", &contributor.cookie).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let page = fetch_page(&app, &format!("/indicators/{ID}"), &contributor.cookie).await;
        assert!(!page.body.contains("multipart/form-data"));

        // The owner of the plan measured may change it, but link it only to their own goals.
        let owner = person(&app, "agare@example.se", false, &[(Role::PlanOwner, PLAN)]).await;
        let path = format!("/edit/indicator/{ID}");
        let form = fetch_page(&app, &path, &owner.cookie).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            !form.body.contains("psykisk-halsa-2020/"),
            "other plans' goals offered"
        );
        let foreign = resend(
            &app,
            &owner,
            &path,
            &[(
                "measure-2-goal",
                "psykisk-halsa-2020/hallbara-stod-till-dom-som-behover",
            )],
        )
        .await;
        assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(foreign.body.contains("id=\"f-measure-2-goal-error\""));
    }
}

#[tokio::test]
async fn values_are_imported_from_an_uploaded_file_and_a_broken_one_is_refused_with_its_rule() {
    for app in apps("indicator_upload").await {
        let admin = person(&app, "admin@example.se", true, &[]).await;
        let made = post_form(&app, &admin, "/new/indicator", &filled()).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let path = format!("/indicators/{ID}/values");

        let csv = "period;area;sex;value\n2018;18;all;60,5\n2021;18;all;64\n2021;18;women;61\n";
        let done = upload(&app, &admin, &path, csv.as_bytes(), "").await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(
            done.body.contains("3 nya värden, 0 ändrade, 0 oförändrade"),
            "{}",
            done.body
        );
        let again = upload(&app, &admin, &path, csv.as_bytes(), "").await;
        assert!(
            again
                .body
                .contains("0 nya värden, 0 ändrade, 3 oförändrade")
        );
        // The values are on the indicator's page at once.
        let page = fetch_page(&app, &format!("/indicators/{ID}"), "").await;
        assert!(page.body.contains("64"), "{}", page.body);

        // JSON-stat whose values are fewer than its cells.
        let broken = br#"{"version":"2.0","class":"dataset","id":["tid"],"size":[2],
            "dimension":{"tid":{"category":{"index":["2020","2021"]}}},"value":[1]}"#;
        let refused = upload(&app, &admin, &path, broken, "18").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let rule = rodtrad_i18n::Lang::Sv.text("stats-rule-value-count");
        assert!(refused.body.contains(&rule), "{}", refused.body);

        // No area in the file: the form's is taken.
        let one = upload(&app, &admin, &path, b"year,value\n2022,66\n", "1880").await;
        assert!(one.body.contains("1 nya värden"), "{}", one.body);
        let none = upload(&app, &admin, &path, b"year,value\n2023,66\n", "").await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Without the token, refused before anything is read.
        let forged = upload(
            &app,
            &Person {
                csrf: "fel".into(),
                ..admin.clone()
            },
            &path,
            csv.as_bytes(),
            "",
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
    }
}

#[derive(serde::Deserialize)]
struct Title {
    title: Option<String>,
}

/// A local server answering as Kolada's API v3: the catalogue searched by title, and the
/// values of N00945 recorded.
async fn kolada() -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue: serde_json::Value = serde_json::from_slice(
        &std::fs::read(data.join("tests/data/kolada-kpi.json")).expect("catalogue"),
    )
    .expect("json");
    let values =
        std::fs::read(data.join("../stats/tests/data/kolada/data-N00945.json")).expect("values");
    let app = Router::new()
        .route(
            "/v3/kpi",
            get(move |Query(t): Query<Title>| {
                let catalogue = catalogue.clone();
                async move {
                    let word = t.title.unwrap_or_default().to_lowercase();
                    let found: Vec<serde_json::Value> = catalogue["values"]
                        .as_array()
                        .expect("values")
                        .iter()
                        .filter(|k| {
                            k["title"]
                                .as_str()
                                .is_some_and(|s| s.to_lowercase().contains(&word))
                        })
                        .cloned()
                        .collect();
                    axum::Json(serde_json::json!({"count": found.len(), "values": found}))
                }
            }),
        )
        .route(
            "/v3/data/kpi/N00945/municipality/{areas}",
            get(move || {
                let values = values.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], values) }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/v3")
}

fn with_kolada(mut app: App, base: &str) -> App {
    let client = rodtrad_fetch::Client::with_config(rodtrad_fetch::Config {
        kolada: base.to_owned(),
        ..rodtrad_fetch::Config::default()
    })
    .expect("client");
    app.state = app.state.clone().with_fetch(client);
    app
}

#[tokio::test]
async fn kolada_is_searched_for_a_key_figure_and_an_indicator_fetched_again_from_it() {
    let base = kolada().await;
    for app in apps("indicator_kolada").await {
        let app = with_kolada(app, &base);
        let admin = person(&app, "admin@example.se", true, &[]).await;
        let listed = fetch_page(&app, "/indicators/kolada?q=oh%C3%A4lsotal", &admin.cookie).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        for id in ["N00957", "N00974", "N00979"] {
            assert!(listed.body.contains(id), "{id}: {}", listed.body);
        }
        assert!(!listed.body.contains("N00945"), "only what matches");
        let link = listed
            .body
            .split("href=\"")
            .find(|l| l.contains("source=N00957"))
            .expect("a link choosing N00957");
        assert!(
            link.starts_with("/new/indicator?source_kind=kolada"),
            "{link}"
        );
        // The link fills the form.
        let form = fetch_page(
            &app,
            "/new/indicator?source_kind=kolada&source=N00957&title=Oh%C3%A4lsotal",
            &admin.cookie,
        )
        .await;
        assert!(form.body.contains("value=\"N00957\""), "{}", form.body);
        assert!(form.body.contains("value=\"Ohälsotal\""));
        let visitor = fetch_page(&app, "/indicators/kolada?q=x", "").await;
        assert_eq!(
            visitor.status,
            StatusCode::SEE_OTHER,
            "a visitor is sent to log in"
        );

        // Fetched again now, from the indicator's page.
        let made = post_form(&app, &admin, "/new/indicator", &filled()).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let page = fetch_page(&app, &format!("/indicators/{ID}"), &admin.cookie).await;
        assert!(page.body.contains(&format!("/indicators/{ID}/fetch")));
        let fetched = submit(&app, &admin, &format!("/indicators/{ID}/fetch"), &[]).await;
        assert_eq!(fetched.status, StatusCode::OK, "{}", fetched.body);
        assert!(fetched.body.contains("nya värden"), "{}", fetched.body);
        assert!(!fetched.body.contains(" 0 nya värden"), "{}", fetched.body);
    }
}
