//! The application's state: the store, and the read models made from it, kept up to date with
//! every change committed to the database by any process.
//!
//! The models carry the data's version they were read at (`Store::data_version`, moved on by
//! every committed write, in commit order). Bringing them up to date is one task at a time
//! (`catch_up`), and a model is only ever replaced by one of a newer version, so two saves
//! finishing out of order cannot leave a server on older data than the database holds. A server
//! learns of changes made elsewhere (another `serve` on the same database, `rodtrad import`) by
//! asking for the version a few times a second ([`watch`]); its own saves bring it up to date
//! before they answer, so the person sees what they saved.
//!
//! Handlers depend on this module and the router on the handlers; nothing here knows a route.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rodtrad_domain::{Activity, Applied, DataSet, GoalRef, ItemKind, RoundState, Slug};
use rodtrad_store::{Release, Since, Snapshot, Store, StoreError, Written};

use crate::model::ReadModel;
use crate::session::Viewer;

/// How often a server asks the database whether the data changed: within a second, what
/// another process committed is on this server's pages.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(200);

/// What every request can reach: the store and the read models.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Store,
    models: Arc<RwLock<Arc<Models>>>,
    /// Held while the models are brought up to date: one catch-up at a time.
    catching_up: Arc<tokio::sync::Mutex<()>>,
    /// How many times the whole database was read (for tests and diagnostics).
    whole_reads: Arc<std::sync::atomic::AtomicUsize>,
    /// Where mail goes, when a mail server is configured.
    mailing: Option<Arc<crate::reminders::Mailing>>,
    /// Fetches indicators' statistics and searches Kolada's key figures; `None` when the
    /// HTTP client could not be set up. Tests point its base URLs at a local server.
    fetch: Option<rodtrad_fetch::Client>,
}

/// The data as each kind of viewer sees it, made from one reading of the store.
#[derive(Debug)]
struct Models {
    /// The data's version these models were read at.
    version: i64,
    /// Everything as it is being worked on: every plan's draft.
    working: Arc<ReadModel>,
    /// What anyone may read: each plan as last released; plans never released are absent.
    public: Arc<ReadModel>,
    /// The newest release of each plan, for telling a draft from what is published.
    releases: Arc<HashMap<Slug, Release>>,
    /// For viewers who see the drafts of some plans and not others, by those plans: made when
    /// first asked for, and gone with the next change of what they see.
    mixed: Arc<Mutex<HashMap<Vec<Slug>, Arc<ReadModel>>>>,
    /// The frozen report of each published round, by round: what its report page shows.
    frozen: HashMap<Slug, Arc<Frozen>>,
}

/// A published round's report as it was frozen, in memory: made into a read model of its own,
/// so that its page is made exactly as a live report's.
#[derive(Debug)]
pub struct Frozen {
    pub number: i64,
    /// When it was frozen, in Unix seconds.
    pub at: i64,
    pub model: ReadModel,
}

fn frozen_map(into: &mut HashMap<Slug, Arc<Frozen>>, reports: Vec<rodtrad_store::FrozenReport>) {
    for f in reports {
        into.insert(
            f.round,
            Arc::new(Frozen {
                number: f.number,
                at: f.at,
                model: ReadModel::new(f.set),
            }),
        );
    }
}

impl Models {
    fn of(snapshot: Snapshot) -> Self {
        let releases: HashMap<Slug, Release> = snapshot
            .releases
            .into_iter()
            .map(|r| (r.plan.id.clone(), r))
            .collect();
        let public = visible(&snapshot.set, &releases, |_| false);
        let mut working = ReadModel::new(snapshot.set);
        working.revisions = snapshot.revisions.into_iter().collect();
        let mut frozen = HashMap::new();
        frozen_map(&mut frozen, snapshot.frozen);
        Self {
            version: snapshot.version,
            working: Arc::new(working),
            public: Arc::new(ReadModel::new(public)),
            releases: Arc::new(releases),
            mixed: Arc::default(),
            frozen,
        }
    }
}

