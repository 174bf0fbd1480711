//! Follow-up rounds: the list (`/rounds`), a round's page (`/rounds/ID`) with what is missing
//! per organisation, its reports filtered and a page at a time, as CSV too
//! (`/rounds/ID/reports.csv`), and the steps its owner takes (`POST /rounds/ID/state`: open,
//! close, open again, publish).
//!
//! Visitors see published rounds only; signed-in people see every round, since contributors
//! must find the rounds they report in. Publishing freezes the report: the round and what its
//! report shows are kept as they are that day (`rodtrad_domain::frozen`), and
//! `/follow-ups/ID` is made from that copy from then on.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use rodtrad_domain::{FollowUp, ItemKey, ItemKind, ReportState, RoundState, Vocabulary, frozen};
use rodtrad_store::Releasing;
use serde::Deserialize;

use crate::edit::{Input, Refused, commit, refuse, saved};
use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::paging::{PER_PAGE, Paging};
use crate::pages::{Page, render, respond};
use crate::reminders::Reminder;
use crate::reporting::{Done, ReportRow, refusal_text, today};
use crate::session::Viewer;
use crate::state::AppState;
use axum::extract::Form as Posted;

/// One row of the list of rounds.
struct RoundRow<'a> {
    round: &'a FollowUp,
    asked: usize,
    submitted: usize,
    approved: usize,
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage<'a> {
    page: Page,
    rows: Vec<RoundRow<'a>>,
}

/// Whether the viewer sees this round at all.
fn sees(viewer: &Viewer, round: &FollowUp) -> bool {
    viewer.session.is_some() || round.state == RoundState::Published
}

/// `GET /rounds`.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let working = state.working();
    let rows = working
        .set
        .follow_ups
        .iter()
        .filter(|r| sees(&viewer, r))
        .map(|round| {
            let rows = ReportRow::of(&working, round);
            RoundRow {
                round,
                asked: rows.len(),
                submitted: rows
                    .iter()
                    .filter(|r| r.state == Some(ReportState::Submitted))
                    .count(),
                approved: rows
                    .iter()
                    .filter(|r| r.state == Some(ReportState::Approved))
                    .count(),
            }
        })
        .collect();
    let mut page = Page::new(lang, lang.text("rounds-title"), "/rounds").with(&viewer);
    if viewer.access().may_make_rounds() {
        page = page.tool("rounds-new", "/new/follow_up");
    }
    page = page.tool("compare-title", "/rounds/compare");
    render(&RoundsPage { page, rows }, lang)
}

/// The filters of a round's page, from its address.
#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    /// The lead organisation.
    pub org: Option<String>,
    /// A report state, or `not-started`.
    pub state: Option<String>,
    pub page: Option<String>,
    /// What was just done, for the confirmation.
    pub done: Option<String>,
}

impl Filters {
    fn keeps(&self, row: &ReportRow<'_>) -> bool {
        let org = self.org.as_deref().filter(|o| !o.is_empty());
        let state = self.state.as_deref().filter(|s| !s.is_empty());
        org.is_none_or(|o| row.lead.is_some_and(|l| l.as_str() == o))
            && state.is_none_or(|s| row.state_code() == s)
    }

    fn params(&self) -> Vec<(String, String)> {
        [("org", &self.org), ("state", &self.state)]
            .into_iter()
            .filter_map(|(k, v)| {
                v.as_ref()
                    .filter(|v| !v.is_empty())
                    .map(|v| (k.to_owned(), v.clone()))
            })
            .collect()
    }
}

/// Reports of one organisation in a round, by where they stand.
#[derive(Debug, Default)]
pub struct Tally {
    pub not_started: usize,
    pub draft: usize,
    pub submitted: usize,
    pub returned: usize,
    pub approved: usize,
}

