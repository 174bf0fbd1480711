//! Published rounds' reports, frozen: the round and what its report shows, kept as one JSON
//! data set (`follow_up_release`, only ever inserted into), so that no later edit of an
//! activity, a plan or a report changes a report once it is published.

use rodtrad_domain::{DataSet, RoundState, Slug, frozen};
use sqlx::{AnyConnection, Row};

use crate::record::Actor;
use crate::{Store, StoreError};

/// A published round's report as it was frozen.
#[derive(Debug, Clone)]
pub struct FrozenReport {
    pub round: Slug,
    pub number: i64,
    /// When it was frozen, in Unix seconds.
    pub at: i64,
    /// The round, and what its report shows, as it was.
    pub set: DataSet,
}

/// Keeps `set` as the frozen report of `round`, numbered after any earlier one.
pub(crate) async fn freeze(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: i64,
    round: &Slug,
    set: &DataSet,
) -> sqlx::Result<i64> {
    let (last,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(number) FROM follow_up_release WHERE follow_up_slug = $1")
            .bind(round.as_str())
            .fetch_one(&mut *conn)
            .await?;
    let number = last.unwrap_or(0) + 1;
    let content = serde_json::to_string(set).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO follow_up_release (follow_up_slug, number, content, at, account_id) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(round.as_str())
    .bind(number)
    .bind(content)
    .bind(at)
    .bind(actor.account)
    .execute(&mut *conn)
    .await?;
    Ok(number)
}

fn frozen_row(row: &sqlx::any::AnyRow) -> Result<FrozenReport, StoreError> {
    let bad = |detail: String| StoreError::Query(sqlx::Error::Decode(detail.into()));
    let slug: String = row.try_get(0)?;
    let content: String = row.try_get(3)?;
    Ok(FrozenReport {
        round: Slug::parse(&slug).map_err(|e| bad(format!("follow_up_release: {e}")))?,
        number: row.try_get(1)?,
        at: row.try_get(2)?,
        set: serde_json::from_str(&content).map_err(|e| {
            bad(format!(
                "follow_up_release: the stored report does not read back: {e}"
            ))
        })?,
    })
}

/// The newest frozen report of every published round (of `only`, when given).
pub(crate) async fn latest(
    conn: &mut AnyConnection,
    only: Option<&Slug>,
) -> Result<Vec<FrozenReport>, StoreError> {
    let sql = "SELECT r.follow_up_slug, r.number, r.at, r.content FROM follow_up_release r \
               WHERE r.number = (SELECT MAX(number) FROM follow_up_release n \
                                 WHERE n.follow_up_slug = r.follow_up_slug) \
               AND ($1 = '' OR r.follow_up_slug = $1) ORDER BY r.follow_up_slug";
    let rows = sqlx::query(sql)
        .bind(only.map_or("", Slug::as_str))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(frozen_row).collect()
}

/// Freezes the report of every published round in `set` that has none yet: what an import
/// brings as published (the Örebro 2021 follow-up), and rounds stored before reports were
/// frozen, are frozen as they stand, once.
pub(crate) async fn freeze_unfrozen(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: i64,
    set: &DataSet,
) -> sqlx::Result<()> {
    for round in set
        .follow_ups
        .iter()
        .filter(|f| f.state == RoundState::Published)
    {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM follow_up_release WHERE follow_up_slug = $1")
                .bind(round.id.as_str())
                .fetch_one(&mut *conn)
                .await?;
        if count == 0 {
            freeze(
                conn,
                actor,
                at,
                &round.id,
                &frozen(round, set, &set.reports),
            )
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// The newest frozen report of every published round.
    pub async fn frozen_reports(&self) -> Result<Vec<FrozenReport>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        latest(&mut conn, None).await
    }

    /// How many published rounds have no frozen report: asked at every start, so that data
    /// stored before reports were frozen gets its copy once.
    pub async fn unfrozen_reports(&self) -> Result<i64, StoreError> {
        let (waiting,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM follow_up f WHERE f.state = 'published' \
             AND NOT EXISTS (SELECT 1 FROM follow_up_release r WHERE r.follow_up_slug = f.slug)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(waiting)
    }
}