/// Beyond this many items written since the models were read, reading everything again is
/// about as cheap as bringing them up to date item by item.
const PATCH_LIMIT: usize = 5_000;

impl Models {
    /// These models brought up to `version` by the items written since, and the newest release
    /// of each plan among them: the working model gets the items as written; the public one the
    /// activities as visitors see them, refiltered where a plan's released goals changed. What
    /// visitors cannot see (the reports of rounds not published, accounts) leaves the public
    /// model, and the pages kept in it, as they are: a report saved costs the working model
    /// alone.
    fn patched(
        &self,
        version: i64,
        items: Vec<Written>,
        new_releases: Vec<Release>,
        new_frozen: Vec<rodtrad_store::FrozenReport>,
    ) -> serde_json::Result<Self> {
        let mut set = self.working.set.clone();
        let mut revisions = self.working.revisions.clone();
        let mut applied = Vec::new();
        let mut reports = Vec::new();
        let mut report_rounds = Vec::new();
        // An activity, a report or a plan was taken out: the items after it moved.
        let mut moved = false;
        // Something other than activities and reports changed: plans, goals, registers.
        let mut registers = false;
        // Something visitors may see changed (besides reports, decided below).
        let mut public = !new_releases.is_empty() || !new_frozen.is_empty();
        for w in items {
            if w.key.kind == ItemKind::Account {
                revisions.insert(w.key, w.revision);
                continue;
            }
            // Where the item is: the indexes say, until something taken out moved the rest.
            let at = match w.key.kind {
                _ if moved => set.position(&w.key),
                ItemKind::Activity => self.working.activity_index(&w.key.id),
                ItemKind::Report => self.working.report_index(&w.key),
                _ => set.position(&w.key),
            };
            let done = set.apply_at(&w.key, w.content.as_deref(), at)?;
            let removed = matches!(done, Applied::Removed(_));
            match w.key.kind {
                ItemKind::Activity => {
                    moved |= removed;
                    public = true;
                    applied.push(done);
                }
                ItemKind::Report => {
                    moved |= removed;
                    report_rounds.extend(w.key.scope.clone());
                    reports.push(done);
                }
                _ => {
                    moved |= removed && w.key.kind == ItemKind::Plan;
                    registers = true;
                    public = true;
                }
            }
            revisions.insert(w.key, w.revision);
        }
        let public_reports = report_rounds.iter().any(|r| {
            set.follow_ups
                .iter()
                .any(|f| &f.id == r && f.state == RoundState::Published)
        });
        let anew: Vec<Slug> = new_releases.iter().map(|r| r.plan.id.clone()).collect();
        let releases = if new_releases.is_empty() {
            Arc::clone(&self.releases)
        } else {
            let mut releases = (*self.releases).clone();
            for r in new_releases {
                releases.insert(r.plan.id.clone(), r);
            }
            Arc::new(releases)
        };
        let mut working = self.working.patched(set, &applied, &reports, registers);
        working.revisions = revisions;
        let (public, mixed) = if !public && !public_reports {
            (Arc::clone(&self.public), Arc::clone(&self.mixed))
        } else if moved {
            // What moved the activities, or took a plan away: the public model made whole.
            let seen = visible(&working.set, &releases, |_| false);
            (Arc::new(ReadModel::new(seen)), Arc::default())
        } else {
            let seen = self.public_patched(&working, &releases, &applied, &anew, public_reports);
            (Arc::new(seen), Arc::default())
        };
        let mut frozen = self.frozen.clone();
        frozen_map(&mut frozen, new_frozen);
        Ok(Self {
            version,
            working: Arc::new(working),
            public,
            releases,
            mixed,
            frozen,
        })
    }

