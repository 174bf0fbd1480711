//! A form as data: its fields with their values and problems, rendered by one template, and
//! the reading of what was posted back into checked values.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use rodtrad_domain::{PartialDate, Period, Slug, Vocabulary};
use rodtrad_i18n::Lang;
use rodtrad_store::ChangeSet;

use crate::pages::Page;

/// One option of a choice.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: &impl ToString, label: &impl ToString) -> Self {
        Self {
            value: value.to_string(),
            label: label.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Control {
    Text,
    Area,
    /// One of the choices; an optional field also offers none.
    Select(Vec<Choice>),
    /// Any of the choices, as checkboxes.
    Multi(Vec<Choice>),
    /// Any of the choices, as checkboxes in named groups (the goals of each plan).
    Grouped(Vec<(String, Vec<Choice>)>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub hint: Option<String>,
    pub control: Control,
    pub value: String,
    pub values: Vec<String>,
    pub required: bool,
    pub error: Option<String>,
}

impl Field {
    fn new(name: &str, label: String, control: Control) -> Self {
        Self {
            name: name.to_owned(),
            label,
            hint: None,
            control,
            value: String::new(),
            values: Vec::new(),
            required: false,
            error: None,
        }
    }

    pub fn text(name: &str, label: String, value: Option<&str>) -> Self {
        Self {
            value: value.unwrap_or_default().to_owned(),
            ..Self::new(name, label, Control::Text)
        }
    }

    pub fn area(name: &str, label: String, value: Option<&str>) -> Self {
        Self {
            value: value.unwrap_or_default().to_owned(),
            ..Self::new(name, label, Control::Area)
        }
    }

    pub fn select(name: &str, label: String, choices: Vec<Choice>, value: Option<String>) -> Self {
        Self {
            value: value.unwrap_or_default(),
            ..Self::new(name, label, Control::Select(choices))
        }
    }

    pub fn multi(name: &str, label: String, choices: Vec<Choice>, values: Vec<String>) -> Self {
        Self {
            values,
            ..Self::new(name, label, Control::Multi(choices))
        }
    }

    #[must_use]
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    #[must_use]
    pub fn hint(mut self, hint: String) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn id(&self) -> String {
        format!("f-{}", self.name)
    }

    pub fn grouped(
        name: &str,
        label: String,
        groups: Vec<(String, Vec<Choice>)>,
        values: Vec<String>,
    ) -> Self {
        Self {
            values,
            ..Self::new(name, label, Control::Grouped(groups))
        }
    }

    pub fn is_selected(&self, value: &str) -> bool {
        self.value == value
    }

    pub fn is_checked(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value)
    }

    /// The ids of the hint and the problem, for `aria-describedby`.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id()));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id()));
        }
        ids.join(" ")
    }
}

/// Problems found in what was posted: by field name, and for the whole.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    pub fields: BTreeMap<String, String>,
    pub general: Vec<String>,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    pub fn add(&mut self, field: &str, message: String) {
        self.fields.entry(field.to_owned()).or_insert(message);
    }
}

/// The most characters one field of a form holds: room for a long section of a plan's prose.
pub const MAX_TEXT: usize = 50_000;
/// The most rows a list on a form holds (funding, a report's sections, a plan's versions, ...).
pub const MAX_ROWS: usize = 100;
/// The most values one field sends (goals an activity serves, partners, perspectives).
pub const MAX_CHOICES: usize = 500;

/// The row number of `N-column`, the rest of a numbered row's field name after its prefix.
fn row_of(rest: &str) -> Option<usize> {
    rest.split('-').next()?.parse().ok()
}

/// What a form posted, in order; a name may come more than once (checkboxes).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Input(pub Vec<(String, String)>);

impl Input {
    /// The trimmed text of a field; `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// How many numbered rows of `prefix` were sent (`funding-1-funder`, `funding-2-...`), at
    /// most [`MAX_ROWS`] (more are refused by [`Input::check_limits`] before anything reads them).
    pub fn rows(&self, prefix: &str) -> usize {
        let start = format!("{prefix}-");
        self.0
            .iter()
            .filter_map(|(k, _)| row_of(k.strip_prefix(&start)?))
            .max()
            .unwrap_or(0)
            .min(MAX_ROWS)
    }