impl Tally {
    fn add(&mut self, state: Option<ReportState>) {
        match state {
            None => self.not_started += 1,
            Some(ReportState::Draft) => self.draft += 1,
            Some(ReportState::Submitted) => self.submitted += 1,
            Some(ReportState::Returned) => self.returned += 1,
            Some(ReportState::Approved) => self.approved += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.not_started + self.draft + self.submitted + self.returned + self.approved
    }
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage<'a> {
    page: Page,
    model: &'a ReadModel,
    round: &'a FollowUp,
    done: Option<String>,
    problem: Option<String>,
    /// Per lead organisation (by name), and everyone's.
    tallies: Vec<(String, Tally)>,
    all: Tally,
    rows: Vec<ReportRow<'a>>,
    paging: Paging,
    filters: Filters,
    organisations: Vec<(String, String)>,
    states: Vec<(String, String)>,
    /// The steps the viewer may take now, as (target state, label).
    steps: Vec<(&'static str, String)>,
    csrf: String,
    revision: i64,
    csv: String,
    /// For who runs an open round: who has reports left to send, and whether mail can go.
    reminders: Vec<Reminder>,
    mail: bool,
}

impl RoundPage<'_> {
    fn state_text(&self) -> String {
        self.page
            .t(&format!("round-state-{}", self.round.state.code()))
    }

    fn remind_action(&self) -> String {
        self.page.href(&format!("/rounds/{}/remind", self.round.id))
    }

    fn state_action(&self) -> String {
        self.page.href(&format!("/rounds/{}/state", self.round.id))
    }

    fn report_href(&self, row: &ReportRow<'_>) -> String {
        self.page.href(&format!(
            "/rounds/{}/reports/{}",
            self.round.id, row.activity.id
        ))
    }
}

/// `GET /rounds/{id}`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(filters): Query<Filters>,
) -> Response {
    round_page(&state, &viewer, &id, filters, None, StatusCode::OK).await
}

async fn round_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    filters: Filters,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let working = state.fresh_working().await;
    let Some(round) = working.round(id).filter(|r| sees(viewer, r)) else {
        if working.round(id).is_some() {
            return refuse(viewer, &format!("/rounds/{id}"));
        }
        return AppError::NotFound(lang).into_response();
    };
    let all_rows = ReportRow::of(&working, round);
    let (by_org, all, organisations) = tallies(&working, &all_rows, lang);
    let mut rows: Vec<ReportRow> = all_rows.into_iter().filter(|r| filters.keeps(r)).collect();
    let path = format!("/rounds/{}", round.id);
    let Some(paging) = Paging::new(
        filters.page.as_deref(),
        rows.len(),
        PER_PAGE,
        &path,
        filters.params(),
    ) else {
        return AppError::NotFound(lang).into_response();
    };
    let rows = rows.drain(paging.range()).collect();
    let access = viewer.access();
    let runs = access.may_run_round(&round.plans, round.structure.as_ref());
    let steps = if runs { steps(round, lang) } else { Vec::new() };
    let reminders = if runs && round.state == RoundState::Open {
        match crate::reminders::due(state.store(), &working, round).await {
            Ok(r) => r,
            Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
        }
    } else {
        Vec::new()
    };
    let mut page = Page::new(lang, round.title.clone(), &path).with(viewer);
    if runs {
        page = page.tool("edit-link", &format!("/edit/follow_up/{}", round.id));
    }
    if round.state == RoundState::Published {
        page = page.tool("round-report-link", &format!("/follow-ups/{}", round.id));
    }
    page = page.tool("overview-link", &format!("/rounds/{}/overview", round.id));
    if viewer.session.is_some() {
        page = page.tool("history-link", &format!("/history/follow_up/{}", round.id));
    }
    let csv = page.href(&format!("/rounds/{}/reports.csv", round.id));
    let state_choices = std::iter::once((
        "not-started".to_owned(),
        lang.text("report-state-not-started"),
    ))
    .chain(ReportState::ALL.iter().map(|s| {
        (
            s.code().to_owned(),
            lang.text(&format!("report-state-{}", s.code())),
        )
    }))
    .collect();
    let revision = working.revision(&ItemKey::new(ItemKind::FollowUp, &round.id));
    let done = filters
        .done
        .as_deref()
        .and_then(Done::parse)
        .map(|d| d.text(lang));
    respond(
        &RoundPage {
            csrf: viewer.csrf(),
            page,
            model: &working,
            round,
            done,
            problem,
            tallies: by_org,
            all,
            rows,
            paging,
            filters,
            organisations,
            states: state_choices,
            steps,
            revision,
            csv,
            reminders,
            mail: state.mailing().is_some(),
        },
        lang,
        status,
    )
}

