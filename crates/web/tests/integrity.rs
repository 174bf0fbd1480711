//! What the forms never store, and what one broken item cannot do to everyone else's saves.

use std::sync::Arc;

use axum::http::StatusCode;
use rodtrad_domain::{GoalLevel, GoalNode, Slug};

mod common;
use common::{App, apps, form_fields, get, person, resend, submit};

const PLAN: &str = "sammanhallen-vard-och-omsorg-2019-2022";

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("slug")
}

/// The goal form of `goal`, sent with its parent set to `parent`.
async fn set_parent(app: &App, who: &common::Person, goal: &str, parent: &str) -> common::Answer {
    let path = format!("/edit/plan/{PLAN}/goal/{goal}");
    let page = get(app, &path, &who.cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    let fields: Vec<(String, String)> = form_fields(&page.body)
        .into_iter()
        .filter(|(k, _)| k != "csrf")
        .map(|(k, v)| {
            if k == "parent" {
                (k, parent.to_owned())
            } else {
                (k, v)
            }
        })
        .collect();
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    submit(app, who, &path, &fields).await
}

#[tokio::test]
async fn a_goal_form_never_stores_a_goal_below_itself() {
    for app in apps("goal_loops").await {
        // A third level under the plan's lowest, with a goal on it, so that a loop of three can
        // be asked for: a focus area, its sub-goal, and a goal under that.
        let mut set = app.state.store().export().await.expect("export");
        let plan = set
            .plans
            .iter_mut()
            .find(|p| p.id.as_str() == PLAN)
            .expect("plan");
        let (top, middle) = {
            let child = plan
                .nodes
                .iter()
                .find(|n| n.parent.is_some())
                .expect("a sub-goal");
            (child.parent.clone().expect("parent"), child.id.clone())
        };
        plan.levels.push(GoalLevel {
            id: slug("atgard"),
            name: "Åtgärd".into(),
        });
        plan.nodes.push(GoalNode {
            id: slug("under"),
            level: slug("atgard"),
            parent: Some(middle.clone()),
            number: None,
            title: "Under delmålet".into(),
            description: None,
            intervention_level: None,
        });
        app.state
            .store()
            .import(&set, &rodtrad_store::Actor::command_line(), 0)
            .await
            .expect("import");
        app.state.reload().await.expect("reload");
        let admin = person(&app, "admin@x.se", true, &[]).await;
        let before = app.state.store().export().await.expect("export");
        for (goal, parent) in [
            (top.as_str(), top.as_str()),
            (top.as_str(), middle.as_str()),
            (top.as_str(), "under"),
        ] {
            let refused = set_parent(&app, &admin, goal, parent).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{goal} under {parent}"
            );
            assert!(
                refused.body.contains("Välj bland alternativen som visas."),
                "said at the field: {}",
                refused.body
            );
        }
        assert_eq!(
            app.state.store().export().await.expect("export"),
            before,
            "nothing stored"
        );
    }
}

#[tokio::test]
async fn a_broken_goal_in_the_database_does_not_block_unrelated_saves() {
    for app in apps("broken_goal").await {
        // A goal made its own parent behind the application's back, as an old version or a
        // hand-written statement could leave it.
        sqlx::query(
            "UPDATE goal_node SET parent_id = id WHERE plan_id = \
             (SELECT id FROM plan WHERE slug = $1) AND parent_id IS NOT NULL",
        )
        .bind(PLAN)
        .execute(&sqlx_pool(&app).await)
        .await
        .expect("break the tree");
        app.state.reload().await.expect("reload");
        let broken = app.state.working();
        assert!(
            broken
                .plan(PLAN)
                .expect("plan")
                .nodes
                .iter()
                .any(|n| n.parent.as_ref() == Some(&n.id)),
            "the database holds a loop"
        );
        let admin = person(&app, "admin@x.se", true, &[]).await;

        // An activity of another plan is saved as ever.
        let other = broken
            .set
            .activities
            .iter()
            .find(|a| !a.serves.iter().any(|g| g.plan.as_str() == PLAN))
            .map(Arc::clone)
            .expect("an activity of another plan");
        let path = format!("/edit/activity/{}", other.id);
        let saved = resend(
            &app,
            &admin,
            &path,
            &[("title", "Sparad trots en trasig plan")],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert!(
            app.state
                .working()
                .activity(other.id.as_str())
                .is_some_and(|a| a.title == "Sparad trots en trasig plan")
        );

        // A save of the broken plan itself says what is wrong with it.
        let goal = broken
            .plan(PLAN)
            .expect("plan")
            .nodes
            .iter()
            .find(|n| n.parent.as_ref() == Some(&n.id))
            .map(|n| n.id.to_string())
            .expect("the broken goal");
        let path = format!("/edit/plan/{PLAN}/goal/{goal}");
        let refused = resend(&app, &admin, &path, &[("title", "Ett ändrat mål")]).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
    }
}

/// A connection pool of the test's own on the app's database, for writing behind its back.
async fn sqlx_pool(app: &App) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(&app.url).await.expect("pool")
}

#[tokio::test]
async fn a_form_holds_no_more_than_a_form_can_hold() {
    for app in apps("limits").await {
        let admin = person(&app, "admin@x.se", true, &[]).await;
        let path = "/edit/activity/narvaroteam";
        let page = get(&app, path, &admin.cookie).await;
        let fields: Vec<(String, String)> = form_fields(&page.body)
            .into_iter()
            .filter(|(k, _)| k != "csrf")
            .collect();
        let before = app.state.store().export().await.expect("export");

        // 20,000 rows of funding, as one post of a megabyte did.
        let mut many = fields.clone();
        for i in 1..=20_000 {
            many.push((format!("funding-{i}-funder"), "region-orebro-lan".into()));
        }
        let pairs: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = submit(&app, &admin, path, &pairs).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains(
                "<p class=\"field-error\" id=\"f-funding-1-funder-error\">Högst 100 rader får plats i listan;"
            ),
            "said at the list's first row: {}",
            refused.body
        );

        // A title of more than 50,000 characters, in English.
        let mut long = fields.clone();
        for (k, v) in &mut long {
            if k == "title" {
                *v = "x".repeat(50_001);
            }
        }
        let pairs: Vec<(&str, &str)> = long.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = submit(&app, &admin, &format!("{path}?lang=en"), &pairs).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("At most"),
            "said in the person's language"
        );
        assert!(
            refused.body.contains("aria-invalid=\"true\"")
                || refused.body.contains("class=\"error"),
            "said at the field"
        );

        // A post larger than any form is refused before it is read, and is no server error.
        let mut huge = fields.clone();
        huge.push(("narrative".into(), "y".repeat(3 * 1024 * 1024)));
        let pairs: Vec<(&str, &str)> = huge.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = submit(&app, &admin, path, &pairs).await;
        assert!(refused.status.is_client_error(), "{}", refused.status);
        assert_eq!(
            app.state.store().export().await.expect("export"),
            before,
            "nothing stored"
        );
    }
}
