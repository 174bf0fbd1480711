//! The few statement shapes the import is made of, written once for both backends.
//!
//! Statements use `$n` placeholders, which PostgreSQL and SQLite both read, and only types both
//! share (64-bit integers and text), so that one implementation serves both through sqlx's
//! `Any` driver. Each helper reports what it changed, which is how a repeated import can show
//! that it changed nothing.
//!
//! Two ways to write a table: row by row ([`upsert`], [`upsert_link`], [`prune`]), for a save
//! that touches a few items, and a whole table at once ([`Bulk`]), for an import: its stored
//! rows read in one query, compared in memory, and only what is new, differs or goes written,
//! in multi-row statements. A national set is half a million rows; one statement per row is
//! what made its import take minutes.

use std::collections::{HashMap, HashSet};

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};

/// A value bound to a statement. The type travels with a null, as PostgreSQL needs it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

pub(crate) fn bind<'q>(
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

/// The type of a column, for reading its stored values back as [`Val`]s.
#[derive(Debug, Clone, Copy)]
pub enum Col {
    Int,
    Text,
}

/// A table as an import writes it: the columns that identify a row and the columns it holds.
pub struct Table {
    pub name: &'static str,
    /// Whether rows have an integer `id` (entities and their parts) or are known by their key
    /// alone (links and numbered rows).
    pub id: bool,
    pub key: &'static [(&'static str, Col)],
    pub values: &'static [(&'static str, Col)],
}

/// A row as an import wants it: its key's values and its other values, in the [`Table`]'s
/// column order.
pub type Wanted = (Vec<Val>, Vec<Val>);

impl Table {
    /// The row's columns named, as the row-by-row helpers take them.
    pub fn pairs(cols: &'static [(&'static str, Col)], vals: &[Val]) -> Vec<(&'static str, Val)> {
        cols.iter()
            .map(|(c, _)| *c)
            .zip(vals.iter().cloned())
            .collect()
    }
}

/// Rows of `cols` values each to put in one statement on this connection's database.
///
/// PostgreSQL takes up to 65,535 bound parameters and SQLite 32,766, but sqlx binds SQLite's
/// `$n` parameters by asking each one's name, and SQLite finds a name by walking the
/// statement's list of them: binding costs the square of a statement's parameters there (at
/// 32,000 a statement, binding took three quarters of a national import, which then took
/// longer than row by row). Measured on the national set, 250 is as fast as any on SQLite;
/// PostgreSQL was as fast from 250 to 2,000 and slower at 8,000 and more.
pub(crate) fn rows_per_statement(conn: &AnyConnection, cols: usize) -> usize {
    let params = match conn.backend_name() {
        "SQLite" => 250,
        _ => 2_000,
    };
    (params / cols.max(1)).max(1)
}

/// `($1, $2), ($3, $4), ...`: `rows` tuples of `width` placeholders.
pub(crate) fn tuples(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * width + 1, width).join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_val(row: &AnyRow, i: usize, col: Col) -> sqlx::Result<Val> {
    Ok(match col {
        Col::Int => Val::Int(row.try_get(i)?),
        Col::Text => Val::Text(row.try_get(i)?),
    })
}

/// A stored row as [`Bulk`] keeps it.
struct Stored {
    /// 0 for tables without ids, and for a row not inserted yet.
    id: i64,
    values: Vec<Val>,
    /// Whether this import wants the row (it is not to be pruned).
    wanted: bool,
    /// For a row to be inserted by the current [`Bulk::write`]: its place among the new rows.
    new: Option<usize>,
}

/// One table brought to what an import wants in few statements: the stored rows are read
/// once; [`Bulk::write`] inserts what is new and updates what differs, [`Bulk::prune`] deletes
/// what the imported entities no longer have. Like the row-by-row helpers, a row that already
/// holds the wanted values is not written and not counted.
pub struct Bulk {
    table: &'static Table,
    /// Stored rows by key, as this import leaves them so far.
    stored: HashMap<Vec<Val>, Stored>,
}

impl Bulk {
    pub async fn read(conn: &mut AnyConnection, table: &'static Table) -> sqlx::Result<Bulk> {
        let cols: Vec<&str> = table
            .id
            .then_some("id")
            .into_iter()
            .chain(table.key.iter().chain(table.values).map(|(c, _)| *c))
            .collect();
        let sql = format!("SELECT {} FROM {}", cols.join(", "), table.name);
        let first = usize::from(table.id);
        let mut stored = HashMap::new();
        for row in sqlx::query(&sql).fetch_all(&mut *conn).await? {
            let id = if table.id { row.try_get(0)? } else { 0 };
            let mut key = table
                .key
                .iter()
                .chain(table.values)
                .enumerate()
                .map(|(i, (_, col))| read_val(&row, first + i, *col))
                .collect::<sqlx::Result<Vec<Val>>>()?;
            let values = key.split_off(table.key.len());
            let row = Stored {
                id,
                values,
                wanted: false,
                new: None,
            };
            stored.insert(key, row);
        }
        Ok(Bulk { table, stored })
    }