/// The round `id` and its page, when the viewer runs it; otherwise the answer that refuses.
fn runnable<'a>(
    working: &'a ReadModel,
    viewer: &Viewer,
    id: &str,
) -> Result<(&'a FollowUp, String), Box<Response>> {
    let Some(round) = working.round(id) else {
        return Err(Box::new(AppError::NotFound(viewer.lang).into_response()));
    };
    let path = format!("/rounds/{}", round.id);
    if viewer
        .access()
        .may_run_round(&round.plans, round.structure.as_ref())
    {
        Ok((round, path))
    } else {
        Err(Box::new(refuse(viewer, &path)))
    }
}

/// `POST /rounds/{id}/remind`: mail every contributor with reports left to send, now.
pub async fn remind(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Posted(_input): Posted<Input>,
) -> Response {
    let lang = viewer.lang;
    let working = state.fresh_working().await;
    let (round, path) = match runnable(&working, &viewer, &id) {
        Ok(found) => found,
        Err(refused) => return *refused,
    };
    let problem = |key: &str, args: &[(&str, String)]| Some(lang.format(key, args));
    let Some(mailing) = state.mailing() else {
        let p = problem("remind-no-mail", &[]);
        return round_page(
            &state,
            &viewer,
            &id,
            Filters::default(),
            p,
            StatusCode::CONFLICT,
        )
        .await;
    };
    if round.state != RoundState::Open {
        let p = problem("remind-not-open", &[]);
        return round_page(
            &state,
            &viewer,
            &id,
            Filters::default(),
            p,
            StatusCode::CONFLICT,
        )
        .await;
    }
    let due = match crate::reminders::due(state.store(), &working, round).await {
        Ok(d) => d,
        Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
    };
    let mails: Vec<_> = due
        .iter()
        .map(|r| crate::reminders::reminder_mail(r, round, lang, &mailing.base_url))
        .collect();
    match crate::reminders::send(&mailing.config, &mails).await {
        Ok(sent) if sent.failed.is_empty() => {
            saved(&Done::Reminded.href(&Page::new(lang, String::new(), &path), &path))
        }
        Ok(sent) => {
            let failed = sent
                .failed
                .iter()
                .map(|(to, why)| format!("{to} ({why})"))
                .collect::<Vec<_>>()
                .join(", ");
            let p = problem(
                "remind-failed",
                &[("sent", sent.reached.len().to_string()), ("failed", failed)],
            );
            round_page(
                &state,
                &viewer,
                &id,
                Filters::default(),
                p,
                StatusCode::BAD_GATEWAY,
            )
            .await
        }
        Err(e) => {
            let p = problem(
                "remind-failed",
                &[("sent", "0".into()), ("failed", e.to_string())],
            );
            round_page(
                &state,
                &viewer,
                &id,
                Filters::default(),
                p,
                StatusCode::BAD_GATEWAY,
            )
            .await
        }
    }
}

/// Reports per lead organisation (by name) and everyone's, and the organisations to filter by
/// as (name, id).
type Tallies = (Vec<(String, Tally)>, Tally, Vec<(String, String)>);

