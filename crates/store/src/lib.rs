//! Storage of the red thread behind one interface, [`Store`], on SQLite (the embedded default)
//! or PostgreSQL (shared hosting), chosen by the database URL.
//!
//! Both backends run the same code and the same SQL through sqlx's `Any` driver; what differs
//! (the migrations' column types, SQLite's journal mode) is decided once, in [`Store::open`].
//! Each backend has its own migrations under `migrations/`, applied when the store opens.

mod accounts;
mod export;
mod import;
mod record;
mod report_saves;
mod reports;
mod security;
mod since;
mod sql;
mod values;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rodtrad_domain::DataSet;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

pub use accounts::{Account, Grant, Session};
pub use record::{Actor, ChangeSet, Edit, Release, Releasing, SaveError};
pub use report_saves::{ReportSave, Saved};
pub use reports::FrozenReport;
pub use security::Attempts;
pub use since::{Since, Written};
pub use sql::Changes;
pub use values::{Batches, ValueFilter, ValuesImported};

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no backend we have.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://...")]
    Url(String),
    #[error("could not open the database: {0}")]
    Open(#[source] sqlx::Error),
    #[error("could not bring the database schema up to date: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    /// Something with this key exists already (an account's address).
    #[error("{0} exists already")]
    Duplicate(String),
    /// Another save changed the same thing at the same moment; nothing was written.
    #[error("{0} was changed by another save at the same moment")]
    Conflict(String),
    /// What is named is not stored (an indicator whose values are imported).
    #[error("there is no {0}")]
    Unknown(String),
}

/// The data as of one version: what a server's read models are made from.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The data's version (see [`Store::data_version`]).
    pub version: i64,
    pub set: DataSet,
    /// The revision of every item that has been written.
    pub revisions: std::collections::HashMap<rodtrad_domain::ItemKey, i64>,
    /// The newest released version of every plan that has one.
    pub releases: Vec<Release>,
    /// The newest frozen report of every published round.
    pub frozen: Vec<FrozenReport>,
}

/// The red thread's storage.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    /// For a connection of the backend's own driver where `Any` has no way (`COPY`).
    url: Arc<str>,
    backend: Backend,
    /// Held by this process's writer while it writes.
    turn: Arc<tokio::sync::Mutex<()>>,
    /// Reports' saves waiting to be written together (`report_saves.rs`).
    waiting: Arc<report_saves::Waiting>,
}

/// A transaction that writes, begun by [`Store::begin_write`], and this process's turn to write.
pub(crate) struct Writing {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl Writing {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for Writing {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Writing {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Backend {
    /// The backend a URL names: `sqlite:PATH` (also `sqlite://PATH`) or `postgres://...`
    /// (also `postgresql://...`).
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

impl Store {
    /// Opens (and for SQLite creates) the database at `url` and applies its migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Self::open_with(url, false).await
    }

    /// Opens the database as [`Store::open`] does, for a server: its connections to
    /// PostgreSQL are held open from the start, so that a burst of saves before a deadline
    /// does not wait for the database server to start new ones (some milliseconds each).
    pub async fn open_serving(url: &str) -> Result<Store, StoreError> {
        Self::open_with(url, true).await
    }

    async fn open_with(url: &str, serving: bool) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| StoreError::Url(url.to_owned()))?;
        let url = match backend {
            // A file that does not exist yet is created: the default start needs no setup.
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(StoreError::Open)?
            .disable_statement_logging();
        // One connection first, so that an unreachable server fails at once with its own
        // error rather than after the pool's acquire timeout.
        let mut conn = options.connect().await.map_err(StoreError::Open)?;
        if backend == Backend::Sqlite {
            // WAL lets readers go on while one writer writes; the mode is kept in the file.
            conn.execute("PRAGMA journal_mode = WAL")
                .await
                .map_err(StoreError::Open)?;
        }
        conn.close().await.map_err(StoreError::Open)?;
        let pool = AnyPoolOptions::new()
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // A writer of another process holds the lock for milliseconds: wait
                        // for it rather than fail (sqlx's default is 5 s; a queue of writers
                        // before a deadline may need longer).
                        conn.execute("PRAGMA busy_timeout = 30000").await?;
                    }
                    Ok(())
                })
            })
            .acquire_timeout(Duration::from_secs(60))
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 8,
            })
            // Eight per server leaves room for many servers on one PostgreSQL.
            .min_connections(match backend {
                Backend::Postgres if serving => 8,
                _ => 0,
            })
            .connect_with(options)
            .await
            .map_err(StoreError::Open)?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.map_err(StoreError::Migrate)?;
        Ok(Store {
            pool,
            url: url.into(),
            backend,
            turn: Arc::new(tokio::sync::Mutex::new(())),
            waiting: Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a transaction that will write, and moves the data's version on as its first
    /// statement: writers take their turn from there (see `migrations/*/0004_data_version.sql`),
    /// and every item this transaction writes is stamped with the new version.
    ///
    /// Writers of this process queue here first, so that they wait their turn without holding a
    /// connection (SQLite's few are needed by readers meanwhile); writers of other processes
    /// are waited for by the database (PostgreSQL's row lock, SQLite's busy timeout).
    pub(crate) async fn begin_write(&self) -> Result<Writing, sqlx::Error> {
        let turn = self.turn.clone().lock_owned().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE data_version SET version = version + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        Ok(Writing { tx, _turn: turn })
    }

    /// The version of the data: moved on by every committed write, by any process.
    pub async fn data_version(&self) -> Result<i64, StoreError> {
        let (version,): (i64,) = sqlx::query_as("SELECT version FROM data_version WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(version)
    }

    /// Begins a transaction that only reads, all of it from one snapshot of the database, so
    /// that a concurrent write cannot tear what it reads. SQLite's transactions read from one
    /// snapshot already; PostgreSQL's default (read committed) takes one per statement.
    async fn begin_read(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .await?;
        }
        Ok(tx)
    }

    /// The whole database as a data set, in stored order.
    pub async fn export(&self) -> Result<DataSet, StoreError> {
        let mut tx = self.begin_read().await?;
        let set = export::export(&mut tx).await?;
        tx.commit().await?;
        Ok(set)
    }

    /// Everything a server reads the data by, as of one version of it.
    pub async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let mut tx = self.begin_read().await?;
        let (version,): (i64,) = sqlx::query_as("SELECT version FROM data_version WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let set = export::export(&mut tx).await?;
        let revisions = record::revisions(&mut tx).await?;
        let releases = record::latest_releases(&mut tx).await?;
        let frozen = reports::latest(&mut tx, None).await?;
        tx.commit().await?;
        Ok(Snapshot {
            version,
            set,
            revisions,
            releases,
            frozen,
        })
    }

    /// Whether nothing has been stored yet (no organisation, strategy, plan or activity).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let row: (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM organisation) + (SELECT COUNT(*) FROM strategy) \
             + (SELECT COUNT(*) FROM plan) + (SELECT COUNT(*) FROM activity)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.0 == 0)
    }

    /// Answers when the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A pragma's value on a SQLite store (for checking the configuration).
    pub async fn sqlite_pragma(&self, name: &str) -> Result<String, StoreError> {
        let row: (String,) =
            sqlx::query_as(&format!("SELECT CAST({name} AS TEXT) FROM pragma_{name}"))
                .fetch_one(&self.pool)
                .await?;
        Ok(row.0)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
