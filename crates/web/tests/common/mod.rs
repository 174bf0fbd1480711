//! What the web tests share: the application on the Örebro data set, on each backend.

#![allow(dead_code)]

use std::path::Path;

use rodtrad_store::Store;
use rodtrad_web::AppState;

pub struct App {
    pub _dir: tempfile::TempDir,
    pub state: AppState,
}

/// The application on the Örebro data set in a new SQLite file.
pub async fn app() -> App {
    let dir = tempfile::tempdir().expect("tmp");
    let url = format!("sqlite:{}", dir.path().join("web.db").display());
    App {
        _dir: dir,
        ..app_at(&url).await
    }
}

/// A new, empty database on the test PostgreSQL server, if `RODTRAD_TEST_POSTGRES` names one.
pub async fn postgres_url(name: &str) -> Option<String> {
    use sqlx::{Connection, Executor};
    let Ok(admin) = std::env::var("RODTRAD_TEST_POSTGRES") else {
        assert!(
            std::env::var("RODTRAD_REQUIRE_POSTGRES").is_err(),
            "RODTRAD_TEST_POSTGRES is not set"
        );
        return None;
    };
    let db = format!("rodtrad_web_{name}_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect");
    conn.execute(format!("DROP DATABASE IF EXISTS {db}").as_str())
        .await
        .expect("drop");
    conn.execute(format!("CREATE DATABASE {db}").as_str())
        .await
        .expect("create");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Some(format!("{base}/{db}"))
}

/// The application on the Örebro data set in a store at `url`.
pub async fn app_at(url: &str) -> App {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(url).await.expect("store");
    let set =
        rodtrad_format::parse_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro"))
            .expect("data set");
    store
        .import(&set, &rodtrad_store::Actor::command_line(), 0)
        .await
        .expect("import");
    let state = AppState::load(store).await.expect("load");
    App { _dir: dir, state }
}

/// The application on SQLite, and on PostgreSQL when a test server is given.
pub async fn apps(name: &str) -> Vec<App> {
    let mut apps = vec![app().await];
    if let Some(url) = postgres_url(name).await {
        apps.push(app_at(&url).await);
    }
    apps
}
