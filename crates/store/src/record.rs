//! Saving edits with their record: every write of an item checks the revision the person saw,
//! writes the item, moves its revision on and records who changed which field from what to
//! what, all in one transaction. Released versions of plans are kept here too.
//!
//! The record and the releases are only ever inserted into; the migrations add triggers that
//! refuse an update or a delete, so not even a mistake in this code could rewrite history.

use std::collections::{HashMap, HashSet};

use rodtrad_domain::{
    Action, DataSet, FieldChange, ItemChange, ItemKey, ItemKind, Plan, Slug, item_changes,
};

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::import::write_items;
use crate::sql::{Changes, Val, bind, rows_per_statement, tuples};
use crate::{Store, StoreError};

/// Who makes a change: an account, or (with `account` `None`) the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account: Option<i64>,
    /// The name shown in the record, kept as it was when the change was made.
    pub name: String,
}

impl Actor {
    /// The command line, acting for whoever runs it.
    pub fn command_line() -> Self {
        Self {
            account: None,
            name: "rodtrad".into(),
        }
    }
}

/// One save: the items it changes, and the revision of each that the person's edit was based
/// on. The data set handed to [`Store::save`] alongside is the whole data set after the change.
#[derive(Debug, Clone)]
pub struct Edit {
    pub actor: Actor,
    pub at: i64,
    pub changes: Vec<ItemChange>,
    /// Item and the revision the edit was based on; a newer stored revision refuses the save.
    pub based_on: Vec<(ItemKey, i64)>,
}

/// A change as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    pub id: i64,
    pub at: i64,
    pub account: Option<i64>,
    pub actor: String,
    pub item: ItemKey,
    pub action: Action,
    /// The item's revision after this change.
    pub revision: i64,
    pub fields: Vec<FieldChange>,
}

/// A released version of a plan, frozen when it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub number: i64,
    pub decided: bool,
    pub at: i64,
    pub plan: Plan,
}

/// Why a save did not happen; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Someone saved the item after the revision the edit was based on.
    #[error("{item} was changed meanwhile (now at revision {current})")]
    Stale { item: ItemKey, current: i64 },
    /// The database refused the write for what refers to it: something that points at what
    /// the edit removes was saved meanwhile (by another server on the same database).
    #[error("something that refers to what is removed was changed meanwhile: {0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SaveError {
    /// For writes that check no revision, where only the store can fail.
    pub(crate) fn into_store(self) -> StoreError {
        match self {
            SaveError::Store(e) => e,
            SaveError::Stale { item, .. } => StoreError::Conflict(item.to_string()),
            SaveError::Conflict(detail) => StoreError::Conflict(detail),
        }
    }
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        SaveError::Store(StoreError::Query(e))
    }
}

pub(crate) async fn revision(conn: &mut AnyConnection, item: &ItemKey) -> sqlx::Result<i64> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT revision FROM item_revision WHERE item_kind = $1 AND item_id = $2")
            .bind(item.kind.code())
            .bind(item.path())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map_or(0, |r| r.0))
}

/// Moves an item's revision from `from` to the next, or says it was not at `from` (another
/// writer got there first: on PostgreSQL the second update waits for the first and then finds
/// the revision moved).
async fn advance(conn: &mut AnyConnection, item: &ItemKey, from: i64) -> sqlx::Result<bool> {
    let done = if from == 0 {
        sqlx::query(
            "INSERT INTO item_revision (item_kind, item_id, revision, version) \
             VALUES ($1, $2, 1, (SELECT version FROM data_version WHERE id = 1)) \
             ON CONFLICT (item_kind, item_id) DO NOTHING",
        )
        .bind(item.kind.code())
        .bind(item.path())
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE item_revision SET revision = revision + 1, \
             version = (SELECT version FROM data_version WHERE id = 1), content = NULL \
             WHERE item_kind = $1 AND item_id = $2 AND revision = $3",
        )
        .bind(item.kind.code())
        .bind(item.path())
        .bind(from)
        .execute(&mut *conn)
        .await?
    };
    Ok(done.rows_affected() == 1)
}

