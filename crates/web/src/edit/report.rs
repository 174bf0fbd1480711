//! One activity's report in a round (`/rounds/ROUND/reports/ACTIVITY`): what it says, the steps
//! it took and who took them, and the forms of whoever may take the next step. The lead's
//! contributors write it and send it for review; a partner's contributors add their part; the
//! reviewer (the owner of a plan it serves, or the round's owner) approves it or returns it with
//! a comment. Every step is a save of the report item, so it is on the record with who and
//! when, refused if someone saved the report meanwhile, and refused with the reason when the
//! round is not open.

use askama::Template;
use axum::extract::{Form as Posted, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{
    Activity, FollowUp, ItemKey, PartnerPart, Refusal, Report, ReportState, ReportStep, RoundState,
    Slug, Status, Vocabulary, open_for_reports,
};
use rodtrad_store::{ReportSave, SaveError};
use serde::Deserialize;

use crate::edit::form::{Control, Meanwhile, refill};
use crate::edit::{Choice, Field, Input, Problems, Reader, Refused, actor, refuse, saved};
use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::{Page, respond};
use crate::reporting::{Done, refusal_text};
use crate::session::Viewer;
use crate::state::AppState;

/// What the viewer may do with a report.
#[derive(Debug, Clone, Copy, Default)]
struct May {
    /// Write it and send it for review (the lead's contributors).
    write: bool,
    /// Review it (a plan's owner, the round's owner).
    review: bool,
}

fn may(viewer: &Viewer, round: &FollowUp, activity: &Activity) -> May {
    let access = viewer.access();
    let followed: Vec<&Slug> = round.followed_plans().collect();
    let served = activity
        .serves
        .iter()
        .map(|g| &g.plan)
        .filter(|p| followed.contains(p));
    May {
        write: access.may_report(activity.lead.as_ref()),
        review: access.may_review(served, round.structure.as_ref()),
    }
}

#[derive(Template)]
#[template(path = "report_page.html")]
struct ReportPage<'a> {
    page: Page,
    model: &'a ReadModel,
    round: &'a FollowUp,
    activity: &'a Activity,
    report: Option<&'a Report>,
    state: Option<ReportState>,
    done: Option<String>,
    /// Why the round takes no reports now, if it does not.
    locked: Option<String>,
    /// The refusal of the step just tried, and the problems of what was typed.
    general: Vec<String>,
    fields: Vec<Field>,
    comment: Field,
    part: Option<(String, Field)>,
    may_write: bool,
    may_review: bool,
    history: Vec<Meanwhile>,
    csrf: String,
    revision: i64,
    action: String,
}

impl ReportPage<'_> {
    fn has_problems(&self) -> bool {
        !self.general.is_empty()
            || self.fields.iter().any(|f| f.error.is_some())
            || self.comment.error.is_some()
    }

    fn state_text(&self) -> String {
        let code = self.state.map_or("not-started", Vocabulary::code);
        self.page.t(&format!("report-state-{code}"))
    }
}

/// The fields of the report's own form, filled from `report`.
fn fields(lang: rodtrad_i18n::Lang, report: Option<&Report>) -> Vec<Field> {
    let t = |k: &str| lang.text(k);
    let text = |f: fn(&Report) -> Option<&str>| report.and_then(f);
    let statuses = Status::ALL
        .iter()
        .map(|s| Choice::new(&s.code(), &lang.text(&format!("status-{}", s.code()))))
        .collect();
    let date = |d: Option<rodtrad_domain::PartialDate>| d.map(|d| d.to_string());
    let worked = report.map(|r| r.worked).unwrap_or_default();
    vec![
        Field::select(
            "status",
            t("report-field-status"),
            statuses,
            report.and_then(|r| r.status).map(|s| s.code().to_owned()),
        )
        .hint(t("report-field-status-hint")),
        Field::area("done", t("report-field-done"), text(|r| r.done.as_deref()))
            .hint(t("edit-markdown-hint")),
        Field::area(
            "results",
            t("report-field-results"),
            text(|r| r.results.as_deref()),
        ),
        Field::area(
            "next_steps",
            t("report-field-next-steps"),
            text(|r| r.next_steps.as_deref()),
        ),
        Field::area(
            "obstacles",
            t("report-field-obstacles"),
            text(|r| r.obstacles.as_deref()),
        ),
        Field::text(
            "worked_start",
            t("report-field-worked-start"),
            date(worked.start).as_deref(),
        )
        .hint(t("edit-date-hint")),
        Field::text(
            "worked_end",
            t("report-field-worked-end"),
            date(worked.end).as_deref(),
        )
        .hint(t("edit-date-hint")),
    ]
}

