//! Accounts of Röd tråd: password hashing, session tokens, the slowing of failed log-ins, and
//! who may do what ([`Access`]).
//!
//! Everything here is policy and arithmetic, with no storage and no web: the store keeps what
//! this crate produces, and the web layer asks it for decisions, so the rules are in one place
//! and tested on their own.

mod access;
mod password;
mod throttle;
mod token;

pub use access::Access;

/// Seconds since the Unix epoch: the time of sessions, failed log-ins and accounts.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
/// How long a link to set a new password is valid: a working day and the night after, long
/// enough to reach a person who was handed it, short enough not to lie about for long.
pub const RESET_LINK_SECONDS: i64 = 24 * 60 * 60;

pub use password::{
    MIN_LENGTH as MIN_PASSWORD_LENGTH, PasswordError, check_new_password, hash_password,
    plausible_email, verify_password,
};
pub use throttle::{CLIENT_FREE_ATTEMPTS, FREE_ATTEMPTS, Limit, wait_before_next_attempt};
pub use token::{TokenError, new_token, token_hash};
