//! Checking what the values of a data set mean, and turning them into the domain's
//! [`DataSet`]: ids, references, dates, vocabularies, municipality codes, trees.
//!
//! The check runs in two passes so that every error is found at once: the first registers every
//! id with its place (finding duplicates), the second converts each record and resolves its
//! references against that register, reporting each bad value and going on.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rodtrad_domain as d;
use rodtrad_domain::{PartialDate, Period, Slug, Vocabulary};

use crate::at::{At, DateText};
use crate::dto;
use crate::problem::{Diagnostic, EntityKind, Problem};
use crate::read::{FileKind, InFile, Parsed};
use crate::source::SourceFile;

mod indicators;
mod rounds;

pub use indicators::{Values, read_values, write_values};

type Text = At<String>;

/// Where an id was first written.
#[derive(Debug, Clone)]
struct Place {
    file: usize,
    span: Range<usize>,
}

/// Ids are unique per kind; a plan's parts per kind and plan.
type Key = (EntityKind, Option<String>, String);

/// What a check may know of the data set beyond the files it reads: for checking a part of a
/// data set (what an edit touches and what refers to it) against the rest of it.
pub trait Known {
    /// Whether an entity of `kind` with `id` (in plan `scope`, for a plan's parts) is in the
    /// rest of the data set, outside the files read.
    fn has(&self, kind: EntityKind, scope: Option<&str>, id: &str) -> bool;
}

/// A whole data set: nothing outside its files.
pub(crate) struct Whole;

impl Known for Whole {
    fn has(&self, _: EntityKind, _: Option<&str>, _: &str) -> bool {
        false
    }
}

/// The file that holds entities of a kind, where the rest of the data set keeps one.
fn file_of(kind: EntityKind) -> &'static str {
    use EntityKind as K;
    match kind {
        K::Organisation => crate::read::ORGANISATIONS,
        K::Perspective => crate::read::PERSPECTIVES,
        K::Activity => crate::read::ACTIVITIES,
        K::Strategy | K::OverarchingGoal | K::EffectGoal | K::PriorityArea | K::DesiredState => {
            "strategies/"
        }
        K::FollowUp => "follow-ups/",
        K::Report => "reports/",
        K::Indicator => "indicators/",
        K::Plan | K::Level | K::Node | K::Version | K::Risk | K::StrategicDirection => "plans/",
    }
}

struct Checker<'a> {
    files: &'a [SourceFile],
    known: &'a dyn Known,
    out: &'a mut Vec<Diagnostic>,
    ids: HashMap<Key, Place>,
    /// Kinds whose files could not be read: references to them cannot be judged.
    unknowable: HashSet<EntityKind>,
    /// Whether every organisation was read, so that an organisation's kind can be judged.
    organisations_complete: bool,
}

/// The kinds of entity a kind of file defines.
fn kinds_in(file: FileKind) -> &'static [EntityKind] {
    use EntityKind as K;
    match file {
        FileKind::Manifest => &[],
        FileKind::Organisations => &[K::Organisation],
        FileKind::Perspectives => &[K::Perspective],
        FileKind::Strategy => &[
            K::Strategy,
            K::OverarchingGoal,
            K::EffectGoal,
            K::PriorityArea,
            K::DesiredState,
        ],
        FileKind::Plan => &[
            K::Plan,
            K::Level,
            K::Node,
            K::Version,
            K::Risk,
            K::StrategicDirection,
        ],
        FileKind::Activities => &[K::Activity],
        FileKind::FollowUp => &[K::FollowUp],
        FileKind::Reports => &[K::Report],
        FileKind::Indicator => &[K::Indicator],
    }
}

/// The goals that are their own ancestor (their own parent, their child's child, ...). A tree
/// with a loop has no top to hang the loop from, so such goals are refused, each at its parent,
/// and their levels are not judged.
fn nodes_in_loops<'a>(by_id: &HashMap<&'a str, &dto::NodeDto>) -> HashSet<&'a str> {
    let parent = |id: &str| by_id.get(id).and_then(|n| n.parent.as_ref());
    by_id
        .keys()
        .copied()
        .filter(|&id| {
            let mut at = parent(id);
            for _ in 0..by_id.len() {
                match at {
                    Some(p) if p.value == id => return true,
                    Some(p) => at = parent(&p.value),
                    None => return false,
                }
            }
            false
        })
        .collect()
}

