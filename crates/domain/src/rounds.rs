//! Follow-up rounds and reports as a process: the steps a report takes (written, sent for
//! review, approved or returned), the steps a round takes (planned, open, closed, published),
//! what each step asks of them, and the frozen copy a published round keeps.
//!
//! Who may take a step is decided by the caller (`rodtrad_auth::Access`); whether the step can
//! be taken at all, whoever asks, is decided here, so that the web pages, the command line and
//! the tests refuse the same things for the same reasons.

use std::collections::HashSet;
use std::sync::Arc;

use crate::{DataSet, FollowUp, GoalRef, PartialDate, Report, ReportState, RoundState, Slug};

/// What someone does with a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    /// Keep what is written, as a draft (or, returned, still returned).
    Save,
    /// Send it to the reviewer.
    Submit,
    /// The reviewer accepts it.
    Approve,
    /// The reviewer sends it back with a comment.
    Return,
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The round has not been opened for reports yet.
    #[error("the round is not open yet")]
    NotOpenYet { opens: Option<PartialDate> },
    /// The round is closed (or published): nothing in it changes any more.
    #[error("the round is closed")]
    Closed { closed: Option<PartialDate> },
    /// A submitted or approved report is not written in any more, until it is returned.
    #[error("the report is {0} and cannot be changed")]
    NotEditable(ReportState),
    /// Only a submitted report is reviewed (an approved one may still be returned).
    #[error("the report is {0} and cannot be reviewed")]
    NotSubmitted(ReportState),
    /// A report sent for review says where the activity stands.
    #[error("a status is needed")]
    MissingStatus,
    /// A report sent for review says what was done.
    #[error("what was done is needed")]
    MissingDone,
    /// A returned report says why.
    #[error("a comment is needed")]
    MissingComment,
    /// A round moves planned → open → closed → published, and may be opened again until it is
    /// published.
    #[error("a round cannot go from {from} to {to}")]
    RoundStep { from: RoundState, to: RoundState },
}

/// Whether reports in `round` can change, and if not, why.
pub fn open_for_reports(round: &FollowUp) -> Result<(), Refusal> {
    match round.state {
        RoundState::Open => Ok(()),
        RoundState::Planned => Err(Refusal::NotOpenYet { opens: round.opens }),
        RoundState::Closed | RoundState::Published => Err(Refusal::Closed {
            closed: round.closed,
        }),
    }
}

impl Report {
    /// Takes `step` on this report in `round`; `comment` is the reviewer's, for a return. The
    /// report is left as it was when the step is refused.
    pub fn take(
        &mut self,
        step: ReportStep,
        round: &FollowUp,
        comment: Option<String>,
    ) -> Result<(), Refusal> {
        open_for_reports(round)?;
        match step {
            ReportStep::Save => {
                if !self.state.editable() {
                    return Err(Refusal::NotEditable(self.state));
                }
            }
            ReportStep::Submit => {
                if !self.state.editable() {
                    return Err(Refusal::NotEditable(self.state));
                }
                if self.status.is_none() {
                    return Err(Refusal::MissingStatus);
                }
                if self.done.as_deref().is_none_or(|d| d.trim().is_empty()) {
                    return Err(Refusal::MissingDone);
                }
                self.state = ReportState::Submitted;
            }
            ReportStep::Approve => {
                if self.state != ReportState::Submitted {
                    return Err(Refusal::NotSubmitted(self.state));
                }
                self.state = ReportState::Approved;
            }
            ReportStep::Return => {
                if !matches!(self.state, ReportState::Submitted | ReportState::Approved) {
                    return Err(Refusal::NotSubmitted(self.state));
                }
                let comment = comment.filter(|c| !c.trim().is_empty());
                let Some(comment) = comment else {
                    return Err(Refusal::MissingComment);
                };
                self.comment = Some(comment);
                self.state = ReportState::Returned;
            }
        }
        Ok(())
    }
}

