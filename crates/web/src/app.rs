//! The application: its state, its routes, and a server that tests can start on any listener.

use std::future::Future;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use rodtrad_store::Store;
use tokio::net::TcpListener;

use crate::cache;
use crate::csrf;
use crate::error::AppError;
use crate::lang::UserLang;
use crate::model::ReadModel;
use crate::pages;
use crate::session;

/// What every request can reach: the store and the current read model.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Store,
    model: Arc<RwLock<Arc<ReadModel>>>,
}

impl AppState {
    /// Loads the read model from the store.
    pub async fn load(store: Store) -> Result<Self, rodtrad_store::StoreError> {
        let set = store.export().await?;
        Ok(Self {
            store,
            model: Arc::new(RwLock::new(Arc::new(ReadModel::new(set)))),
        })
    }

    /// Reads the data again from the store and puts the new read model in place; requests
    /// under way finish on the old one, and the pages rendered from it go with it.
    pub async fn reload(&self) -> Result<(), rodtrad_store::StoreError> {
        let model = Arc::new(ReadModel::new(self.store.export().await?));
        *self
            .model
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = model;
        Ok(())
    }

    /// How many rendered pages the current read model keeps (for tests and diagnostics).
    pub fn cached_pages(&self) -> usize {
        self.model().pages.len()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The current read model; a request keeps the one it started with.
    pub fn model(&self) -> Arc<ReadModel> {
        // A poisoned lock only means a writer panicked mid-swap; the Arc inside is still whole.
        self.model
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
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
        .route("/logout", post(pages::login::logout))
        .route("/healthz", get(healthz))
        .fallback(not_found)
        // Outermost last: the session is found first, then forms are checked for forgery.
        .layer(middleware::from_fn(csrf::verify))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::resolve,
        ))
        .with_state(state)
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
