//! What can be wrong with a data set, said so that a person can find it and fix it.
//!
//! A [`Diagnostic`] names the file, the line, the path of the field and the [`Problem`]. The
//! problem carries a message key and its arguments rather than text, so that the command line
//! and the web pages can say it in the user's language from the message files.

use std::fmt;

/// What kind of entity an id or a reference is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Organisation,
    Perspective,
    Strategy,
    OverarchingGoal,
    EffectGoal,
    PriorityArea,
    DesiredState,
    Plan,
    Level,
    Node,
    Version,
    Risk,
    StrategicDirection,
    Activity,
    FollowUp,
    Report,
    Indicator,
}

impl EntityKind {
    /// The message key of the kind's name.
    pub fn key(self) -> &'static str {
        match self {
            Self::Organisation => "kind-organisation",
            Self::Perspective => "kind-perspective",
            Self::Strategy => "kind-strategy",
            Self::OverarchingGoal => "kind-overarching-goal",
            Self::EffectGoal => "kind-effect-goal",
            Self::PriorityArea => "kind-priority-area",
            Self::DesiredState => "kind-desired-state",
            Self::Plan => "kind-plan",
            Self::Level => "kind-level",
            Self::Node => "kind-node",
            Self::Version => "kind-version",
            Self::Risk => "kind-risk",
            Self::StrategicDirection => "kind-strategic-direction",
            Self::Activity => "kind-activity",
            Self::FollowUp => "kind-follow-up",
            Self::Report => "kind-report",
            Self::Indicator => "kind-indicator",
        }
    }
}

/// One thing wrong, without its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file could not be read (permissions, not UTF-8, ...).
    Unreadable {
        detail: String,
    },
    /// Not valid TOML.
    Syntax {
        detail: String,
    },
    UnknownField {
        field: String,
        expected: String,
    },
    MissingField {
        field: String,
    },
    WrongType {
        detail: String,
    },
    /// Another structural problem the TOML reader found.
    Invalid {
        detail: String,
    },
    /// A file that has no place in the layout.
    UnknownFile,
    MissingManifest,
    NotADirectory,
    UnsupportedVersion {
        found: i64,
    },
    BadSlug {
        value: String,
        reason: String,
    },
    DuplicateId {
        kind: EntityKind,
        id: String,
        first: String,
    },
    UnknownReference {
        kind: EntityKind,
        id: String,
    },
    BadGoalRef {
        value: String,
    },
    BadDate {
        value: String,
        reason: String,
    },
    EndBeforeStart {
        start: String,
        end: String,
    },
    /// A follow-up round's deadline before it opens.
    DeadlineBeforeOpening {
        opens: String,
        deadline: String,
    },
    UnknownValue {
        field: &'static str,
        value: String,
        allowed: String,
    },
    BadMunicipalityCode {
        value: String,
    },
    MissingMunicipalityCode,
    CodeOnNonMunicipality {
        kind: String,
    },
    DuplicateMunicipalityCode {
        code: String,
        first: String,
    },
    ParentLoop {
        id: String,
    },
    /// A goal that is its own ancestor.
    GoalLoop {
        id: String,
    },
    /// A child of a node on the plan's last level.
    NoLevelBelow {
        parent: String,
    },
    WrongLevel {
        level: String,
        expected: String,
    },
    NotAUnit {
        id: String,
    },
    DecisionIncomplete,
    EmptyFunding,
    /// An indicator's period in none of the forms known.
    BadPeriod {
        value: String,
    },
    /// A value that is no number, or not a finite one.
    BadNumber {
        value: String,
    },
    /// A number outside what the field allows.
    OutOfRange {
        value: String,
        min: String,
        max: String,
    },
    /// An indicator's source naming more than one place to fetch from.
    SourceKinds {
        found: String,
    },
    /// A PxWeb query without a PxWeb table to post it to.
    QueryWithoutPxWeb,
    /// A query that is not JSON.
    BadQuery {
        detail: String,
    },
    /// A values file without a column it needs.
    MissingColumn {
        column: String,
    },
    /// A values file's column that it does not know.
    UnknownColumn {
        column: String,
        expected: String,
    },
    /// A row of a values file with neither value nor status.
    EmptyValue,
    /// Two rows of a values file with the same period, area, sex and age.
    DuplicateValue {
        first: String,
    },
}

