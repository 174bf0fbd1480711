//! The items of a data set: the units that are edited, recorded and revised one at a time.
//!
//! An item is a top-level record with everything it owns: a plan with its goal tree, levels,
//! risks and versions; a strategy with its goals; an activity with its links. The record of
//! changes, the revisions that stop lost updates and the comparison of two data sets all speak
//! of items, so that "what changed" reads the way people work.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::fields::{FieldChange, changes};
use crate::{DataSet, Report, Shared, Slug};

/// What kind of item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Organisation,
    Perspective,
    Strategy,
    Plan,
    Activity,
    FollowUp,
    /// An activity's report in a follow-up round: its key names the round as its scope.
    Report,
    Indicator,
    /// A person's account and roles: not part of a data set, but on record all the same.
    Account,
}

impl ItemKind {
    /// The kinds of a data set's items, in the order they are written.
    pub const DATA: [ItemKind; 8] = [
        Self::Organisation,
        Self::Perspective,
        Self::Strategy,
        Self::Plan,
        Self::Activity,
        Self::FollowUp,
        Self::Report,
        Self::Indicator,
    ];
    pub const ALL: [ItemKind; 9] = [
        Self::Organisation,
        Self::Perspective,
        Self::Strategy,
        Self::Plan,
        Self::Activity,
        Self::FollowUp,
        Self::Report,
        Self::Indicator,
        Self::Account,
    ];

    /// The stored and URL form.
    pub fn code(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::Perspective => "perspective",
            Self::Strategy => "strategy",
            Self::Plan => "plan",
            Self::Activity => "activity",
            Self::FollowUp => "follow_up",
            Self::Report => "report",
            Self::Indicator => "indicator",
            Self::Account => "account",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One item of a data set, by kind and id, and for an item that lives within another (a report
/// within its round) that other's id as its scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemKey {
    pub kind: ItemKind,
    pub scope: Option<Slug>,
    pub id: Slug,
}

impl ItemKey {
    pub fn new(kind: ItemKind, id: &Slug) -> Self {
        Self {
            kind,
            scope: None,
            id: id.clone(),
        }
    }

    /// An activity's report in a round.
    pub fn report(round: &Slug, activity: &Slug) -> Self {
        Self {
            kind: ItemKind::Report,
            scope: Some(round.clone()),
            id: activity.clone(),
        }
    }

    /// The id as stored and written in addresses: `id`, or `scope/id` within a scope.
    pub fn path(&self) -> String {
        match &self.scope {
            Some(scope) => format!("{scope}/{}", self.id),
            None => self.id.to_string(),
        }
    }

    /// The key of a stored kind and [`ItemKey::path`]; `None` when they do not make one (a
    /// report is always within a round, nothing else is within anything).
    pub fn from_path(kind: ItemKind, path: &str) -> Option<Self> {
        match (kind, path.split_once('/')) {
            (ItemKind::Report, Some((scope, id))) => Some(Self::report(
                &Slug::parse(scope).ok()?,
                &Slug::parse(id).ok()?,
            )),
            (ItemKind::Report, None) | (_, Some(_)) => None,
            (_, None) => Some(Self::new(kind, &Slug::parse(path).ok()?)),
        }
    }
}

impl fmt::Display for ItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.path())
    }
}

/// What was done to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Created,
    Changed,
    Removed,
    /// A plan's draft was released as a new version.
    Published,
    /// A plan's draft was released as a decided version.
    Decided,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Self::Created,
        Self::Changed,
        Self::Removed,
        Self::Published,
        Self::Decided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Changed => "changed",
            Self::Removed => "removed",
            Self::Published => "published",
            Self::Decided => "decided",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One item's change between two data sets, field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChange {
    pub item: ItemKey,
    pub action: Action,
    pub fields: Vec<FieldChange>,
}

impl DataSet {
    /// Whether the data set has this item.
    pub fn has_item(&self, key: &ItemKey) -> bool {
        match key.kind {
            // Without looking for its activity's title among every activity.
            ItemKind::Report => self.report(key).is_some(),
            _ => self.item_title(key).is_some(),
        }
    }

