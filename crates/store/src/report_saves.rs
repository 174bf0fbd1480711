//! A report's save: its row, its partners' parts and its record, written without the rest of the
//! data set. Reports are what many people save in the same days before a deadline (a national
//! round asks 100,000 of them), so a save costs what it writes, and saves that arrive while
//! another is being written are committed together: one transaction and one move of the data's
//! version for all of them (group commit), each with its own check of revision and state and
//! its own record, and a refusal of its own.
//!
//! A batch costs a few statements whatever its size: what its saves name (rounds, activities,
//! organisations) is looked up once for all of them, and each kind of row is written for all of
//! them in one statement. Each save is checked before it writes (its round open, what it names
//! there, its revision moved on or not), so that a refused one has nothing to undo.
//!
//! The first save to find the write turn free writes every save waiting, its own among them;
//! the others find theirs done when their turn comes. The batch is written by a task of its
//! own, so that a person who closes the page mid-save cannot leave the others waiting on a
//! transaction that was dropped.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use rodtrad_domain::{
    Action, FieldChange, ItemKey, ItemKind, Report, RoundState, Vocabulary, changes,
};
use sqlx::{AnyConnection, Row};
use tokio::sync::oneshot;

use crate::import::report_values;
use crate::record::{Actor, SaveError, revision};
use crate::sql::{Val, bind, rows_per_statement, tuples};
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

/// A report saved: its new revision, and the data's version its batch committed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub revision: i64,
    pub version: i64,
}

type Answer = Result<Saved, SaveError>;

/// Saves waiting for a writer, each with where its answer goes.
#[derive(Debug, Default)]
pub(crate) struct Waiting(Mutex<Vec<(ReportSave, oneshot::Sender<Answer>)>>);

impl Waiting {
    fn take(&self) -> Vec<(ReportSave, oneshot::Sender<Answer>)> {
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
    /// or if its round is no longer open or what it names is gone (named by the item that
    /// moved).
    pub async fn save_report(&self, save: ReportSave) -> Answer {
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
        // A save whose request went away while it waited is not written later by surprise.
        let mut batch = self.waiting.take();
        batch.retain(|(_, answer)| !answer.is_closed());
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

    /// Writes `batch` and answers each save.
    async fn write_batch(&self, batch: Vec<(ReportSave, oneshot::Sender<Answer>)>) {
        let (saves, answers): (Vec<ReportSave>, Vec<_>) = batch.into_iter().unzip();
        let results = match self.write_together(&saves).await {
            Ok(results) => results,
            Err(e) if saves.len() > 1 => {
                // An error of one save fails the transaction of all: each again, alone, so
                // that it fails alone.
                tracing::warn!(error = %e, saves = saves.len(), "report saves written one by one");
                let mut results = Vec::with_capacity(saves.len());
                for save in &saves {
                    results.push(
                        match self.write_together(std::slice::from_ref(save)).await {
                            Ok(mut one) => one.pop().unwrap_or_else(|| Err(lost())),
                            Err(e) => Err(refused(e)),
                        },
                    );
                }
                results
            }
            Err(e) => vec![Err(refused(e))],
        };
        for (answer, result) in answers.into_iter().zip(results) {
            // A person who left does not need the answer.
            let _ = answer.send(result);
        }
    }

    /// Every save of `saves` in one transaction, which commits those not refused.
    async fn write_together(&self, saves: &[ReportSave]) -> sqlx::Result<Vec<Answer>> {
        let mut tx = self.pool.begin().await?;
        let (version,): (i64,) = sqlx::query_as(
            "UPDATE data_version SET version = version + 1 WHERE id = 1 RETURNING version",
        )
        .fetch_one(&mut *tx)
        .await?;
        let known = Known::of(&mut tx, saves).await?;
        let mut answers: Vec<Option<Answer>> = saves.iter().map(|_| None).collect();
        let mut pending = Vec::new();
        let mut refusals = Vec::new();
        // New reports take their places in the order of their ids, the order in which other
        // servers read them (`Store::since`); saves of one report keep their order.
        let mut order: Vec<usize> = (0..saves.len()).collect();
        order.sort_by_cached_key(|&i| saves[i].key().path());
        for (i, save) in order.into_iter().map(|i| (i, &saves[i])) {
            match known.rows(save) {
                Ok(rows) => pending.push((i, rows)),
                Err(item) => refusals.push((i, item)),
            }
        }
        let (mut position,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(position), -1) + 1 FROM report")
                .fetch_one(&mut *tx)
                .await?;
        while !pending.is_empty() {
            // One save of a report at a time: a second save of the same report (two people at
            // once) is judged after the first, against what the first left.
            let mut keys = HashSet::new();
            let (now, later): (Vec<_>, Vec<_>) = pending
                .into_iter()
                .partition(|(i, _)| keys.insert(saves[*i].key()));
            pending = later;
            let moved = advance(&mut tx, saves, &now, version).await?;
            let now: Vec<(usize, Rows)> = now
                .into_iter()
                .filter(|(i, _)| {
                    let ok = moved.contains(i);
                    if !ok {
                        refusals.push((*i, saves[*i].key()));
                    }
                    ok
                })
                .collect();
            record(&mut tx, saves, &now).await?;
            write_rows(&mut tx, saves, &now, &mut position).await?;
            for (i, _) in now {
                answers[i] = Some(Ok(Saved {
                    revision: saves[i].based_on + 1,
                    version,
                }));
            }
        }
        for (i, item) in refusals {
            let current = revision(&mut tx, &item).await?;
            answers[i] = Some(Err(SaveError::Stale { item, current }));
        }
        tx.commit().await?;
        Ok(answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Err(lost())))
            .collect())
    }
}

