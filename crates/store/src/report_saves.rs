//! A report's save: its row, its partners' parts and its record, written without the rest of the
//! data set. Reports are what many people save in the same days before a deadline (a national
//! round asks 100,000 of them), so a save costs what it writes, and saves that arrive while
//! another is being written are committed together: one transaction and one move of the data's
//! version for all of them (group commit), each with its own check of revision and state, its
//! own record, and, when refused, its own rollback to its savepoint.
//!
//! The first save to find the write turn free writes every save waiting, its own among them;
//! the others find theirs done when their turn comes. The batch is written by a task of its
//! own, so that a person who closes the page mid-save cannot leave the others waiting on a
//! transaction that was dropped.

use std::sync::Mutex;

use rodtrad_domain::{
    Action, ItemChange, ItemKey, ItemKind, Report, RoundState, Vocabulary, changes,
};
use sqlx::{AnyConnection, Connection};
use tokio::sync::oneshot;

use crate::record::{Actor, SaveError, record, revision};
use crate::{Store, StoreError};

/// One report's save: the report as `before` had it at revision `based_on` (`None`, 0: never
/// written), and as it is to be.
#[derive(Debug, Clone)]
pub struct ReportSave {
    pub actor: Actor,
    pub at: i64,
    pub before: Option<Report>,
    pub report: Report,
    pub based_on: i64,
}

impl ReportSave {
    fn key(&self) -> ItemKey {
        ItemKey::report(&self.report.round, &self.report.activity)
    }
}

/// Saves waiting for a writer, each with where its answer goes.
#[derive(Debug, Default)]
pub(crate) struct Waiting(Mutex<Vec<(ReportSave, oneshot::Sender<Result<i64, SaveError>>)>>);

impl Waiting {
    fn take(&self) -> Vec<(ReportSave, oneshot::Sender<Result<i64, SaveError>>)> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl Store {
    /// Saves a report with its record, refused as `Stale` if the report moved past `based_on`,
    /// or if its round is no longer open or its activity gone (named by the item that moved).
    /// Returns the report's new revision.
    pub async fn save_report(&self, save: ReportSave) -> Result<i64, SaveError> {
        let (tx, mut rx) = oneshot::channel();
        self.waiting
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((save, tx));
        let turn = self.turn.clone().lock_owned().await;
        // The writer before this one may have taken this save with its own.
        match rx.try_recv() {
            Ok(answer) => return answer,
            Err(oneshot::error::TryRecvError::Closed) => return Err(lost()),
            Err(oneshot::error::TryRecvError::Empty) => {}
        }
        let batch = self.waiting.take();
        let store = self.clone();
        let written = tokio::spawn(async move {
            let _turn = turn;
            store.write_batch(batch).await;
        });
        // The batch goes on if this request is dropped; its answer comes by `rx` all the same.
        if let Err(e) = written.await {
            tracing::error!(error = %e, "a batch of report saves failed");
        }
        rx.await.unwrap_or_else(|_| Err(lost()))
    }

    /// Writes `batch` in one transaction and answers each save.
    async fn write_batch(&self, batch: Vec<(ReportSave, oneshot::Sender<Result<i64, SaveError>>)>) {
        let (saves, answers): (Vec<ReportSave>, Vec<_>) = batch.into_iter().unzip();
        let results = match self.write_saves(&saves).await {
            Ok(results) => results,
            Err(e) => {
                tracing::error!(error = %e, saves = saves.len(), "report saves not written");
                saves
                    .iter()
                    .map(|_| Err(SaveError::Store(failed(&e))))
                    .collect()
            }
        };
        for (answer, result) in answers.into_iter().zip(results) {
            // A person who left does not need the answer.
            let _ = answer.send(result);
        }
    }

    /// Every save of `saves`, each at its savepoint, in one transaction that commits those not
    /// refused. An error of the transaction itself fails them all.
    async fn write_saves(
        &self,
        saves: &[ReportSave],
    ) -> Result<Vec<Result<i64, SaveError>>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE data_version SET version = version + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        let mut results = Vec::with_capacity(saves.len());
        for save in saves {
            let mut point = Connection::begin(&mut *tx).await?;
            match write_one(&mut point, save).await {
                Ok(revision) => {
                    point.commit().await?;
                    results.push(Ok(revision));
                }
                Err(e) => {
                    point.rollback().await?;
                    results.push(Err(e));
                }
            }
        }
        tx.commit().await?;
        Ok(results)
    }
}

