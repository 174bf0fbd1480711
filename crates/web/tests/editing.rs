//! Editing through the forms, on every backend: a saved edit and its record, refused values
//! said at their fields, a stale edit refused with what changed, and who may edit what.

use axum::http::StatusCode;
use rodtrad_domain::Role;

mod common;
use common::{App, Person, apps, field_value, get, person, post, submit};

const ACTIVITY: &str = "/activities/brukarinflytandesamordnare-bisam";
const EDIT: &str = "/edit/activity/brukarinflytandesamordnare-bisam";

/// The edit form of the test activity, as the fields a browser would send back unchanged.
async fn form_of(app: &App, who: &Person) -> Vec<(String, String)> {
    let form = get(app, EDIT, &who.cookie).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let mut fields = vec![(
        "revision".to_owned(),
        field_value(&form.body, "revision").expect("a revision"),
    )];
    for name in ["title", "start", "end"] {
        if let Some(v) = field_value(&form.body, name) {
            fields.push((name.to_owned(), v));
        }
    }
    fields.push(("lead".into(), "psykiatrin".into()));
    for goal in [
        "gemensamma-insatsomraden-2021/psykisk-halsa",
        "psykisk-halsa-2020/individer-rustade-for-att-na-sin-fulla-potential-och-valmaende",
    ] {
        fields.push(("serves".into(), goal.into()));
    }
    fields
}

fn with<'a>(
    fields: &'a [(String, String)],
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    out.extend_from_slice(changes);
    out
}