    /// The public model of `working`, from this one: the activities that changed, and those
    /// that serve a plan released `anew`, seen again; the rest shared.
    fn public_patched(
        &self,
        working: &ReadModel,
        releases: &HashMap<Slug, Release>,
        applied: &[Applied],
        anew: &[Slug],
        reports_changed: bool,
    ) -> ReadModel {
        let plans = seen_plans(&working.set, releases, |_| false);
        let goals = Goals::of(&plans);
        let mut again: std::collections::BTreeSet<usize> = applied
            .iter()
            .filter_map(|a| match *a {
                Applied::Replaced(i) | Applied::Appended(i) => Some(i),
                Applied::Removed(_) | Applied::Nothing => None,
            })
            .collect();
        for plan in anew {
            for model in [&self.working, working] {
                for n in model.plan(plan.as_str()).map_or(&[][..], |p| &p.nodes) {
                    let goal = GoalRef {
                        plan: plan.clone(),
                        node: n.id.clone(),
                    };
                    again.extend(working.serving_indices(&goal));
                    again.extend(self.working.serving_indices(&goal));
                }
            }
        }
        let mut activities = self.public.set.activities.clone();
        let mut seen = Vec::with_capacity(again.len());
        for i in again {
            let a = goals.activity(&working.set.activities[i]);
            if i < activities.len() {
                activities.set(i, a);
                seen.push(Applied::Replaced(i));
            } else {
                activities.push_back(a);
                seen.push(Applied::Appended(i));
            }
        }
        // Visitors see the reports of published rounds only, which change seldom: kept, index
        // and all, unless one of them changed.
        let reports = if reports_changed {
            published_reports(&working.set)
        } else {
            self.public.set.reports.clone()
        };
        ReadModel::new_sharing(
            &self.public,
            goals.seen(&working.set, plans, activities, reports),
            &seen,
            true,
        )
    }
}

/// The data set a viewer sees: the drafts of the plans `drafts` accepts, the released version
/// of the others, and no plan that was never released. Links to goals the viewer cannot see
/// are left out, so that no page leads to a goal that is only in a draft.
pub fn visible(
    working: &DataSet,
    releases: &HashMap<Slug, Release>,
    drafts: impl Fn(&Slug) -> bool,
) -> DataSet {
    let plans = seen_plans(working, releases, drafts);
    let goals = Goals::of(&plans);
    let activities = working
        .activities
        .iter()
        .map(|a| goals.activity(a))
        .collect();
    goals.seen(working, plans, activities, published_reports(working))
}

/// The plans a viewer sees: the drafts `drafts` accepts, the released version of the others.
fn seen_plans(
    working: &DataSet,
    releases: &HashMap<Slug, Release>,
    drafts: impl Fn(&Slug) -> bool,
) -> Vec<rodtrad_domain::Plan> {
    working
        .plans
        .iter()
        .filter_map(|p| {
            if drafts(&p.id) {
                Some(p.clone())
            } else {
                releases.get(&p.id).map(|r| r.plan.clone())
            }
        })
        .collect()
}

/// The reports of the published rounds: all that visitors see of reports.
fn published_reports(working: &DataSet) -> rodtrad_domain::Shared<rodtrad_domain::Report> {
    // A few rounds and many reports: a list looked through beats hashing every report's round
    // (made anew after every save, among 150,000 reports at national scale).
    let published: Vec<&Slug> = working
        .follow_ups
        .iter()
        .filter(|f| f.state == rodtrad_domain::RoundState::Published)
        .map(|f| &f.id)
        .collect();
    working
        .reports
        .iter()
        .filter(|r| published.contains(&&r.round))
        .cloned()
        .collect()
}

/// The goals and plans a viewer sees, for leaving out links to the others.
struct Goals {
    goals: HashSet<GoalRef>,
    plans: HashSet<Slug>,
}

impl Goals {
    fn of(plans: &[rodtrad_domain::Plan]) -> Self {
        Self {
            goals: plans
                .iter()
                .flat_map(|p| {
                    p.nodes.iter().map(|n| GoalRef {
                        plan: p.id.clone(),
                        node: n.id.clone(),
                    })
                })
                .collect(),
            plans: plans.iter().map(|p| p.id.clone()).collect(),
        }
    }