#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    done: Option<String>,
}

/// `GET /rounds/{round}/reports/{activity}`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((round, activity)): Path<(String, String)>,
    Query(shown): Query<Shown>,
) -> Response {
    let done = shown.done.as_deref().and_then(Done::parse);
    page(
        &state,
        &viewer,
        &round,
        &activity,
        done,
        None,
        StatusCode::OK,
    )
    .await
}

/// What was posted and refused, to show again.
struct Posting<'a> {
    input: &'a Input,
    problems: Problems,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    round_id: &str,
    activity_id: &str,
    done: Option<Done>,
    posting: Option<Posting<'_>>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let working = state.fresh_working().await;
    let (Some(round), Some(activity)) = (working.round(round_id), working.activity(activity_id))
    else {
        return AppError::NotFound(lang).into_response();
    };
    let path = format!("/rounds/{}/reports/{}", round.id, activity.id);
    let published = round.state == RoundState::Published;
    if viewer.session.is_none() && !published {
        return refuse(viewer, &path);
    }
    let asked = ReadModel::asks(round, activity);
    let report = working.report(&round.id, &activity.id);
    if !asked && report.is_none() {
        return AppError::NotFound(lang).into_response();
    }
    let may = may(viewer, round, activity);
    let key = ItemKey::report(&round.id, &activity.id);
    let history = if viewer.session.is_some() {
        match state.store().changes_of(&key, 0).await {
            Ok(mut c) => {
                c.reverse();
                Meanwhile::of(&c)
            }
            Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
        }
    } else {
        Vec::new()
    };
    let mut fields = fields(lang, report);
    let mut comment = Field::area("comment", lang.text("report-field-comment"), None)
        .hint(lang.text("report-field-comment-hint"));
    let access = viewer.access();
    let part_org = access.partner_part_of(&activity.partners);
    let mut part = part_org.map(|org| {
        let text = report
            .and_then(|r| r.partner_parts.iter().find(|p| &p.organisation == org))
            .map(|p| p.text.as_str());
        (
            working.org_name(org),
            Field::area(
                "part",
                lang.format("report-field-part", &[("org", working.org_name(org))]),
                text,
            ),
        )
    });
    let mut general = Vec::new();
    if let Some(p) = &posting {
        refill(&mut fields, p.input, &p.problems);
        refill(std::slice::from_mut(&mut comment), p.input, &p.problems);
        if let Some((_, f)) = &mut part {
            refill(std::slice::from_mut(f), p.input, &p.problems);
        }
        general.clone_from(&p.problems.general);
    }
    let locked = open_for_reports(round)
        .err()
        .map(|r| refusal_text(&r, lang));
    let title = lang.format("report-page-title", &[("activity", activity.title.clone())]);
    let page_frame = Page::new(lang, title, &path).with(viewer);
    let action = page_frame.href(&path);
    respond(
        &ReportPage {
            csrf: viewer.csrf(),
            page: page_frame,
            model: &working,
            round,
            activity,
            report,
            state: report.map(|r| r.state),
            done: done.map(|d| d.text(lang)),
            locked,
            general,
            fields,
            comment,
            part,
            may_write: may.write,
            may_review: may.review,
            history,
            revision: working.revision(&key),
            action,
        },
        lang,
        status,
    )
}