    /// The item's title or name, as people know it; `None` when the set does not have it.
    pub fn item_title(&self, key: &ItemKey) -> Option<&str> {
        let id = &key.id;
        match key.kind {
            ItemKind::Organisation => self
                .organisations
                .iter()
                .find(|x| &x.id == id)
                .map(|x| x.name.as_str()),
            ItemKind::Perspective => self
                .perspectives
                .iter()
                .find(|x| &x.id == id)
                .map(|x| x.name.as_str()),
            ItemKind::Strategy => self
                .strategies
                .iter()
                .find(|x| &x.id == id)
                .map(|x| x.title.as_str()),
            ItemKind::Plan => self
                .plans
                .iter()
                .find(|x| &x.id == id)
                .map(|x| x.title.as_str()),
            ItemKind::Activity => self
                .activities
                .iter()
                .find(|x| &x.id == id)
                .map(|x| x.title.as_str()),
            ItemKind::FollowUp => self
                .follow_ups
                .iter()
                .find(|x| &x.id == id)
                .map(|x| x.title.as_str()),
            // A report is known by its activity's title.
            ItemKind::Report => self
                .report(key)
                .and_then(|r| self.activities.iter().find(|a| a.id == r.activity))
                .map(|a| a.title.as_str()),
            ItemKind::Indicator => self
                .indicators
                .iter()
                .find(|x| &x.id == id)
                .map(|x| x.title.as_str()),
            ItemKind::Account => None,
        }
    }

    /// The report a key names, by a look through every report (the read models index them).
    pub fn report(&self, key: &ItemKey) -> Option<&Report> {
        let round = key.scope.as_ref()?;
        self.reports
            .iter()
            .find(|r| r.activity == key.id && &r.round == round)
            .map(AsRef::as_ref)
    }
}

/// Every item that differs between `before` and `after`, kind by kind in the order of
/// [`ItemKind::ALL`], items in the order of `after` then the removed ones.
pub fn item_changes(before: &DataSet, after: &DataSet) -> Vec<ItemChange> {
    let mut out = Vec::new();
    list(
        &mut out,
        ItemKind::Organisation,
        &before.organisations,
        &after.organisations,
        |x| &x.id,
    );
    list(
        &mut out,
        ItemKind::Perspective,
        &before.perspectives,
        &after.perspectives,
        |x| &x.id,
    );
    list(
        &mut out,
        ItemKind::Strategy,
        &before.strategies,
        &after.strategies,
        |x| &x.id,
    );
    list(&mut out, ItemKind::Plan, &before.plans, &after.plans, |x| {
        &x.id
    });
    // Unchanged activities are the same allocation in both sets (an edit copies only what it
    // changes): the common start and end are skipped by pointer, and only what lies between is
    // compared, so an edit among 100,000 activities compares a few.
    let (old, new) = unshared(&before.activities, &after.activities);
    list(&mut out, ItemKind::Activity, &old, &new, |x| &x.id);
    list(
        &mut out,
        ItemKind::FollowUp,
        &before.follow_ups,
        &after.follow_ups,
        |x| &x.id,
    );
    reports(&mut out, &before.reports, &after.reports);
    list(
        &mut out,
        ItemKind::Indicator,
        &before.indicators,
        &after.indicators,
        |x| &x.id,
    );
    out
}

/// The part of two shared lists that is not the same allocation at both ends.
fn unshared<'a, T>(old: &'a Shared<T>, new: &'a Shared<T>) -> (Vec<&'a Arc<T>>, Vec<&'a Arc<T>>) {
    if old.ptr_eq(new) {
        return (Vec::new(), Vec::new());
    }
    let start = old
        .iter()
        .zip(new)
        .take_while(|(a, b)| Arc::ptr_eq(a, b))
        .count();
    let end = old
        .iter()
        .skip(start)
        .rev()
        .zip(new.iter().skip(start).rev())
        .take_while(|(a, b)| Arc::ptr_eq(a, b))
        .count();
    let middle = |list: &'a Shared<T>| {
        list.iter()
            .skip(start)
            .take(list.len() - start - end)
            .collect()
    };
    (middle(old), middle(new))
}