/// The answer of a save whose writer went away before answering: nothing is known to be saved.
fn lost() -> SaveError {
    SaveError::Store(StoreError::Conflict(
        "the save was interrupted; nothing is known to be saved".into(),
    ))
}

/// An error of a whole batch, said to each of its saves.
fn failed(e: &sqlx::Error) -> StoreError {
    StoreError::Query(sqlx::Error::Protocol(e.to_string()))
}

/// One save, in its savepoint: the round open and the activity there, the revision checked and
/// moved on, the row and its partners' parts written, the change recorded, and the report's
/// content kept for other servers to catch up from.
async fn write_one(conn: &mut AnyConnection, save: &ReportSave) -> Result<i64, SaveError> {
    let r = &save.report;
    let round: Option<(i64, String)> =
        sqlx::query_as("SELECT id, state FROM follow_up WHERE slug = $1")
            .bind(r.round.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let round_key = ItemKey::new(ItemKind::FollowUp, &r.round);
    let Some((round_id, _)) = round.filter(|(_, s)| s == RoundState::Open.code()) else {
        let current = revision(conn, &round_key).await?;
        return Err(SaveError::Stale {
            item: round_key,
            current,
        });
    };
    let activity: Option<i64> = sqlx::query_scalar("SELECT id FROM activity WHERE slug = $1")
        .bind(r.activity.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(activity_id) = activity else {
        let item = ItemKey::new(ItemKind::Activity, &r.activity);
        let current = revision(conn, &item).await?;
        return Err(SaveError::Stale { item, current });
    };
    let change = ItemChange {
        item: save.key(),
        action: if save.before.is_some() {
            Action::Changed
        } else {
            Action::Created
        },
        fields: changes(save.before.as_ref(), Some(r)),
    };
    let moved_to = record(conn, &save.actor, save.at, &change, save.based_on).await?;
    let date = |d: Option<rodtrad_domain::PartialDate>| d.map(|d| d.to_string());
    let (report_id,): (i64,) = sqlx::query_as(
        "INSERT INTO report (follow_up_id, activity_id, state, status, done, results, \
         next_steps, obstacles, worked_start, worked_end, comment, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                 (SELECT COALESCE(MAX(position), -1) + 1 FROM report)) \
         ON CONFLICT (follow_up_id, activity_id) DO UPDATE SET state = excluded.state, \
         status = excluded.status, done = excluded.done, results = excluded.results, \
         next_steps = excluded.next_steps, obstacles = excluded.obstacles, \
         worked_start = excluded.worked_start, worked_end = excluded.worked_end, \
         comment = excluded.comment \
         RETURNING id",
    )
    .bind(round_id)
    .bind(activity_id)
    .bind(r.state.code())
    .bind(r.status.map(Vocabulary::code))
    .bind(r.done.as_deref())
    .bind(r.results.as_deref())
    .bind(r.next_steps.as_deref())
    .bind(r.obstacles.as_deref())
    .bind(date(r.worked.start))
    .bind(date(r.worked.end))
    .bind(r.comment.as_deref())
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM report_partner WHERE report_id = $1")
        .bind(report_id)
        .execute(&mut *conn)
        .await?;
    for (position, part) in (0_i64..).zip(&r.partner_parts) {
        let done = sqlx::query(
            "INSERT INTO report_partner (report_id, position, organisation_id, text) \
             SELECT $1, $2, id, $3 FROM organisation WHERE slug = $4",
        )
        .bind(report_id)
        .bind(position)
        .bind(part.text.as_str())
        .bind(part.organisation.as_str())
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() != 1 {
            let item = ItemKey::new(ItemKind::Organisation, &part.organisation);
            let current = revision(conn, &item).await?;
            return Err(SaveError::Stale { item, current });
        }
    }
    let content = serde_json::to_string(r).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("UPDATE item_revision SET content = $1 WHERE item_kind = $2 AND item_id = $3")
        .bind(content)
        .bind(ItemKind::Report.code())
        .bind(change.item.path())
        .execute(&mut *conn)
        .await?;
    Ok(moved_to)
}