    /// The activity as seen: shared with the working one when it links to nothing unseen.
    /// Proposed links are for the people who keep the activity and the plans, never shown.
    fn activity(&self, a: &Arc<Activity>) -> Arc<Activity> {
        if a.proposed.is_empty() && a.serves.iter().all(|g| self.goals.contains(g)) {
            return Arc::clone(a);
        }
        let mut seen = (**a).clone();
        seen.serves.retain(|g| self.goals.contains(g));
        seen.proposed.clear();
        Arc::new(seen)
    }

    /// The data set as seen: the registers of `working`, the `plans` and `activities` seen,
    /// and its follow-ups without what is unseen.
    fn seen(
        &self,
        working: &DataSet,
        plans: Vec<rodtrad_domain::Plan>,
        activities: rodtrad_domain::Shared<Activity>,
        reports: rodtrad_domain::Shared<rodtrad_domain::Report>,
    ) -> DataSet {
        DataSet {
            name: working.name.clone(),
            organisations: working.organisations.clone(),
            perspectives: working.perspectives.clone(),
            strategies: working.strategies.clone(),
            activities,
            follow_ups: self.follow_ups(working),
            reports,
            plans,
            indicators: working
                .indicators
                .iter()
                .map(|x| {
                    let mut x = x.clone();
                    x.measures.retain(|m| self.goals.contains(&m.goal));
                    x
                })
                .collect(),
        }
    }

    fn follow_ups(&self, working: &DataSet) -> Vec<rodtrad_domain::FollowUp> {
        let mut out = working.follow_ups.clone();
        for f in &mut out {
            f.plans.retain(|p| self.plans.contains(p));
            if f.structure
                .as_ref()
                .is_some_and(|s| !self.plans.contains(s))
            {
                f.structure = None;
            }
            f.sections.retain(|s| self.goals.contains(&s.node));
        }
        out
    }
}

impl AppState {
    /// Loads the read models from the store.
    pub async fn load(store: Store) -> Result<Self, StoreError> {
        let models = Models::of(store.snapshot().await?);
        Ok(Self {
            store,
            models: Arc::new(RwLock::new(Arc::new(models))),
            catching_up: Arc::new(tokio::sync::Mutex::new(())),
            whole_reads: Arc::new(std::sync::atomic::AtomicUsize::new(1)),
            mailing: None,
            fetch: rodtrad_fetch::Client::new()
                .inspect_err(|e| tracing::error!(error = %e, "no client for fetching statistics"))
                .ok(),
        })
    }

    /// The state fetching statistics with `client` (Kolada at another address, in tests).
    #[must_use]
    pub fn with_fetch(mut self, client: rodtrad_fetch::Client) -> Self {
        self.fetch = Some(client);
        self
    }

    /// The client that fetches statistics, if there is one.
    pub fn fetcher(&self) -> Option<&rodtrad_fetch::Client> {
        self.fetch.as_ref()
    }

    /// The state sending mail as `mailing` says (reminders, returned reports).
    #[must_use]
    pub fn with_mailing(mut self, mailing: Option<crate::reminders::Mailing>) -> Self {
        self.mailing = mailing.map(Arc::new);
        self
    }

    /// Where mail goes, if a mail server is configured.
    pub fn mailing(&self) -> Option<&crate::reminders::Mailing> {
        self.mailing.as_deref()
    }

    /// Brings the read models up to the data's version in the database, if they are behind;
    /// requests under way finish on the old ones, and the pages rendered from them go with
    /// them. Never replaces the models by older ones.
    pub async fn catch_up(&self) -> Result<(), StoreError> {
        // Cheap when nothing changed, which is nearly always: one small query.
        let stored = self.store.data_version().await?;
        self.catch_up_to(stored).await
    }

