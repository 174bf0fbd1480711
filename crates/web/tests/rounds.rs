//! Follow-up rounds end to end, in-process, on SQLite and PostgreSQL: a round made and opened;
//! a contributor drafts and submits; the owner returns it; the contributor corrects and
//! resubmits; the owner approves; the round closes (a late save refused with the reason); the
//! report is published and an edit afterwards does not change it. Who may do what, and what
//! each step leaves on the record.

mod common;

use axum::http::StatusCode;
use common::{App, Person, apps, field_value, get, person, resend, submit};
use rodtrad_domain::{ItemKey, ReportState, RoundState, Slug};

const PLAN: &str = "psykisk-halsa-2020";
const ACTIVITY: &str = "brukarinflytandesamordnare-bisam";
const LEAD: &str = "psykiatrin";
const ROUND: &str = "uppfoljning-2025";

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("slug")
}

fn report_path() -> String {
    format!("/rounds/{ROUND}/reports/{ACTIVITY}")
}

/// The people of the story.
struct People {
    owner: Person,
    contributor: Person,
    other_contributor: Person,
    other_owner: Person,
    admin: Person,
}

async fn people(app: &App) -> People {
    use rodtrad_domain::Role::{Contributor, PlanOwner};
    People {
        owner: person(app, "agare@region.se", false, &[(PlanOwner, PLAN)]).await,
        contributor: person(app, "psykiatrin@region.se", false, &[(Contributor, LEAD)]).await,
        other_contributor: person(
            app,
            "region@region.se",
            false,
            &[(Contributor, "region-orebro-lan")],
        )
        .await,
        other_owner: person(
            app,
            "annan@region.se",
            false,
            &[(PlanOwner, "social-valfard-2019-2022")],
        )
        .await,
        admin: person(app, "admin@region.se", true, &[]).await,
    }
}

/// The round's state as stored in the working model.
fn round_state(app: &App) -> RoundState {
    app.state.working().round(ROUND).expect("the round").state
}

fn report_state(app: &App) -> Option<ReportState> {
    app.state
        .working()
        .report(&slug(ROUND), &slug(ACTIVITY))
        .map(|r| r.state)
}

/// A step on the report page, sent as the page's own form would send it.
async fn step(app: &App, who: &Person, step: &str, changes: &[(&str, &str)]) -> common::Answer {
    let mut all: Vec<(&str, &str)> = vec![("step", step)];
    all.extend_from_slice(changes);
    resend(app, who, &report_path(), &all).await
}

/// A step posted straight to the report, as a form no longer shown (or never shown to this
/// person) would send it, based on the report's revision now.
async fn direct(app: &App, who: &Person, form: &[(&str, &str)]) -> common::Answer {
    let revision = app
        .state
        .working()
        .revision(&ItemKey::report(&slug(ROUND), &slug(ACTIVITY)))
        .to_string();
    let mut all: Vec<(&str, &str)> = vec![("revision", revision.as_str())];
    all.extend_from_slice(form);
    submit(app, who, &report_path(), &all).await
}

/// A round step posted from the round's page.
async fn advance(app: &App, who: &Person, to: &str) -> common::Answer {
    let page = get(app, &format!("/rounds/{ROUND}"), &who.cookie).await;
    let revision = field_value(&page.body, "revision").unwrap_or_else(|| "0".into());
    submit(
        app,
        who,
        &format!("/rounds/{ROUND}/state"),
        &[("to", to), ("revision", &revision)],
    )
    .await
}