#[tokio::test]
async fn a_contributor_edits_an_activity_and_the_change_is_on_record() {
    for app in apps("edit_activity").await {
        let anna = person(
            &app,
            "anna@region.se",
            false,
            &[(Role::Contributor, "psykiatrin")],
        )
        .await;
        let page = get(&app, ACTIVITY, &anna.cookie).await;
        assert!(
            page.body.contains(EDIT),
            "the activity page offers the edit"
        );

        let fields = form_of(&app, &anna).await;
        let sent = with(
            &fields,
            &[
                ("title", "BISAM: brukarinflytande i hela länet"),
                ("end", "2025"),
            ],
        );
        let saved = submit(&app, &anna, EDIT, &sent).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = get(&app, ACTIVITY, "").await;
        assert!(
            page.body.contains("BISAM: brukarinflytande i hela länet"),
            "visitors see it at once"
        );

        let history = get(
            &app,
            "/history/activity/brukarinflytandesamordnare-bisam",
            &anna.cookie,
        )
        .await;
        assert_eq!(history.status, StatusCode::OK);
        assert!(history.body.contains("Person anna@region.se"), "who");
        assert!(
            history
                .body
                .contains("BISAM: brukarinflytande i hela länet"),
            "after"
        );
        assert!(
            history.body.contains("Brukarinflytandesamordnare"),
            "before: {}",
            history.body
        );
        let mine = get(
            &app,
            &format!("/accounts/{}/history", anna.id),
            &anna.cookie,
        )
        .await;
        assert!(mine.body.contains("brukarinflytandesamordnare-bisam"));

        // The record is not for visitors.
        let refused = get(
            &app,
            "/history/activity/brukarinflytandesamordnare-bisam",
            "",
        )
        .await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn refused_values_are_said_at_their_fields_and_the_form_keeps_them() {
    for app in apps("edit_refused").await {
        let anna = person(
            &app,
            "anna@region.se",
            false,
            &[(Role::Contributor, "psykiatrin")],
        )
        .await;
        let before = app.state.store().export().await.expect("export");
        let fields = form_of(&app, &anna).await;
        let sent = with(
            &fields,
            &[("title", " "), ("start", "2024"), ("end", "våren 2021")],
        );
        let answer = submit(&app, &anna, EDIT, &sent).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            answer.body.contains("id=\"f-title-error\""),
            "{}",
            answer.body
        );
        assert!(answer.body.contains("Fyll i fältet."));
        assert!(
            answer.body.contains("value=\"våren 2021\""),
            "what was typed is kept"
        );
        assert!(
            answer
                .body
                .contains("aria-invalid=\"true\" aria-describedby=\"f-end-hint f-end-error\"")
        );
        assert_eq!(
            app.state.store().export().await.expect("export"),
            before,
            "nothing written"
        );
    }
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_what_changed_and_nothing_is_written() {
    for app in apps("edit_stale").await {
        let anna = person(
            &app,
            "anna@region.se",
            false,
            &[(Role::Contributor, "psykiatrin")],
        )
        .await;
        let bo = person(&app, "bo@region.se", true, &[]).await;
        let annas = form_of(&app, &anna).await;
        let bos = form_of(&app, &bo).await;
        let first = submit(&app, &bo, EDIT, &with(&bos, &[("title", "Bos titel")])).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        let after_bo = app.state.store().export().await.expect("export");

        let late = submit(
            &app,
            &anna,
            EDIT,
            &with(&annas, &[("title", "Annas titel")]),
        )
        .await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert!(late.body.contains("Någon annan har ändrat under tiden"));
        assert!(late.body.contains("Person bo@region.se"), "who changed it");
        assert!(late.body.contains("Bos titel"), "what they changed");
        assert!(
            late.body.contains("value=\"Annas titel\""),
            "Anna's text is kept"
        );
        assert_eq!(
            app.state.store().export().await.expect("export"),
            after_bo,
            "nothing overwritten"
        );

        // Saving again from the refusal is a choice made knowing: it is based on what is now.
        let revision = field_value(&late.body, "revision").expect("revision");
        let again = submit(
            &app,
            &anna,
            EDIT,
            &with(&annas, &[("title", "Annas titel"), ("revision", &revision)]),
        )
        .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn only_those_with_the_right_may_edit_and_every_form_needs_its_token() {
    for app in apps("edit_rights").await {
        let other = person(
            &app,
            "other@kommun.se",
            false,
            &[(Role::Contributor, "region-orebro-lan")],
        )
        .await;
        let anna = person(
            &app,
            "anna@region.se",
            false,
            &[(Role::Contributor, "psykiatrin")],
        )
        .await;
        let before = app.state.store().export().await.expect("export");

        let visitor = get(&app, EDIT, "").await;
        assert_eq!(
            visitor.status,
            StatusCode::SEE_OTHER,
            "a visitor is sent to log in"
        );
        assert!(
            visitor.headers["location"]
                .to_str()
                .is_ok_and(|l| l.starts_with("/login?next="))
        );
        assert_eq!(
            get(&app, EDIT, &other.cookie).await.status,
            StatusCode::FORBIDDEN
        );
        let fields = form_of(&app, &anna).await;
        let sent = with(&fields, &[("title", "Kapad")]);
        assert_eq!(
            submit(&app, &other, EDIT, &sent).await.status,
            StatusCode::FORBIDDEN
        );
        // Anna may not give her activity to an organisation she does not contribute for.
        let handed = with(&fields, &[("lead", "region-orebro-lan")]);
        let answer = submit(&app, &anna, EDIT, &handed).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(answer.body.contains("id=\"f-lead-error\""));
        // Without the token: refused before anything is read.
        let no_token: Vec<(&str, &str)> = sent.clone();
        assert_eq!(
            post(&app, EDIT, &anna.cookie, &no_token).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.state.store().export().await.expect("export"),
            before,
            "nothing written"
        );
        assert!(Person::visitor().cookie.is_empty());
    }
}

#[tokio::test]
async fn a_contributor_creates_an_activity() {
    for app in apps("edit_new").await {
        let anna = person(
            &app,
            "anna@region.se",
            false,
            &[(Role::Contributor, "psykiatrin")],
        )
        .await;
        let form = get(&app, "/new/activity", &anna.cookie).await;
        assert_eq!(form.status, StatusCode::OK);
        let made = submit(
            &app,
            &anna,
            "/new/activity",
            &[
                ("revision", "0"),
                ("title", "Självhjälpsgrupper för anhöriga"),
                ("lead", "psykiatrin"),
                ("start", "2025"),
                ("serves", "gemensamma-insatsomraden-2021/psykisk-halsa"),
            ],
        )
        .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        assert_eq!(
            made.headers["location"],
            "/activities/sjalvhjalpsgrupper-for-anhoriga"
        );
        let page = get(&app, "/activities/sjalvhjalpsgrupper-for-anhoriga", "").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Självhjälpsgrupper för anhöriga"));
        // The same title again gets an id of its own.
        let again = submit(
            &app,
            &anna,
            "/new/activity",
            &[
                ("revision", "0"),
                ("title", "Självhjälpsgrupper för anhöriga"),
                ("lead", "psykiatrin"),
            ],
        )
        .await;
        assert_eq!(
            again.headers["location"],
            "/activities/sjalvhjalpsgrupper-for-anhoriga-2"
        );
    }
}

#[tokio::test]
async fn rows_add_funding_and_a_section_needs_both_its_goal_and_its_text() {
    for app in apps("edit_rows").await {
        let admin = person(&app, "admin@region.se", true, &[]).await;
        let fields = form_of(&app, &admin).await;
        let posted = with(
            &fields,
            &[
                ("funding-1-funder", "region-orebro-lan"),
                ("funding-1-description", "Utvecklingsmedel 2024"),
                ("funding-2-funder", ""),
                ("funding-2-description", ""),
            ],
        );
        let saved = submit(&app, &admin, EDIT, &posted).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let set = app.state.store().export().await.expect("export");
        let bisam = set
            .activities
            .iter()
            .find(|a| a.id.as_str() == "brukarinflytandesamordnare-bisam")
            .expect("the activity");
        assert_eq!(bisam.funding.len(), 1, "the empty row is dropped");
        assert_eq!(
            bisam.funding[0].description.as_deref(),
            Some("Utvecklingsmedel 2024")
        );

        let path = "/edit/follow_up/uppfoljning-2021";
        let form = get(&app, path, &admin.cookie).await;
        let revision = field_value(&form.body, "revision").expect("revision");
        let report = set
            .follow_ups
            .iter()
            .find(|f| f.id.as_str() == "uppfoljning-2021")
            .expect("report");
        let next = (report.sections.len() + 1).to_string();
        let node_field = format!("section-{next}-node");
        let answer = submit(
            &app,
            &admin,
            path,
            &[
                ("revision", revision.as_str()),
                ("title", report.title.as_str()),
                (
                    node_field.as_str(),
                    "gemensamma-insatsomraden-2021/psykisk-halsa",
                ),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            answer
                .body
                .contains(&format!("id=\"f-section-{next}-narrative-error\"")),
            "{}",
            answer.body
        );
        assert_eq!(
            app.state.store().export().await.expect("export"),
            set,
            "nothing written"
        );
    }
}