/// The rows a batch names, by slug: id (and a round's state).
struct Known {
    rounds: HashMap<String, (i64, String)>,
    activities: HashMap<String, (i64, String)>,
    organisations: HashMap<String, (i64, String)>,
}

/// The ids a save's rows are written with.
struct Rows {
    round: i64,
    activity: i64,
    partners: Vec<i64>,
}

impl Known {
    async fn of(conn: &mut AnyConnection, saves: &[ReportSave]) -> sqlx::Result<Self> {
        let reports = || saves.iter().map(|s| &s.report);
        Ok(Self {
            rounds: ids_of(
                conn,
                "SELECT slug, id, state FROM follow_up",
                reports().map(|r| r.round.as_str()),
            )
            .await?,
            activities: ids_of(
                conn,
                "SELECT slug, id, '' FROM activity",
                reports().map(|r| r.activity.as_str()),
            )
            .await?,
            organisations: ids_of(
                conn,
                "SELECT slug, id, '' FROM organisation",
                reports()
                    .flat_map(|r| &r.partner_parts)
                    .map(|p| p.organisation.as_str()),
            )
            .await?,
        })
    }

    /// The ids of what the save names, or the item that refuses it: its round not open, its
    /// activity or a partner's organisation gone.
    fn rows(&self, save: &ReportSave) -> Result<Rows, ItemKey> {
        let r = &save.report;
        let open = RoundState::Open.code();
        let Some(&(round, _)) = self.rounds.get(r.round.as_str()).filter(|(_, s)| s == open) else {
            return Err(ItemKey::new(ItemKind::FollowUp, &r.round));
        };
        let Some(&(activity, _)) = self.activities.get(r.activity.as_str()) else {
            return Err(ItemKey::new(ItemKind::Activity, &r.activity));
        };
        let partners = r
            .partner_parts
            .iter()
            .map(|p| {
                self.organisations
                    .get(p.organisation.as_str())
                    .map(|&(id, _)| id)
                    .ok_or_else(|| ItemKey::new(ItemKind::Organisation, &p.organisation))
            })
            .collect::<Result<_, _>>()?;
        Ok(Rows {
            round,
            activity,
            partners,
        })
    }
}

/// The rows of `select` (which reads slug, id and one more column) whose slugs are `slugs`.
async fn ids_of<'a>(
    conn: &mut AnyConnection,
    select: &str,
    slugs: impl Iterator<Item = &'a str>,
) -> sqlx::Result<HashMap<String, (i64, String)>> {
    let mut slugs: Vec<&str> = slugs.collect();
    slugs.sort_unstable();
    slugs.dedup();
    let mut out = HashMap::new();
    for chunk in slugs.chunks(rows_per_statement(conn, 1)) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{select} WHERE slug IN ({})", marks.join(", "));
        let mut query = sqlx::query_as::<_, (String, i64, String)>(&sql);
        for slug in chunk {
            query = query.bind(*slug);
        }
        for (slug, id, more) in query.fetch_all(&mut *conn).await? {
            out.insert(slug, (id, more));
        }
    }
    Ok(out)
}

/// Runs `sql` (ending in `VALUES {}`, filled with `width` placeholders a row) over `rows` rows,
/// as many to a statement as the database takes, and gives back what the statements return.
async fn each_chunk<T>(
    conn: &mut AnyConnection,
    sql: &str,
    width: usize,
    rows: &[Vec<Val>],
    mut read: impl FnMut(&sqlx::any::AnyRow) -> sqlx::Result<T>,
) -> sqlx::Result<Vec<T>> {
    let mut out = Vec::new();
    for chunk in rows.chunks(rows_per_statement(conn, width)) {
        let sql = sql.replace("{}", &tuples(chunk.len(), width));
        let vals: Vec<Val> = chunk.iter().flatten().cloned().collect();
        for row in bind(sqlx::query(&sql), &vals).fetch_all(&mut *conn).await? {
            out.push(read(&row)?);
        }
    }
    Ok(out)
}