    /// Refuses a form that sends more than a form can hold: a text longer than [`MAX_TEXT`]
    /// characters, a list of more than [`MAX_ROWS`] rows, more than [`MAX_CHOICES`] values of
    /// one field. Each is said at its field (a list at its first row), so that one post cannot
    /// make an item whose form no one can open.
    pub fn check_limits(&self, lang: Lang) -> Result<(), Problems> {
        let mut problems = Problems::default();
        for (name, value) in &self.0 {
            let length = value.chars().count();
            if length > MAX_TEXT && !problems.fields.contains_key(name) {
                let args = [
                    ("max", MAX_TEXT.to_string()),
                    ("length", length.to_string()),
                ];
                problems.add(name, lang.format("edit-too-long", &args));
            }
            // A control character (a NUL pasted from another program) is no text anyone
            // meant, and PostgreSQL refuses to store one.
            let control = value
                .chars()
                .position(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
            if let Some(at) = control.filter(|_| !problems.fields.contains_key(name)) {
                let args = [("at", (at + 1).to_string())];
                problems.add(name, lang.format("edit-control-character", &args));
            }
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut rows: HashMap<&str, (usize, &str)> = HashMap::new();
        for (name, _) in &self.0 {
            *counts.entry(name.as_str()).or_default() += 1;
            if let Some((prefix, rest)) = name.split_once('-') {
                if let Some(n) = row_of(rest) {
                    let first = rows.entry(prefix).or_insert((0, name.as_str()));
                    first.0 = first.0.max(n);
                    if n == 1 {
                        first.1 = name.as_str();
                    }
                }
            }
        }
        for (n, first) in rows.into_values() {
            if n > MAX_ROWS {
                let args = [("max", MAX_ROWS.to_string()), ("rows", n.to_string())];
                problems.add(first, lang.format("edit-too-many-rows", &args));
            }
        }
        for (name, n) in counts {
            if n > MAX_CHOICES {
                let args = [("max", MAX_CHOICES.to_string()), ("count", n.to_string())];
                problems.add(name, lang.format("edit-too-many-choices", &args));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The revision the person's edit is based on.
    pub fn revision(&self) -> i64 {
        self.text("revision")
            .and_then(|r| r.parse().ok())
            .unwrap_or(-1)
    }
}

/// Reads posted values into checked ones, noting each refusal against its field.
#[derive(Debug)]
pub struct Reader<'a> {
    pub input: &'a Input,
    pub lang: Lang,
    pub problems: Problems,
}

impl<'a> Reader<'a> {
    pub fn new(input: &'a Input, lang: Lang) -> Self {
        Self {
            input,
            lang,
            problems: Problems::default(),
        }
    }

    fn refuse(&mut self, field: &str, key: &str) {
        let message = self.lang.text(key);
        self.problems.add(field, message);
    }

    pub fn optional(&self, name: &str) -> Option<String> {
        self.input.text(name)
    }

    pub fn required(&mut self, name: &str) -> String {
        let value = self.input.text(name);
        if value.is_none() {
            self.refuse(name, "edit-required");
        }
        value.unwrap_or_default()
    }

    /// One of `among`, or none.
    pub fn choice(&mut self, name: &str, among: &[&Slug]) -> Option<Slug> {
        let value = self.input.text(name)?;
        let found = among
            .iter()
            .find(|s| s.as_str() == value)
            .map(|s| (*s).clone());
        if found.is_none() {
            self.refuse(name, "edit-bad-choice");
        }
        found
    }

    /// Any of `among`, in the order of `among`.
    /// Any of `among`: those of `kept` still chosen first, in the order they had (the order
    /// of partners or perspectives can carry meaning), then the newly chosen in `among`'s order.
    pub fn choices(&mut self, name: &str, among: &[&Slug], kept: &[Slug]) -> Vec<Slug> {
        let values = self.input.all(name);
        if values
            .iter()
            .any(|v| !among.iter().any(|s| s.as_str() == v))
        {
            self.refuse(name, "edit-bad-choice");
        }
        let chosen = |s: &Slug| values.iter().any(|v| v == s.as_str());
        let mut out: Vec<Slug> = kept.iter().filter(|s| chosen(s)).cloned().collect();
        for s in among {
            if chosen(s) && !out.contains(s) {
                out.push((*s).clone());
            }
        }
        out
    }

    pub fn vocab<V: Vocabulary>(&mut self, name: &str) -> Option<V> {
        let value = self.input.text(name)?;
        let parsed = V::parse(&value).ok();
        if parsed.is_none() {
            self.refuse(name, "edit-bad-choice");
        }
        parsed
    }

    pub fn date(&mut self, name: &str) -> Option<PartialDate> {
        let value = self.input.text(name)?;
        let parsed = PartialDate::parse(&value).ok();
        if parsed.is_none() {
            self.refuse(name, "edit-bad-date");
        }
        parsed
    }

    /// A period from `start` and `end` fields; an end before the start is refused.
    pub fn period(&mut self, start: &str, end: &str) -> Period {
        let period = Period {
            start: self.date(start),
            end: self.date(end),
        };
        if period.ends_before_start() {
            self.refuse(end, "edit-period-order");
        }
        period
    }

    /// The id of a new item: the one typed, or one made from `title`; refused if `taken`.
    pub fn new_id(
        &mut self,
        name: &str,
        title: &str,
        taken: impl Fn(&Slug) -> bool,
    ) -> Option<Slug> {
        if let Some(typed) = self.input.text(name) {
            return match Slug::parse(&typed) {
                Ok(slug) if taken(&slug) => {
                    self.refuse(name, "edit-id-taken");
                    None
                }
                Ok(slug) => Some(slug),
                Err(_) => {
                    self.refuse(name, "edit-bad-id");
                    None
                }
            };
        }
        let Some(base) = slug_from(title) else {
            // Only when there is a title to make one from: a missing title is said at its own
            // field.
            if !title.is_empty() {
                self.refuse(name, "edit-id-needed");
            }
            return None;
        };
        let mut n = 1;
        let mut slug = base.clone();
        while taken(&slug) {
            n += 1;
            slug = Slug::parse(&format!("{base}-{n}")).ok()?;
        }
        Some(slug)
    }

    pub fn finish(self) -> Result<(), Problems> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.problems)
        }
    }
}

/// A slug made from a title: Swedish letters to their plain forms, everything else a hyphen.
pub fn slug_from(title: &str) -> Option<Slug> {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        let plain = match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if plain != '-' || !out.ends_with('-') {
            out.push(plain);
        }
    }
    let trimmed: String = out.trim_matches('-').chars().take(60).collect();
    Slug::parse(trimmed.trim_end_matches('-')).ok()
}

