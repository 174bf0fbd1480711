//! Every edit form gives back what it was given: sent again unchanged, as a browser would send
//! it, it changes nothing and records nothing. This is what shows that no form drops a value it
//! does not show (a link to a goal, a funder, a section of a report).

use axum::http::StatusCode;
mod common;
use common::{App, apps, form_fields, get, person, submit};

fn every_form(app: &App) -> Vec<String> {
    let set = app.state.working().set.clone();
    let mut paths = Vec::new();
    paths.extend(
        set.activities
            .iter()
            .map(|a| format!("/edit/activity/{}", a.id)),
    );
    paths.extend(
        set.organisations
            .iter()
            .map(|o| format!("/edit/organisation/{}", o.id)),
    );
    paths.extend(
        set.perspectives
            .iter()
            .map(|p| format!("/edit/perspective/{}", p.id)),
    );
    paths.extend(
        set.follow_ups
            .iter()
            .map(|f| format!("/edit/follow_up/{}", f.id)),
    );
    for s in &set.strategies {
        paths.push(format!("/edit/strategy/{}", s.id));
        paths.extend(
            s.priority_areas
                .iter()
                .map(|a| format!("/edit/strategy/{}/area/{}", s.id, a.id)),
        );
        paths.extend(
            s.overarching_goals
                .iter()
                .map(|g| format!("/edit/strategy/{}/goal/{}", s.id, g.id)),
        );
        paths.extend(
            s.desired_states
                .iter()
                .map(|d| format!("/edit/strategy/{}/state/{}", s.id, d.id)),
        );
    }
    for p in &set.plans {
        paths.push(format!("/edit/plan/{}", p.id));
        paths.extend(
            p.nodes
                .iter()
                .map(|n| format!("/edit/plan/{}/goal/{}", p.id, n.id)),
        );
        paths.extend(
            p.risks
                .iter()
                .map(|r| format!("/edit/plan/{}/risk/{}", p.id, r.id)),
        );
        paths.extend(
            p.strategic_directions
                .iter()
                .map(|d| format!("/edit/plan/{}/direction/{}", p.id, d.id)),
        );
    }
    paths
}

#[tokio::test]
async fn every_form_sent_back_unchanged_changes_nothing() {
    for app in apps("round_trip").await {
        let admin = person(&app, "admin@x.se", true, &[]).await;
        let before = app.state.store().export().await.expect("export");
        let record = app.state.store().all_changes().await.expect("record").len();
        let mut lost = Vec::new();
        let paths = every_form(&app);
        assert!(paths.len() > 100, "{}", paths.len());
        for path in &paths {
            let page = get(&app, path, &admin.cookie).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            let fields = form_fields(&page.body);
            let sent: Vec<(&str, &str)> = fields
                .iter()
                .filter(|(k, _)| k != "csrf")
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let answer = submit(&app, &admin, path, &sent).await;
            if answer.status != StatusCode::SEE_OTHER {
                lost.push(format!("{path}: {}", answer.status));
                continue;
            }
            let now = app.state.store().all_changes().await.expect("record");
            if now.len() != record {
                lost.push(format!("{path}: {:?}", now.last().map(|c| &c.fields)));
                break;
            }
        }
        assert!(lost.is_empty(), "{}", lost.join("\n"));
        assert_eq!(app.state.store().export().await.expect("export"), before);
    }
}
