//! Checking follow-up rounds (`follow-ups/<id>.toml`) and the activities' reports in them
//! (`reports/<round-id>.toml`).
//!
//! A report is known by its round and its activity, so its "id" is the activity it reports on,
//! unique within the round; the round a file's reports belong to is written once, at its top.

use rodtrad_domain as d;
use rodtrad_domain::Period;

use super::Checker;
use crate::dto;
use crate::problem::{EntityKind, Problem};
use crate::read::InFile;

impl Checker<'_> {
    pub(super) fn follow_up(&mut self, f: &InFile<dto::FollowUpDto>) -> Option<d::FollowUp> {
        use EntityKind as K;
        let (file, x) = (f.file, &f.dto);
        let id = self.slug(file, &x.id, "id");
        let date = self.date(file, x.date.as_ref(), "date");
        let author = self.opt_reference(K::Organisation, file, x.author.as_ref(), "author");
        let plans = self.references(K::Plan, file, &x.plans, "plans");
        let structure = self.opt_reference(K::Plan, file, x.structure.as_ref(), "structure");
        let sections = x
            .section
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                Some(d::FollowUpSection {
                    node: self.goal_ref(file, &s.node, &format!("section[{i}].node"))?,
                    narrative: s.narrative.clone(),
                })
            })
            .collect();
        let period = self.period_dto(file, &x.period, "period");
        let opens = self.date(file, x.opens.as_ref(), "opens");
        let deadline = self.date(file, x.deadline.as_ref(), "deadline");
        if let (Some(o), Some(dl), Some(at)) = (opens, deadline, &x.deadline) {
            if dl.latest() < o.earliest() {
                self.err(
                    file,
                    &at.span,
                    "deadline".into(),
                    Problem::DeadlineBeforeOpening {
                        opens: o.to_string(),
                        deadline: dl.to_string(),
                    },
                );
            }
        }
        // A file written before rounds existed was a report for anyone to read: published.
        let state = match &x.state {
            Some(s) => self.vocab::<d::RoundState>(file, Some(s), "state", "state")?,
            None => d::RoundState::Published,
        };
        let closed = self.date(file, x.closed.as_ref(), "closed");
        Some(d::FollowUp {
            id: id?,
            title: x.title.clone(),
            date,
            author,
            signed_by: x.signed_by.clone(),
            plans,
            structure,
            introduction: x.introduction.clone(),
            sections,
            period,
            opens,
            deadline,
            state,
            closed,
        })
    }

    /// A period written as a table of its own (`period = { start = …, end = … }`).
    fn period_dto(&mut self, file: usize, p: &dto::PeriodDto, path: &str) -> Period {
        self.period(file, p.start.as_ref(), p.end.as_ref(), path)
    }

    /// Pass 1: every report's activity, unique within its round.
    pub(super) fn register_reports(&mut self, f: &InFile<dto::ReportsFile>) {
        let round = f.dto.round.value.clone();
        for (i, r) in f.dto.report.iter().enumerate() {
            self.register_field(
                EntityKind::Report,
                Some(&round),
                f.file,
                &r.activity,
                format!("report[{i}].activity"),
            );
        }
    }

    pub(super) fn reports(&mut self, f: &InFile<dto::ReportsFile>) -> Vec<d::Report> {
        use EntityKind as K;
        let file = f.file;
        let Some(round) = self.reference(K::FollowUp, None, file, &f.dto.round, "round") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, r) in f.dto.report.iter().enumerate() {
            let p = format!("report[{i}]");
            let activity = self.reference(
                K::Activity,
                None,
                file,
                &r.activity,
                &format!("{p}.activity"),
            );
            let state =
                self.vocab::<d::ReportState>(file, Some(&r.state), &format!("{p}.state"), "state");
            let status =
                self.vocab::<d::Status>(file, r.status.as_ref(), &format!("{p}.status"), "status");
            let worked = self.period_dto(file, &r.worked, &format!("{p}.worked"));
            let partner_parts = r
                .partner
                .iter()
                .enumerate()
                .filter_map(|(j, x)| {
                    let organisation = self.reference(
                        K::Organisation,
                        None,
                        file,
                        &x.organisation,
                        &format!("{p}.partner[{j}].organisation"),
                    )?;
                    Some(d::PartnerPart {
                        organisation,
                        text: x.text.clone(),
                    })
                })
                .collect();
            let (Some(activity), Some(state)) = (activity, state) else {
                continue;
            };
            out.push(d::Report {
                round: round.clone(),
                activity,
                state,
                status,
                done: r.done.clone(),
                results: r.results.clone(),
                next_steps: r.next_steps.clone(),
                obstacles: r.obstacles.clone(),
                worked,
                partner_parts,
                comment: r.comment.clone(),
            });
        }
        out
    }
}