/// Tells the lead's contributors that their report was returned, by mail when a mail server
/// is configured; sent after the answer, so that a slow mail server never holds the reviewer.
fn tell_returned(
    state: &AppState,
    round: &FollowUp,
    activity: &Activity,
    comment: Option<String>,
    lang: rodtrad_i18n::Lang,
) {
    let Some(mailing) = state.mailing().cloned() else {
        return;
    };
    let (store, round, activity) = (state.store().clone(), round.clone(), activity.clone());
    tokio::spawn(async move {
        let comment = comment.unwrap_or_default();
        let mails = match crate::reminders::returned_mails(
            &store,
            &round,
            &activity,
            &comment,
            lang,
            &mailing.base_url,
        )
        .await
        {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "the returned report's mail could not be made");
                return;
            }
        };
        match crate::reminders::send(&mailing.config, &mails).await {
            Ok(sent) => {
                for (to, why) in sent.failed {
                    tracing::warn!(%to, %why, "a returned report's mail did not go out");
                }
            }
            Err(e) => tracing::warn!(error = %e, "mail could not be sent"),
        }
    });
}

/// The report after `step` (`save`, `submit`, `approve`, `return`, or `part`: `partner`'s
/// part), as the form sends it, with the step taken and its confirmation; or what is wrong,
/// each refusal at its field where it has one.
fn stepped(
    input: &Input,
    lang: rodtrad_i18n::Lang,
    round: &FollowUp,
    mut report: Report,
    step: &str,
    partner: Option<&Slug>,
) -> Result<(Report, ReportStep, Done), Problems> {
    let mut r = Reader::new(input, lang);
    let (taken, done) = match step {
        "save" => {
            report = read_fields(&mut r, report);
            (ReportStep::Save, Done::Saved)
        }
        "submit" => {
            report = read_fields(&mut r, report);
            (ReportStep::Submit, Done::Submitted)
        }
        "approve" => (ReportStep::Approve, Done::Approved),
        "return" => (ReportStep::Return, Done::Returned),
        _ => {
            // A partner's part: the report's own state is the lead's to move.
            let text = r.optional("part");
            if let Some(org) = partner {
                report.partner_parts.retain(|p| &p.organisation != org);
                if let Some(text) = text {
                    report.partner_parts.push(PartnerPart {
                        organisation: org.clone(),
                        text,
                    });
                }
            }
            (ReportStep::Save, Done::Saved)
        }
    };
    r.finish()?;
    // A partner's part is saved whatever the report's state, while the round is open.
    let result = if step == "part" {
        open_for_reports(round)
    } else {
        report.take(taken, round, input.text("comment"))
    };
    if let Err(refusal) = result {
        let mut problems = Problems::default();
        let text = refusal_text(&refusal, lang);
        match refusal {
            Refusal::MissingStatus => problems.add("status", text),
            Refusal::MissingDone => problems.add("done", text),
            Refusal::MissingComment => problems.add("comment", text),
            _ => problems.general.push(text),
        }
        return Err(problems);
    }
    Ok((report, taken, done))
}

/// The report as the form sends it, over `old` (or a new one): what the lead writes.
fn read_fields(r: &mut Reader<'_>, mut report: Report) -> Report {
    report.status = r.vocab::<Status>("status");
    report.done = r.optional("done");
    report.results = r.optional("results");
    report.next_steps = r.optional("next_steps");
    report.obstacles = r.optional("obstacles");
    report.worked = r.period("worked_start", "worked_end");
    report
}