/// Records one item's change and moves its revision on; `Stale` if it moved meanwhile.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: i64,
    change: &ItemChange,
    from: i64,
) -> Result<i64, SaveError> {
    if !advance(conn, &change.item, from).await? {
        let current = revision(conn, &change.item).await?;
        return Err(SaveError::Stale {
            item: change.item.clone(),
            current,
        });
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO change_set (at, account_id, actor, item_kind, item_id, action, revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(at)
    .bind(actor.account)
    .bind(actor.name.as_str())
    .bind(change.item.kind.code())
    .bind(change.item.path())
    .bind(change.action.code())
    .bind(from + 1)
    .fetch_one(&mut *conn)
    .await?;
    for f in &change.fields {
        sqlx::query(
            "INSERT INTO change_field (change_set_id, field, before_value, after_value) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(f.field.as_str())
        .bind(f.before.as_deref())
        .bind(f.after.as_deref())
        .execute(&mut *conn)
        .await?;
    }
    Ok(from + 1)
}

/// A count of rows written by a batch of the record that does not add up.
fn moved_meanwhile() -> SaveError {
    SaveError::Conflict("the revisions of imported items".into())
}

/// Records many items' changes and moves their revisions on, a few statements for all of them:
/// an import's record, the same rows [`record`] writes one item at a time. The revisions are
/// read inside the write transaction, so none can move before they are written; a count that
/// does not add up is said as a conflict all the same.
async fn record_all(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: i64,
    changes: &[ItemChange],
) -> Result<(), SaveError> {
    if changes.is_empty() {
        return Ok(());
    }
    let stored: HashMap<(String, String), i64> = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT item_kind, item_id, revision FROM item_revision",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(kind, id, revision)| ((kind, id), revision))
    .collect();
    let from: Vec<i64> = changes
        .iter()
        .map(|c| {
            let key = (c.item.kind.code().to_owned(), c.item.path());
            stored.get(&key).copied().unwrap_or(0)
        })
        .collect();
    advance_all(conn, changes, &from).await?;
    let mut set_ids: HashMap<(String, String), i64> = HashMap::new();
    let items: Vec<(&ItemChange, i64)> = changes.iter().zip(from).collect();
    for chunk in items.chunks(rows_per_statement(conn, 7)) {
        let sql = format!(
            "INSERT INTO change_set (at, account_id, actor, item_kind, item_id, action, revision) \
             VALUES {} RETURNING id, item_kind, item_id",
            tuples(chunk.len(), 7)
        );
        let vals: Vec<Val> = chunk
            .iter()
            .flat_map(|(c, f)| {
                [
                    Val::from(at),
                    Val::from(actor.account),
                    actor.name.as_str().into(),
                    c.item.kind.code().into(),
                    c.item.path().into(),
                    c.action.code().into(),
                    Val::from(f + 1),
                ]
            })
            .collect();
        for row in bind(sqlx::query(&sql), &vals).fetch_all(&mut *conn).await? {
            set_ids.insert((row.try_get(1)?, row.try_get(2)?), row.try_get(0)?);
        }
    }
    let mut fields: Vec<Val> = Vec::new();
    for c in changes {
        let key = (c.item.kind.code().to_owned(), c.item.path());
        let id = *set_ids.get(&key).ok_or_else(moved_meanwhile)?;
        for f in &c.fields {
            fields.extend([
                Val::from(id),
                f.field.as_str().into(),
                Val::from(f.before.as_deref()),
                Val::from(f.after.as_deref()),
            ]);
        }
    }
    for chunk in fields.chunks(4 * rows_per_statement(conn, 4)) {
        let sql = format!(
            "INSERT INTO change_field (change_set_id, field, before_value, after_value) VALUES {}",
            tuples(chunk.len() / 4, 4)
        );
        bind(sqlx::query(&sql), chunk).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Moves each item's revision on from `from` (0: never written), as [`advance`] does one
/// at a time.
async fn advance_all(
    conn: &mut AnyConnection,
    changes: &[ItemChange],
    from: &[i64],
) -> Result<(), SaveError> {
    let new: Vec<&ItemKey> = changes
        .iter()
        .zip(from)
        .filter(|(_, f)| **f == 0)
        .map(|(c, _)| &c.item)
        .collect();
    for chunk in new.chunks(rows_per_statement(conn, 2)) {
        let values = (0..chunk.len())
            .map(|r| {
                format!(
                    "(${}, ${}, 1, (SELECT version FROM data_version WHERE id = 1))",
                    2 * r + 1,
                    2 * r + 2
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO item_revision (item_kind, item_id, revision, version) VALUES {values} \
             ON CONFLICT (item_kind, item_id) DO NOTHING"
        );
        let vals: Vec<Val> = chunk
            .iter()
            .flat_map(|k| [k.kind.code().into(), k.path().into()])
            .collect();
        let done = bind(sqlx::query(&sql), &vals).execute(&mut *conn).await?;
        if done.rows_affected() != chunk.len() as u64 {
            return Err(moved_meanwhile());
        }
    }
    let old: Vec<(&ItemKey, i64)> = changes
        .iter()
        .zip(from)
        .filter(|(_, f)| **f > 0)
        .map(|(c, f)| (&c.item, *f))
        .collect();
    for chunk in old.chunks(rows_per_statement(conn, 3)) {
        let sql = format!(
            "UPDATE item_revision SET revision = revision + 1, \
             version = (SELECT version FROM data_version WHERE id = 1) \
             FROM (VALUES {}) AS moved \
             WHERE item_revision.item_kind = moved.column1 \
             AND item_revision.item_id = moved.column2 AND item_revision.revision = moved.column3",
            tuples(chunk.len(), 3)
        );
        let vals: Vec<Val> = chunk
            .iter()
            .flat_map(|(k, f)| [k.kind.code().into(), k.path().into(), Val::from(*f)])
            .collect();
        let done = bind(sqlx::query(&sql), &vals).execute(&mut *conn).await?;
        if done.rows_affected() != chunk.len() as u64 {
            return Err(moved_meanwhile());
        }
    }
    Ok(())
}

/// What a save releases besides writing its items: a plan's draft as a new version (decided or
/// not), or a published round's report as its frozen copy.
#[derive(Debug, Clone, Copy)]
pub enum Releasing<'a> {
    Plan {
        id: &'a Slug,
        decided: bool,
    },
    Report {
        round: &'a Slug,
        frozen: &'a DataSet,
    },
}

/// Releases a plan as it is in `set`: a new numbered version, recorded as published or
/// decided.
async fn release(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: i64,
    plan: &Plan,
    decided: bool,
) -> Result<i64, SaveError> {
    let (last,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(number) FROM plan_release WHERE plan_slug = $1")
            .bind(plan.id.as_str())
            .fetch_one(&mut *conn)
            .await?;
    let number = last.unwrap_or(0) + 1;
    let content = serde_json::to_string(plan).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO plan_release (plan_slug, number, content, decided, at, account_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(plan.id.as_str())
    .bind(number)
    .bind(content)
    .bind(i64::from(decided))
    .bind(at)
    .bind(actor.account)
    .execute(&mut *conn)
    .await?;
    let item = ItemKey::new(ItemKind::Plan, &plan.id);
    let from = revision(conn, &item).await?;
    let change = ItemChange {
        item,
        action: if decided {
            Action::Decided
        } else {
            Action::Published
        },
        fields: vec![FieldChange {
            field: "version".into(),
            before: (number > 1).then(|| (number - 1).to_string()),
            after: Some(number.to_string()),
        }],
    };
    record(conn, actor, at, &change, from).await?;
    Ok(number)
}

fn change_set(row: &AnyRow) -> sqlx::Result<ChangeSet> {
    let bad = |what: &str| sqlx::Error::Decode(format!("change_set: bad {what}").into());
    let kind: String = row.try_get("item_kind")?;
    let id: String = row.try_get("item_id")?;
    let action: String = row.try_get("action")?;
    Ok(ChangeSet {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        account: row.try_get("account_id")?,
        actor: row.try_get("actor")?,
        item: ItemKey::from_path(ItemKind::parse(&kind).ok_or_else(|| bad("item_kind"))?, &id)
            .ok_or_else(|| bad("item_id"))?,
        action: Action::parse(&action).ok_or_else(|| bad("action"))?,
        revision: row.try_get("revision")?,
        fields: Vec::new(),
    })
}

const CHANGE_COLUMNS: &str = "id, at, account_id, actor, item_kind, item_id, action, revision";

impl Store {
    /// Saves an edit: `set` is the whole data set after it. Each changed item is written from
    /// `set` (or deleted when `set` no longer has it), its revision checked against the one the
    /// edit was based on, and its change recorded; on any refusal nothing is written. With
    /// `release`, the plan is then released as a new version (decided if `true`). Returns the
    /// items' new revisions.
    pub async fn save(
        &self,
        set: &DataSet,
        edit: &Edit,
        releasing: Option<Releasing<'_>>,
    ) -> Result<Vec<(ItemKey, i64)>, SaveError> {
        let mut tx = self.begin_write().await?;
        // Every item the edit was based on is checked, changed or not: publishing a plan
        // publishes the draft the person saw, or nothing.
        for (item, based_on) in &edit.based_on {
            let stored = revision(&mut tx, item).await?;
            if *based_on != stored {
                return Err(SaveError::Stale {
                    item: item.clone(),
                    current: stored,
                });
            }
        }
        let mut revisions = Vec::new();
        for change in &edit.changes {
            let stored = revision(&mut tx, &change.item).await?;
            let rev = record(&mut tx, &edit.actor, edit.at, change, stored).await?;
            revisions.push((change.item.clone(), rev));
        }
        let items: Vec<ItemKey> = edit.changes.iter().map(|c| c.item.clone()).collect();
        write_items(&mut tx, set, &items)
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                    SaveError::Conflict(d.message().to_owned())
                }
                e => SaveError::from(e),
            })?;
        let mut written = items;
        match releasing {
            Some(Releasing::Plan { id, decided }) => {
                let plan = set
                    .plans
                    .iter()
                    .find(|p| &p.id == id)
                    .ok_or_else(|| sqlx::Error::RowNotFound)?;
                release(&mut tx, &edit.actor, edit.at, plan, decided).await?;
                written.push(ItemKey::new(ItemKind::Plan, &plan.id));
            }
            Some(Releasing::Report { round, frozen }) => {
                crate::reports::freeze(&mut tx, &edit.actor, edit.at, round, frozen).await?;
            }
            None => {}
        }
        // What each item now is, for other servers to catch up from (`Store::since`).
        for key in &written {
            sqlx::query(
                "UPDATE item_revision SET content = $1 WHERE item_kind = $2 AND item_id = $3",
            )
            .bind(set.item_json(key))
            .bind(key.kind.code())
            .bind(key.path())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(revisions)
    }

    /// Writes a checked data set, all of it or, on any error, nothing, and records every item
    /// it creates or changes as done by `actor`. Plans it creates or changes are released, and
    /// so is any stored plan that was never released nor edited in the application (data
    /// imported before releases were kept): what an import brings is meant to be read.
    pub async fn import(
        &self,
        set: &DataSet,
        actor: &Actor,
        at: i64,
    ) -> Result<Changes, StoreError> {
        let (changes, _) = self.import_with_values(set, &[], actor, at).await?;
        Ok(changes)
    }

    /// Writes a checked data set as [`Store::import`] does, and its indicators' values (as
    /// [`Store::import_values`] does), all in one transaction: all of it or nothing.
    pub async fn import_with_values(
        &self,
        set: &DataSet,
        values: &crate::values::Batches,
        actor: &Actor,
        at: i64,
    ) -> Result<(Changes, crate::ValuesImported), StoreError> {
        let staged = self.stage(values).await?;
        let result = self.import_staged(set, values, staged, actor, at).await;
        self.unstage(staged).await;
        result
    }

    async fn import_staged(
        &self,
        set: &DataSet,
        values: &crate::values::Batches,
        staged: crate::values::Staged,
        actor: &Actor,
        at: i64,
    ) -> Result<(Changes, crate::ValuesImported), StoreError> {
        let mut tx = self.begin_write().await?;
        let before = crate::export::export(&mut tx).await?;
        let changes = crate::import::import(&mut tx, set).await?;
        // The record is the difference of the data as stored before and after, item by item;
        // an import that wrote nothing has none and needs no second reading.
        let (after, items) = if changes.total() == 0 {
            (before, Vec::new())
        } else {
            let after = crate::export::export(&mut tx).await?;
            let items = item_changes(&before, &after);
            (after, items)
        };
        record_all(&mut tx, actor, at, &items)
            .await
            .map_err(SaveError::into_store)?;
        let changed_plans: Vec<Slug> = items
            .iter()
            .filter(|c| c.item.kind == ItemKind::Plan)
            .map(|c| c.item.id.clone())
            .collect();
        release_unrecorded(&mut tx, actor, at, &after.plans, &changed_plans).await?;
        crate::reports::freeze_unfrozen(&mut tx, actor, at, &after).await?;
        let values = crate::values::write_values(&mut tx, values, staged, actor, at).await?;
        crate::since::changed_whole(&mut tx).await?;
        tx.commit().await?;
        Ok((changes, values))
    }

    /// Releases every stored plan that was never released nor edited in the application: data
    /// imported before releases were kept is published as it stands, once.
    pub async fn release_unrecorded(&self, actor: &Actor, at: i64) -> Result<(), StoreError> {
        // Asked at every start: answered by one count, and the data read only when needed.
        let (waiting,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM plan p \
             WHERE NOT EXISTS (SELECT 1 FROM plan_release r WHERE r.plan_slug = p.slug) \
             AND NOT EXISTS (SELECT 1 FROM change_set c \
                             WHERE c.item_kind = 'plan' AND c.item_id = p.slug)",
        )
        .fetch_one(&self.pool)
        .await?;
        if waiting == 0 && self.unfrozen_reports().await? == 0 {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let set = crate::export::export(&mut tx).await?;
        release_unrecorded(&mut tx, actor, at, &set.plans, &[]).await?;
        crate::reports::freeze_unfrozen(&mut tx, actor, at, &set).await?;
        crate::since::changed_whole(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The revision of every item that has been written (items never written are at 0).
    pub async fn revisions(&self) -> Result<HashMap<ItemKey, i64>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Ok(revisions(&mut conn).await?)
    }

    /// An item's current revision; 0 for one never written.
    pub async fn revision(&self, item: &ItemKey) -> Result<i64, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Ok(revision(&mut conn, item).await?)
    }

    /// The record of one item, oldest first; with `after`, only changes past that revision.
    pub async fn changes_of(
        &self,
        item: &ItemKey,
        after: i64,
    ) -> Result<Vec<ChangeSet>, StoreError> {
        let sql = format!(
            "SELECT {CHANGE_COLUMNS} FROM change_set \
             WHERE item_kind = $1 AND item_id = $2 AND revision > $3 ORDER BY id"
        );
        let rows = sqlx::query(&sql)
            .bind(item.kind.code())
            .bind(item.path())
            .bind(after)
            .fetch_all(&self.pool)
            .await?;
        self.with_fields(&rows).await
    }

    /// What one account has changed, newest first.
    pub async fn changes_by(&self, account: i64) -> Result<Vec<ChangeSet>, StoreError> {
        let sql = format!(
            "SELECT {CHANGE_COLUMNS} FROM change_set WHERE account_id = $1 ORDER BY id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(account)
            .fetch_all(&self.pool)
            .await?;
        self.with_fields(&rows).await
    }

    /// The whole record, oldest first.
    pub async fn all_changes(&self) -> Result<Vec<ChangeSet>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CHANGE_COLUMNS} FROM change_set ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        self.with_fields(&rows).await
    }

    async fn with_fields(&self, rows: &[AnyRow]) -> Result<Vec<ChangeSet>, StoreError> {
        let mut sets = rows
            .iter()
            .map(change_set)
            .collect::<sqlx::Result<Vec<_>>>()?;
        let (Some(first), Some(last)) = (
            sets.iter().map(|s| s.id).min(),
            sets.iter().map(|s| s.id).max(),
        ) else {
            return Ok(sets);
        };
        let fields = sqlx::query(
            "SELECT change_set_id, field, before_value, after_value FROM change_field \
             WHERE change_set_id BETWEEN $1 AND $2 ORDER BY id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&self.pool)
        .await?;
        let index: std::collections::HashMap<i64, usize> =
            sets.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        for row in fields {
            let set: i64 = row.try_get(0)?;
            if let Some(&i) = index.get(&set) {
                sets[i].fields.push(FieldChange {
                    field: row.try_get(1)?,
                    before: row.try_get(2)?,
                    after: row.try_get(3)?,
                });
            }
        }
        Ok(sets)
    }

    /// A plan's released versions, oldest first.
    pub async fn releases(&self, plan: &Slug) -> Result<Vec<Release>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, decided, at, content FROM plan_release WHERE plan_slug = $1 \
             ORDER BY number",
        )
        .bind(plan.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(release_row).collect()
    }

    /// The newest released version of every plan that has one.
    pub async fn latest_releases(&self) -> Result<Vec<Release>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        latest_releases(&mut conn).await
    }
}

pub(crate) async fn revisions(conn: &mut AnyConnection) -> sqlx::Result<HashMap<ItemKey, i64>> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT item_kind, item_id, revision FROM item_revision")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, id, rev)| {
            Some((ItemKey::from_path(ItemKind::parse(&kind)?, &id)?, rev))
        })
        .collect())
}

pub(crate) async fn latest_releases(conn: &mut AnyConnection) -> Result<Vec<Release>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.number, r.decided, r.at, r.content FROM plan_release r \
         WHERE r.number = (SELECT MAX(l.number) FROM plan_release l \
                           WHERE l.plan_slug = r.plan_slug)",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(release_row).collect()
}

