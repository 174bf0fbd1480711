//! What changed since a version of the data: how a server brings its read models up to date
//! from what others wrote, without reading the whole database again.
//!
//! Every write stamps the items it writes with the data's version and keeps each item's new
//! content beside it (`item_revision`, see `migrations/*/0004_data_version.sql`). Versions are
//! committed in order, so the items above the version a server read at are exactly what it has
//! not seen. A write that changes more than items can say (an import) marks the version
//! `whole`, and a server behind it reads everything again.

use rodtrad_domain::{ItemKey, ItemKind};
use sqlx::AnyConnection;

use crate::record::{Release, release_row};
use crate::{Store, StoreError};

/// An item as a write left it.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub key: ItemKey,
    pub revision: i64,
    /// The item as JSON (`DataSet::apply` reads it); `None` when it was removed.
    pub content: Option<String>,
}

/// What changed since a version.
#[derive(Debug, Clone)]
pub enum Since {
    /// More than items can say: read everything again.
    Whole,
    /// The items written since, as of `version`, and the newest release of each plan among
    /// them that has one.
    Items {
        version: i64,
        items: Vec<Written>,
        releases: Vec<Release>,
        /// The newest frozen report of each round among them that has one.
        frozen: Vec<crate::FrozenReport>,
    },
}

/// Marks the version of the running write as one that readers must read whole.
pub(crate) async fn changed_whole(conn: &mut AnyConnection) -> sqlx::Result<()> {
    sqlx::query("UPDATE data_version SET whole = version WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// What was written after `version`, all of it as of one later version; `Whole` when that
    /// is more than `limit` items (reading everything again is then about as cheap).
    pub async fn since(&self, version: i64, limit: usize) -> Result<Since, StoreError> {
        let mut tx = self.begin_read().await?;
        let (now, whole): (i64, i64) =
            sqlx::query_as("SELECT version, whole FROM data_version WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        if whole > version {
            tx.commit().await?;
            return Ok(Since::Whole);
        }
        // The limit also keeps PostgreSQL's plan for the statement, made once for any version,
        // on the index: without it, a plan that cannot know how few items are new reads them all.
        let mut rows: Vec<(i64, String, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT version, item_kind, item_id, revision, content FROM item_revision \
             WHERE version > $1 ORDER BY version LIMIT $2",
        )
        .bind(version)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1))
        .fetch_all(&mut *tx)
        .await?;
        if rows.len() > limit {
            tx.commit().await?;
            return Ok(Since::Whole);
        }
        // Within one version (reports saved together), by id as Rust orders it, whatever the
        // database's collation: the order new reports were given their places in
        // (`report_saves.rs`), so that a server catching up lists them as one reading them.
        rows.sort_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
        let mut items = Vec::with_capacity(rows.len());
        let mut releases = Vec::new();
        let mut frozen = Vec::new();
        for (_, kind, id, revision, content) in rows {
            let Some(key) = ItemKind::parse(&kind).and_then(|k| ItemKey::from_path(k, &id)) else {
                continue;
            };
            let kind = key.kind;
            if kind == ItemKind::Plan {
                let row = sqlx::query(
                    "SELECT number, decided, at, content FROM plan_release WHERE plan_slug = $1 \
                     ORDER BY number DESC LIMIT 1",
                )
                .bind(key.id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(row) = row {
                    releases.push(release_row(&row)?);
                }
            }
            if kind == ItemKind::FollowUp {
                frozen.extend(crate::reports::latest(&mut tx, Some(&key.id)).await?);
            }
            items.push(Written {
                key,
                revision,
                content,
            });
        }
        tx.commit().await?;
        Ok(Since::Items {
            version: now,
            items,
            releases,
            frozen,
        })
    }
}