    /// Makes each row hold its values, creating it if need be, and returns the rows' ids in
    /// their order (0 for tables without ids). A key given twice keeps the later values, as
    /// writing the rows one after the other would.
    pub async fn write(
        &mut self,
        conn: &mut AnyConnection,
        changes: &mut Changes,
        rows: Vec<Wanted>,
    ) -> sqlx::Result<Vec<i64>> {
        let t = self.table;
        let mut ids = vec![0; rows.len()];
        // Keys of the rows to insert, and for each row given, which of them it is.
        let mut new: Vec<Vec<Val>> = Vec::new();
        let mut waiting: Vec<(usize, usize)> = Vec::new();
        let mut updates: Vec<(i64, Vec<Val>, Vec<Val>)> = Vec::new();
        for (i, (key, values)) in rows.into_iter().enumerate() {
            if let Some(row) = self.stored.get_mut(&key) {
                row.wanted = true;
                if let Some(n) = row.new {
                    row.values = values;
                    waiting.push((i, n));
                } else {
                    ids[i] = row.id;
                    if row.values != values {
                        row.values.clone_from(&values);
                        updates.push((row.id, key, values));
                    }
                }
            } else {
                waiting.push((i, new.len()));
                let row = Stored {
                    id: 0,
                    values,
                    wanted: true,
                    new: Some(new.len()),
                };
                new.push(key.clone());
                self.stored.insert(key, row);
            }
        }
        let new_ids = self.insert(conn, changes, &new).await?;
        for (i, n) in waiting {
            ids[i] = new_ids[n];
        }
        for (id, key, values) in updates {
            let named = Table::pairs(t.values, &values);
            if t.id {
                update_if_changed(conn, changes, t.name, "id", &[Val::from(id)], &named).await?;
            } else {
                let cols: Vec<&str> = t.key.iter().map(|(c, _)| *c).collect();
                let where_sql = where_clause(&cols, named.len() + 1);
                update_where(conn, changes, t.name, &where_sql, &key, &named).await?;
            }
        }
        Ok(ids)
    }

    /// Inserts the rows of these keys, many to a statement, and returns their ids in order; an
    /// entity's id comes back with its key, since neither database promises the order of
    /// `RETURNING`.
    async fn insert(
        &mut self,
        conn: &mut AnyConnection,
        changes: &mut Changes,
        keys: &[Vec<Val>],
    ) -> sqlx::Result<Vec<i64>> {
        let t = self.table;
        let cols: Vec<&str> = t.key.iter().chain(t.values).map(|(c, _)| *c).collect();
        let key_cols: Vec<&str> = t.key.iter().map(|(c, _)| *c).collect();
        let mut ids = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(rows_per_statement(conn, cols.len())) {
            let returning = if t.id {
                format!(" RETURNING id, {}", key_cols.join(", "))
            } else {
                String::new()
            };
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {}{returning}",
                t.name,
                cols.join(", "),
                tuples(chunk.len(), cols.len())
            );
            let mut q = sqlx::query(&sql);
            for key in chunk {
                let values = self.stored.get(key).map(|r| r.values.as_slice());
                q = bind(q, key);
                q = bind(q, values.unwrap_or_default());
            }
            changes.created += chunk.len() as u64;
            if !t.id {
                q.execute(&mut *conn).await?;
                ids.extend(std::iter::repeat_n(0, chunk.len()));
                for key in chunk {
                    if let Some(row) = self.stored.get_mut(key) {
                        row.new = None;
                    }
                }
                continue;
            }
            let mut returned = HashMap::with_capacity(chunk.len());
            for row in q.fetch_all(&mut *conn).await? {
                let key = t
                    .key
                    .iter()
                    .enumerate()
                    .map(|(i, (_, col))| read_val(&row, i + 1, *col))
                    .collect::<sqlx::Result<Vec<Val>>>()?;
                returned.insert(key, row.try_get::<i64, _>(0)?);
            }
            for key in chunk {
                let id = returned.get(key).copied().ok_or(sqlx::Error::RowNotFound)?;
                if let Some(row) = self.stored.get_mut(key) {
                    row.id = id;
                    row.new = None;
                }
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// Deletes the stored rows this import did not want whose `scope` column (the parent they
    /// belong to) holds one of `within`: the parts imported entities no longer have. Rows of
    /// entities the import does not hold are left alone.
    pub async fn prune(
        &mut self,
        conn: &mut AnyConnection,
        changes: &mut Changes,
        scope: &str,
        within: &HashSet<i64>,
    ) -> sqlx::Result<()> {
        let t = self.table;
        let in_key = t.key.iter().position(|(c, _)| *c == scope);
        let in_values = t.values.iter().position(|(c, _)| *c == scope);
        let mut gone: Vec<(i64, Vec<Val>)> = self
            .stored
            .iter()
            .filter(|(key, row)| {
                let parent = in_key
                    .map(|i| &key[i])
                    .or(in_values.map(|i| &row.values[i]));
                !row.wanted && matches!(parent, Some(Val::Int(Some(p))) if within.contains(p))
            })
            .map(|(key, row)| (row.id, key.clone()))
            .collect();
        // In the order they were stored, so that what a cascade takes along is counted alike
        // every time.
        gone.sort();
        let width = if t.id { 1 } else { t.key.len() };
        for chunk in gone.chunks(rows_per_statement(conn, width)) {
            let (sql, vals): (String, Vec<Val>) = if t.id {
                (
                    format!(
                        "DELETE FROM {} WHERE id IN ({})",
                        t.name,
                        placeholders(1, chunk.len()).join(", ")
                    ),
                    chunk.iter().map(|(id, _)| Val::from(*id)).collect(),
                )
            } else {
                let cols: Vec<&str> = t.key.iter().map(|(c, _)| *c).collect();
                (
                    format!(
                        "DELETE FROM {} WHERE ({}) IN (VALUES {})",
                        t.name,
                        cols.join(", "),
                        tuples(chunk.len(), width)
                    ),
                    chunk.iter().flat_map(|(_, k)| k.iter().cloned()).collect(),
                )
            };
            let done = bind(sqlx::query(&sql), &vals).execute(&mut *conn).await?;
            changes.removed += done.rows_affected();
            for (_, key) in chunk {
                self.stored.remove(key);
            }
        }
        Ok(())
    }
}
