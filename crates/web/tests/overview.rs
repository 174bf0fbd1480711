//! The overview for decision-makers, of a plan and of a round, against figures counted by hand
//! from the Örebro data set; its charts have their facts in tables, and the CSV says the same.

mod common;

use axum::http::StatusCode;
use common::{apps, get};

/// The number in the table row headed `label` of the chart `id`.
fn count(body: &str, id: &str, label: &str) -> Option<usize> {
    let section = body.split(&format!("id=\"chart-{id}\"")).nth(1)?;
    let table = section.split("<tbody>").nth(1)?.split("</tbody>").next()?;
    let row = table
        .split(&format!("<th scope=\"row\">{label}</th><td>"))
        .nth(1)?;
    row.split("</td>").next()?.parse().ok()
}

#[tokio::test]
async fn the_2021_rounds_overview_counts_what_its_reports_say() {
    for app in apps("overview_round").await {
        let page = get(&app, "/rounds/uppfoljning-2021/overview", "").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = &page.body;
        // The 2021 report gives 26 activities as ongoing, 6 planned, 5 paused, 1 completed, and
        // says nothing of the status of 16 (data/orebro/reports/uppfoljning-2021.toml).
        assert_eq!(count(body, "status", "pågår"), Some(26), "{body}");
        assert_eq!(count(body, "status", "planerad"), Some(6));
        assert_eq!(count(body, "status", "pausad"), Some(5));
        assert_eq!(count(body, "status", "avslutad"), Some(1));
        assert_eq!(count(body, "status", "status ej rapporterad"), Some(16));
        assert!(body.contains("54 aktiviteter."), "{body}");
        // Every chart is SVG with its facts in words, and a table beneath.
        assert_eq!(body.matches("<svg role=\"img\"").count(), 3);
        assert!(body.contains("Aktiviteter efter status: status ej rapporterad 16, planerad 6"));
        // The paused are listed, each with a link.
        let paused = body.split("id=\"overview-paused\"").nth(1).expect("paused");
        let paused = paused.split("</section>").next().unwrap_or_default();
        assert_eq!(
            paused.matches("<tr><th scope=\"row\">").count(),
            5,
            "{paused}"
        );

        let csv = get(&app, "/rounds/uppfoljning-2021/overview.csv", "").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers["content-type"]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/csv"))
        );
        assert!(
            csv.body.contains("Aktiviteter efter status,pågår,26"),
            "{}",
            csv.body
        );
        assert_eq!(
            csv.body
                .lines()
                .filter(|l| l.starts_with("Pausade,"))
                .count(),
            5
        );
        // A second visit is the same page, from the page cache.
        let again = get(&app, "/rounds/uppfoljning-2021/overview", "").await;
        assert_eq!(again.body, page.body);
    }
}

#[tokio::test]
async fn a_plans_overview_names_the_goals_no_activity_serves() {
    for app in apps("overview_plan").await {
        let page = get(&app, "/plans/social-valfard-2019-2022/overview", "").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let working = app.state.model();
        let plan = working.plan("social-valfard-2019-2022").expect("plan");
        // Counted by hand here the way a reader would: each goal, whether anything serves it.
        let unserved: Vec<&str> = plan
            .nodes
            .iter()
            .filter(|n| {
                working
                    .serving(&rodtrad_domain::GoalRef {
                        plan: plan.id.clone(),
                        node: n.id.clone(),
                    })
                    .next()
                    .is_none()
            })
            .map(|n| n.title.as_str())
            .collect();
        assert!(
            !unserved.is_empty(),
            "the plan has goals no activity serves"
        );
        let section = page
            .body
            .split("id=\"unserved\"")
            .nth(1)
            .and_then(|s| s.split("</section>").next())
            .expect("the section");
        assert_eq!(section.matches("<li>").count(), unserved.len(), "{section}");
        for title in unserved {
            let shown = title.replace('&', "&amp;");
            assert!(section.contains(&shown), "{title}: {section}");
        }
        let missing = get(&app, "/plans/finns-inte/overview", "").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
}
