//! Links proposed: a contributor who links their activity to a goal of a plan they do not own
//! makes a proposal, shown to no one else until the plan's owner accepts it; the owner accepts
//! or declines; each answer is on the record; proposals round-trip through the format. On
//! SQLite and PostgreSQL.

mod common;

use axum::http::StatusCode;
use common::{App, Person, apps, form_fields, get, person, submit};
use rodtrad_domain::{GoalRef, Role, Slug};

const ACTIVITY: &str = "brukarinflytandesamordnare-bisam";
const PLAN: &str = "social-valfard-2019-2022";

fn goal(node: &str) -> GoalRef {
    GoalRef {
        plan: Slug::parse(PLAN).expect("slug"),
        node: Slug::parse(node).expect("slug"),
    }
}

/// The activity's form sent back with `goals` ticked besides those already ticked.
async fn link(app: &App, who: &Person, goals: &[&str]) -> common::Answer {
    let path = format!("/edit/activity/{ACTIVITY}");
    let page = get(app, &path, &who.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    let mut fields: Vec<(String, String)> = form_fields(&page.body)
        .into_iter()
        .filter(|(k, _)| k != "csrf")
        .collect();
    for g in goals {
        fields.push(("serves".into(), format!("{PLAN}/{g}")));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    submit(app, who, &path, &pairs).await
}

fn activity(app: &App) -> rodtrad_domain::Activity {
    app.state
        .working()
        .activity(ACTIVITY)
        .expect("the activity")
        .clone()
}

/// The revision field of the first answer form on the proposals page.
fn revision(body: &str) -> String {
    common::field_value(body, "revision").unwrap_or_else(|| "0".into())
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "one story, told in order")]
async fn a_link_to_anothers_plan_waits_for_its_owner() {
    for app in apps("proposals").await {
        let contributor = person(&app, "c@x.se", false, &[(Role::Contributor, "psykiatrin")]).await;
        let owner = person(&app, "o@x.se", false, &[(Role::PlanOwner, PLAN)]).await;
        let other = person(
            &app,
            "p@x.se",
            false,
            &[(Role::PlanOwner, "psykisk-halsa-2020")],
        )
        .await;
        let served_before = activity(&app).serves.clone();

        let sent = link(&app, &contributor, &["delmal-5", "delmal-6"]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let a = activity(&app);
        assert_eq!(a.serves, served_before, "nothing linked yet");
        assert_eq!(a.proposed, vec![goal("delmal-5"), goal("delmal-6")]);
        // Visitors and the plan's pages see no proposal.
        let public = app.state.model();
        assert!(
            public
                .activity(ACTIVITY)
                .expect("public")
                .proposed
                .is_empty()
        );
        assert!(public.serving(&goal("delmal-5")).next().is_none());
        // The form shows the proposal ticked, so that unticking takes it back.
        let form = get(
            &app,
            &format!("/edit/activity/{ACTIVITY}"),
            &contributor.cookie,
        )
        .await;
        assert!(
            form.body
                .contains(&format!("value=\"{PLAN}/delmal-5\" checked"))
        );

        // Only the plan's owner (and administrators) answer.
        let path = format!("/plans/{PLAN}/proposals");
        assert_eq!(
            get(&app, &path, &other.cookie).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(get(&app, &path, "").await.status, StatusCode::SEE_OTHER);
        let page = get(&app, &path, &owner.cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Brukarinflytandesamordnare (BISAM)"),
            "{}",
            page.body
        );
        let rev = revision(&page.body);
        let answer = |node: &'static str, answer: &'static str, rev: String| {
            let (app, owner, path) = (&app, &owner, path.clone());
            async move {
                submit(
                    app,
                    owner,
                    &path,
                    &[
                        ("activity", ACTIVITY),
                        ("node", node),
                        ("answer", answer),
                        ("revision", &rev),
                    ],
                )
                .await
            }
        };
        let refused = submit(
            &app,
            &other,
            &path,
            &[
                ("activity", ACTIVITY),
                ("node", "delmal-5"),
                ("answer", "accept"),
                ("revision", &rev),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let accepted = answer("delmal-5", "accept", rev.clone()).await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        // The second answer was made from the page of before: the activity moved on.
        let stale = answer("delmal-6", "decline", rev).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        let page = get(&app, &path, &owner.cookie).await;
        let declined = answer("delmal-6", "decline", revision(&page.body)).await;
        assert_eq!(declined.status, StatusCode::SEE_OTHER, "{}", declined.body);
        let again = answer("delmal-6", "decline", "99".into()).await;
        assert_eq!(
            again.status,
            StatusCode::CONFLICT,
            "an answered proposal is gone"
        );

        let a = activity(&app);
        assert!(a.serves.contains(&goal("delmal-5")));
        assert!(!a.serves.contains(&goal("delmal-6")));
        assert!(a.proposed.is_empty());
        assert!(
            app.state
                .model()
                .serving(&goal("delmal-5"))
                .next()
                .is_some()
        );
        let record = app
            .state
            .store()
            .changes_of(
                &rodtrad_domain::ItemKey::new(
                    rodtrad_domain::ItemKind::Activity,
                    &Slug::parse(ACTIVITY).expect("slug"),
                ),
                0,
            )
            .await
            .expect("record");
        let last = record.last().expect("the answer");
        assert!(last.actor.contains("o@x.se"), "{last:?}");

        // A proposal goes through the exchange format and back.
        link(&app, &contributor, &["delmal-6"]).await;
        let stored = app.state.store().export().await.expect("export");
        let read = rodtrad_format::parse(rodtrad_format::write(&stored)).expect("valid");
        assert_eq!(read, stored);
        assert_eq!(
            read.activities
                .iter()
                .find(|a| a.id.as_str() == ACTIVITY)
                .map(|a| a.proposed.clone()),
            Some(vec![goal("delmal-6")])
        );
    }
}

/// The owner and an administrator answering the same proposal at the same moment, on two
/// servers sharing one database: one answer is taken, the other is told, nothing fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_proposal_answered_twice_at_once_is_answered_once() {
    for app in apps("proposals_at_once").await {
        let contributor = person(&app, "c@x.se", false, &[(Role::Contributor, "psykiatrin")]).await;
        let owner = person(&app, "o@x.se", false, &[(Role::PlanOwner, PLAN)]).await;
        let admin = person(&app, "a@x.se", true, &[]).await;
        assert_eq!(
            link(&app, &contributor, &["delmal-5"]).await.status,
            StatusCode::SEE_OTHER
        );
        let other = App {
            state: rodtrad_web::AppState::load(
                rodtrad_store::Store::open(&app.url).await.expect("store"),
            )
            .await
            .expect("load"),
            _dir: tempfile::tempdir().expect("tmp"),
            url: app.url.clone(),
        };
        let path = format!("/plans/{PLAN}/proposals");
        let rev = revision(&get(&app, &path, &owner.cookie).await.body);
        let form = |answer: &'static str| {
            [
                ("activity", ACTIVITY),
                ("node", "delmal-5"),
                ("answer", answer),
                ("revision", rev.as_str()),
            ]
        };
        let (accept, decline) = (form("accept"), form("decline"));
        let (a, b) = tokio::join!(
            submit(&app, &owner, &path, &accept),
            submit(&other, &admin, &path, &decline)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
        app.state.catch_up().await.expect("caught up");
        let a_after = activity(&app);
        assert!(a_after.proposed.is_empty());
        let accepted = a_after.serves.contains(&goal("delmal-5"));
        assert_eq!(
            accepted,
            a.status == StatusCode::SEE_OTHER,
            "the winner's answer holds"
        );
    }
}