/// What is wrong with a goal whose level is not `expected`, the one below its parent's.
fn misplaced(plan: &dto::PlanDto, n: &dto::NodeDto, expected: usize) -> Problem {
    match plan.level.get(expected) {
        Some(level) => Problem::WrongLevel {
            level: n.level.value.clone(),
            expected: level.id.value.clone(),
        },
        None => Problem::NoLevelBelow {
            parent: n
                .parent
                .as_ref()
                .map(|x| x.value.clone())
                .unwrap_or_default(),
        },
    }
}

/// Checks everything [`crate::read::read`] could read; the data set comes back only if neither
/// step found anything wrong.
pub fn check(
    parsed: &Parsed,
    out: &mut Vec<Diagnostic>,
    known: &dyn Known,
) -> Option<(d::DataSet, Values)> {
    let mut c = Checker {
        files: &parsed.files,
        known,
        out,
        ids: HashMap::new(),
        unknowable: parsed
            .unreadable
            .iter()
            .flat_map(|k| kinds_in(*k))
            .copied()
            .collect(),
        organisations_complete: !parsed.unreadable.contains(&FileKind::Organisations)
            && !parsed
                .partial
                .iter()
                .any(|f| f.dto.0 == FileKind::Organisations),
    };
    c.register_all(parsed);
    let mut set = d::DataSet::default();
    if let Some(m) = &parsed.manifest {
        if m.dto.format_version.value != 1 {
            c.err(
                m.file,
                &m.dto.format_version.span,
                "format_version".into(),
                Problem::UnsupportedVersion {
                    found: m.dto.format_version.value,
                },
            );
        }
        set.name.clone_from(&m.dto.name);
    }
    for f in &parsed.organisations {
        set.organisations.extend(c.organisations(f));
    }
    c.organisation_rules(&parsed.organisations, &set.organisations);
    for f in &parsed.perspectives {
        for (i, p) in f.dto.perspective.iter().enumerate() {
            if let Some(id) = c.slug(f.file, &p.id, &format!("perspective[{i}].id")) {
                set.perspectives.push(d::Perspective {
                    id,
                    name: p.name.clone(),
                });
            }
        }
    }
    set.strategies = parsed
        .strategies
        .iter()
        .filter_map(|s| c.strategy(s))
        .collect();
    set.plans = parsed.plans.iter().filter_map(|p| c.plan(p)).collect();
    let units: HashSet<&Slug> = set
        .organisations
        .iter()
        .filter(|o| o.kind == d::OrganisationKind::Unit)
        .map(|o| &o.id)
        .collect();
    for f in &parsed.activities {
        for (i, a) in f.dto.activity.iter().enumerate() {
            if let Some(a) = c.activity(f.file, i, a, &units) {
                set.activities.push_back(std::sync::Arc::new(a));
            }
        }
    }
    set.follow_ups = parsed
        .follow_ups
        .iter()
        .filter_map(|f| c.follow_up(f))
        .collect();
    for f in &parsed.reports {
        set.reports
            .extend(c.reports(f).into_iter().map(std::sync::Arc::new));
    }
    set.indicators = parsed
        .indicators
        .iter()
        .filter_map(|f| c.indicator(f))
        .collect();
    let values = c.values(parsed, &set.indicators);
    out.is_empty().then_some((set, values))
}