fn location(a: &common::Answer) -> String {
    a.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The round made over the plan by its owner, and opened.
async fn open_round(app: &App, owner: &Person) {
    let made = resend(
        app,
        owner,
        "/new/follow_up",
        &[
            ("id", ROUND),
            ("title", "Uppföljning 2025"),
            ("plans", PLAN),
            ("deadline", "2027-02-15"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(
        advance(app, owner, "open").await.status,
        StatusCode::SEE_OTHER
    );
}

/// What the test's SMTP server received, once `n` messages are in (within five seconds).
async fn arrived(
    smtp: &rodtrad_mail::testing::TestSmtp,
    n: usize,
) -> Vec<rodtrad_mail::testing::Received> {
    for _ in 0..100 {
        if smtp.received().len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    smtp.received()
}

#[tokio::test]
async fn reminders_go_to_whoever_has_reports_left_and_say_what() {
    for app in apps("rounds_remind").await {
        let p = people(&app).await;
        open_round(&app, &p.owner).await;

        // No mail server: the round's page lists the addresses to copy; sending is refused.
        let page = get(&app, &format!("/rounds/{ROUND}"), &p.owner.cookie).await;
        assert!(page.body.contains("psykiatrin@region.se"), "{}", page.body);
        assert!(page.body.contains("Kopiera adresserna"));
        let refused = submit(&app, &p.owner, &format!("/rounds/{ROUND}/remind"), &[]).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        // Only who runs the round sends reminders.
        let stranger = submit(
            &app,
            &p.contributor,
            &format!("/rounds/{ROUND}/remind"),
            &[],
        )
        .await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN);

        // With a mail server: one mail per person, naming their activities with links.
        let smtp = rodtrad_mail::testing::TestSmtp::start().await;
        let config = rodtrad_mail::MailConfig::parse(&smtp.url(), "Röd tråd <noreply@region.se>")
            .expect("config");
        let app = App {
            state: app.state.clone().with_mailing(Some(rodtrad_web::Mailing {
                config,
                base_url: "https://planer.region.se".into(),
            })),
            ..app
        };
        let sent = submit(&app, &p.owner, &format!("/rounds/{ROUND}/remind"), &[]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        assert!(location(&sent).ends_with("?done=reminded"));
        let mails = arrived(&smtp, 1).await;
        let to_contributor: Vec<_> = mails
            .iter()
            .filter(|m| m.to == ["psykiatrin@region.se"])
            .collect();
        assert_eq!(to_contributor.len(), 1, "{mails:?}");
        let mail = to_contributor[0];
        assert_eq!(
            mail.subject,
            "Påminnelse: rapportera i Uppföljning 2025 senast 2027-02-15"
        );
        assert!(
            mail.body.contains("Brukarinflytandesamordnare (BISAM)"),
            "{}",
            mail.body
        );
        assert!(
            mail.body
                .contains(&format!("https://planer.region.se{}", report_path())),
            "{}",
            mail.body
        );
        assert!(
            !mails.iter().any(|m| m.to == ["agare@region.se"]),
            "the owner has nothing to report"
        );

        // Submitted: no longer reminded. Returned: told at once, with the comment.
        let before = smtp.received().len();
        step(
            &app,
            &p.contributor,
            "submit",
            &[("status", "ongoing"), ("done", "Anställd.")],
        )
        .await;
        let due = rodtrad_web::reminders_due(
            app.state.store(),
            &app.state.working(),
            app.state.working().round(ROUND).expect("round"),
        )
        .await
        .expect("due");
        assert!(
            due.iter()
                .all(|r| r.activities.iter().all(|(_, path)| *path != report_path())),
            "{due:?}"
        );
        step(
            &app,
            &p.owner,
            "return",
            &[("comment", "Vad blev resultatet?")],
        )
        .await;
        let mails = arrived(&smtp, before + 1).await;
        let told = mails.last().expect("a mail");
        assert_eq!(told.to, ["psykiatrin@region.se"]);
        assert!(told.subject.contains("har återsänts"), "{}", told.subject);
        assert!(told.body.contains("Vad blev resultatet?"), "{}", told.body);
    }
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "one story, told in order")]
async fn a_round_from_opening_to_its_frozen_report() {
    for app in apps("rounds_story").await {
        let p = people(&app).await;

        // The plan's owner makes the round over their plan.
        let made = resend(
            &app,
            &p.owner,
            "/new/follow_up",
            &[
                ("id", ROUND),
                ("title", "Uppföljning 2025"),
                ("plans", PLAN),
                ("period_start", "2025"),
                ("period_end", "2025"),
                ("deadline", "2027-02-15"),
            ],
        )
        .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        assert_eq!(round_state(&app), RoundState::Planned);
        // Another plan's owner may not make a round over a plan they do not own.
        let theirs = resend(
            &app,
            &p.other_owner,
            "/new/follow_up",
            &[("id", "deras"), ("title", "Deras"), ("plans", PLAN)],
        )
        .await;
        assert_eq!(theirs.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Not open yet: the contributor's save is refused, saying so.
        let early = direct(
            &app,
            &p.contributor,
            &[("step", "save"), ("done", "Tidigt")],
        )
        .await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
        assert!(
            early.body.contains("inte öppen för rapporter"),
            "{}",
            early.body
        );
        assert_eq!(report_state(&app), None);

        let opened = advance(&app, &p.owner, "open").await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        assert!(location(&opened).ends_with("?done=opened"));
        assert_eq!(round_state(&app), RoundState::Open);

        // The round's page lists the activity under its lead, not started.
        let page = get(&app, &format!("/rounds/{ROUND}"), &p.contributor.cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Brukarinflytandesamordnare"),
            "{}",
            page.body
        );
        assert!(page.body.contains("inte påbörjad"));

        // A draft, then sent for review; the confirmation is on the page landed on.
        let saved = step(
            &app,
            &p.contributor,
            "save",
            &[("status", "ongoing"), ("done", "Samordnaren anställdes.")],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let landed = get(&app, &location(&saved), &p.contributor.cookie).await;
        assert!(landed.body.contains("Sparat."), "{}", landed.body);
        assert_eq!(report_state(&app), Some(ReportState::Draft));

        // Who may not: another organisation's contributor, another plan's owner, a visitor.
        let stranger = direct(&app, &p.other_contributor, &[("step", "save")]).await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN);
        let visitor = get(&app, &report_path(), "").await;
        assert_eq!(visitor.status, StatusCode::SEE_OTHER);
        assert!(location(&visitor).starts_with("/login"));
        for path in [
            format!("/rounds/{ROUND}"),
            format!("/rounds/{ROUND}/reports.csv"),
        ] {
            let hidden = get(&app, &path, "").await;
            assert!(
                hidden.status == StatusCode::SEE_OTHER || hidden.status == StatusCode::NOT_FOUND,
                "{path}: {}",
                hidden.status
            );
        }
        assert!(
            !get(&app, "/rounds", "")
                .await
                .body
                .contains("Uppföljning 2025")
        );

        let sent = step(&app, &p.contributor, "submit", &[]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        assert!(location(&sent).ends_with("?done=submitted"));
        assert_eq!(report_state(&app), Some(ReportState::Submitted));
        let again = submit(
            &app,
            &p.contributor,
            &report_path(),
            &[("step", "save"), ("revision", "0"), ("done", "x")],
        )
        .await;
        assert_eq!(
            again.status,
            StatusCode::CONFLICT,
            "a submitted report waits"
        );

        let not_theirs = direct(&app, &p.other_owner, &[("step", "approve")]).await;
        assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);

        // Returned: a comment is needed, and then it is said to the contributor.
        let bare = step(&app, &p.owner, "return", &[("comment", " ")]).await;
        assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bare.body.contains("Skriv en kommentar"), "{}", bare.body);
        let returned = step(
            &app,
            &p.owner,
            "return",
            &[("comment", "Beskriv resultaten också.")],
        )
        .await;
        assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);
        assert_eq!(report_state(&app), Some(ReportState::Returned));
        let seen = get(&app, &report_path(), &p.contributor.cookie).await;
        assert!(seen.body.contains("Beskriv resultaten också."));

        // Corrected and sent again; approved.
        let corrected = step(
            &app,
            &p.contributor,
            "submit",
            &[("results", "Brukarrådet träffas varje månad.")],
        )
        .await;
        assert_eq!(
            corrected.status,
            StatusCode::SEE_OTHER,
            "{}",
            corrected.body
        );
        let approved = step(&app, &p.owner, "approve", &[]).await;
        assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
        assert!(location(&approved).ends_with("?done=approved"));
        assert_eq!(report_state(&app), Some(ReportState::Approved));

        // Closed: a late save is refused with the reason and the date.
        assert_eq!(
            advance(&app, &p.owner, "closed").await.status,
            StatusCode::SEE_OTHER
        );
        let closed_on = app
            .state
            .working()
            .round(ROUND)
            .and_then(|r| r.closed)
            .expect("closed on a day")
            .to_string();
        let late = submit(
            &app,
            &p.owner,
            &report_path(),
            &[
                ("step", "return"),
                ("comment", "för sent"),
                ("revision", "0"),
            ],
        )
        .await;
        assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
        assert!(
            late.body
                .contains(&format!("Låst: omgången stängdes {closed_on}.")),
            "{}",
            late.body
        );
        assert_eq!(report_state(&app), Some(ReportState::Approved));

        // The owner writes the introduction, then publishes.
        let intro = resend(
            &app,
            &p.owner,
            &format!("/edit/follow_up/{ROUND}"),
            &[("introduction", "Ett år med brukarinflytande.")],
        )
        .await;
        assert_eq!(intro.status, StatusCode::SEE_OTHER, "{}", intro.body);
        assert_eq!(
            advance(&app, &p.owner, "published").await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(round_state(&app), RoundState::Published);
        let report = get(&app, &format!("/follow-ups/{ROUND}"), "").await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(report.body.contains("Ett år med brukarinflytande."));
        assert!(report.body.contains("Uppgifter per"), "{}", report.body);
        assert!(report.body.contains("Brukarinflytandesamordnare (BISAM)"));

        // An edit afterwards changes the activity, not the published report.
        let renamed = resend(
            &app,
            &p.admin,
            &format!("/edit/activity/{ACTIVITY}"),
            &[("title", "Ett nytt namn")],
        )
        .await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
        let after = get(&app, &format!("/follow-ups/{ROUND}"), "").await;
        assert_eq!(after.body, report.body, "a published report never changes");
        assert!(!after.body.contains("Ett nytt namn"));
        // Nor can a published round be opened again.
        let refused = advance(&app, &p.owner, "open").await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(
            refused.body.contains("kan inte gå från publicerad"),
            "{}",
            refused.body
        );
        let stranger = advance(&app, &p.other_owner, "closed").await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN);

        // The two published rounds compared: the activity changed status between them, as
        // published (its old title, from the frozen copies).
        let compared = get(
            &app,
            &format!("/rounds/compare?from=uppfoljning-2021&to={ROUND}"),
            "",
        )
        .await;
        assert_eq!(compared.status, StatusCode::OK, "{}", compared.body);
        let changed = compared
            .body
            .split("id=\"compare-changed\"")
            .nth(1)
            .and_then(|s| s.split("</section>").next())
            .expect("the changed");
        assert!(
            changed.contains("Brukarinflytandesamordnare (BISAM)"),
            "{changed}"
        );
        assert!(
            changed.contains("status ej rapporterad</td><td>pågår"),
            "{changed}"
        );
        let unknown = get(
            &app,
            "/rounds/compare?from=finns-inte&to=uppfoljning-2021",
            "",
        )
        .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        // Every step is on the record, with who took it.
        let steps = app
            .state
            .store()
            .changes_of(&ItemKey::report(&slug(ROUND), &slug(ACTIVITY)), 0)
            .await
            .expect("record");
        let who: Vec<&str> = steps.iter().map(|c| c.actor.as_str()).collect();
        assert_eq!(
            steps.len(),
            5,
            "save, submit, return, submit, approve: {who:?}"
        );
        assert!(
            who[0].contains("psykiatrin") && who[2].contains("agare"),
            "{who:?}"
        );
    }
}

#[tokio::test]
async fn the_orebro_follow_up_is_a_published_round_with_its_reports() {
    for app in apps("rounds_orebro").await {
        let working = app.state.working();
        let round = working.round("uppfoljning-2021").expect("the 2021 round");
        assert_eq!(round.state, RoundState::Published);
        assert_eq!(working.set.reports.len(), 54);
        assert!(
            working
                .set
                .reports
                .iter()
                .all(|r| r.state == ReportState::Approved)
        );
        let frozen = app.state.frozen(&round.id).expect("frozen when imported");
        assert_eq!(frozen.model.set.reports.len(), 54);
        // Visitors see the published round and its reports.
        let kept = app.state.cached_pages();
        let page = get(&app, "/rounds/uppfoljning-2021", "").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(
            app.state.cached_pages(),
            kept + 1,
            "a visitor's round page is kept"
        );
        let list = get(&app, "/rounds", "").await;
        assert!(list.body.contains("Uppföljning av handlingsplaner"));
        let one = get(
            &app,
            "/rounds/uppfoljning-2021/reports/brukarinflytandesamordnare-bisam",
            "",
        )
        .await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.body);
        assert!(one.body.contains("godkänd"));
        let csv = get(&app, "/rounds/uppfoljning-2021/reports.csv", "").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.body.lines().count(), 55, "a header and 54 reports");
    }
}

/// Every report of a round saved at the same moment on two servers sharing one database, and
/// two people saving the same report at once: every save of a different report succeeds, of
/// the two saves of one report exactly one wins and the other is told (its text kept), nothing
/// answers with a server error, and the database holds what the winners saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[expect(clippy::too_many_lines, reason = "one story, told in order")]
async fn reports_saved_at_once_on_two_servers_lose_nothing() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn post_as(
        state: rodtrad_web::AppState,
        who: Person,
        path: String,
        form: Vec<(String, String)>,
    ) -> (StatusCode, String) {
        let mut fields = vec![("csrf".to_owned(), who.csrf.clone())];
        fields.extend(form);
        let req = Request::post(&path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &who.cookie)
            .body(Body::from(
                serde_urlencoded::to_string(&fields).expect("form"),
            ))
            .expect("request");
        let res = rodtrad_web::router(state)
            .oneshot(req)
            .await
            .expect("response");
        let status = res.status();
        let body = res.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    for app in apps("rounds_concurrent").await {
        let admin = person(&app, "admin@region.se", true, &[]).await;
        let other = person(&app, "admin2@region.se", true, &[]).await;
        let made = resend(
            &app,
            &admin,
            "/new/follow_up",
            &[
                ("id", ROUND),
                ("title", "Alla på en gång"),
                ("structure", "gemensamma-insatsomraden-2021"),
            ],
        )
        .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        assert_eq!(
            advance(&app, &admin, "open").await.status,
            StatusCode::SEE_OTHER
        );
        let two =
            rodtrad_web::AppState::load(rodtrad_store::Store::open(&app.url).await.expect("store"))
                .await
                .expect("load");
        let working = app.state.working();
        let round = working.round(ROUND).expect("round");
        let ids: Vec<String> = working
            .round_activities(round)
            .into_iter()
            .map(|i| working.set.activities[i].id.to_string())
            .collect();
        assert!(ids.len() > 40, "{}", ids.len());
        let mut tasks = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            let state = if n % 2 == 0 {
                app.state.clone()
            } else {
                two.clone()
            };
            let form = vec![
                ("step".to_owned(), "save".to_owned()),
                ("revision".to_owned(), "0".to_owned()),
                ("status".to_owned(), "ongoing".to_owned()),
                ("done".to_owned(), format!("Rapport {n}")),
            ];
            let path = format!("/rounds/{ROUND}/reports/{id}");
            tasks.push(tokio::spawn(post_as(state, admin.clone(), path, form)));
        }
        // Two people at the same report, both from a form of revision 1 (the save above).
        let same = format!("/rounds/{ROUND}/reports/{}", ids[0]);
        let rival = |text: &str| {
            vec![
                ("step".to_owned(), "save".to_owned()),
                ("revision".to_owned(), "1".to_owned()),
                ("done".to_owned(), text.to_owned()),
            ]
        };
        let first = tasks.remove(0).await.expect("joined");
        assert_eq!(first.0, StatusCode::SEE_OTHER, "{}", first.1);
        let a = tokio::spawn(post_as(
            app.state.clone(),
            admin.clone(),
            same.clone(),
            rival("Annas text"),
        ));
        let b = tokio::spawn(post_as(
            two.clone(),
            other.clone(),
            same.clone(),
            rival("Bos text"),
        ));
        for (n, t) in tasks.into_iter().enumerate() {
            let (status, body) = t.await.expect("joined");
            assert_eq!(status, StatusCode::SEE_OTHER, "report {}: {body}", n + 1);
        }
        let (a, b) = (a.await.expect("joined"), b.await.expect("joined"));
        let statuses = [a.0, b.0];
        assert!(
            statuses.contains(&StatusCode::SEE_OTHER) && statuses.contains(&StatusCode::CONFLICT),
            "{statuses:?}"
        );
        let (winner, loser) = if a.0 == StatusCode::SEE_OTHER {
            ("Annas text", &b)
        } else {
            ("Bos text", &a)
        };
        assert!(
            loser.1.contains("har sparats av någon annan"),
            "{}",
            loser.1
        );
        let kept = if winner == "Annas text" {
            "Bos text"
        } else {
            "Annas text"
        };
        assert!(loser.1.contains(kept), "the loser's text is kept");
        // What is stored is what the winners saved, every one of them.
        let stored = app.state.store().export().await.expect("export");
        let ours: Vec<_> = stored
            .reports
            .iter()
            .filter(|r| r.round.as_str() == ROUND)
            .collect();
        assert_eq!(ours.len(), ids.len());
        for (n, id) in ids.iter().enumerate() {
            let r = ours
                .iter()
                .find(|r| r.activity.as_str() == id)
                .expect("stored");
            let want = if n == 0 {
                winner.to_owned()
            } else {
                format!("Rapport {n}")
            };
            assert_eq!(r.done.as_deref(), Some(want.as_str()), "{id}");
        }
    }
}

