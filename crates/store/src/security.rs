//! What keeps accounts safe: failed log-ins counted under keys (an address from one client, a
//! client), a person's own change of password, one-time links to set a new one, and ending a
//! person's other sessions.
//!
//! The counting is a compare-and-set on one row per key, so that attempts made at the same
//! moment are counted one after the other and cannot all pass a limit they each read as not
//! reached. A new password, by either way, ends every other session of the account and every
//! link still open, in the same transaction as the change and its record.

use rodtrad_domain::{Action, FieldChange};
use sqlx::Row;

use crate::accounts::{account, account_by_id, record_account};
use crate::record::Actor;
use crate::{Account, Store, StoreError};

/// Failed log-ins in a row under one key, and when the last one was (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attempts {
    pub failures: u32,
    pub last_failure_at: i64,
}

/// After how long without a failure no count is in force any more (the longest any limit keeps
/// one, in `rodtrad_auth::Limit`).
const FORGOTTEN_AFTER: i64 = 24 * 60 * 60;

/// The record's line for a new password: that it changed, never what it is.
fn password_changed() -> Vec<FieldChange> {
    vec![FieldChange {
        field: "password".into(),
        before: None,
        after: None,
    }]
}

impl Store {
    /// The attempts counted under `key`: none when there is no row.
    pub async fn login_attempts(&self, key: &str) -> Result<Option<Attempts>, StoreError> {
        let row = sqlx::query("SELECT failures, last_failure_at FROM login_attempt WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Attempts {
                failures: u32::try_from(r.try_get::<i64, _>(0)?).unwrap_or(u32::MAX),
                last_failure_at: r.try_get(1)?,
            })
        })
        .transpose()
    }

    /// Counts one more attempt under `key`, to `failures`, if the count is still `seen`;
    /// whether it was (false: another attempt was counted meanwhile, read again).
    pub async fn count_login_attempt(
        &self,
        key: &str,
        seen: Option<Attempts>,
        failures: u32,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = match seen {
            None => {
                // Counts no longer in force go as new ones arrive, so the table does not grow.
                sqlx::query("DELETE FROM login_attempt WHERE last_failure_at < $1")
                    .bind(now - FORGOTTEN_AFTER)
                    .execute(&self.pool)
                    .await?;
                sqlx::query(
                    "INSERT INTO login_attempt (key, failures, last_failure_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
                )
                .bind(key)
                .bind(i64::from(failures))
                .bind(now)
                .execute(&self.pool)
                .await?
            }
            Some(seen) => {
                sqlx::query(
                    "UPDATE login_attempt SET failures = $1, last_failure_at = $2 \
                     WHERE key = $3 AND failures = $4 AND last_failure_at = $5",
                )
                .bind(i64::from(failures))
                .bind(now)
                .bind(key)
                .bind(i64::from(seen.failures))
                .bind(seen.last_failure_at)
                .execute(&self.pool)
                .await?
            }
        };
        Ok(done.rows_affected() == 1)
    }

    /// Forgets the attempts under `key` (after a log-in that succeeded).
    pub async fn clear_login_attempts(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_attempt WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The password hash of an account, for checking the old password before a change.
    pub async fn password_hash(&self, account_id: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT password_hash FROM account WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// How many live sessions an account has.
    pub async fn session_count(&self, account_id: i64, now: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM login_session WHERE account_id = $1 AND expires_at > $2",
        )
        .bind(account_id)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    /// Ends every session of the account but the one with `keep` (a token hash); how many.
    pub async fn end_other_sessions(&self, account_id: i64, keep: &str) -> Result<u64, StoreError> {
        let done =
            sqlx::query("DELETE FROM login_session WHERE account_id = $1 AND token_hash <> $2")
                .bind(account_id)
                .bind(keep)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected())
    }

    /// Sets a person's own new password: every other session of theirs ends, and every link
    /// to set a password that is still open; on record as theirs.
    pub async fn change_password(
        &self,
        account_id: i64,
        password_hash: &str,
        keep_session: &str,
        actor: &Actor,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE account SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM login_session WHERE account_id = $1 AND token_hash <> $2")
            .bind(account_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM password_reset WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        record_account(
            &mut tx,
            actor,
            now,
            account_id,
            Action::Changed,
            password_changed(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a link to set a new password for the account, under the hash of its token,
    /// replacing any earlier one; on record as `actor`'s. Nothing for an unknown account.
    pub async fn issue_password_reset(
        &self,
        account_id: i64,
        token_hash: &str,
        now: i64,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<Option<Account>, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(found) = account_by_id(&mut tx, account_id).await? else {
            return Ok(None);
        };
        sqlx::query("DELETE FROM password_reset WHERE account_id = $1 OR expires_at <= $2")
            .bind(account_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO password_reset (token_hash, account_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        let fields = vec![FieldChange {
            field: "password_reset_link".into(),
            before: None,
            after: Some(expires_at.to_string()),
        }];
        record_account(&mut tx, actor, now, account_id, Action::Changed, fields).await?;
        tx.commit().await?;
        Ok(Some(found))
    }

    /// The account a link to set a new password is for, while the link is open and the
    /// account is not disabled.
    pub async fn password_reset(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(
            "SELECT a.id, a.email, a.name, a.is_admin, a.disabled \
             FROM password_reset r JOIN account a ON a.id = r.account_id \
             WHERE r.token_hash = $1 AND r.expires_at > $2 AND a.disabled = 0",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| account(&r)).transpose()?)
    }

    /// Uses a link to set a new password: once only, and only while it is open. Every
    /// session of the account ends; on record as the person's own. The account, or `None`
    /// when the link is used, expired or unknown.
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Option<Account>, StoreError> {
        let mut tx = self.begin_write().await?;
        // Taken out before anything else: of two uses at once, one finds nothing.
        let row = sqlx::query(
            "DELETE FROM password_reset WHERE token_hash = $1 AND expires_at > $2 \
             RETURNING account_id",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(account_id) = row.map(|r| r.try_get::<i64, _>(0)).transpose()? else {
            return Ok(None);
        };
        let Some(found) = account_by_id(&mut tx, account_id)
            .await?
            .filter(|a| !a.disabled)
        else {
            return Ok(None);
        };
        sqlx::query("UPDATE account SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        for sql in [
            "DELETE FROM login_session WHERE account_id = $1",
            "DELETE FROM password_reset WHERE account_id = $1",
        ] {
            sqlx::query(sql).bind(account_id).execute(&mut *tx).await?;
        }
        let actor = Actor {
            account: Some(found.id),
            name: found.name.clone().unwrap_or_else(|| found.email.clone()),
        };
        record_account(
            &mut tx,
            &actor,
            now,
            account_id,
            Action::Changed,
            password_changed(),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(found))
    }
}