impl Checker<'_> {
    fn err(&mut self, file: usize, span: &Range<usize>, path: String, problem: Problem) {
        let source = &self.files[file];
        self.out.push(Diagnostic {
            file: source.path.clone(),
            line: source.line_of(span),
            path,
            problem,
        });
    }

    fn place_text(&self, place: &Place) -> String {
        let f = &self.files[place.file];
        match f.line_of(&place.span) {
            Some(line) => format!("{}:{line}", f.path),
            None => f.path.clone(),
        }
    }

    // ---- pass 1: ids ----

    fn register(
        &mut self,
        kind: EntityKind,
        scope: Option<&str>,
        file: usize,
        id: &Text,
        path: &str,
    ) {
        self.register_field(kind, scope, file, id, format!("{path}.id"));
    }

    /// Registers an id written in the field at `field` (its whole path).
    fn register_field(
        &mut self,
        kind: EntityKind,
        scope: Option<&str>,
        file: usize,
        id: &Text,
        field: String,
    ) {
        let key = (kind, scope.map(str::to_owned), id.value.clone());
        let first = match self.ids.get(&key) {
            Some(place) => Some(self.place_text(place)),
            None => self
                .known
                .has(kind, scope, &id.value)
                .then(|| file_of(kind).to_owned()),
        };
        if let Some(first) = first {
            self.err(
                file,
                &id.span,
                field,
                Problem::DuplicateId {
                    kind,
                    id: id.value.clone(),
                    first,
                },
            );
        } else {
            self.ids.insert(
                key,
                Place {
                    file,
                    span: id.span.clone(),
                },
            );
        }
    }

    fn register_all(&mut self, p: &Parsed) {
        use EntityKind as K;
        for f in &p.organisations {
            for (i, o) in f.dto.organisation.iter().enumerate() {
                self.register(
                    K::Organisation,
                    None,
                    f.file,
                    &o.id,
                    &format!("organisation[{i}]"),
                );
            }
        }
        for f in &p.perspectives {
            for (i, x) in f.dto.perspective.iter().enumerate() {
                self.register(
                    K::Perspective,
                    None,
                    f.file,
                    &x.id,
                    &format!("perspective[{i}]"),
                );
            }
        }
        for InFile { file, dto: s } in &p.strategies {
            self.register(K::Strategy, None, *file, &s.id, "");
            for (i, g) in s.overarching_goal.iter().enumerate() {
                let path = format!("overarching_goal[{i}]");
                self.register(K::OverarchingGoal, None, *file, &g.id, &path);
                for (j, e) in g.effect_goal.iter().enumerate() {
                    self.register(
                        K::EffectGoal,
                        None,
                        *file,
                        &e.id,
                        &format!("{path}.effect_goal[{j}]"),
                    );
                }
            }
            for (i, a) in s.priority_area.iter().enumerate() {
                self.register(
                    K::PriorityArea,
                    None,
                    *file,
                    &a.id,
                    &format!("priority_area[{i}]"),
                );
            }
            for (i, x) in s.desired_state.iter().enumerate() {
                self.register(
                    K::DesiredState,
                    None,
                    *file,
                    &x.id,
                    &format!("desired_state[{i}]"),
                );
            }
        }
        for InFile { file, dto: plan } in &p.plans {
            self.register(K::Plan, None, *file, &plan.id, "");
            let scope = Some(plan.id.value.as_str());
            for (i, x) in plan.level.iter().enumerate() {
                self.register(K::Level, scope, *file, &x.id, &format!("level[{i}]"));
            }
            for (i, x) in plan.node.iter().enumerate() {
                self.register(K::Node, scope, *file, &x.id, &format!("node[{i}]"));
            }
            for (i, x) in plan.version.iter().enumerate() {
                self.register(K::Version, scope, *file, &x.id, &format!("version[{i}]"));
            }
            for (i, x) in plan.risk.iter().enumerate() {
                self.register(K::Risk, scope, *file, &x.id, &format!("risk[{i}]"));
            }
            for (i, x) in plan.strategic_direction.iter().enumerate() {
                self.register(
                    K::StrategicDirection,
                    scope,
                    *file,
                    &x.id,
                    &format!("strategic_direction[{i}]"),
                );
            }
        }
        for f in &p.activities {
            for (i, a) in f.dto.activity.iter().enumerate() {
                self.register(K::Activity, None, f.file, &a.id, &format!("activity[{i}]"));
            }
        }
        for f in &p.follow_ups {
            self.register(K::FollowUp, None, f.file, &f.dto.id, "");
        }
        for f in &p.reports {
            self.register_reports(f);
        }
        for f in &p.indicators {
            self.register(K::Indicator, None, f.file, &f.dto.id, "");
        }
        for f in &p.partial {
            self.register_partial(f.file, f.dto.0, &f.dto.1);
        }
    }

    /// Ids of a file whose shape is wrong: known to exist, though the file itself is refused.
    fn register_partial(&mut self, file: usize, kind: FileKind, table: &toml::Table) {
        use EntityKind as K;
        let id_of = |t: &toml::Table| t.get("id").and_then(toml::Value::as_str).map(str::to_owned);
        let items = |t: &toml::Table, key: &str| -> Vec<toml::Table> {
            t.get(key)
                .and_then(toml::Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
                .unwrap_or_default()
        };
        let mut found: Vec<(K, Option<String>, String)> = Vec::new();
        let add_all =
            |found: &mut Vec<_>, kind: K, scope: Option<&String>, list: Vec<toml::Table>| {
                for t in list {
                    if let Some(id) = id_of(&t) {
                        found.push((kind, scope.cloned(), id));
                    }
                }
            };
        match kind {
            FileKind::Manifest => {}
            FileKind::Organisations => add_all(
                &mut found,
                K::Organisation,
                None,
                items(table, "organisation"),
            ),
            FileKind::Perspectives => add_all(
                &mut found,
                K::Perspective,
                None,
                items(table, "perspective"),
            ),
            FileKind::Activities => {
                add_all(&mut found, K::Activity, None, items(table, "activity"));
            }
            FileKind::FollowUp => found.extend(id_of(table).map(|id| (K::FollowUp, None, id))),
            FileKind::Indicator => found.extend(id_of(table).map(|id| (K::Indicator, None, id))),
            FileKind::Reports => {
                let round = table.get("round").and_then(toml::Value::as_str);
                for r in items(table, "report") {
                    let activity = r.get("activity").and_then(toml::Value::as_str);
                    if let (Some(round), Some(activity)) = (round, activity) {
                        found.push((K::Report, Some(round.to_owned()), activity.to_owned()));
                    }
                }
            }
            FileKind::Strategy => {
                found.extend(id_of(table).map(|id| (K::Strategy, None, id)));
                for goal in items(table, "overarching_goal") {
                    add_all(&mut found, K::EffectGoal, None, items(&goal, "effect_goal"));
                    found.extend(id_of(&goal).map(|id| (K::OverarchingGoal, None, id)));
                }
                add_all(
                    &mut found,
                    K::PriorityArea,
                    None,
                    items(table, "priority_area"),
                );
                add_all(
                    &mut found,
                    K::DesiredState,
                    None,
                    items(table, "desired_state"),
                );
            }
            FileKind::Plan => {
                let Some(plan) = id_of(table) else {
                    self.unknowable.extend(kinds_in(FileKind::Plan));
                    return;
                };
                found.push((K::Plan, None, plan.clone()));
                for (key, k) in [
                    ("node", K::Node),
                    ("level", K::Level),
                    ("version", K::Version),
                    ("risk", K::Risk),
                    ("strategic_direction", K::StrategicDirection),
                ] {
                    add_all(&mut found, k, Some(&plan), items(table, key));
                }
            }
        }
        for key in found {
            self.ids.entry(key).or_insert(Place { file, span: 0..0 });
        }
    }

    /// Whether an entity is in the files read or in the rest of the data set.
    fn exists(&self, kind: EntityKind, scope: Option<&str>, id: &str) -> bool {
        self.ids
            .contains_key(&(kind, scope.map(str::to_owned), id.to_owned()))
            || self.known.has(kind, scope, id)
    }

    // ---- values ----

    fn slug(&mut self, file: usize, v: &Text, path: &str) -> Option<Slug> {
        match Slug::parse(&v.value) {
            Ok(s) => Some(s),
            Err(e) => {
                self.err(
                    file,
                    &v.span,
                    path.to_owned(),
                    Problem::BadSlug {
                        value: v.value.clone(),
                        reason: e.to_string(),
                    },
                );
                None
            }
        }
    }

    /// A reference to an entity of `kind` (in plan `scope` for a plan's parts).
    fn reference(
        &mut self,
        kind: EntityKind,
        scope: Option<&str>,
        file: usize,
        v: &Text,
        path: &str,
    ) -> Option<Slug> {
        let slug = self.slug(file, v, path)?;
        if self.exists(kind, scope, &v.value) {
            Some(slug)
        } else if self.unknowable.contains(&kind) {
            None
        } else {
            self.err(
                file,
                &v.span,
                path.to_owned(),
                Problem::UnknownReference {
                    kind,
                    id: v.value.clone(),
                },
            );
            None
        }
    }

    fn opt_reference(
        &mut self,
        kind: EntityKind,
        file: usize,
        v: Option<&Text>,
        path: &str,
    ) -> Option<Slug> {
        v.and_then(|v| self.reference(kind, None, file, v, path))
    }

    fn references(
        &mut self,
        kind: EntityKind,
        file: usize,
        list: &[Text],
        path: &str,
    ) -> Vec<Slug> {
        list.iter()
            .enumerate()
            .filter_map(|(i, v)| self.reference(kind, None, file, v, &format!("{path}[{i}]")))
            .collect()
    }

    fn goal_ref(&mut self, file: usize, v: &Text, path: &str) -> Option<d::GoalRef> {
        let Some(r) = d::GoalRef::parse(&v.value) else {
            self.err(
                file,
                &v.span,
                path.to_owned(),
                Problem::BadGoalRef {
                    value: v.value.clone(),
                },
            );
            return None;
        };
        let plan = r.plan.as_str().to_owned();
        if self.unknowable.contains(&EntityKind::Plan) {
            return None;
        }
        if !self.exists(EntityKind::Plan, None, &plan) {
            self.err(
                file,
                &v.span,
                path.to_owned(),
                Problem::UnknownReference {
                    kind: EntityKind::Plan,
                    id: plan,
                },
            );
            return None;
        }
        if !self.exists(EntityKind::Node, Some(&plan), r.node.as_str()) {
            self.err(
                file,
                &v.span,
                path.to_owned(),
                Problem::UnknownReference {
                    kind: EntityKind::Node,
                    id: v.value.clone(),
                },
            );
            return None;
        }
        Some(r)
    }

    fn date(&mut self, file: usize, v: Option<&At<DateText>>, path: &str) -> Option<PartialDate> {
        let v = v?;
        match PartialDate::parse(&v.value.0) {
            Ok(date) => Some(date),
            Err(e) => {
                self.err(
                    file,
                    &v.span,
                    path.to_owned(),
                    Problem::BadDate {
                        value: v.value.0.clone(),
                        reason: e.to_string(),
                    },
                );
                None
            }
        }
    }

    fn period(
        &mut self,
        file: usize,
        start: Option<&At<DateText>>,
        end: Option<&At<DateText>>,
        prefix: &str,
    ) -> Period {
        let path = |f: &str| {
            if prefix.is_empty() {
                f.to_owned()
            } else {
                format!("{prefix}.{f}")
            }
        };
        let period = Period {
            start: self.date(file, start, &path("start")),
            end: self.date(file, end, &path("end")),
        };
        if period.ends_before_start() {
            if let (Some(s), Some(e), Some(end)) = (period.start, period.end, end) {
                self.err(
                    file,
                    &end.span,
                    path("end"),
                    Problem::EndBeforeStart {
                        start: s.to_string(),
                        end: e.to_string(),
                    },
                );
            }
        }
        period
    }

    fn vocab<V: Vocabulary>(
        &mut self,
        file: usize,
        v: Option<&Text>,
        path: &str,
        field: &'static str,
    ) -> Option<V> {
        let v = v?;
        if let Ok(x) = V::parse(&v.value) {
            Some(x)
        } else {
            self.err(
                file,
                &v.span,
                path.to_owned(),
                Problem::UnknownValue {
                    field,
                    value: v.value.clone(),
                    allowed: V::codes(),
                },
            );
            None
        }
    }

    // ---- records ----

    fn organisations(&mut self, f: &InFile<dto::OrganisationsFile>) -> Vec<d::Organisation> {
        let mut out = Vec::new();
        for (i, o) in f.dto.organisation.iter().enumerate() {
            let p = format!("organisation[{i}]");
            let id = self.slug(f.file, &o.id, &format!("{p}.id"));
            let kind = self.vocab::<d::OrganisationKind>(
                f.file,
                Some(&o.kind),
                &format!("{p}.kind"),
                "kind",
            );
            let parent = self.opt_reference(
                EntityKind::Organisation,
                f.file,
                o.parent.as_ref(),
                &format!("{p}.parent"),
            );
            let code = o.municipality_code.as_ref().and_then(|c| {
                d::MunicipalityCode::parse(&c.value)
                    .map_err(|_| {
                        self.err(
                            f.file,
                            &c.span,
                            format!("{p}.municipality_code"),
                            Problem::BadMunicipalityCode {
                                value: c.value.clone(),
                            },
                        );
                    })
                    .ok()
            });
            match (kind, &o.municipality_code) {
                (Some(d::OrganisationKind::Municipality), None) => {
                    self.err(
                        f.file,
                        &o.kind.span,
                        format!("{p}.municipality_code"),
                        Problem::MissingMunicipalityCode,
                    );
                }
                (Some(k), Some(c)) if k != d::OrganisationKind::Municipality => {
                    self.err(
                        f.file,
                        &c.span,
                        format!("{p}.municipality_code"),
                        Problem::CodeOnNonMunicipality {
                            kind: k.code().to_owned(),
                        },
                    );
                }
                _ => {}
            }
            if let (Some(id), Some(kind)) = (id, kind) {
                out.push(d::Organisation {
                    id,
                    name: o.name.clone(),
                    kind,
                    municipality_code: code,
                    parent,
                });
            }
        }
        out
    }

    /// Rules across organisations: unique municipality codes, parents that do not loop.
    fn organisation_rules(
        &mut self,
        files: &[InFile<dto::OrganisationsFile>],
        orgs: &[d::Organisation],
    ) {
        let mut codes: HashMap<&str, Place> = HashMap::new();
        let parents: HashMap<&str, &str> = orgs
            .iter()
            .filter_map(|o| Some((o.id.as_str(), o.parent.as_ref()?.as_str())))
            .collect();
        for f in files {
            for (i, o) in f.dto.organisation.iter().enumerate() {
                let p = format!("organisation[{i}]");
                if let Some(c) = &o.municipality_code {
                    if let Some(first) = codes.get(c.value.as_str()) {
                        let first = self.place_text(first);
                        self.err(
                            f.file,
                            &c.span,
                            format!("{p}.municipality_code"),
                            Problem::DuplicateMunicipalityCode {
                                code: c.value.clone(),
                                first,
                            },
                        );
                    } else {
                        codes.insert(
                            &c.value,
                            Place {
                                file: f.file,
                                span: c.span.clone(),
                            },
                        );
                    }
                }
                let mut seen = HashSet::from([o.id.value.as_str()]);
                let mut at = o.id.value.as_str();
                while let Some(&next) = parents.get(at) {
                    if !seen.insert(next) {
                        let span = o
                            .parent
                            .as_ref()
                            .map_or(o.id.span.clone(), |x| x.span.clone());
                        self.err(
                            f.file,
                            &span,
                            format!("{p}.parent"),
                            Problem::ParentLoop {
                                id: o.id.value.clone(),
                            },
                        );
                        break;
                    }
                    at = next;
                }
            }
        }
    }

    fn strategy(&mut self, f: &InFile<dto::StrategyDto>) -> Option<d::Strategy> {
        use EntityKind as K;
        let (file, s) = (f.file, &f.dto);
        let id = self.slug(file, &s.id, "id");
        let period = self.period(file, s.start.as_ref(), s.end.as_ref(), "");
        let owner = self.opt_reference(K::Organisation, file, s.owner.as_ref(), "owner");
        let adopted_by =
            self.opt_reference(K::Organisation, file, s.adopted_by.as_ref(), "adopted_by");
        let adopted_on = self.date(file, s.adopted_on.as_ref(), "adopted_on");
        let perspectives = self.references(K::Perspective, file, &s.perspectives, "perspectives");
        let mut goals = Vec::new();
        for (i, g) in s.overarching_goal.iter().enumerate() {
            let p = format!("overarching_goal[{i}]");
            let gid = self.slug(file, &g.id, &format!("{p}.id"));
            let effect_goals = g
                .effect_goal
                .iter()
                .enumerate()
                .filter_map(|(j, e)| {
                    Some(d::EffectGoal {
                        id: self.slug(file, &e.id, &format!("{p}.effect_goal[{j}].id"))?,
                        title: e.title.clone(),
                    })
                })
                .collect();
            goals.extend(gid.map(|id| d::OverarchingGoal {
                id,
                title: g.title.clone(),
                effect_goals,
            }));
        }
        let priority_areas = s
            .priority_area
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                Some(d::PriorityArea {
                    id: self.slug(file, &a.id, &format!("priority_area[{i}].id"))?,
                    title: a.title.clone(),
                })
            })
            .collect();
        let desired_states = s
            .desired_state
            .iter()
            .enumerate()
            .filter_map(|(i, x)| {
                let p = format!("desired_state[{i}]");
                let priority_area = self.opt_reference(
                    K::PriorityArea,
                    file,
                    x.priority_area.as_ref(),
                    &format!("{p}.priority_area"),
                );
                Some(d::DesiredState {
                    id: self.slug(file, &x.id, &format!("{p}.id"))?,
                    text: x.text.clone(),
                    priority_area,
                })
            })
            .collect();
        Some(d::Strategy {
            id: id?,
            title: s.title.clone(),
            vision: s.vision.clone(),
            period,
            owner,
            adopted_by,
            adopted_on,
            perspectives,
            overarching_goals: goals,
            priority_areas,
            desired_states,
        })
    }

    fn plan(&mut self, f: &InFile<dto::PlanDto>) -> Option<d::Plan> {
        use EntityKind as K;
        let (file, p) = (f.file, &f.dto);
        let id = self.slug(file, &p.id, "id");
        let kind = match &p.kind {
            None => Some(d::PlanKind::Plan),
            Some(k) => self.vocab::<d::PlanKind>(file, Some(k), "kind", "kind"),
        };
        let period = self.period(file, p.start.as_ref(), p.end.as_ref(), "");
        let owner = self.opt_reference(K::Organisation, file, p.owner.as_ref(), "owner");
        let priority_area = self.opt_reference(
            K::PriorityArea,
            file,
            p.priority_area.as_ref(),
            "priority_area",
        );
        let effect_goals = self.references(K::EffectGoal, file, &p.effect_goals, "effect_goals");
        let perspectives = self.references(K::Perspective, file, &p.perspectives, "perspectives");
        let strategic_directions = p
            .strategic_direction
            .iter()
            .enumerate()
            .filter_map(|(i, x)| {
                Some(d::StrategicDirection {
                    id: self.slug(file, &x.id, &format!("strategic_direction[{i}].id"))?,
                    title: x.title.clone(),
                    description: x.description.clone(),
                })
            })
            .collect();
        let risks = p
            .risk
            .iter()
            .enumerate()
            .filter_map(|(i, x)| {
                Some(d::Risk {
                    id: self.slug(file, &x.id, &format!("risk[{i}].id"))?,
                    description: x.description.clone(),
                    mitigation: x.mitigation.clone(),
                })
            })
            .collect();
        let versions = p
            .version
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.version(file, i, v))
            .collect();
        let levels: Vec<d::GoalLevel> = p
            .level
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                Some(d::GoalLevel {
                    id: self.slug(file, &l.id, &format!("level[{i}].id"))?,
                    name: l.name.clone(),
                })
            })
            .collect();
        let nodes = self.nodes(file, p, &levels);
        Some(d::Plan {
            id: id?,
            title: p.title.clone(),
            kind: kind?,
            period,
            owner,
            priority_area,
            effect_goals,
            perspectives,
            summary: p.summary.clone(),
            strategic_directions,
            risks,
            versions,
            levels,
            nodes,
        })
    }

    fn version(&mut self, file: usize, i: usize, v: &dto::VersionDto) -> Option<d::PlanVersion> {
        let p = format!("version[{i}]");
        let id = self.slug(file, &v.id, &format!("{p}.id"));
        let date = self.date(file, v.date.as_ref(), &format!("{p}.date"));
        let body = self.opt_reference(
            EntityKind::Organisation,
            file,
            v.decided_by.as_ref(),
            &format!("{p}.decided_by"),
        );
        let on = self.date(file, v.decided_on.as_ref(), &format!("{p}.decided_on"));
        // A date without the body that decided is not a decision anyone can check.
        if let (None, Some(on)) = (&v.decided_by, &v.decided_on) {
            self.err(
                file,
                &on.span,
                format!("{p}.decided_by"),
                Problem::DecisionIncomplete,
            );
        }
        let decision = body.map(|body| d::Decision { body, date: on });
        Some(d::PlanVersion {
            id: id?,
            title: v.title.clone(),
            date,
            decision,
            note: v.note.clone(),
        })
    }

    fn goal_loop(&mut self, file: usize, n: &dto::NodeDto, path: &str) {
        if let Some(x) = &n.parent {
            let problem = Problem::GoalLoop {
                id: n.id.value.clone(),
            };
            self.err(file, &x.span, format!("{path}.parent"), problem);
        }
    }

    /// The goal tree: each node's level is one of the plan's, one below its parent's.
    fn nodes(
        &mut self,
        file: usize,
        plan: &dto::PlanDto,
        levels: &[d::GoalLevel],
    ) -> Vec<d::GoalNode> {
        let scope = plan.id.value.as_str();
        let depth_of_level: HashMap<&str, usize> = plan
            .level
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.value.as_str(), i))
            .collect();
        // The first node of an id counts; a duplicate is reported once, as a duplicate.
        let by_id: HashMap<&str, &dto::NodeDto> = plan
            .node
            .iter()
            .rev()
            .map(|n| (n.id.value.as_str(), n))
            .collect();
        // The depth a node should have from its parent's declared level; `None` when that
        // cannot be said (unknown level or parent), which is reported elsewhere.
        let expected_depth = |n: &dto::NodeDto| -> Option<usize> {
            match &n.parent {
                None => Some(0),
                Some(p) => by_id
                    .get(p.value.as_str())
                    .and_then(|parent| depth_of_level.get(parent.level.value.as_str()))
                    .map(|d| d + 1),
            }
        };
        let in_loop = nodes_in_loops(&by_id);
        let fits = |n: &dto::NodeDto| {
            depth_of_level.get(n.level.value.as_str()).copied() == expected_depth(n)
        };
        let mut out = Vec::new();
        for (i, n) in plan.node.iter().enumerate() {
            let p = format!("node[{i}]");
            let id = self.slug(file, &n.id, &format!("{p}.id"));
            let parent = n.parent.as_ref().and_then(|x| {
                self.reference(
                    EntityKind::Node,
                    Some(scope),
                    file,
                    x,
                    &format!("{p}.parent"),
                )
            });
            let intervention_level = self.vocab::<d::InterventionLevel>(
                file,
                n.intervention_level.as_ref(),
                &format!("{p}.intervention_level"),
                "intervention_level",
            );
            let Some(&depth) = depth_of_level.get(n.level.value.as_str()) else {
                let known = levels
                    .iter()
                    .map(|l| l.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.err(
                    file,
                    &n.level.span,
                    format!("{p}.level"),
                    Problem::UnknownValue {
                        field: "level",
                        value: n.level.value.clone(),
                        allowed: known,
                    },
                );
                continue;
            };
            if in_loop.contains(n.id.value.as_str()) {
                self.goal_loop(file, n, &p);
                continue;
            }
            // A child of a misplaced parent is not reported again: fixing the parent may fix it.
            let parent_fits = n
                .parent
                .as_ref()
                .and_then(|p| by_id.get(p.value.as_str()))
                .is_none_or(|parent| fits(parent));
            match expected_depth(n) {
                Some(expected) if expected != depth && parent_fits => {
                    let problem = misplaced(plan, n, expected);
                    self.err(file, &n.level.span, format!("{p}.level"), problem);
                }
                _ => {}
            }
            // A level whose id was refused is already reported; the node then has no level.
            if let (Some(id), Some(level)) = (id, levels.get(depth)) {
                out.push(d::GoalNode {
                    id,
                    level: level.id.clone(),
                    parent,
                    number: n.number.clone(),
                    title: n.title.clone(),
                    description: n.description.clone(),
                    intervention_level,
                });
            }
        }
        out
    }

    fn activity(
        &mut self,
        file: usize,
        i: usize,
        a: &dto::ActivityDto,
        units: &HashSet<&Slug>,
    ) -> Option<d::Activity> {
        use EntityKind as K;
        let p = format!("activity[{i}]");
        let id = self.slug(file, &a.id, &format!("{p}.id"));
        let responsible_unit = self.opt_reference(
            K::Organisation,
            file,
            a.responsible_unit.as_ref(),
            &format!("{p}.responsible_unit"),
        );
        if let (Some(u), Some(at)) = (&responsible_unit, &a.responsible_unit) {
            if self.organisations_complete && !units.contains(u) {
                self.err(
                    file,
                    &at.span,
                    format!("{p}.responsible_unit"),
                    Problem::NotAUnit { id: u.to_string() },
                );
            }
        }
        let lead = self.opt_reference(K::Organisation, file, a.lead.as_ref(), &format!("{p}.lead"));
        let partners =
            self.references(K::Organisation, file, &a.partners, &format!("{p}.partners"));
        let period = self.period(file, a.start.as_ref(), a.end.as_ref(), &p);
        let status =
            self.vocab::<d::Status>(file, a.status.as_ref(), &format!("{p}.status"), "status");
        let intervention_level = self.vocab::<d::InterventionLevel>(
            file,
            a.intervention_level.as_ref(),
            &format!("{p}.intervention_level"),
            "intervention_level",
        );
        let perspectives = self.references(
            K::Perspective,
            file,
            &a.perspectives,
            &format!("{p}.perspectives"),
        );
        let serves = a
            .serves
            .iter()
            .enumerate()
            .filter_map(|(j, s)| self.goal_ref(file, s, &format!("{p}.serves[{j}]")))
            .collect();
        let proposed = a
            .proposed
            .iter()
            .enumerate()
            .filter_map(|(j, s)| self.goal_ref(file, s, &format!("{p}.proposed[{j}]")))
            .collect();
        let mut funding = Vec::new();
        for (j, x) in a.funding.iter().enumerate() {
            let fp = format!("{p}.funding[{j}]");
            let funder = self.opt_reference(
                K::Organisation,
                file,
                x.funder.as_ref(),
                &format!("{fp}.funder"),
            );
            if x.funder.is_none() && x.description.is_none() {
                self.err(file, &a.id.span, fp, Problem::EmptyFunding);
            }
            funding.push(d::Funding {
                funder,
                description: x.description.clone(),
            });
        }
        Some(d::Activity {
            id: id?,
            title: a.title.clone(),
            narrative: a.narrative.clone(),
            responsible_unit,
            lead,
            partners,
            period,
            status,
            status_reason: a.status_reason.clone(),
            intervention_level,
            perspectives,
            target_groups: a.target_groups.clone(),
            funding,
            serves,
            proposed,
        })
    }
}