/// Moves the revisions of the reports of `now` (at most one save each) on from the ones their
/// saves were based on, with each report's content kept beside it for other servers to catch
/// up from; the saves whose reports were not there (another save got there first) are left
/// out of what is returned.
async fn advance(
    conn: &mut AnyConnection,
    saves: &[ReportSave],
    now: &[(usize, Rows)],
    version: i64,
) -> sqlx::Result<HashSet<usize>> {
    let by_path: HashMap<String, usize> = now
        .iter()
        .map(|(i, _)| (saves[*i].key().path(), *i))
        .collect();
    let row = |i: usize, with: Val| -> sqlx::Result<Vec<Val>> {
        let s = &saves[i];
        let content =
            serde_json::to_string(&s.report).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        Ok(vec![
            ItemKind::Report.code().into(),
            s.key().path().into(),
            with,
            content.into(),
            Val::from(version),
        ])
    };
    let (new, old): (Vec<usize>, Vec<usize>) = now
        .iter()
        .map(|(i, _)| *i)
        .partition(|&i| saves[i].based_on == 0);
    let new = new
        .into_iter()
        .map(|i| row(i, Val::from(1)))
        .collect::<sqlx::Result<Vec<_>>>()?;
    let old = old
        .into_iter()
        .map(|i| row(i, Val::from(saves[i].based_on)))
        .collect::<sqlx::Result<Vec<_>>>()?;
    let path = |row: &sqlx::any::AnyRow| row.try_get::<String, _>(0);
    let mut moved = each_chunk(
        conn,
        "INSERT INTO item_revision (item_kind, item_id, revision, content, version) VALUES {} \
         ON CONFLICT (item_kind, item_id) DO NOTHING RETURNING item_id",
        5,
        &new,
        path,
    )
    .await?;
    moved.extend(
        each_chunk(
            conn,
            "UPDATE item_revision SET revision = revision + 1, content = moved.column4, \
             version = moved.column5 FROM (VALUES {}) AS moved \
             WHERE item_revision.item_kind = moved.column1 \
             AND item_revision.item_id = moved.column2 \
             AND item_revision.revision = moved.column3 RETURNING item_revision.item_id",
            5,
            &old,
            path,
        )
        .await?,
    );
    Ok(moved
        .iter()
        .filter_map(|p| by_path.get(p).copied())
        .collect())
}

/// Records the change of each save of `now`: who, when, and each field from what to what.
async fn record(
    conn: &mut AnyConnection,
    saves: &[ReportSave],
    now: &[(usize, Rows)],
) -> sqlx::Result<()> {
    let sets: Vec<Vec<Val>> = now
        .iter()
        .map(|(i, _)| {
            let s = &saves[*i];
            let action = if s.before.is_some() {
                Action::Changed
            } else {
                Action::Created
            };
            vec![
                Val::from(s.at),
                Val::from(s.actor.account),
                s.actor.name.as_str().into(),
                ItemKind::Report.code().into(),
                s.key().path().into(),
                action.code().into(),
                Val::from(s.based_on + 1),
            ]
        })
        .collect();
    let ids: HashMap<String, i64> = each_chunk(
        conn,
        "INSERT INTO change_set (at, account_id, actor, item_kind, item_id, action, revision) \
         VALUES {} RETURNING item_id, id",
        7,
        &sets,
        |row| Ok((row.try_get(0)?, row.try_get(1)?)),
    )
    .await?
    .into_iter()
    .collect();
    let mut fields = Vec::new();
    for (i, _) in now {
        let s = &saves[*i];
        let Some(&id) = ids.get(&s.key().path()) else {
            return Err(sqlx::Error::RowNotFound);
        };
        for f in changes(s.before.as_ref(), Some(&s.report)) {
            let FieldChange {
                field,
                before,
                after,
            } = f;
            fields.push(vec![
                Val::from(id),
                field.into(),
                before.into(),
                after.into(),
            ]);
        }
    }
    each_chunk(
        conn,
        "INSERT INTO change_field (change_set_id, field, before_value, after_value) VALUES {}",
        4,
        &fields,
        |_| Ok(()),
    )
    .await?;
    Ok(())
}