/// A change someone else saved, as the stale-edit notice shows it.
#[derive(Debug)]
pub struct Meanwhile {
    pub who: String,
    pub when: String,
    pub fields: Vec<(String, String, String)>,
}

impl Meanwhile {
    pub fn of(changes: &[ChangeSet]) -> Vec<Meanwhile> {
        changes
            .iter()
            .map(|c| Meanwhile {
                who: c.actor.clone(),
                when: crate::edit::history::when(c.at),
                fields: crate::edit::history::rows(&c.fields),
            })
            .collect()
    }
}

/// A whole form page.
#[derive(Template)]
#[template(path = "form.html")]
pub struct Form {
    pub page: Page,
    pub action: String,
    pub cancel: String,
    pub submit: String,
    pub revision: i64,
    pub fields: Vec<Field>,
    pub general: Vec<String>,
    pub meanwhile: Vec<Meanwhile>,
    pub csrf: String,
}

impl Form {
    /// Whether anything was refused, for the summary at the top.
    pub fn has_problems(&self) -> bool {
        !self.general.is_empty() || self.fields.iter().any(|f| f.error.is_some())
    }

    /// The fields keep what was posted, and show the problems found in it.
    #[must_use]
    pub fn refilled(mut self, input: &Input, problems: Problems) -> Self {
        refill(&mut self.fields, input, &problems);
        self.general = problems.general;
        self
    }
}

/// `fields` keep what was posted, and show the problems found in it.
pub fn refill(fields: &mut [Field], input: &Input, problems: &Problems) {
    for f in fields {
        match f.control {
            Control::Multi(_) | Control::Grouped(_) => f.values = input.all(&f.name),
            _ => {
                f.value = input
                    .0
                    .iter()
                    .find(|(k, _)| *k == f.name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
            }
        }
        f.error = problems.fields.get(&f.name).cloned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_rows_are_counted_by_the_highest_sent() {
        let input = Input(vec![
            ("funding-1-funder".into(), "a".into()),
            ("funding-3-description".into(), String::new()),
            ("funding-x-funder".into(), "b".into()),
            ("title".into(), "t".into()),
        ]);
        assert_eq!(input.rows("funding"), 3);
        assert_eq!(input.rows("section"), 0);
    }

    #[test]
    fn control_characters_are_refused_at_their_field_and_line_breaks_kept() {
        let input = Input(vec![
            ("done".into(), "Rad ett\r\nRad två\tmed tabb".into()),
            ("results".into(), "ab\u{0}c".into()),
            ("next_steps".into(), "\u{1b}[31m".into()),
        ]);
        let problems = input.check_limits(Lang::En).expect_err("refused");
        assert_eq!(
            problems
                .fields
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            vec!["next_steps", "results"]
        );
        assert!(problems.fields["results"].contains("Character 3"));
        assert!(problems.fields["next_steps"].contains("Character 1"));
    }

    #[test]
    fn titles_make_readable_ids() {
        let s = |t: &str| slug_from(t).map(|s| s.to_string());
        assert_eq!(
            s("Läsfrämjande i Örebro län"),
            Some("lasframjande-i-orebro-lan".into())
        );
        assert_eq!(s("  Delmål 1: Hälsa!  "), Some("delmal-1-halsa".into()));
        assert_eq!(s("—"), None);
    }

    #[test]
    fn posted_values_are_read_and_refused_by_field() {
        let input = Input(vec![
            ("title".into(), "  ".into()),
            ("start".into(), "2024".into()),
            ("end".into(), "2021".into()),
            ("p".into(), "a".into()),
            ("p".into(), "x".into()),
        ]);
        let mut r = Reader::new(&input, Lang::En);
        assert_eq!(r.required("title"), "");
        let period = r.period("start", "end");
        assert_eq!(period.start.map(|d| d.to_string()), Some("2024".into()));
        let a = Slug::parse("a").expect("slug");
        assert_eq!(r.choices("p", &[&a], &[]), vec![a.clone()]);
        let problems = r.finish().expect_err("refused");
        assert_eq!(
            problems
                .fields
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            vec!["end", "p", "title"]
        );
    }
}