/// The round's reports tallied.
fn tallies(model: &ReadModel, rows: &[ReportRow<'_>], lang: rodtrad_i18n::Lang) -> Tallies {
    let mut by_org: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    let mut organisations: BTreeMap<String, String> = BTreeMap::new();
    for r in rows {
        let name = r
            .lead
            .map_or_else(|| lang.text("round-no-lead"), |l| model.org_name(l));
        by_org.entry(name.clone()).or_default().add(r.state);
        if let Some(l) = r.lead {
            organisations.insert(name, l.to_string());
        }
        all.add(r.state);
    }
    (
        by_org.into_iter().collect(),
        all,
        organisations.into_iter().collect(),
    )
}

/// The steps a round can take from where it stands, with their buttons' words.
fn steps(round: &FollowUp, lang: rodtrad_i18n::Lang) -> Vec<(&'static str, String)> {
    let to: &[RoundState] = match round.state {
        RoundState::Planned => &[RoundState::Open],
        RoundState::Open => &[RoundState::Closed],
        RoundState::Closed => &[RoundState::Published, RoundState::Open],
        RoundState::Published => &[],
    };
    to.iter()
        .map(|s| {
            let key = if *s == RoundState::Open && round.state == RoundState::Closed {
                "round-step-reopen".to_owned()
            } else {
                format!("round-step-{}", s.code())
            };
            (s.code(), lang.text(&key))
        })
        .collect()
}

/// `GET /rounds/{id}/reports.csv`: every report the round asks for, one row each.
pub async fn csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let lang = viewer.lang;
    let working = state.fresh_working().await;
    let Some(round) = working
        .round(id.trim_end_matches(".csv"))
        .filter(|r| sees(&viewer, r))
    else {
        return AppError::NotFound(lang).into_response();
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "round-csv-activity-id",
        "round-csv-activity",
        "round-csv-lead",
        "round-csv-state",
        "round-csv-status",
    ]
    .map(|k| lang.text(k));
    let mut result = out.write_record(&header);
    for r in ReportRow::of(&working, round) {
        if result.is_err() {
            break;
        }
        let state = lang.text(&format!("report-state-{}", r.state_code()));
        let status = r
            .report
            .and_then(|x| x.status)
            .map(|s| lang.text(&format!("status-{}", s.code())))
            .unwrap_or_default();
        let lead = r.lead.map(|l| working.org_name(l)).unwrap_or_default();
        result = out.write_record([
            r.activity.id.as_str(),
            &r.activity.title,
            &lead,
            &state,
            &status,
        ]);
    }
    let body = result
        .map_err(|e| e.to_string())
        .and_then(|()| out.into_inner().map_err(|e| e.to_string()));
    match body {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    &format!("attachment; filename=\"{}.csv\"", round.id),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => AppError::Internal(lang, e).into_response(),
    }
}

/// `POST /rounds/{id}/state`: open, close, open again or publish the round.
pub async fn advance(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Posted(input): Posted<Input>,
) -> Response {
    let lang = viewer.lang;
    let working = state.fresh_working().await;
    let (round, path) = match runnable(&working, &viewer, &id) {
        Ok(found) => found,
        Err(refused) => return *refused,
    };
    let Some(to) = input
        .text("to")
        .and_then(|t| <RoundState as Vocabulary>::parse(&t).ok())
    else {
        return AppError::NotFound(lang).into_response();
    };
    let mut after = working.set.clone();
    let Some(changed) = after.follow_ups.iter_mut().find(|f| f.id == round.id) else {
        return AppError::NotFound(lang).into_response();
    };
    if let Err(refusal) = changed.advance(to, today()) {
        let problem = Some(refusal_text(&refusal, lang));
        return round_page(
            &state,
            &viewer,
            &id,
            Filters::default(),
            problem,
            StatusCode::CONFLICT,
        )
        .await;
    }
    let frozen_copy = (to == RoundState::Published).then(|| {
        let round = changed.clone();
        frozen(&round, &state.model().set, &working.set.reports)
    });
    let key = ItemKey::new(ItemKind::FollowUp, &round.id);
    let release = frozen_copy.as_ref().map(|set| Releasing::Report {
        round: &round.id,
        frozen: set,
    });
    match commit(
        &state,
        &viewer,
        &working,
        &key,
        input.revision(),
        &after,
        release,
    )
    .await
    {
        Ok(()) => {
            let done = match to {
                RoundState::Open => Done::Opened,
                RoundState::Closed => Done::Closed,
                RoundState::Published => Done::Published,
                RoundState::Planned => Done::Saved,
            };
            saved(&done.href(&Page::new(lang, String::new(), &path), &path))
        }
        Err(Refused::Invalid(problems)) => {
            round_page(
                &state,
                &viewer,
                &id,
                Filters::default(),
                problems.general.first().cloned(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(Refused::Stale(..)) => {
            round_page(
                &state,
                &viewer,
                &id,
                Filters::default(),
                Some(lang.text("round-stale")),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(Refused::Failed(e)) => e.into_response(),
    }
}
