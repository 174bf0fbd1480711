//! The application's routes, and a server that tests can start on any listener.

use std::future::Future;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use rodtrad_domain::{DesiredState, OverarchingGoal, PriorityArea, Risk, StrategicDirection};
use tokio::net::TcpListener;

use crate::cache;
use crate::csrf;
use crate::edit;
use crate::edit::activity::Activities;
use crate::edit::follow_up::FollowUps;
use crate::edit::indicator::Indicators;
use crate::edit::item::{self, Editor};
use crate::edit::parts::Titled;
use crate::edit::plan::{Goals, Plans};
use crate::edit::registry::{Organisations, Perspectives, Strategies};
use crate::error::AppError;
use crate::lang::UserLang;
use crate::pages;
use crate::session;
use crate::state::{self, AppState};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::strategy::show))
        .route("/plans/{id}", get(pages::plan::show))
        .route("/plans/{plan}/goals/{node}", get(pages::focus_area::show))
        .route("/activities", get(pages::search::show))
        .route("/overlap", get(pages::overlap::show))
        .route("/follow-ups/{id}", get(pages::report::show))
        .route("/plans/{id}/overview", get(pages::overview::plan))
        .route("/rounds/{id}/overview", get(pages::overview::round))
        // A visitor's list of rounds and a published round's page: kept like every page; a
        // signed-in person's are their own and never kept.
        .route("/rounds", get(pages::rounds::list))
        .route("/rounds/{id}", get(pages::rounds::show))
        .route("/activities/{id}", get(pages::activity::show))
        .route("/organisations/{id}", get(pages::organisation::show))
        .route("/indicators", get(pages::indicators::list))
        .route("/indicators/{id}", get(pages::indicators::show))
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
        .merge(indicators())
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
        .route("/my", get(pages::my::show))
        .route("/rounds/compare", get(pages::compare::show))
        .route("/rounds/{id}/reports.csv", get(pages::rounds::csv))
        // CSV is not kept in the page cache, which answers with HTML.
        .route("/plans/{id}/overview.csv", get(pages::overview::plan_csv))
        .route("/rounds/{id}/overview.csv", get(pages::overview::round_csv))
        .route("/rounds/{id}/state", post(pages::rounds::advance))
        .route("/rounds/{id}/remind", post(pages::rounds::remind))
        .route(
            "/rounds/{round}/reports/{activity}",
            get(edit::report::show).post(edit::report::post),
        )
        .route(
            "/plans/{id}/proposals",
            get(edit::proposals::show).post(edit::proposals::answer),
        )
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

/// An indicator's forms, the import of its values and the search of Kolada's catalogue; never
/// kept in the page cache: a search asks Kolada live, and an import changes what pages show.
fn indicators() -> Router<AppState> {
    editing::<Indicators>("/indicator/{id}", "/indicator")
        .route("/indicators/kolada", get(edit::kolada::search))
        .route(
            "/indicators/{id}/values",
            get(edit::values::form).post(edit::values::upload),
        )
        .route("/indicators/{id}/fetch", post(edit::values::fetch_again))
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
    match state.store().ping().await {
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

/// Serves until `shutdown` completes, then finishes the requests in flight. Meanwhile the
/// state is kept up to date with what other processes commit ([`state::watch`]).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let watcher = tokio::spawn(state::watch(state.clone()));
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    watcher.abort();
    served
}