/// Reports, keyed by round and activity; shared like activities.
fn reports(out: &mut Vec<ItemChange>, before: &Shared<Report>, after: &Shared<Report>) {
    let (before, after) = unshared(before, after);
    let key = |r: &Report| ItemKey::report(&r.round, &r.activity);
    let old: HashMap<ItemKey, &Report> = before.iter().map(|r| (key(r), &***r)).collect();
    let new: HashMap<ItemKey, &Report> = after.iter().map(|r| (key(r), &***r)).collect();
    for r in &after {
        let k = key(r);
        let was = old.get(&k).copied();
        let action = match was {
            None => Action::Created,
            Some(was) if was != &***r => Action::Changed,
            Some(_) => continue,
        };
        out.push(ItemChange {
            item: k,
            action,
            fields: changes(was, Some(&***r)),
        });
    }
    for r in &before {
        let k = key(r);
        if !new.contains_key(&k) {
            out.push(ItemChange {
                item: k,
                action: Action::Removed,
                fields: changes(Some(&***r), None),
            });
        }
    }
}

fn list<T: Serialize + PartialEq>(
    out: &mut Vec<ItemChange>,
    kind: ItemKind,
    before: &[T],
    after: &[T],
    id: impl Fn(&T) -> &Slug,
) {
    let old: HashMap<&Slug, &T> = before.iter().map(|x| (id(x), x)).collect();
    let new: HashMap<&Slug, &T> = after.iter().map(|x| (id(x), x)).collect();
    for x in after {
        let action = match old.get(id(x)) {
            None => Action::Created,
            Some(was) if *was != x => Action::Changed,
            Some(_) => continue,
        };
        out.push(ItemChange {
            item: ItemKey::new(kind, id(x)),
            action,
            fields: changes(old.get(id(x)).copied(), Some(x)),
        });
    }
    for x in before.iter().filter(|x| !new.contains_key(id(x))) {
        out.push(ItemChange {
            item: ItemKey::new(kind, id(x)),
            action: Action::Removed,
            fields: changes(Some(x), None),
        });
    }
}

/// Where an item was put by [`DataSet::apply`], by its index in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// It took the place of the item of its id.
    Replaced(usize),
    /// It is new, at the end of its list.
    Appended(usize),
    /// It was taken out; the items after it moved up.
    Removed(usize),
    /// It was to be taken out and was not there; or it is of a kind the data set does not hold.
    Nothing,
}

impl DataSet {
    /// An item as JSON, as [`DataSet::apply`] reads it back; `None` when the set does not have
    /// it.
    pub fn item_json(&self, key: &ItemKey) -> Option<String> {
        fn one<T: Serialize>(list: &[T], id: impl Fn(&T) -> &Slug, key: &Slug) -> Option<String> {
            list.iter()
                .find(|x| id(x) == key)
                .and_then(|x| serde_json::to_string(x).ok())
        }
        let k = &key.id;
        match key.kind {
            ItemKind::Organisation => one(&self.organisations, |x| &x.id, k),
            ItemKind::Perspective => one(&self.perspectives, |x| &x.id, k),
            ItemKind::Strategy => one(&self.strategies, |x| &x.id, k),
            ItemKind::Plan => one(&self.plans, |x| &x.id, k),
            ItemKind::Activity => self
                .activities
                .iter()
                .find(|x| &x.id == k)
                .and_then(|x| serde_json::to_string(x).ok()),
            ItemKind::FollowUp => one(&self.follow_ups, |x| &x.id, k),
            ItemKind::Report => self.report(key).and_then(|r| serde_json::to_string(r).ok()),
            ItemKind::Indicator => one(&self.indicators, |x| &x.id, k),
            ItemKind::Account => None,
        }
    }