/// Logs in as `email` (whose password is `password`) from the log-in form, going on to `next`;
/// where the log-in sends the person.
async fn log_in(app: &App, email: &str, password: &str, next: &str) -> String {
    let form = get(app, "/login", "").await;
    let csrf = form.cookie("rodtrad_csrf").expect("an anti-forgery cookie");
    let answer = common::post(
        app,
        "/login",
        &format!("rodtrad_csrf={csrf}"),
        &[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
            ("next", next),
        ],
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    location(&answer)
}

#[tokio::test]
async fn logging_in_lands_on_my_page_when_there_is_a_report_to_write() {
    for app in apps("rounds_landing").await {
        let p = people(&app).await;
        let password = "ett långt lösenord för rapportören";
        let hash = rodtrad_auth::hash_password(password).expect("hash");
        let store = app.state.store();
        let actor = rodtrad_store::Actor::command_line();
        for (email, org) in [
            ("skriver@region.se", LEAD),
            ("ingenting@region.se", "region-orebro-lan"),
        ] {
            let account = store
                .create_account(email, None, &hash, false, &actor, 0)
                .await
                .expect("account");
            let grant = rodtrad_store::Grant {
                role: rodtrad_domain::Role::Contributor,
                scope: slug(org),
            };
            store
                .grant(account.id, &grant, &actor, 0)
                .await
                .expect("grant");
        }
        // No open round yet: back where they came from.
        assert_eq!(log_in(&app, "skriver@region.se", password, "/").await, "/");
        open_round(&app, &p.owner).await;
        assert_eq!(
            log_in(&app, "skriver@region.se", password, "/").await,
            "/my"
        );
        // A page asked for first is where they go; someone with nothing to report goes back.
        assert_eq!(
            log_in(&app, "skriver@region.se", password, "/overlap").await,
            "/overlap"
        );
        assert_eq!(
            log_in(&app, "ingenting@region.se", password, "/").await,
            "/"
        );
        // Their page lists the activity with its report's state, and the deadline.
        let my = get(&app, "/my", &p.contributor.cookie).await;
        assert_eq!(my.status, StatusCode::OK);
        assert!(
            my.body.contains("Brukarinflytandesamordnare (BISAM)"),
            "{}",
            my.body
        );
        assert!(my.body.contains("2027-02-15") && my.body.contains("inte påbörjad"));
        // The reviewer's page lists what waits for them once it is submitted.
        step(
            &app,
            &p.contributor,
            "submit",
            &[("status", "ongoing"), ("done", "Klart.")],
        )
        .await;
        let owners = get(&app, "/my", &p.owner.cookie).await;
        assert!(
            owners.body.contains("väntar på din granskning"),
            "{}",
            owners.body
        );
    }
}

/// A round's steps taken by two people at the same moment, on two servers: exactly one is taken,
/// the other is told the round changed meanwhile, and nothing answers with a server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rounds_step_taken_twice_at_once_is_taken_once() {
    for app in apps("rounds_steps_at_once").await {
        let p = people(&app).await;
        open_round(&app, &p.owner).await;
        let two =
            rodtrad_web::AppState::load(rodtrad_store::Store::open(&app.url).await.expect("store"))
                .await
                .expect("load");
        let revision = app
            .state
            .working()
            .revision(&ItemKey::new(
                rodtrad_domain::ItemKind::FollowUp,
                &slug(ROUND),
            ))
            .to_string();
        let path = format!("/rounds/{ROUND}/state");
        let form = [("to", "closed"), ("revision", revision.as_str())];
        let other = App {
            state: two,
            _dir: tempfile::tempdir().expect("tmp"),
            url: app.url.clone(),
        };
        let (a, b) = tokio::join!(
            submit(&app, &p.owner, &path, &form),
            submit(&other, &p.admin, &path, &form)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::SEE_OTHER, StatusCode::CONFLICT],
            "{} / {}",
            a.body,
            b.body
        );
        let loser = if a.status == StatusCode::CONFLICT {
            &a
        } else {
            &b
        };
        // Told why: the round moved on meanwhile (a stale form), or, when the other's step was
        // already on this server, that a closed round cannot be closed again.
        assert!(
            loser.body.contains("har ändrats av någon annan")
                || loser.body.contains("kan inte gå från stängd till stängd"),
            "{}",
            loser.body
        );
        app.state.catch_up().await.expect("caught up");
        assert_eq!(round_state(&app), RoundState::Closed);
        let record = app
            .state
            .store()
            .changes_of(
                &ItemKey::new(rodtrad_domain::ItemKind::FollowUp, &slug(ROUND)),
                0,
            )
            .await
            .expect("record");
        let closings = record
            .iter()
            .filter(|c| {
                c.fields
                    .iter()
                    .any(|f| f.field == "state" && f.after.as_deref() == Some("closed"))
            })
            .count();
        assert_eq!(closings, 1, "closed once: {record:?}");
    }
}

