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

use rodtrad_domain::{DataSet, GoalRef, Slug};
use rodtrad_store::{Release, Snapshot, Store, StoreError};

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
    releases: HashMap<Slug, Release>,
    /// For viewers who see the drafts of some plans and not others, by those plans: made when
    /// first asked for, and gone with the next change of the data.
    mixed: Mutex<HashMap<Vec<Slug>, Arc<ReadModel>>>,
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
        working.revisions = snapshot.revisions;
        Self {
            version: snapshot.version,
            working: Arc::new(working),
            public: Arc::new(ReadModel::new(public)),
            releases,
            mixed: Mutex::new(HashMap::new()),
        }
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
    let mut set = working.clone();
    set.plans = working
        .plans
        .iter()
        .filter_map(|p| {
            if drafts(&p.id) {
                Some(p.clone())
            } else {
                releases.get(&p.id).map(|r| r.plan.clone())
            }
        })
        .collect();
    let goals: HashSet<(&Slug, &Slug)> = set
        .plans
        .iter()
        .flat_map(|p| p.nodes.iter().map(move |n| (&p.id, &n.id)))
        .collect();
    let plans: HashSet<&Slug> = set.plans.iter().map(|p| &p.id).collect();
    let seen = |g: &GoalRef| goals.contains(&(&g.plan, &g.node));
    rodtrad_domain::change_where(
        &mut set.activities,
        |a| !a.serves.iter().all(seen),
        |a| a.serves.retain(|g| seen(g)),
    );
    for f in &mut set.follow_ups {
        f.plans.retain(|p| plans.contains(p));
        if f.structure.as_ref().is_some_and(|s| !plans.contains(s)) {
            f.structure = None;
        }
        f.sections.retain(|s| seen(&s.node));
    }
    set
}

impl AppState {
    /// Loads the read models from the store.
    pub async fn load(store: Store) -> Result<Self, StoreError> {
        let models = Models::of(store.snapshot().await?);
        Ok(Self {
            store,
            models: Arc::new(RwLock::new(Arc::new(models))),
            catching_up: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// Brings the read models up to the data's version in the database, if they are behind;
    /// requests under way finish on the old ones, and the pages rendered from them go with
    /// them. Never replaces the models by older ones.
    pub async fn catch_up(&self) -> Result<(), StoreError> {
        // Cheap when nothing changed, which is nearly always: one small query.
        let stored = self.store.data_version().await?;
        if stored <= self.version() {
            return Ok(());
        }
        let _turn = self.catching_up.lock().await;
        // Another catch-up may have brought the models here while this one waited.
        if stored <= self.version() {
            return Ok(());
        }
        let models = Models::of(self.store.snapshot().await?);
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
        let models = Models::of(self.store.snapshot().await?);
        *self
            .models
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(models);
        Ok(())
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