impl FollowUp {
    /// Moves the round to `to` on `today`: closing dates it, publishing dates its report
    /// ("uppgifter per"). A closed round may be opened again; a published one is final.
    pub fn advance(&mut self, to: RoundState, today: PartialDate) -> Result<(), Refusal> {
        use RoundState as S;
        let allowed = matches!(
            (self.state, to),
            (S::Planned | S::Closed, S::Open) | (S::Open, S::Closed) | (S::Closed, S::Published)
        );
        if !allowed {
            return Err(Refusal::RoundStep {
                from: self.state,
                to,
            });
        }
        match to {
            // When it was planned to open stays as planned; opening early or late is the
            // owner's call, and the record says when it was done.
            S::Open => self.closed = None,
            S::Closed => self.closed = Some(today),
            S::Published => self.date = Some(today),
            S::Planned => {}
        }
        self.state = to;
        Ok(())
    }

    /// The plans whose goals the round follows up: its plans and its structure.
    pub fn followed_plans(&self) -> impl Iterator<Item = &Slug> {
        self.plans
            .iter()
            .chain(self.structure.iter().filter(|s| !self.plans.contains(s)))
    }
}

/// The frozen copy of a published round's report: the round, and what the report shows of
/// the data set `seen` (as visitors see it) on the day it is published: its plans, the
/// activities that serve their goals, each with the status its report gave, the
/// organisations and perspectives, the round's reports, and the indicators that measure the
/// plans' goals (their values are not copied: they are kept by period already). Later edits change none of it.
pub fn frozen(round: &FollowUp, seen: &DataSet, reports: &crate::Shared<Report>) -> DataSet {
    let plans: HashSet<&Slug> = round.followed_plans().collect();
    let ours: Vec<Arc<Report>> = reports
        .iter()
        .filter(|r| r.round == round.id)
        .cloned()
        .collect();
    let reported: std::collections::HashMap<&Slug, &Report> =
        ours.iter().map(|r| (&r.activity, &**r)).collect();
    let serves_ours = |g: &GoalRef| plans.contains(&g.plan);
    let activities = seen
        .activities
        .iter()
        .filter(|a| a.serves.iter().any(serves_ours))
        .map(|a| match reported.get(&a.id).and_then(|r| r.status) {
            Some(status) if a.status != Some(status) => {
                let mut a = (**a).clone();
                a.status = Some(status);
                Arc::new(a)
            }
            _ => Arc::clone(a),
        })
        .collect();
    DataSet {
        name: seen.name.clone(),
        organisations: seen.organisations.clone(),
        perspectives: seen.perspectives.clone(),
        strategies: Vec::new(),
        plans: seen
            .plans
            .iter()
            .filter(|p| plans.contains(&p.id))
            .cloned()
            .collect(),
        activities,
        follow_ups: vec![round.clone()],
        reports: ours.into_iter().collect(),
        // What measures the plans' goals, with only those goals' baselines and targets.
        indicators: seen
            .indicators
            .iter()
            .filter(|i| i.measures.iter().any(|m| serves_ours(&m.goal)))
            .map(|i| {
                let mut i = i.clone();
                i.measures.retain(|m| serves_ours(&m.goal));
                i
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Period, Status};

    fn slug(s: &str) -> Slug {
        Slug::parse(s).expect("a test slug")
    }

    fn day(s: &str) -> PartialDate {
        PartialDate::parse(s).expect("a test date")
    }

    fn round(state: RoundState) -> FollowUp {
        FollowUp {
            id: slug("omgang-2025"),
            title: "Uppföljning 2025".into(),
            date: None,
            author: None,
            signed_by: None,
            plans: vec![slug("plan")],
            structure: None,
            introduction: None,
            sections: Vec::new(),
            period: Period::default(),
            opens: Some(day("2026-01-10")),
            deadline: Some(day("2026-02-15")),
            state,
            closed: Some(day("2026-02-20")).filter(|_| state == RoundState::Closed),
        }
    }

    fn written() -> Report {
        let mut r = Report::empty(slug("omgang-2025"), slug("aktivitet"));
        r.status = Some(Status::Ongoing);
        r.done = Some("Tre träffar i länsdelarna.".into());
        r
    }

    #[test]
    fn a_report_goes_draft_submitted_returned_submitted_approved() {
        let open = round(RoundState::Open);
        let mut r = written();
        r.take(ReportStep::Save, &open, None).expect("saved");
        assert_eq!(r.state, ReportState::Draft);
        r.take(ReportStep::Submit, &open, None).expect("submitted");
        assert_eq!(r.state, ReportState::Submitted);
        assert_eq!(
            r.take(ReportStep::Save, &open, None),
            Err(Refusal::NotEditable(ReportState::Submitted))
        );
        assert_eq!(
            r.take(ReportStep::Return, &open, Some("  ".into())),
            Err(Refusal::MissingComment)
        );
        r.take(ReportStep::Return, &open, Some("Resultaten saknas.".into()))
            .expect("returned");
        assert_eq!(r.state, ReportState::Returned);
        assert_eq!(r.comment.as_deref(), Some("Resultaten saknas."));
        assert_eq!(
            r.take(ReportStep::Approve, &open, None),
            Err(Refusal::NotSubmitted(ReportState::Returned))
        );
        r.take(ReportStep::Save, &open, None)
            .expect("a returned report is corrected");
        assert_eq!(r.state, ReportState::Returned);
        r.take(ReportStep::Submit, &open, None).expect("again");
        r.take(ReportStep::Approve, &open, None).expect("approved");
        assert_eq!(r.state, ReportState::Approved);
        assert_eq!(
            r.take(ReportStep::Submit, &open, None),
            Err(Refusal::NotEditable(ReportState::Approved))
        );
    }

    #[test]
    fn submitting_asks_for_a_status_and_what_was_done() {
        let open = round(RoundState::Open);
        let mut r = written();
        r.status = None;
        assert_eq!(
            r.take(ReportStep::Submit, &open, None),
            Err(Refusal::MissingStatus)
        );
        r.status = Some(Status::Paused);
        r.done = Some(" \n".into());
        assert_eq!(
            r.take(ReportStep::Submit, &open, None),
            Err(Refusal::MissingDone)
        );
        assert_eq!(
            r.state,
            ReportState::Draft,
            "a refused step changes nothing"
        );
    }

    #[test]
    fn a_round_that_is_not_open_refuses_every_step_and_says_why() {
        let mut r = written();
        assert_eq!(
            r.take(ReportStep::Save, &round(RoundState::Planned), None),
            Err(Refusal::NotOpenYet {
                opens: Some(day("2026-01-10"))
            })
        );
        for state in [RoundState::Closed, RoundState::Published] {
            let refused = r.take(ReportStep::Submit, &round(state), None);
            assert!(matches!(refused, Err(Refusal::Closed { .. })), "{state}");
        }
        assert_eq!(
            r.take(ReportStep::Save, &round(RoundState::Closed), None),
            Err(Refusal::Closed {
                closed: Some(day("2026-02-20"))
            })
        );
    }

    #[test]
    fn a_round_opens_closes_reopens_and_publishes_once() {
        let today = day("2026-03-01");
        let mut f = round(RoundState::Planned);
        f.advance(RoundState::Open, today).expect("opened");
        assert_eq!(f.opens, Some(day("2026-01-10")), "the plan stays as it was");
        f.advance(RoundState::Closed, today).expect("closed");
        assert_eq!(f.closed, Some(today));
        f.advance(RoundState::Open, today).expect("opened again");
        assert_eq!(f.closed, None);
        assert_eq!(
            f.advance(RoundState::Published, today),
            Err(Refusal::RoundStep {
                from: RoundState::Open,
                to: RoundState::Published
            })
        );
        f.advance(RoundState::Closed, today).expect("closed");
        f.advance(RoundState::Published, today).expect("published");
        assert_eq!(f.date, Some(today));
        for &to in <RoundState as crate::Vocabulary>::ALL {
            assert!(f.advance(to, today).is_err(), "published is final: {to}");
        }
    }
}
