//! The few statement shapes the import is made of, written once for both backends.
//!
//! Statements use `$n` placeholders, which PostgreSQL and SQLite both read, and only types both
//! share (64-bit integers and text), so that one implementation serves both through sqlx's
//! `Any` driver. Each helper reports what it changed, which is how a repeated import can show
//! that it changed nothing.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};

/// A value bound to a statement. The type travels with a null, as PostgreSQL needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(Some(v))
    }
}

impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::Int(v)
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(Some(v.to_owned()))
    }
}

impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(Some(v))
    }
}

impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::Text(v)
    }
}

impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        Val::Text(v.map(str::to_owned))
    }
}

/// Counts of rows written by an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub created: u64,
    pub updated: u64,
    pub removed: u64,
}

impl Changes {
    pub fn total(&self) -> u64 {
        self.created + self.updated + self.removed
    }
}

fn bind<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    vals: &[Val],
) -> Query<'q, Any, AnyArguments<'q>> {
    for v in vals {
        q = match v {
            Val::Int(i) => q.bind(*i),
            Val::Text(t) => q.bind(t.clone()),
        };
    }
    q
}

fn placeholders(from: usize, n: usize) -> Vec<String> {
    (from..from + n).map(|i| format!("${i}")).collect()
}

fn where_clause(cols: &[&str], from: usize) -> String {
    cols.iter()
        .zip(placeholders(from, cols.len()))
        .map(|(c, p)| format!("{c} = {p}"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Makes the row of `table` identified by `key` hold `values`, creating it if need be, and
/// returns its id. A row that already holds these values is not written.
pub async fn upsert(
    conn: &mut AnyConnection,
    changes: &mut Changes,
    table: &str,
    key: &[(&str, Val)],
    values: &[(&str, Val)],
) -> sqlx::Result<i64> {
    let key_cols: Vec<&str> = key.iter().map(|(c, _)| *c).collect();
    let key_vals: Vec<Val> = key.iter().map(|(_, v)| v.clone()).collect();
    let select = format!(
        "SELECT id FROM {table} WHERE {}",
        where_clause(&key_cols, 1)
    );
    let existing = bind(sqlx::query(&select), &key_vals)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = existing {
        let id: i64 = row.try_get(0)?;
        if !values.is_empty() {
            update_if_changed(conn, changes, table, "id", &[Val::from(id)], values).await?;
        }
        return Ok(id);
    }
    let cols: Vec<&str> = key.iter().chain(values).map(|(c, _)| *c).collect();
    let vals: Vec<Val> = key.iter().chain(values).map(|(_, v)| v.clone()).collect();
    let insert = format!(
        "INSERT INTO {table} ({}) VALUES ({}) RETURNING id",
        cols.join(", "),
        placeholders(1, cols.len()).join(", ")
    );
    let row = bind(sqlx::query(&insert), &vals)
        .fetch_one(&mut *conn)
        .await?;
    changes.created += 1;
    row.try_get(0)
}

/// Upsert for rows without an id column (link tables), keyed by their primary key.
pub async fn upsert_link(
    conn: &mut AnyConnection,
    changes: &mut Changes,
    table: &str,
    key: &[(&str, Val)],
    values: &[(&str, Val)],
) -> sqlx::Result<()> {
    let key_cols: Vec<&str> = key.iter().map(|(c, _)| *c).collect();
    let key_vals: Vec<Val> = key.iter().map(|(_, v)| v.clone()).collect();
    let select = format!("SELECT 1 FROM {table} WHERE {}", where_clause(&key_cols, 1));
    if bind(sqlx::query(&select), &key_vals)
        .fetch_optional(&mut *conn)
        .await?
        .is_some()
    {
        let where_cols: Vec<&str> = key_cols.clone();
        let where_sql = where_clause(&where_cols, values.len() + 1);
        return update_where(conn, changes, table, &where_sql, &key_vals, values).await;
    }
    let cols: Vec<&str> = key.iter().chain(values).map(|(c, _)| *c).collect();
    let vals: Vec<Val> = key.iter().chain(values).map(|(_, v)| v.clone()).collect();
    let insert = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.join(", "),
        placeholders(1, cols.len()).join(", ")
    );
    bind(sqlx::query(&insert), &vals)
        .execute(&mut *conn)
        .await?;
    changes.created += 1;
    Ok(())
}

async fn update_if_changed(
    conn: &mut AnyConnection,
    changes: &mut Changes,
    table: &str,
    key_col: &str,
    key_vals: &[Val],
    values: &[(&str, Val)],
) -> sqlx::Result<()> {
    let where_sql = where_clause(&[key_col], values.len() + 1);
    update_where(conn, changes, table, &where_sql, key_vals, values).await
}

/// `UPDATE ... SET` the values where the key matches and at least one value differs, so that an
/// unchanged row is not written and not counted.
async fn update_where(
    conn: &mut AnyConnection,
    changes: &mut Changes,
    table: &str,
    where_sql: &str,
    key_vals: &[Val],
    values: &[(&str, Val)],
) -> sqlx::Result<()> {
    let marks = placeholders(1, values.len());
    let set = values
        .iter()
        .zip(&marks)
        .map(|((c, _), p)| format!("{c} = {p}"))
        .collect::<Vec<_>>()
        .join(", ");
    let differs = values
        .iter()
        .zip(&marks)
        .map(|((c, _), p)| format!("{c} IS DISTINCT FROM {p}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!("UPDATE {table} SET {set} WHERE {where_sql} AND ({differs})");
    let vals: Vec<Val> = values
        .iter()
        .map(|(_, v)| v.clone())
        .chain(key_vals.iter().cloned())
        .collect();
    let done = bind(sqlx::query(&sql), &vals).execute(&mut *conn).await?;
    changes.updated += done.rows_affected();
    Ok(())
}

/// Deletes the rows of `table` under `parent` whose `col` is not among `keep`: the children an
/// imported entity no longer has.
pub async fn prune(
    conn: &mut AnyConnection,
    changes: &mut Changes,
    table: &str,
    parent_col: &str,
    parent: i64,
    col: &str,
    keep: &[i64],
) -> sqlx::Result<()> {
    let select = format!("SELECT {col} FROM {table} WHERE {parent_col} = $1");
    let rows = sqlx::query(&select)
        .bind(parent)
        .fetch_all(&mut *conn)
        .await?;
    let delete = format!("DELETE FROM {table} WHERE {parent_col} = $1 AND {col} = $2");
    for row in rows {
        let value: i64 = row.try_get(0)?;
        if !keep.contains(&value) {
            let done = sqlx::query(&delete)
                .bind(parent)
                .bind(value)
                .execute(&mut *conn)
                .await?;
            changes.removed += done.rows_affected();
        }
    }
    Ok(())
}