impl Problem {
    /// The key of this problem's message in the message files.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "problem-unreadable",
            Self::Syntax { .. } => "problem-syntax",
            Self::UnknownField { .. } => "problem-unknown-field",
            Self::MissingField { .. } => "problem-missing-field",
            Self::WrongType { .. } => "problem-wrong-type",
            Self::Invalid { .. } => "problem-invalid",
            Self::UnknownFile => "problem-unknown-file",
            Self::MissingManifest => "problem-missing-manifest",
            Self::NotADirectory => "problem-not-a-directory",
            Self::UnsupportedVersion { .. } => "problem-unsupported-version",
            Self::BadSlug { .. } => "problem-bad-slug",
            Self::DuplicateId { .. } => "problem-duplicate-id",
            Self::UnknownReference { .. } => "problem-unknown-reference",
            Self::BadGoalRef { .. } => "problem-bad-goal-ref",
            Self::BadDate { .. } => "problem-bad-date",
            Self::EndBeforeStart { .. } => "problem-end-before-start",
            Self::DeadlineBeforeOpening { .. } => "problem-deadline-before-opening",
            Self::UnknownValue { .. } => "problem-unknown-value",
            Self::BadMunicipalityCode { .. } => "problem-bad-municipality-code",
            Self::MissingMunicipalityCode => "problem-missing-municipality-code",
            Self::CodeOnNonMunicipality { .. } => "problem-code-on-non-municipality",
            Self::DuplicateMunicipalityCode { .. } => "problem-duplicate-municipality-code",
            Self::ParentLoop { .. } => "problem-parent-loop",
            Self::GoalLoop { .. } => "problem-goal-loop",
            Self::NoLevelBelow { .. } => "problem-no-level-below",
            Self::WrongLevel { .. } => "problem-wrong-level",
            Self::NotAUnit { .. } => "problem-not-a-unit",
            Self::DecisionIncomplete => "problem-decision-incomplete",
            Self::EmptyFunding => "problem-empty-funding",
            Self::BadPeriod { .. } => "problem-bad-period",
            Self::BadNumber { .. } => "problem-bad-number",
            Self::OutOfRange { .. } => "problem-out-of-range",
            Self::SourceKinds { .. } => "problem-source-kinds",
            Self::QueryWithoutPxWeb => "problem-query-without-pxweb",
            Self::BadQuery { .. } => "problem-bad-query",
            Self::MissingColumn { .. } => "problem-missing-column",
            Self::UnknownColumn { .. } => "problem-unknown-column",
            Self::EmptyValue => "problem-empty-value",
            Self::DuplicateValue { .. } => "problem-duplicate-value",
        }
    }

    /// The message's arguments. An argument that is itself a message key (an entity kind) is
    /// returned as [`Arg::Key`] so that it is translated too.
    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        use Arg::{Key, Text};
        let t = |s: &str| Text(s.to_owned());
        match self {
            Self::Unreadable { detail }
            | Self::Syntax { detail }
            | Self::WrongType { detail }
            | Self::Invalid { detail }
            | Self::BadQuery { detail } => vec![("detail", t(detail))],
            Self::UnknownField { field, expected } => {
                vec![("field", t(field)), ("expected", t(expected))]
            }
            Self::MissingField { field } => vec![("field", t(field))],
            Self::UnknownFile
            | Self::MissingManifest
            | Self::NotADirectory
            | Self::MissingMunicipalityCode
            | Self::DecisionIncomplete
            | Self::EmptyFunding
            | Self::QueryWithoutPxWeb
            | Self::EmptyValue => vec![],
            Self::BadPeriod { value } | Self::BadNumber { value } => vec![("value", t(value))],
            Self::OutOfRange { value, min, max } => {
                vec![("value", t(value)), ("min", t(min)), ("max", t(max))]
            }
            Self::SourceKinds { found } => vec![("found", t(found))],
            Self::MissingColumn { column } => vec![("column", t(column))],
            Self::UnknownColumn { column, expected } => {
                vec![("column", t(column)), ("expected", t(expected))]
            }
            Self::DuplicateValue { first } => vec![("first", t(first))],
            Self::UnsupportedVersion { found } => {
                vec![("found", Text(found.to_string())), ("supported", t("1"))]
            }
            Self::BadSlug { value, reason } | Self::BadDate { value, reason } => {
                vec![("value", t(value)), ("reason", t(reason))]
            }
            Self::DuplicateId { kind, id, first } => {
                vec![
                    ("kind", Key(kind.key())),
                    ("id", t(id)),
                    ("first", t(first)),
                ]
            }
            Self::UnknownReference { kind, id } => vec![("kind", Key(kind.key())), ("id", t(id))],
            Self::BadGoalRef { value } | Self::BadMunicipalityCode { value } => {
                vec![("value", t(value))]
            }
            Self::EndBeforeStart { start, end } => vec![("start", t(start)), ("end", t(end))],
            Self::DeadlineBeforeOpening { opens, deadline } => {
                vec![("opens", t(opens)), ("deadline", t(deadline))]
            }
            Self::UnknownValue {
                field,
                value,
                allowed,
            } => vec![
                ("field", t(field)),
                ("value", t(value)),
                ("allowed", t(allowed)),
            ],
            Self::CodeOnNonMunicipality { kind } => vec![("kind", t(kind))],
            Self::DuplicateMunicipalityCode { code, first } => {
                vec![("code", t(code)), ("first", t(first))]
            }
            Self::ParentLoop { id } | Self::NotAUnit { id } | Self::GoalLoop { id } => {
                vec![("id", t(id))]
            }
            Self::NoLevelBelow { parent } => vec![("parent", t(parent))],
            Self::WrongLevel { level, expected } => {
                vec![("level", t(level)), ("expected", t(expected))]
            }
        }
    }
}

/// A message argument: plain text, or the key of another message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Key(&'static str),
}

/// A problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the data set's directory, with `/` between folders.
    pub file: String,
    /// 1-based; `None` when the problem is the file itself.
    pub line: Option<usize>,
    /// The path of the field, like `node[3].parent`; empty for the file as a whole.
    pub path: String,
    pub problem: Problem,
}

impl Diagnostic {
    /// What is wrong, in `lang`, without the place.
    pub fn message(&self, lang: rodtrad_i18n::Lang) -> String {
        let args: Vec<(&str, String)> = self
            .problem
            .args()
            .into_iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(t) => t,
                    Arg::Key(k) => lang.text(k),
                };
                (name, value)
            })
            .collect();
        lang.format(self.problem.key(), &args)
    }

    /// `file:line: path` — the place, the same in every language.
    pub fn place(&self) -> String {
        let mut s = self.file.clone();
        if let Some(line) = self.line {
            s.push(':');
            s.push_str(&line.to_string());
        }
        if !self.path.is_empty() {
            s.push_str(": ");
            s.push_str(&self.path);
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    /// A language-neutral rendering for logs and test failures; people get the translated one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.problem.key())?;
        for (name, arg) in self.problem.args() {
            match arg {
                Arg::Text(t) => write!(f, " {name}={t:?}")?,
                Arg::Key(k) => write!(f, " {name}={k}")?,
            }
        }
        Ok(())
    }
}
