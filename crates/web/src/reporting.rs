//! What the pages of follow-up rounds share: the rows of a round's reports (an activity it asks
//! a report of, and the report if one is written), the confirmations shown after a step, the
//! refusals said in the user's words, and today's date.

use rodtrad_domain::{
    Activity, FollowUp, PartialDate, Refusal, Report, ReportState, Slug, Vocabulary,
};
use rodtrad_i18n::Lang;

use crate::model::ReadModel;
use crate::pages::Page;

/// An activity a round asks a report of, and its report if one is written.
#[derive(Debug)]
pub struct ReportRow<'a> {
    pub activity: &'a Activity,
    pub lead: Option<&'a Slug>,
    pub report: Option<&'a Report>,
    /// `None`: not started.
    pub state: Option<ReportState>,
}

impl<'a> ReportRow<'a> {
    /// Every activity `round` asks a report of, in stored order.
    pub fn of(model: &'a ReadModel, round: &FollowUp) -> Vec<Self> {
        let asked = model.round_activities(round);
        model
            .with_reports(&round.id, &asked)
            .map(|(activity, report)| Self {
                activity,
                lead: activity.lead.as_ref(),
                report,
                state: report.map(|r| r.state),
            })
            .collect()
    }

    /// The state as the filters and the CSV name it: a report state, or `not-started`.
    pub fn state_code(&self) -> &'static str {
        self.state.map_or("not-started", Vocabulary::code)
    }
}

/// What was just done, confirmed on the page the person lands on (`?done=…`), without
/// JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Saved,
    Submitted,
    Approved,
    Returned,
    Opened,
    Closed,
    Published,
    Reminded,
}

impl Done {
    const ALL: [Done; 8] = [
        Self::Saved,
        Self::Submitted,
        Self::Approved,
        Self::Returned,
        Self::Opened,
        Self::Closed,
        Self::Published,
        Self::Reminded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Saved => "saved",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Returned => "returned",
            Self::Opened => "opened",
            Self::Closed => "closed",
            Self::Published => "published",
            Self::Reminded => "reminded",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The confirmation in words: "Sparat", "Skickad för granskning", ...
    pub fn text(self, lang: Lang) -> String {
        lang.text(&format!("done-{}", self.code()))
    }

    /// `path` with the confirmation, in the page's language.
    pub fn href(self, page: &Page, path: &str) -> String {
        done_href(page, path, self.code())
    }
}

/// `path` in the page's language, with `?done=CODE`: where a step lands, to be confirmed there.
pub fn done_href(page: &Page, path: &str, code: &str) -> String {
    let href = page.href(path);
    let sep = if href.contains('?') { '&' } else { '?' };
    format!("{href}{sep}done={code}")
}

/// Why a step was refused, in the user's words: a closed round says when it was closed.
pub fn refusal_text(refusal: &Refusal, lang: Lang) -> String {
    let date = |d: &Option<PartialDate>| d.map(|d| d.to_string());
    match refusal {
        Refusal::Closed { closed } => match date(closed) {
            Some(date) => lang.format("refusal-closed-on", &[("date", date)]),
            None => lang.text("refusal-closed"),
        },
        Refusal::NotOpenYet { opens } => match date(opens) {
            Some(date) => lang.format("refusal-not-open-until", &[("date", date)]),
            None => lang.text("refusal-not-open"),
        },
        Refusal::NotEditable(state) => lang.format(
            "refusal-not-editable",
            &[(
                "state",
                lang.text(&format!("report-state-{}", state.code())),
            )],
        ),
        Refusal::NotSubmitted(state) => lang.format(
            "refusal-not-submitted",
            &[(
                "state",
                lang.text(&format!("report-state-{}", state.code())),
            )],
        ),
        Refusal::MissingStatus => lang.text("refusal-missing-status"),
        Refusal::MissingDone => lang.text("refusal-missing-done"),
        Refusal::MissingComment => lang.text("refusal-missing-comment"),
        Refusal::RoundStep { from, to } => lang.format(
            "refusal-round-step",
            &[
                ("from", lang.text(&format!("round-state-{}", from.code()))),
                ("to", lang.text(&format!("round-state-{}", to.code()))),
            ],
        ),
    }
}

/// Today's date (UTC), as the day a round is closed or published.
pub fn today() -> PartialDate {
    let now = time::OffsetDateTime::now_utc();
    let year = u16::try_from(now.year()).unwrap_or(9999);
    PartialDate::ymd(year, u8::from(now.month()), now.day())
        .expect("the clock gives a day that exists")
}
