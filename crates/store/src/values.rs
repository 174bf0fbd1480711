//! Indicators' values: millions of narrow rows, written in bulk and read by indicator.
//!
//! Values never pass through the data set or its check (an import of 20 million must not
//! copy them through either): they come checked by their reader (`rodtrad-stats`, or the
//! exchange format's values files) and are written here, all of one import in one
//! transaction. A value already stored with the same coordinates is replaced only if it
//! differs, so importing the same values twice writes nothing the second time, and says so.
//!
//! On SQLite the rows go in as multi-row upserts. On PostgreSQL they first go by `COPY` into an
//! unlogged staging table (a batch of their own, outside the transaction, so that the copy
//! holds no write turn), and the import's transaction moves the batch into `indicator_value`
//! with one `INSERT ... SELECT`: `COPY` is what makes 200,000 values a second possible there.
//!
//! An indicator whose values changed is recorded as changed (its field `values`, the count
//! before and after) and written at the import's version, so that every server catches up
//! (`Store::since`) and renders its pages again.

use std::collections::HashMap;
use std::fmt::Write as _;

use rodtrad_domain::{Area, IndicatorValue, ItemChange, ItemKey, ItemKind, Sex, Slug, ValuePeriod};
use sqlx::{AnyConnection, Connection, Row};

use crate::record::{Actor, record, revision};
use crate::{Backend, Store, StoreError};

/// What an import of values did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValuesImported {
    /// Values stored that were not there.
    pub added: u64,
    /// Values there already, whose value or status differed.
    pub changed: u64,
    /// Values there already, just the same: nothing written.
    pub unchanged: u64,
}

impl ValuesImported {
    /// Whether nothing was written.
    pub fn is_nothing(&self) -> bool {
        self.added == 0 && self.changed == 0
    }
}

/// Which of an indicator's values to read.
#[derive(Debug, Clone, Default)]
pub struct ValueFilter {
    /// Only these areas, and with `county`, the municipalities of it; all areas when both are
    /// empty.
    pub areas: Vec<Area>,
    /// The county whose municipalities are wanted too (`18`).
    pub county: Option<String>,
}

fn sex_code(s: Sex) -> i64 {
    match s {
        Sex::All => 0,
        Sex::Women => 1,
        Sex::Men => 2,
    }
}

fn sex_of(code: i64) -> Option<Sex> {
    match code {
        0 => Some(Sex::All),
        1 => Some(Sex::Women),
        2 => Some(Sex::Men),
        _ => None,
    }
}

fn unknown(indicator: &Slug) -> StoreError {
    StoreError::Unknown(format!("indicator {indicator}"))
}