pub(crate) fn release_row(row: &AnyRow) -> Result<Release, StoreError> {
    let content: String = row.try_get(3)?;
    let plan = serde_json::from_str(&content).map_err(|e| {
        StoreError::Query(sqlx::Error::Decode(
            format!("plan_release: the stored plan does not read back: {e}").into(),
        ))
    })?;
    let decided: i64 = row.try_get(1)?;
    Ok(Release {
        number: row.try_get(0)?,
        decided: decided == 1,
        at: row.try_get(2)?,
        plan,
    })
}

/// Releases the plans (of `plans`) named in `changed`, and any never released nor edited.
async fn release_unrecorded(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: i64,
    plans: &[Plan],
    changed: &[Slug],
) -> Result<(), StoreError> {
    // One question for all plans, asked before any is released.
    let known: HashSet<String> = sqlx::query_as::<_, (String,)>(
        "SELECT plan_slug FROM plan_release \
         UNION SELECT item_id FROM change_set WHERE item_kind = 'plan'",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(slug,)| slug)
    .collect();
    let changed: HashSet<&Slug> = changed.iter().collect();
    for plan in plans {
        if changed.contains(&plan.id) || !known.contains(plan.id.as_str()) {
            release(conn, actor, at, plan, false)
                .await
                .map_err(SaveError::into_store)?;
        }
    }
    Ok(())
}
