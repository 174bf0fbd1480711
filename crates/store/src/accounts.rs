//! Accounts, their roles and log-in sessions (failed log-ins and new passwords: `security.rs`).
//!
//! The store keeps only what it is given: passwords arrive hashed and session tokens as their
//! hashes, so neither a password nor a usable token is ever written to the database.

use rodtrad_domain::{Action, FieldChange, ItemChange, ItemKey, ItemKind, Role, Slug, Vocabulary};
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::record::{Actor, record, revision};
use crate::{Store, StoreError};

/// An account as the record of changes shows it: never its password.
#[derive(Serialize)]
struct AccountFields<'a> {
    email: &'a str,
    name: Option<&'a str>,
    administrator: bool,
    disabled: bool,
    roles: Option<String>,
}

impl<'a> AccountFields<'a> {
    fn of(a: &'a Account, grants: &[Grant]) -> Self {
        Self {
            email: &a.email,
            name: a.name.as_deref(),
            administrator: a.is_admin,
            disabled: a.disabled,
            roles: roles_text(grants),
        }
    }
}

/// Roles as one field: `plan_owner:social-valfard, reader:...`.
fn roles_text(grants: &[Grant]) -> Option<String> {
    (!grants.is_empty()).then(|| {
        grants
            .iter()
            .map(|g| format!("{}:{}", g.role.code(), g.scope))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

async fn grants_in(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<Grant>, StoreError> {
    let rows = sqlx::query("SELECT role, scope FROM role_grant WHERE account_id = $1")
        .bind(account_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut grants = Vec::new();
    for row in rows {
        let (role, scope): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        // The schema's CHECK keeps roles to the vocabulary; a slug is whatever was granted,
        // and only valid ones are accepted by `grant`.
        if let (Ok(role), Ok(scope)) = (Role::parse(&role), Slug::parse(&scope)) {
            grants.push(Grant { role, scope });
        }
    }
    grants.sort();
    Ok(grants)
}

pub(crate) async fn record_account(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: i64,
    account_id: i64,
    action: Action,
    fields: Vec<FieldChange>,
) -> Result<(), StoreError> {
    let id = Slug::parse(&account_id.to_string())
        .map_err(|_| StoreError::Conflict(account_id.to_string()))?;
    let change = ItemChange {
        item: ItemKey::new(ItemKind::Account, &id),
        action,
        fields,
    };
    let from = revision(conn, &change.item).await?;
    record(conn, actor, at, &change, from)
        .await
        .map_err(crate::record::SaveError::into_store)?;
    Ok(())
}

/// A person who can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    /// Always lower case: the same address typed in another case is the same account.
    pub email: String,
    pub name: Option<String>,
    pub is_admin: bool,
    pub disabled: bool,
}

/// A role in a scope: a plan's slug, or for a contributor an organisation's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    pub role: Role,
    pub scope: Slug,
}

/// A signed-in session as stored: whose it is, and its anti-forgery token.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    pub grants: Vec<Grant>,
    pub csrf_token: String,
    pub expires_at: i64,
}

pub(crate) const ACCOUNT_COLUMNS: &str = "id, email, name, is_admin, disabled";

/// The account of an id, in the transaction or on the connection given.
pub(crate) async fn account_by_id(
    conn: &mut AnyConnection,
    id: i64,
) -> sqlx::Result<Option<Account>> {
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| account(&r)).transpose()
}

pub(crate) fn account(row: &sqlx::any::AnyRow) -> sqlx::Result<Account> {
    Ok(Account {
        id: row.try_get(0)?,
        email: row.try_get(1)?,
        name: row.try_get(2)?,
        is_admin: row.try_get::<i64, _>(3)? != 0,
        disabled: row.try_get::<i64, _>(4)? != 0,
    })
}

async fn grants_of(pool: &AnyPool, account_id: i64) -> Result<Vec<Grant>, StoreError> {
    grants_in(&mut *pool.acquire().await?, account_id).await
}

impl Store {
    /// Creates an account, on record as made by `actor`; `StoreError::Duplicate` if the
    /// address is taken.
    pub async fn create_account(
        &self,
        email: &str,
        name: Option<&str>,
        password_hash: &str,
        is_admin: bool,
        actor: &Actor,
        now: i64,
    ) -> Result<Account, StoreError> {
        let email = email.trim().to_lowercase();
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query("SELECT 1 FROM account WHERE email = $1")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Duplicate(email));
        }
        let row = sqlx::query(&format!(
            "INSERT INTO account (email, name, password_hash, is_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(&email)
        .bind(name.map(str::to_owned))
        .bind(password_hash)
        .bind(i64::from(is_admin))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            // Two creations of the same address at once: the second loses.
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Duplicate(email.clone())
            }
            _ => StoreError::Query(e),
        })?;
        let created = account(&row)?;
        let fields = rodtrad_domain::changes(None, Some(&AccountFields::of(&created, &[])));
        record_account(&mut tx, actor, now, created.id, Action::Created, fields).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// An account and its password hash, by address (in any case).
    pub async fn account_by_email(
        &self,
        email: &str,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, password_hash FROM account WHERE email = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((account(&r)?, r.try_get(5)?))).transpose()
    }

    pub async fn account(&self, id: i64) -> Result<Option<Account>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Ok(account_by_id(&mut conn, id).await?)
    }

    /// Every account, by address.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY email"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(account).collect::<sqlx::Result<_>>()?)
    }

    /// The accounts in use (not disabled) that hold `role`, each with the scope they hold it
    /// in: whom a reminder goes to.
    pub async fn holders(&self, role: Role) -> Result<Vec<(Account, Slug)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {columns}, g.scope FROM account a JOIN role_grant g ON g.account_id = a.id \
             WHERE g.role = $1 AND a.disabled = 0 ORDER BY a.email, g.scope",
            columns = ACCOUNT_COLUMNS
                .split(", ")
                .map(|c| format!("a.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(role.code())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let scope: String = row.try_get("scope")?;
            if let Ok(scope) = Slug::parse(&scope) {
                out.push((account(row)?, scope));
            }
        }
        Ok(out)
    }

    pub async fn grants(&self, account_id: i64) -> Result<Vec<Grant>, StoreError> {
        grants_of(&self.pool, account_id).await
    }

    /// Gives a role; giving one that is already held changes nothing.
    pub async fn grant(
        &self,
        account_id: i64,
        grant: &Grant,
        actor: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        self.change_roles(
            account_id,
            "INSERT INTO role_grant (account_id, role, scope) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, role, scope) DO NOTHING",
            grant,
            actor,
            now,
        )
        .await
    }

    /// Takes a role back; taking one that is not held changes nothing.
    pub async fn revoke(
        &self,
        account_id: i64,
        grant: &Grant,
        actor: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        self.change_roles(
            account_id,
            "DELETE FROM role_grant WHERE account_id = $1 AND role = $2 AND scope = $3",
            grant,
            actor,
            now,
        )
        .await
    }

    async fn change_roles(
        &self,
        account_id: i64,
        sql: &str,
        grant: &Grant,
        actor: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let before = grants_in(&mut tx, account_id).await?;
        let done = sqlx::query(sql)
            .bind(account_id)
            .bind(grant.role.code())
            .bind(grant.scope.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() > 0 {
            let after = grants_in(&mut tx, account_id).await?;
            let fields = vec![FieldChange {
                field: "roles".into(),
                before: roles_text(&before),
                after: roles_text(&after),
            }];
            record_account(&mut tx, actor, now, account_id, Action::Changed, fields).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Makes an account an administrator or not, and disables or enables it; a disabled
    /// account's sessions end at once.
    pub async fn set_account_status(
        &self,
        account_id: i64,
        is_admin: bool,
        disabled: bool,
        actor: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(before) = account_by_id(&mut tx, account_id).await? else {
            return Ok(());
        };
        sqlx::query("UPDATE account SET is_admin = $1, disabled = $2 WHERE id = $3")
            .bind(i64::from(is_admin))
            .bind(i64::from(disabled))
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM login_session WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
        }
        let after = Account {
            is_admin,
            disabled,
            ..before.clone()
        };
        let fields = rodtrad_domain::changes(
            Some(&AccountFields::of(&before, &[])),
            Some(&AccountFields::of(&after, &[])),
        );
        if !fields.is_empty() {
            record_account(&mut tx, actor, now, account_id, Action::Changed, fields).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stores a new session under the hash of its token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        // Sessions that ran out are removed as new ones arrive, so the table does not grow.
        sqlx::query("DELETE FROM login_session WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO login_session (token_hash, account_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live session with this token hash, if it has not run out and its account is not
    /// disabled.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>, StoreError> {
        // Asked with every signed-in request: the account and its roles in one question (a row
        // per role, or one without when it has none).
        let rows = sqlx::query(
            "SELECT a.id, a.email, a.name, a.is_admin, a.disabled, s.csrf_token, s.expires_at, \
             g.role, g.scope \
             FROM login_session s JOIN account a ON a.id = s.account_id \
             LEFT JOIN role_grant g ON g.account_id = a.id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = 0",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let account = account(row)?;
        let mut grants = Vec::new();
        for row in &rows {
            let (role, scope): (Option<String>, Option<String>) =
                (row.try_get(7)?, row.try_get(8)?);
            // As `grants_in`: only roles of the vocabulary and valid slugs are accepted.
            if let (Some(Ok(role)), Some(Ok(scope))) = (
                role.as_deref().map(Role::parse),
                scope.as_deref().map(Slug::parse),
            ) {
                grants.push(Grant { role, scope });
            }
        }
        grants.sort();
        Ok(Some(Session {
            account,
            grants,
            csrf_token: row.try_get(5)?,
            expires_at: row.try_get(6)?,
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_session WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