/// Writes the report rows of `now` and their partners' parts; a new report goes after every
/// other, from `position` on.
async fn write_rows(
    conn: &mut AnyConnection,
    saves: &[ReportSave],
    now: &[(usize, Rows)],
    position: &mut i64,
) -> sqlx::Result<()> {
    let rows: Vec<Vec<Val>> = now
        .iter()
        .map(|(i, ids)| {
            let r = &saves[*i].report;
            let at = *position;
            if saves[*i].before.is_none() {
                *position += 1;
            }
            let mut row = vec![Val::from(ids.round), Val::from(ids.activity)];
            row.extend(report_values(r));
            row.push(Val::from(at));
            row
        })
        .collect();
    // A report saved again keeps its place; only what it says changes.
    let written: HashMap<(i64, i64), i64> = each_chunk(
        conn,
        "INSERT INTO report (follow_up_id, activity_id, state, status, done, results, \
         next_steps, obstacles, worked_start, worked_end, comment, position) VALUES {} \
         ON CONFLICT (follow_up_id, activity_id) DO UPDATE SET state = excluded.state, \
         status = excluded.status, done = excluded.done, results = excluded.results, \
         next_steps = excluded.next_steps, obstacles = excluded.obstacles, \
         worked_start = excluded.worked_start, worked_end = excluded.worked_end, \
         comment = excluded.comment \
         RETURNING follow_up_id, activity_id, id",
        12,
        &rows,
        |row| Ok(((row.try_get(0)?, row.try_get(1)?), row.try_get(2)?)),
    )
    .await?
    .into_iter()
    .collect();
    let id = |ids: &Rows| {
        written
            .get(&(ids.round, ids.activity))
            .copied()
            .ok_or(sqlx::Error::RowNotFound)
    };
    let mut gone = Vec::new();
    let mut parts = Vec::new();
    for (i, ids) in now {
        let s = &saves[*i];
        let report = id(ids)?;
        if s.before
            .as_ref()
            .is_some_and(|b| !b.partner_parts.is_empty())
        {
            gone.push(vec![Val::from(report)]);
        }
        for ((n, org), part) in (0_i64..).zip(&ids.partners).zip(&s.report.partner_parts) {
            parts.push(vec![
                Val::from(report),
                Val::from(n),
                Val::from(*org),
                part.text.as_str().into(),
            ]);
        }
    }
    each_chunk(
        conn,
        "DELETE FROM report_partner WHERE report_id IN (SELECT column1 FROM (VALUES {}) AS r)",
        1,
        &gone,
        |_| Ok(()),
    )
    .await?;
    each_chunk(
        conn,
        "INSERT INTO report_partner (report_id, position, organisation_id, text) VALUES {}",
        4,
        &parts,
        |_| Ok(()),
    )
    .await?;
    Ok(())
}

/// The answer of a save whose writer went away before answering: nothing is known to be saved.
fn lost() -> SaveError {
    SaveError::Store(StoreError::Conflict(
        "the save was interrupted; nothing is known to be saved".into(),
    ))
}

/// A database error of a save written alone: a row it names removed meanwhile is a conflict.
fn refused(e: sqlx::Error) -> SaveError {
    match e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            SaveError::Conflict(d.message().to_owned())
        }
        e => SaveError::from(e),
    }
}

#[cfg(test)]
mod tests {
    use rodtrad_domain::{ItemKey, Report, RoundState, Slug};

    use super::ReportSave;
    use crate::{Actor, Store};

    #[tokio::test]
    async fn a_save_whose_request_went_away_is_not_written_by_a_later_batch() {
        let dir = tempfile::tempdir().expect("tmp");
        let url = format!("sqlite:{}", dir.path().join("t.db").display());
        let store = Store::open(&url).await.expect("open");
        let orebro = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro");
        let mut set = rodtrad_format::parse_dir(&orebro).expect("the Örebro set");
        let mut round = set.follow_ups[0].clone();
        round.id = Slug::parse("omgang").expect("slug");
        round.state = RoundState::Open;
        set.follow_ups.push(round.clone());
        store
            .import(&set, &Actor::command_line(), 1)
            .await
            .expect("import");
        let save = |a: &Slug| ReportSave {
            actor: Actor::command_line(),
            at: 2,
            before: None,
            report: Report::empty(round.id.clone(), a.clone()),
            based_on: 0,
        };
        let (gone, kept) = (&set.activities[0].id, &set.activities[1].id);
        // Another writer holds the turn while the first save waits for it; then its request
        // goes away.
        let turn = store.turn.clone().lock_owned().await;
        let waiting = tokio::spawn({
            let (store, save) = (store.clone(), save(gone));
            async move { store.save_report(save).await }
        });
        while store.waiting.0.lock().expect("lock").is_empty() {
            tokio::task::yield_now().await;
        }
        waiting.abort();
        assert!(waiting.await.is_err(), "the request went away");
        drop(turn);
        let saved = store.save_report(save(kept)).await.expect("saved");
        assert_eq!(saved.revision, 1);
        let (kept, gone) = (
            ItemKey::report(&round.id, kept),
            ItemKey::report(&round.id, gone),
        );
        assert_eq!(store.revision(&kept).await.expect("revision"), 1);
        assert_eq!(
            store.revision(&gone).await.expect("revision"),
            0,
            "not written later"
        );
    }
}