#[tokio::test]
async fn a_report_with_a_bad_value_is_refused_at_its_field_and_nothing_is_written() {
    for app in apps("rounds_bad_input").await {
        let p = people(&app).await;
        open_round(&app, &p.owner).await;
        let refused = step(
            &app,
            &p.contributor,
            "save",
            &[
                ("done", "Det som gjordes."),
                ("worked_start", "2025-13"),
                ("worked_end", "2024"),
                ("status", "klar"),
            ],
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let body = &refused.body;
        assert!(body.contains("id=\"form-problems\""), "{body}");
        for field in ["worked_start", "status"] {
            assert!(
                body.contains(&format!("id=\"f-{field}-error\""))
                    || body.contains(&format!("href=\"#f-{field}\"")),
                "{field}: {body}"
            );
        }
        assert!(body.contains("Det som gjordes."), "what was typed is kept");
        assert_eq!(report_state(&app), None, "nothing written");
        // A control character pasted with a text: said at its field, not a failure of the
        // database (PostgreSQL refuses to store a NUL).
        let refused = step(
            &app,
            &p.contributor,
            "save",
            &[("done", "Det som gjordes."), ("results", "Före\u{0}efter")],
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("Tecken 5 i texten är ett styrtecken"),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("href=\"#f-results\""),
            "{}",
            refused.body
        );
        assert_eq!(report_state(&app), None, "nothing written");
    }
}
