//! The application: its state, its routes, and a server that tests can start on any listener.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use rodtrad_domain::{
    DataSet, DesiredState, GoalRef, OverarchingGoal, PriorityArea, Risk, Slug, StrategicDirection,
};
use rodtrad_store::{Release, Store};
use tokio::net::TcpListener;

use crate::cache;
use crate::csrf;
use crate::edit;
use crate::edit::activity::Activities;
use crate::edit::follow_up::FollowUps;
use crate::edit::item::{self, Editor};
use crate::edit::parts::Titled;
use crate::edit::plan::{Goals, Plans};
use crate::edit::registry::{Organisations, Perspectives, Strategies};
use crate::error::AppError;
use crate::lang::UserLang;
use crate::model::ReadModel;
use crate::pages;
use crate::session;
use crate::session::Viewer;

/// What every request can reach: the store and the read models.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Store,
    models: Arc<RwLock<Arc<Models>>>,
}

/// The data as each kind of viewer sees it, made from one reading of the store.
#[derive(Debug)]
struct Models {
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
    async fn read(store: &Store) -> Result<Self, rodtrad_store::StoreError> {
        let working = store.export().await?;
        let releases: HashMap<Slug, Release> = store
            .latest_releases()
            .await?
            .into_iter()
            .map(|r| (r.plan.id.clone(), r))
            .collect();
        let public = visible(&working, &releases, |_| false);
        let mut working = ReadModel::new(working);
        working.revisions = store.revisions().await?;
        Ok(Self {
            working: Arc::new(working),
            public: Arc::new(ReadModel::new(public)),
            releases,
            mixed: Mutex::new(HashMap::new()),
        })
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
    for a in &mut set.activities {
        a.serves.retain(|g| seen(g));
    }
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
    pub async fn load(store: Store) -> Result<Self, rodtrad_store::StoreError> {
        let models = Models::read(&store).await?;
        Ok(Self {
            store,
            models: Arc::new(RwLock::new(Arc::new(models))),
        })
    }

    /// Reads the data again from the store and puts the new read models in place; requests
    /// under way finish on the old ones, and the pages rendered from them go with them.
    pub async fn reload(&self) -> Result<(), rodtrad_store::StoreError> {
        let models = Arc::new(Models::read(&self.store).await?);
        *self
            .models
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = models;
        Ok(())
    }

    fn models(&self) -> Arc<Models> {
        // A poisoned lock only means a writer panicked mid-swap; the Arc inside is still whole.
        self.models
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
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

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::strategy::show))
        .route("/plans/{id}", get(pages::plan::show))
        .route("/plans/{plan}/goals/{node}", get(pages::focus_area::show))
        .route("/activities", get(pages::search::show))
        .route("/overlap", get(pages::overlap::show))
        .route("/follow-ups/{id}", get(pages::report::show))
        .route("/activities/{id}", get(pages::activity::show))
        .route("/organisations/{id}", get(pages::organisation::show))
        // Pages only: the health check must ask the database every time.
        .route_layer(middleware::from_fn_with_state(state.clone(), cache::pages))
        .route("/login", get(pages::login::form).post(pages::login::submit))
        .merge(editing::<Activities>("/activity/{id}", "/activity"))
        .merge(editing::<Organisations>(
            "/organisation/{id}",
            "/organisation",
        ))
        .merge(editing::<Perspectives>("/perspective/{id}", "/perspective"))
        .merge(editing::<Strategies>("/strategy/{id}", "/strategy"))
        .merge(editing::<Plans>("/plan/{id}", "/plan"))
        .merge(editing::<FollowUps>("/follow_up/{id}", "/follow_up"))
        .merge(editing::<Goals>(
            "/plan/{plan}/goal/{id}",
            "/plan/{plan}/goal",
        ))
        .merge(editing::<Titled<Risk>>(
            "/plan/{plan}/risk/{id}",
            "/plan/{plan}/risk",
        ))
        .merge(editing::<Titled<StrategicDirection>>(
            "/plan/{plan}/direction/{id}",
            "/plan/{plan}/direction",
        ))
        .merge(editing::<Titled<PriorityArea>>(
            "/strategy/{strategy}/area/{id}",
            "/strategy/{strategy}/area",
        ))
        .merge(editing::<Titled<DesiredState>>(
            "/strategy/{strategy}/state/{id}",
            "/strategy/{strategy}/state",
        ))
        .merge(editing::<Titled<OverarchingGoal>>(
            "/strategy/{strategy}/goal/{id}",
            "/strategy/{strategy}/goal",
        ))
        .route("/plans/{id}/versions", get(edit::versions::list))
        .route("/plans/{id}/versions/{number}", get(edit::versions::show))
        .route("/plans/{id}/publish", post(edit::versions::publish))
        .route("/plans/{id}/decide", post(edit::versions::decide))
        .route(
            "/admin/accounts",
            get(edit::accounts::list).post(edit::accounts::create),
        )
        .route(
            "/admin/accounts/{id}",
            get(edit::accounts::show).post(edit::accounts::change),
        )
        .route("/history/{kind}/{id}", get(edit::history::item))
        .route("/accounts/{id}/history", get(edit::history::person))
        .route("/logout", post(pages::login::logout))
        .route(
            "/account",
            get(pages::account::show).post(pages::account::change),
        )
        .route(
            "/reset/{token}",
            get(pages::account::reset_form).post(pages::account::reset),
        )
        .route("/healthz", get(healthz))
        .fallback(not_found)
        // Outermost last: the session is found first, then forms are checked for forgery.
        .layer(middleware::from_fn(csrf::verify))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::resolve,
        ))
        .layer(middleware::from_fn(crate::headers::secure))
        .with_state(state)
}

/// The routes of one kind: `/edit` + `one`, `/remove` + `one`, `/new` + `new`.
fn editing<E: Editor>(one: &str, new: &str) -> Router<AppState> {
    Router::new()
        .route(
            &format!("/edit{one}"),
            get(item::edit_form::<E>).post(item::edit_save::<E>),
        )
        .route(
            &format!("/new{new}"),
            get(item::new_form::<E>).post(item::new_save::<E>),
        )
        .route(
            &format!("/remove{one}"),
            get(edit::remove::confirm::<E>).post(edit::remove::remove::<E>),
        )
}

async fn healthz(State(state): State<AppState>) -> StatusCode {
    match state.store.ping().await {
        Ok(()) => StatusCode::OK,
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

async fn not_found(UserLang(lang): UserLang) -> AppError {
    AppError::NotFound(lang)
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