/// `POST /rounds/{round}/reports/{activity}`: `step` is `save`, `submit`, `approve`, `return`
/// or `part` (a partner's part, saved).
pub async fn post(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((round_id, activity_id)): Path<(String, String)>,
    Posted(input): Posted<Input>,
) -> Response {
    let lang = viewer.lang;
    let ids = (round_id.as_str(), activity_id.as_str());
    let working = current_for(&state, ids, input.revision()).await;
    let (Some(round), Some(activity)) = (working.round(&round_id), working.activity(&activity_id))
    else {
        return AppError::NotFound(lang).into_response();
    };
    let path = format!("/rounds/{}/reports/{}", round.id, activity.id);
    if viewer.session.is_none() {
        return refuse(&viewer, &path);
    }
    let asked = ReadModel::asks(round, activity);
    if !asked {
        return AppError::NotFound(lang).into_response();
    }
    if let Err(problems) = input.check_limits(lang) {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return again(&state, &viewer, ids, &input, problems, status).await;
    }
    let may = may(&viewer, round, activity);
    let step = input.text("step").unwrap_or_default();
    let partner = viewer.access().partner_part_of(&activity.partners);
    let allowed = match step.as_str() {
        "save" | "submit" => may.write,
        "approve" | "return" => may.review,
        "part" => partner.is_some(),
        _ => return AppError::NotFound(lang).into_response(),
    };
    if !allowed {
        return refuse(&viewer, &path);
    }
    let report = working
        .report(&round.id, &activity.id)
        .cloned()
        .unwrap_or_else(|| Report::empty(round.id.clone(), activity.id.clone()));
    let (report, taken, done) = match stepped(&input, lang, round, report, &step, partner) {
        Ok(stepped) => stepped,
        Err(problems) => {
            let status = if problems.fields.is_empty() {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return again(&state, &viewer, ids, &input, problems, status).await;
        }
    };
    match save(&state, &viewer, &working, report, input.revision()).await {
        Ok(()) => {
            if taken == ReportStep::Return && step != "part" {
                tell_returned(&state, round, activity, input.text("comment"), lang);
            }
            saved(&done.href(&Page::new(lang, String::new(), &path), &path))
        }
        Err(Refused::Invalid(problems)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            again(&state, &viewer, ids, &input, problems, status).await
        }
        Err(Refused::Stale(..)) => {
            let mut problems = Problems::default();
            problems.general.push(lang.text("report-stale"));
            again(&state, &viewer, ids, &input, problems, StatusCode::CONFLICT).await
        }
        Err(Refused::Failed(e)) => e.into_response(),
    }
}

/// The working model to save the report `ids` over: the one at hand when it has the report at
/// `revision`, the one the person's form showed (as nearly always: no question to the database
/// then, which counts when hundreds save at once); otherwise the model brought up to date.
async fn current_for(
    state: &AppState,
    (round, activity): (&str, &str),
    revision: i64,
) -> std::sync::Arc<ReadModel> {
    let at_hand = state.working();
    let key = Slug::parse(round)
        .ok()
        .zip(Slug::parse(activity).ok())
        .map(|(r, a)| ItemKey::report(&r, &a));
    if key.is_some_and(|k| at_hand.revision(&k) == revision) {
        at_hand
    } else {
        state.fresh_working().await
    }
}

/// Saves `report` over the one the person saw at revision `based_on`, on a path of its own: a
/// report is one row and its record, so its save neither copies the data set nor checks the
/// rest of it (what the exchange format asks of a report, the form has checked: its values,
/// its period's order; the database checks what it names). Then the read models catch up.
async fn save(
    state: &AppState,
    viewer: &Viewer,
    working: &ReadModel,
    report: Report,
    based_on: i64,
) -> Result<(), Refused> {
    let failed = |e: String| Refused::Failed(AppError::Internal(viewer.lang, e));
    let key = ItemKey::report(&report.round, &report.activity);
    // The working model has the report at the person's revision, or is as new as the database
    // was when the request came: another revision means the form is older than the report.
    if working.revision(&key) != based_on {
        return Err(Refused::Stale(Vec::new(), working.revision(&key)));
    }
    let before = working.report(&report.round, &report.activity).cloned();
    if before.as_ref() == Some(&report) {
        return Ok(());
    }
    let save = ReportSave {
        actor: actor(viewer),
        at: rodtrad_auth::now(),
        before,
        report,
        based_on,
    };
    match state.store().save_report(save).await {
        Ok(saved) => state
            .catch_up_to(saved.version)
            .await
            .map_err(|e| failed(e.to_string())),
        Err(SaveError::Stale { current, .. }) => Err(Refused::Stale(Vec::new(), current)),
        Err(SaveError::Conflict(detail)) => {
            tracing::info!(%detail, "a report's save refused: what it names changed meanwhile");
            Err(Refused::Stale(Vec::new(), based_on))
        }
        Err(SaveError::Store(e)) => Err(failed(e.to_string())),
    }
}

/// The report's page again, with what was posted and what is wrong with it.
async fn again(
    state: &AppState,
    viewer: &Viewer,
    (round, activity): (&str, &str),
    input: &Input,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let posting = Posting { input, problems };
    page(state, viewer, round, activity, None, Some(posting), status).await
}
