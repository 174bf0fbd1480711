//! Every write route leaves its record; plan versions are published, decided, kept and
//! compared; removal says what depends; drafts stay with those who have a role. On every
//! backend.

use axum::http::StatusCode;
use rodtrad_domain::{Action, ItemKind, Role};

mod common;
use common::{App, Person, apps, field_value, get, person, submit};

const PLAN: &str = "psykisk-halsa-2020";
const GOAL: &str = "hallbara-stod-till-dom-som-behover";

/// Posts a form and checks that it saved (303) and that the newest record is of `kind` and
/// `action`.
async fn writes(
    app: &App,
    who: &Person,
    path: &str,
    form: &[(&str, &str)],
    kind: ItemKind,
    action: Action,
) {
    let before = app.state.store().all_changes().await.expect("record").len();
    let a = submit(app, who, path, form).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{path}: {}", a.body);
    let record = app.state.store().all_changes().await.expect("record");
    assert!(record.len() > before, "{path} left no record");
    let last = record.last().expect("a change");
    assert_eq!(
        (last.item.kind, last.action),
        (kind, action),
        "{path}: {last:?}"
    );
    assert_eq!(last.account, Some(who.id), "{path}: the record names who");
}

/// The revision a form page offers.
async fn revision(app: &App, who: &Person, path: &str) -> String {
    let page = get(app, path, &who.cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    field_value(&page.body, "revision").expect("a revision")
}

/// One write: where to post, where its form shows the revision it is based on (none for a new
/// item), what it sends, and what the record must then say.
struct Step {
    path: &'static str,
    revision_from: Option<&'static str>,
    form: &'static [(&'static str, &'static str)],
    kind: ItemKind,
    action: Action,
}

const fn step(
    path: &'static str,
    revision_from: Option<&'static str>,
    form: &'static [(&'static str, &'static str)],
    kind: ItemKind,
    action: Action,
) -> Step {
    Step {
        path,
        revision_from,
        form,
        kind,
        action,
    }
}

use Action::{Changed, Created, Decided, Published, Removed};
use ItemKind::{Activity, Organisation, Perspective, Plan, Strategy};

/// Every write route of the data, in an order where each step finds what it needs.
const STEPS: &[Step] = &[
    step(
        "/new/perspective",
        None,
        &[("name", "Tillgänglighet")],
        Perspective,
        Created,
    ),
    step(
        "/edit/perspective/tillganglighet",
        Some("/edit/perspective/tillganglighet"),
        &[("name", "Tillgänglighet för alla")],
        Perspective,
        Changed,
    ),
    step(
        "/remove/perspective/tillganglighet",
        Some("/remove/perspective/tillganglighet"),
        &[],
        Perspective,
        Removed,
    ),
    step(
        "/new/organisation",
        None,
        &[("name", "Testföreningen"), ("kind", "association")],
        Organisation,
        Created,
    ),
    step(
        "/edit/organisation/testforeningen",
        Some("/edit/organisation/testforeningen"),
        &[
            ("name", "Testföreningen i Örebro"),
            ("kind", "association"),
            ("parent", "orebro-kommun"),
        ],
        Organisation,
        Changed,
    ),
    step(
        "/remove/organisation/testforeningen",
        Some("/remove/organisation/testforeningen"),
        &[],
        Organisation,
        Removed,
    ),
    step(
        "/edit/strategy/rus-2018-2030",
        Some("/edit/strategy/rus-2018-2030"),
        &[
            ("title", "RUS 2018–2030"),
            ("start", "2018"),
            ("end", "2030"),
        ],
        Strategy,
        Changed,
    ),
    step(
        "/new/plan",
        None,
        &[
            ("title", "Testplan"),
            ("kind", "plan"),
            ("new_level", "Mål"),
        ],
        Plan,
        Created,
    ),
    step(
        "/new/plan/testplan/goal",
        Some("/new/plan/testplan/goal"),
        &[("title", "Första målet"), ("level", "mal")],
        Plan,
        Changed,
    ),
    step(
        "/edit/plan/testplan/goal/forsta-malet",
        Some("/edit/plan/testplan/goal/forsta-malet"),
        &[
            ("title", "Det första målet"),
            ("level", "mal"),
            ("number", "1"),
        ],
        Plan,
        Changed,
    ),
    step(
        "/new/plan/testplan/risk",
        Some("/new/plan/testplan/risk"),
        &[("id", "tid"), ("title", "Tiden räcker inte")],
        Plan,
        Changed,
    ),
    step(
        "/edit/plan/testplan/risk/tid",
        Some("/edit/plan/testplan/risk/tid"),
        &[("title", "Tiden räcker inte till"), ("text", "Prioritera")],
        Plan,
        Changed,
    ),
    step(
        "/remove/plan/testplan/risk/tid",
        Some("/remove/plan/testplan/risk/tid"),
        &[],
        Plan,
        Changed,
    ),
    step(
        "/edit/plan/testplan",
        Some("/edit/plan/testplan"),
        &[
            ("title", "Testplanen"),
            ("kind", "plan"),
            ("level-mal", "Målområde"),
        ],
        Plan,
        Changed,
    ),
    step(
        "/remove/plan/testplan/goal/forsta-malet",
        Some("/remove/plan/testplan/goal/forsta-malet"),
        &[],
        Plan,
        Changed,
    ),
    step(
        "/plans/testplan/publish",
        Some("/plans/testplan/versions"),
        &[],
        Plan,
        Published,
    ),
    step(
        "/plans/testplan/decide",
        Some("/plans/testplan/versions"),
        &[
            ("title", "Beslutad testplan"),
            ("body", "regionstyrelsen"),
            ("date", "2026-11-23"),
        ],
        Plan,
        Decided,
    ),
    step(
        "/new/plan/testplan/direction",
        Some("/new/plan/testplan/direction"),
        &[("title", "Samverkan")],
        Plan,
        Changed,
    ),
    step(
        "/edit/plan/testplan/direction/samverkan",
        Some("/edit/plan/testplan/direction/samverkan"),
        &[("title", "Samverkan i länet"), ("text", "Med kommunerna")],
        Plan,
        Changed,
    ),
    step(
        "/remove/plan/testplan/direction/samverkan",
        Some("/remove/plan/testplan/direction/samverkan"),
        &[],
        Plan,
        Changed,
    ),
    step(
        "/remove/plan/testplan",
        Some("/remove/plan/testplan"),
        &[],
        Plan,
        Removed,
    ),
    step(
        "/new/follow_up",
        None,
        &[
            ("title", "Uppföljning 2026"),
            ("date", "2026-11"),
            ("plans", "psykisk-halsa-2020"),
        ],
        ItemKind::FollowUp,
        Created,
    ),
    step(
        "/edit/follow_up/uppfoljning-2026",
        Some("/edit/follow_up/uppfoljning-2026"),
        &[
            ("title", "Uppföljning 2026"),
            ("structure", "psykisk-halsa-2020"),
        ],
        ItemKind::FollowUp,
        Changed,
    ),
    step(
        "/remove/follow_up/uppfoljning-2026",
        Some("/remove/follow_up/uppfoljning-2026"),
        &[],
        ItemKind::FollowUp,
        Removed,
    ),
    step(
        "/new/strategy/rus-2018-2030/area",
        Some("/new/strategy/rus-2018-2030/area"),
        &[("title", "Testområde")],
        Strategy,
        Changed,
    ),
    step(
        "/edit/strategy/rus-2018-2030/area/testomrade",
        Some("/edit/strategy/rus-2018-2030/area/testomrade"),
        &[("title", "Testområdet")],
        Strategy,
        Changed,
    ),
    step(
        "/remove/strategy/rus-2018-2030/area/testomrade",
        Some("/remove/strategy/rus-2018-2030/area/testomrade"),
        &[],
        Strategy,
        Changed,
    ),
    step(
        "/new/strategy/rus-2018-2030/goal",
        Some("/new/strategy/rus-2018-2030/goal"),
        &[("title", "Testmål")],
        Strategy,
        Changed,
    ),
    step(
        "/edit/strategy/rus-2018-2030/goal/testmal",
        Some("/edit/strategy/rus-2018-2030/goal/testmal"),
        &[
            ("title", "Testmålet"),
            ("effect-1-title", "Ett effektmål att testa med"),
        ],
        Strategy,
        Changed,
    ),
    step(
        "/edit/strategy/rus-2018-2030/goal/testmal",
        Some("/edit/strategy/rus-2018-2030/goal/testmal"),
        &[("title", "Testmålet")],
        Strategy,
        Changed,
    ),
    step(
        "/remove/strategy/rus-2018-2030/goal/testmal",
        Some("/remove/strategy/rus-2018-2030/goal/testmal"),
        &[],
        Strategy,
        Changed,
    ),
    step(
        "/new/activity",
        None,
        &[("title", "Testaktivitet"), ("lead", "psykiatrin")],
        Activity,
        Created,
    ),
    step(
        "/edit/activity/testaktivitet",
        Some("/edit/activity/testaktivitet"),
        &[
            ("title", "Testaktiviteten"),
            ("lead", "psykiatrin"),
            (
                "serves",
                "psykisk-halsa-2020/hallbara-stod-till-dom-som-behover",
            ),
        ],
        Activity,
        Changed,
    ),
    step(
        "/remove/activity/testaktivitet",
        Some("/remove/activity/testaktivitet"),
        &[],
        Activity,
        Removed,
    ),
];

#[tokio::test]
async fn every_write_route_leaves_its_record() {
    for app in apps("writes").await {
        let admin = person(&app, "admin@x.se", true, &[]).await;
        for s in STEPS {
            let revision = match s.revision_from {
                Some(from) => revision(&app, &admin, from).await,
                None => "0".to_owned(),
            };
            let mut form = vec![("revision", revision.as_str())];
            form.extend_from_slice(s.form);
            writes(&app, &admin, s.path, &form, s.kind, s.action).await;
        }

        // Accounts.
        let made = [
            ("email", "ny@x.se"),
            ("password", "ett tillräckligt långt lösenord"),
        ];
        writes(
            &app,
            &admin,
            "/admin/accounts",
            &made,
            ItemKind::Account,
            Created,
        )
        .await;
        let id = app
            .state
            .store()
            .account_by_email("ny@x.se")
            .await
            .expect("query")
            .expect("made")
            .0
            .id;
        let path = format!("/admin/accounts/{id}");
        for form in [
            [("do", "grant"), ("role", "reader"), ("scope", PLAN)],
            [("do", "revoke"), ("role", "reader"), ("scope", PLAN)],
            [("do", "status"), ("disabled", "yes"), ("admin", "")],
        ] {
            writes(&app, &admin, &path, &form, ItemKind::Account, Changed).await;
        }
    }
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "one story, told in order")]
async fn a_decided_version_stays_as_decided_while_the_draft_moves_on() {
    for app in apps("versions").await {
        let owner = person(&app, "owner@x.se", false, &[(Role::PlanOwner, PLAN)]).await;
        let page = get(&app, &format!("/plans/{PLAN}/versions"), &owner.cookie).await;
        let rev = field_value(&page.body, "revision").expect("revision");

        // A decision without its body and date is refused at those fields.
        let refused = submit(
            &app,
            &owner,
            &format!("/plans/{PLAN}/decide"),
            &[("revision", &rev), ("title", "Beslut")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("id=\"d-body-error\"")
                && refused.body.contains("id=\"d-date-error\"")
        );
        assert!(
            refused.body.contains("value=\"Beslut\""),
            "the typed title is kept"
        );

        let decided = submit(
            &app,
            &owner,
            &format!("/plans/{PLAN}/decide"),
            &[
                ("revision", &rev),
                ("title", "Handlingsplan 2026"),
                ("body", "regionstyrelsen"),
                ("date", "2026-11-23"),
            ],
        )
        .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
        let version = format!("/plans/{PLAN}/versions/2");
        let as_decided = get(&app, &version, "").await;
        assert_eq!(as_decided.status, StatusCode::OK);
        assert!(as_decided.body.contains("Handlingsplan 2026"));

        // The owner changes the draft: a goal gets a new title.
        let edit = format!("/edit/plan/{PLAN}/goal/{GOAL}");
        let form = get(&app, &edit, &owner.cookie).await;
        let rev = field_value(&form.body, "revision").expect("revision");
        let saved = submit(
            &app,
            &owner,
            &edit,
            &[
                ("revision", &rev),
                ("title", "Ett helt nytt utkastmål"),
                ("level", "activity-area"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

        assert_eq!(
            get(&app, &version, "").await.body,
            as_decided.body,
            "the decided version is unchanged"
        );
        let public = get(&app, &format!("/plans/{PLAN}"), "").await;
        assert!(
            !public.body.contains("Ett helt nytt utkastmål"),
            "visitors do not see the draft"
        );
        let own = get(&app, &format!("/plans/{PLAN}"), &owner.cookie).await;
        assert!(
            own.body.contains("Ett helt nytt utkastmål"),
            "the owner does"
        );
        assert!(
            own.body.contains("class=\"draft\""),
            "and is told it is a draft"
        );
        let reader = person(&app, "reader@x.se", false, &[(Role::Reader, PLAN)]).await;
        assert!(
            get(&app, &format!("/plans/{PLAN}"), &reader.cookie)
                .await
                .body
                .contains("Ett helt nytt utkastmål")
        );
        let other = person(
            &app,
            "other@x.se",
            false,
            &[(Role::Reader, "social-valfard-2019-2022")],
        )
        .await;
        assert!(
            !get(&app, &format!("/plans/{PLAN}"), &other.cookie)
                .await
                .body
                .contains("Ett helt nytt utkastmål")
        );

        // Comparing the decided version with the draft shows the change.
        let compared = get(
            &app,
            &format!("/plans/{PLAN}/versions?from=2&to=draft"),
            &owner.cookie,
        )
        .await;
        assert_eq!(compared.status, StatusCode::OK);
        assert!(
            compared.body.contains(&format!("nodes[{GOAL}].title")),
            "{}",
            compared.body
        );
        assert!(compared.body.contains("Ett helt nytt utkastmål"));
        let same = get(&app, &format!("/plans/{PLAN}/versions?from=1&to=1"), "").await;
        assert!(same.body.contains("Inga skillnader."));
        let decision = get(&app, &format!("/plans/{PLAN}/versions?from=1&to=2"), "").await;
        assert!(
            decision.body.contains("Handlingsplan 2026"),
            "the decision is what version 2 added"
        );
    }
}

#[tokio::test]
async fn removing_says_what_depends_and_loosens_it() {
    for app in apps("remove").await {
        let owner = person(&app, "owner@x.se", false, &[(Role::PlanOwner, PLAN)]).await;
        let path = format!("/remove/plan/{PLAN}/goal/{GOAL}");
        let ask = get(&app, &path, &owner.cookie).await;
        assert_eq!(ask.status, StatusCode::OK);
        let serving: Vec<String> = app
            .state
            .working()
            .set
            .activities
            .iter()
            .filter(|a| {
                a.serves
                    .iter()
                    .any(|g| g.plan.as_str() == PLAN && g.node.as_str() == GOAL)
            })
            .map(|a| a.id.to_string())
            .collect();
        assert!(!serving.is_empty(), "the test needs a goal with activities");
        for a in &serving {
            assert!(
                ask.body.contains(a.as_str()),
                "{a} depends on the goal and is named"
            );
        }
        assert!(ask.body.contains("Ta bort och koppla loss"));
        let rev = field_value(&ask.body, "revision").expect("revision");
        let done = submit(&app, &owner, &path, &[("revision", &rev)]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let set = app.state.working().set.clone();
        assert!(
            set.activities
                .iter()
                .all(|a| !a.serves.iter().any(|g| g.node.as_str() == GOAL))
        );
        let record = app.state.store().all_changes().await.expect("record");
        for a in &serving {
            assert!(
                record.iter().any(|c| c.item.kind == ItemKind::Activity
                    && c.item.id.as_str() == a
                    && c.action == Action::Changed),
                "the loosening of {a} is on record"
            );
        }

        // An organisation that decided a plan version cannot go: the page says why, no button.
        let admin = person(&app, "admin@x.se", true, &[]).await;
        let decider = set
            .plans
            .iter()
            .flat_map(|p| p.versions.iter())
            .find_map(|v| v.decision.as_ref().map(|d| d.body.to_string()))
            .expect("a decided version in the data set");
        let blocked = get(
            &app,
            &format!("/remove/organisation/{decider}"),
            &admin.cookie,
        )
        .await;
        assert!(
            blocked.body.contains("id=\"form-problems\""),
            "{}",
            blocked.body
        );
        assert!(
            !blocked.body.contains("koppla loss</button>")
                && !blocked.body.contains(">Ta bort</button>"),
            "no button to remove"
        );
    }
}

#[tokio::test]
async fn what_a_removal_loosens_is_read_as_it_is_now_not_as_it_was_when_the_page_was_shown() {
    for app in apps("loosen_stale").await {
        // A second server on the same database, as on shared hosting.
        let other = App {
            _dir: tempfile::tempdir().expect("tmp"),
            state: rodtrad_web::AppState::load(app.state.store().clone())
                .await
                .expect("load"),
            url: app.url.clone(),
        };
        let owner = person(&app, "owner@x.se", false, &[(Role::PlanOwner, PLAN)]).await;
        let admin = person(&app, "admin@x.se", true, &[]).await;
        let path = format!("/remove/plan/{PLAN}/goal/{GOAL}");
        let ask = get(&app, &path, &owner.cookie).await;
        let rev = field_value(&ask.body, "revision").expect("revision");

        // Meanwhile, on the other server, an activity serving the goal gets a new title, and
        // another activity comes to serve the goal.
        let serving = app
            .state
            .working()
            .set
            .activities
            .iter()
            .find(|a| {
                a.serves
                    .iter()
                    .any(|g| g.plan.as_str() == PLAN && g.node.as_str() == GOAL)
            })
            .map(|a| {
                (
                    a.id.to_string(),
                    a.lead.as_ref().map(ToString::to_string).unwrap_or_default(),
                )
            })
            .expect("an activity serving the goal");
        let goal = format!("{PLAN}/{GOAL}");
        for (activity, lead, title) in [
            (
                serving.0.as_str(),
                serving.1.as_str(),
                "Ny titel på den andra servern",
            ),
            (
                "brukarinflytandesamordnare-bisam",
                "psykiatrin",
                "Ändrad på den andra servern",
            ),
        ] {
            let edit = format!("/edit/activity/{activity}");
            let form = get(&other, &edit, &admin.cookie).await;
            let arev = field_value(&form.body, "revision").expect("revision");
            let changed = [
                ("revision", arev.as_str()),
                ("title", title),
                ("lead", lead),
                ("serves", goal.as_str()),
            ];
            assert_eq!(
                submit(&other, &admin, &edit, &changed).await.status,
                StatusCode::SEE_OTHER
            );
        }

        // The removal is made over the data as it is now: both activities are loosened from
        // the goal, and keep the titles given on the other server.
        let removed = submit(&app, &owner, &path, &[("revision", &rev)]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
        let now = app.state.store().export().await.expect("export");
        for (activity, title) in [
            (serving.0.as_str(), "Ny titel på den andra servern"),
            (
                "brukarinflytandesamordnare-bisam",
                "Ändrad på den andra servern",
            ),
        ] {
            let a = now
                .activities
                .iter()
                .find(|a| a.id.as_str() == activity)
                .expect("kept");
            assert_eq!(a.title, title, "the other server's title stands");
            assert!(
                !a.serves.iter().any(|g| g.node.as_str() == GOAL),
                "{activity} loosened from the removed goal"
            );
        }
    }
}