/// One column of `COPY`'s text format: `\N` for none, and the characters it gives meaning to
/// escaped.
fn copy_text(out: &mut String, s: Option<&str>) {
    let Some(s) = s else {
        out.push_str("\\N");
        return;
    };
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

const COLUMNS: &str = "indicator_id, area, sex, age, period, value, status";

/// The values of each indicator named, as an import brings them.
pub type Batches = [(Slug, Vec<IndicatorValue>)];

/// Values on their way into an import's transaction: on PostgreSQL, the number of their batch
/// in the staging table (copied there before the transaction begins).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Staged(Option<i64>);

impl Store {
    /// Writes the values of each indicator named, all of them or, on any error, none; the
    /// indicators must be stored. Values stored and not among these are kept: an import of
    /// one municipality's values leaves the others'.
    pub async fn import_values(
        &self,
        batches: &Batches,
        actor: &Actor,
        at: i64,
    ) -> Result<ValuesImported, StoreError> {
        let staged = self.stage(batches).await?;
        let result = async {
            let mut tx = self.begin_write().await?;
            let done = write_values(&mut tx, batches, staged, actor, at).await?;
            tx.commit().await?;
            Ok(done)
        }
        .await;
        self.unstage(staged).await;
        result
    }

    /// Copies the values into the staging table as one batch (on PostgreSQL; SQLite writes
    /// them in its transaction straight away).
    pub(crate) async fn stage(&self, batches: &Batches) -> Result<Staged, StoreError> {
        if self.backend == Backend::Sqlite || batches.iter().all(|(_, v)| v.is_empty()) {
            return Ok(Staged(None));
        }
        let mut conn = sqlx::PgConnection::connect(&self.url).await?;
        let (batch,): (i64,) = sqlx::query_as("SELECT nextval('indicator_value_batch')")
            .fetch_one(&mut conn)
            .await?;
        let mut copy = conn
            .copy_in_raw("COPY indicator_value_staging (batch, indicator, area, sex, age, period, value, status) FROM STDIN")
            .await?;
        let mut chunk = String::with_capacity(1 << 20);
        for (slug, values) in batches {
            for v in values {
                let _ = write!(chunk, "{batch}\t");
                copy_text(&mut chunk, Some(slug.as_str()));
                chunk.push('\t');
                copy_text(&mut chunk, Some(&v.area.to_string()));
                let _ = write!(chunk, "\t{}\t", sex_code(v.sex));
                copy_text(&mut chunk, Some(v.age.as_deref().unwrap_or_default()));
                chunk.push('\t');
                copy_text(&mut chunk, Some(&v.period.to_string()));
                chunk.push('\t');
                copy_text(&mut chunk, v.value.map(|n| n.to_string()).as_deref());
                chunk.push('\t');
                copy_text(&mut chunk, v.status.as_deref());
                chunk.push('\n');
                if chunk.len() > 1 << 20 {
                    copy.send(chunk.as_bytes()).await?;
                    chunk.clear();
                }
            }
        }
        if !chunk.is_empty() {
            copy.send(chunk.as_bytes()).await?;
        }
        copy.finish().await?;
        conn.close().await?;
        Ok(Staged(Some(batch)))
    }

    /// Takes a batch out of the staging table, whether its import committed or not; a failure
    /// here leaves unlogged rows that no later batch reads.
    pub(crate) async fn unstage(&self, staged: Staged) {
        if let Staged(Some(batch)) = staged {
            let _ = sqlx::query("DELETE FROM indicator_value_staging WHERE batch = $1")
                .bind(batch)
                .execute(&self.pool)
                .await;
        }
    }

    /// An indicator's values, as [`ValueFilter`] picks them, in canonical order (by period,
    /// area, sex and age).
    pub async fn values_of(
        &self,
        indicator: &Slug,
        filter: &ValueFilter,
    ) -> Result<Vec<IndicatorValue>, StoreError> {
        let mut sql = "SELECT v.area, CAST(v.sex AS BIGINT) AS sex, v.age, v.period, v.value, \
             v.status FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id \
             WHERE i.slug = $1"
            .to_owned();
        let mut binds: Vec<String> = vec![indicator.as_str().to_owned()];
        let mut alternatives = Vec::new();
        for a in &filter.areas {
            binds.push(a.to_string());
            alternatives.push(format!("v.area = ${}", binds.len()));
        }
        if let Some(county) = &filter.county {
            // A municipality's code is its county's two digits and two more.
            binds.push(format!("{county}__"));
            alternatives.push(format!("v.area LIKE ${}", binds.len()));
        }
        if !alternatives.is_empty() {
            let _ = write!(sql, " AND ({})", alternatives.join(" OR "));
        }
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b.as_str());
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(value_row(r)?);
        }
        out.sort_by(|a, b| a.coordinates().cmp(&b.coordinates()));
        Ok(out)
    }

    /// Whether an indicator of this id is stored: one indexed query, for a command to refuse an
    /// unknown indicator before it fetches anything.
    pub async fn has_indicator(&self, indicator: &Slug) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM indicator WHERE slug = $1")
            .bind(indicator.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// How many values each indicator with values has, as its imports left the count.
    pub async fn value_counts(&self) -> Result<HashMap<Slug, u64>, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT slug, value_count FROM indicator WHERE value_count > 0")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(s, n)| Some((Slug::parse(&s).ok()?, u64::try_from(n).ok()?)))
            .collect())
    }
}