    /// Puts an item, read from its JSON, in place of the one of its id, or at the end of its
    /// list when new; with `None`, takes the item of `key` out.
    pub fn apply(&mut self, key: &ItemKey, json: Option<&str>) -> serde_json::Result<Applied> {
        let at = self.position(key);
        self.apply_at(key, json, at)
    }

    /// Where the item of `key` is in its list, by a look through the list.
    pub fn position(&self, key: &ItemKey) -> Option<usize> {
        fn find<'a, T: 'a>(
            mut list: impl Iterator<Item = &'a T>,
            id: impl Fn(&T) -> &Slug,
            key: &Slug,
        ) -> Option<usize> {
            list.position(|x| id(x) == key)
        }
        let k = &key.id;
        match key.kind {
            ItemKind::Organisation => find(self.organisations.iter(), |x| &x.id, k),
            ItemKind::Perspective => find(self.perspectives.iter(), |x| &x.id, k),
            ItemKind::Strategy => find(self.strategies.iter(), |x| &x.id, k),
            ItemKind::Plan => find(self.plans.iter(), |x| &x.id, k),
            ItemKind::Activity => find(self.activities.iter(), |x| &x.id, k),
            ItemKind::FollowUp => find(self.follow_ups.iter(), |x| &x.id, k),
            ItemKind::Report => {
                let round = key.scope.as_ref()?;
                self.reports
                    .iter()
                    .position(|r| r.activity == *k && r.round == *round)
            }
            ItemKind::Indicator => find(self.indicators.iter(), |x| &x.id, k),
            ItemKind::Account => None,
        }
    }

    /// As [`DataSet::apply`], with the item's place in its list known (`None`: not there), as
    /// the read models' indexes know it: among 100,000 activities, no look through them all.
    pub fn apply_at(
        &mut self,
        key: &ItemKey,
        json: Option<&str>,
        at: Option<usize>,
    ) -> serde_json::Result<Applied> {
        match key.kind {
            ItemKind::Organisation => put(&mut self.organisations, json, at),
            ItemKind::Perspective => put(&mut self.perspectives, json, at),
            ItemKind::Strategy => put(&mut self.strategies, json, at),
            ItemKind::Plan => put(&mut self.plans, json, at),
            ItemKind::Activity => put_shared(&mut self.activities, json, at),
            ItemKind::FollowUp => put(&mut self.follow_ups, json, at),
            ItemKind::Indicator => put(&mut self.indicators, json, at),
            ItemKind::Report if key.scope.is_some() => put_shared(&mut self.reports, json, at),
            ItemKind::Report | ItemKind::Account => Ok(Applied::Nothing),
        }
    }
}

fn put<T: serde::de::DeserializeOwned>(
    list: &mut Vec<T>,
    json: Option<&str>,
    at: Option<usize>,
) -> serde_json::Result<Applied> {
    Ok(match (json, at) {
        (Some(json), Some(i)) => {
            list[i] = serde_json::from_str(json)?;
            Applied::Replaced(i)
        }
        (Some(json), None) => {
            list.push(serde_json::from_str(json)?);
            Applied::Appended(list.len() - 1)
        }
        (None, Some(i)) => {
            list.remove(i);
            Applied::Removed(i)
        }
        (None, None) => Applied::Nothing,
    })
}

fn put_shared<T: serde::de::DeserializeOwned>(
    list: &mut Shared<T>,
    json: Option<&str>,
    at: Option<usize>,
) -> serde_json::Result<Applied> {
    Ok(match (json, at) {
        (Some(json), Some(i)) => {
            list.set(i, Arc::new(serde_json::from_str(json)?));
            Applied::Replaced(i)
        }
        (Some(json), None) => {
            list.push_back(Arc::new(serde_json::from_str(json)?));
            Applied::Appended(list.len() - 1)
        }
        (None, Some(i)) => {
            list.remove(i);
            Applied::Removed(i)
        }
        (None, None) => Applied::Nothing,
    })
}
