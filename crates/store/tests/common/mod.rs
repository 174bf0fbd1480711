//! What the store tests share: the Örebro data set and fresh stores on every backend under
//! test, SQLite always and PostgreSQL when `RODTRAD_TEST_POSTGRES` holds a server URL.

#![allow(dead_code, reason = "each test file uses its own part")]

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use rodtrad_domain::DataSet;
use rodtrad_store::Store;
use sqlx::{Connection, Executor};

pub fn orebro() -> DataSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro");
    rodtrad_format::parse_dir(&dir)
        .unwrap_or_else(|d| panic!("the Örebro data set is invalid: {d:#?}"))
}

/// A fresh, empty store on each backend under test. The temporary directory lives as long as
/// the returned guard.
pub struct Fresh {
    _dir: tempfile::TempDir,
    pub stores: Vec<Store>,
    /// The URL of each store, in the same order.
    pub urls: Vec<String>,
}

pub static COUNTER: AtomicU32 = AtomicU32::new(0);

pub async fn fresh() -> Fresh {
    let dir = tempfile::tempdir().expect("temp dir");
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let sqlite = format!(
        "sqlite:{}",
        dir.path().join(format!("test-{n}.db")).display()
    );
    let mut stores = vec![Store::open(&sqlite).await.expect("open sqlite")];
    let mut urls = vec![sqlite];
    if let Some(url) = postgres_database(n).await {
        stores.push(Store::open(&url).await.expect("open postgres"));
        urls.push(url);
    }
    Fresh {
        _dir: dir,
        stores,
        urls,
    }
}

/// A new database on the test PostgreSQL server, if there is one.
pub async fn postgres_database(n: u32) -> Option<String> {
    let Ok(admin) = std::env::var("RODTRAD_TEST_POSTGRES") else {
        assert!(
            std::env::var("RODTRAD_REQUIRE_POSTGRES").is_err(),
            "RODTRAD_REQUIRE_POSTGRES is set but RODTRAD_TEST_POSTGRES is not"
        );
        return None;
    };
    let name = format!("rodtrad_test_{}_{n}_{}", std::process::id(), nanos());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to the test PostgreSQL server");
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    conn.close().await.ok();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Some(format!("{base}/{name}"))
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() % 1_000_000)
}