fn value_row(r: &sqlx::any::AnyRow) -> Result<IndicatorValue, StoreError> {
    let corrupt = |what: &str| {
        StoreError::Query(sqlx::Error::Decode(
            format!("indicator_value: stored {what} is not valid").into(),
        ))
    };
    let period: String = r.try_get("period")?;
    let age: String = r.try_get("age")?;
    Ok(IndicatorValue {
        period: ValuePeriod::parse(&period).ok_or_else(|| corrupt("period"))?,
        area: Area::parse(&r.try_get::<String, _>("area")?),
        sex: sex_of(r.try_get("sex")?).ok_or_else(|| corrupt("sex"))?,
        age: (!age.is_empty()).then_some(age),
        value: r.try_get("value")?,
        status: r.try_get("status")?,
    })
}

/// Writes staged (or, on SQLite, given) values in the import's transaction, and records each
/// indicator whose values changed.
pub(crate) async fn write_values(
    conn: &mut AnyConnection,
    batches: &Batches,
    staged: Staged,
    actor: &Actor,
    at: i64,
) -> Result<ValuesImported, StoreError> {
    let mut done = ValuesImported::default();
    let mut before = Vec::with_capacity(batches.len());
    for (slug, _) in batches {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM indicator WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        let id = id.ok_or_else(|| unknown(slug))?;
        before.push((id, count(conn, id).await?));
    }
    // The rows written (added or changed), by indicator; and the indicators that had none
    // stored, all of whose values were added.
    let mut fresh_ids = std::collections::HashSet::new();
    let affected: HashMap<i64, u64> = if let Staged(Some(batch)) = staged {
        let fresh = batches.iter().zip(&before).filter(|(_, (_, n))| *n == 0);
        let mut affected: HashMap<i64, u64> = fresh
            .clone()
            .map(|((_, values), &(id, _))| (id, values.len() as u64))
            .collect();
        let fresh: Vec<i64> = fresh.map(|(_, &(id, _))| id).collect();
        let stored: Vec<i64> = before
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|&(id, _)| id)
            .collect();
        insert_staged(conn, batch, &fresh).await?;
        fresh_ids.extend(fresh);
        affected.extend(upsert_staged(conn, batch, &stored).await?);
        affected
    } else {
        let mut affected = HashMap::new();
        for ((_, values), &(id, _)) in batches.iter().zip(&before) {
            affected.insert(id, upsert_rows(conn, id, values).await?);
        }
        affected
    };
    for ((slug, values), (id, before)) in batches.iter().zip(before) {
        let affected = affected.get(&id).copied().unwrap_or_default();
        let after = if fresh_ids.contains(&id) {
            affected
        } else if affected > 0 {
            count(conn, id).await?
        } else {
            before
        };
        if affected > 0 {
            mark_changed(conn, slug, before, after, actor, at).await?;
            sqlx::query("UPDATE indicator SET value_count = $1 WHERE id = $2")
                .bind(i64::try_from(after).unwrap_or(i64::MAX))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        let added = after.saturating_sub(before);
        done.added += added;
        done.changed += affected.saturating_sub(added);
        done.unchanged += (values.len() as u64).saturating_sub(affected);
    }
    Ok(done)
}

async fn count(conn: &mut AnyConnection, id: i64) -> sqlx::Result<u64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM indicator_value WHERE indicator_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(u64::try_from(n).unwrap_or_default())
}