    /// Brings the read models at least to `stored`, a version the database is known to have
    /// reached (the one a save of this server committed at): no question to the database when
    /// they are there already, as after saves made at once, which one catch-up covers.
    pub async fn catch_up_to(&self, stored: i64) -> Result<(), StoreError> {
        if stored <= self.version() {
            return Ok(());
        }
        let _turn = self.catching_up.lock().await;
        // Another catch-up may have brought the models here while this one waited.
        let current = self.models();
        if stored <= current.version {
            return Ok(());
        }
        let models = match self.store.since(current.version, PATCH_LIMIT).await? {
            Since::Items {
                version,
                items,
                releases,
                frozen,
            } => {
                current.patched(version, items, releases, frozen).map_err(|e| {
                    // Only a database written by another program could hold such content.
                    tracing::error!(error = %e, "an item written since does not read: reading all");
                })
            }
            Since::Whole => Err(()),
        };
        let models = match models {
            Ok(models) => models,
            Err(()) => self.read_whole().await?,
        };
        let mut slot = self
            .models
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if models.version > slot.version {
            *slot = Arc::new(models);
        }
        Ok(())
    }

    /// Reads the data again, whether or not it changed (for tests that write behind the
    /// application's back).
    pub async fn reload(&self) -> Result<(), StoreError> {
        let _turn = self.catching_up.lock().await;
        let models = self.read_whole().await?;
        *self
            .models
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(models);
        Ok(())
    }

    async fn read_whole(&self) -> Result<Models, StoreError> {
        self.whole_reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Models::of(self.store.snapshot().await?))
    }

    /// How many times this state has read the whole database (once to start; then only when
    /// more changed than items can say, as an import).
    pub fn whole_reads(&self) -> usize {
        self.whole_reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn models(&self) -> Arc<Models> {
        // A poisoned lock only means a writer panicked mid-swap; the Arc inside is still whole.
        self.models
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The data's version the read models were read at.
    pub fn version(&self) -> i64 {
        self.models().version
    }

    /// How many rendered pages the public read model keeps (for tests and diagnostics).
    pub fn cached_pages(&self) -> usize {
        self.model().pages.len()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// What anyone may read; a request keeps the model it started with.
    pub fn model(&self) -> Arc<ReadModel> {
        self.models().public.clone()
    }

    /// The working model, brought up to date first: what a form is made from and saved over,
    /// so that it shows the newest values and carries their revisions.
    pub async fn fresh_working(&self) -> Arc<ReadModel> {
        if let Err(e) = self.catch_up().await {
            // The model at hand is whole; a save made from it is refused if it is stale.
            tracing::warn!(error = %e, "the data could not be brought up to date");
        }
        self.working()
    }

    /// Everything, drafts included, as editors change it.
    pub fn working(&self) -> Arc<ReadModel> {
        self.models().working.clone()
    }

    /// The newest released version of a plan, if it has one.
    pub fn release(&self, plan: &Slug) -> Option<Release> {
        self.models().releases.get(plan).cloned()
    }

    /// The frozen report of a published round, if it has one.
    pub fn frozen(&self, round: &Slug) -> Option<Arc<Frozen>> {
        self.models().frozen.get(round).cloned()
    }

    /// The data as this viewer may see it: the drafts of the plans they have a role on.
    pub fn model_for(&self, viewer: &Viewer) -> Arc<ReadModel> {
        let access = viewer.access();
        let models = self.models();
        if access.admin {
            return models.working.clone();
        }
        let drafts: Vec<Slug> = models
            .working
            .set
            .plans
            .iter()
            .map(|p| p.id.clone())
            .filter(|p| access.sees_drafts_of(p))
            .collect();
        if drafts.is_empty() {
            return models.public.clone();
        }
        let mut mixed = models
            .mixed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        mixed
            .entry(drafts)
            .or_insert_with_key(|drafts| {
                Arc::new(ReadModel::new(visible(
                    &models.working.set,
                    &models.releases,
                    |p| drafts.contains(p),
                )))
            })
            .clone()
    }
}

/// Brings the state up to date every [`WATCH_INTERVAL`] until the future is dropped: how a
/// server sees what other processes commit.
pub async fn watch(state: AppState) {
    let mut tick = tokio::time::interval(WATCH_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = state.catch_up().await {
            // The database may be restarting; the next tick tries again.
            tracing::warn!(error = %e, "the data could not be brought up to date");
        }
    }
}