/// What is written when a stored value differs: its value or its status.
fn on_conflict(differs: &str) -> String {
    format!(
        " ON CONFLICT (indicator_id, area, sex, age, period) DO UPDATE \
         SET value = excluded.value, status = excluded.status \
         WHERE indicator_value.value {differs} excluded.value \
         OR indicator_value.status {differs} excluded.status"
    )
}

/// The staged rows of a batch for the indicators named, by their ids (numbers from the
/// database, written into the statement as they are).
fn staged_rows(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    format!(
        "SELECT i.id, s.area, s.sex, s.age, s.period, s.value, s.status \
         FROM indicator_value_staging s JOIN indicator i ON i.slug = s.indicator \
         WHERE s.batch = $1 AND i.id IN ({})",
        ids.join(", ")
    )
}

/// Moves the staged values of indicators that have none stored: a plain insert, since nothing
/// can conflict (the reader refused values of the same coordinates), and `ON CONFLICT` costs a
/// third of the time of a row (its speculative insertion).
async fn insert_staged(conn: &mut AnyConnection, batch: i64, ids: &[i64]) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO indicator_value ({COLUMNS}) {}",
        staged_rows(ids)
    );
    sqlx::query(&sql).bind(batch).execute(&mut *conn).await?;
    Ok(())
}

/// Moves the staged values of indicators that have values stored, replacing those that differ,
/// and counts the rows written for each. One statement for all of them: one per indicator read
/// the whole batch each time, the staging table being indexed by batch alone.
async fn upsert_staged(
    conn: &mut AnyConnection,
    batch: i64,
    ids: &[i64],
) -> sqlx::Result<HashMap<i64, u64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "WITH moved AS (INSERT INTO indicator_value ({COLUMNS}) {}{} RETURNING indicator_id) \
         SELECT indicator_id, COUNT(*) FROM moved GROUP BY indicator_id",
        staged_rows(ids),
        on_conflict("IS DISTINCT FROM")
    );
    let rows: Vec<(i64, i64)> = sqlx::query_as(&sql)
        .bind(batch)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or_default()))
        .collect())
}

/// SQLite: multi-row upserts of a few hundred parameters each (see `sql::rows_per_statement`).
async fn upsert_rows(
    conn: &mut AnyConnection,
    id: i64,
    values: &[IndicatorValue],
) -> sqlx::Result<u64> {
    let per = crate::sql::rows_per_statement(conn, 7);
    let mut affected = 0;
    for chunk in values.chunks(per) {
        let sql = format!(
            "INSERT INTO indicator_value ({COLUMNS}) VALUES {}{}",
            crate::sql::tuples(chunk.len(), 7),
            on_conflict("IS NOT")
        );
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = q
                .bind(id)
                .bind(v.area.to_string())
                .bind(sex_code(v.sex))
                .bind(v.age.clone().unwrap_or_default())
                .bind(v.period.to_string())
                .bind(v.value)
                .bind(v.status.clone());
        }
        affected += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(affected)
}

/// Records the indicator as changed in its values, and writes it at this version for other
/// servers to catch up from.
async fn mark_changed(
    conn: &mut AnyConnection,
    slug: &Slug,
    before: u64,
    after: u64,
    actor: &Actor,
    at: i64,
) -> Result<(), StoreError> {
    let item = ItemKey::new(ItemKind::Indicator, slug);
    let from = revision(conn, &item).await?;
    let change = ItemChange {
        item: item.clone(),
        action: rodtrad_domain::Action::Changed,
        fields: vec![rodtrad_domain::FieldChange {
            field: "values".into(),
            before: Some(before.to_string()),
            after: Some(after.to_string()),
        }],
    };
    record(conn, actor, at, &change, from)
        .await
        .map_err(crate::SaveError::into_store)?;
    sqlx::query(
        "UPDATE item_revision SET content = (SELECT content FROM indicator WHERE slug = $1) \
         WHERE item_kind = $2 AND item_id = $3",
    )
    .bind(slug.as_str())
    .bind(item.kind.code())
    .bind(item.path())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
