//! Failed log-ins slow the next attempt down: a few mistakes are free, then each failure doubles
//! the wait, up to a quarter of an hour. Guessing a password becomes hopeless while a person who
//! mistypes is hardly held up.
//!
//! Attempts are counted under two keys, and the longer wait of the two applies:
//! - an address *from one client* ([`Limit::Address`]): guessing one person's password from one
//!   place is slowed after [`FREE_ATTEMPTS`]; a log-in that succeeds clears it. Counting per
//!   address alone would let a stranger lock the owner out by failing on purpose; counted so,
//!   the stranger slows only themselves.
//! - the client ([`Limit::Client`]): guessing many addresses from one place is slowed after
//!   [`CLIENT_FREE_ATTEMPTS`], more than one person's mistakes, since an office may share one
//!   address; it is forgotten after an hour without failures, never by a success, so that an
//!   attacker's own account cannot reset it.

/// Failures allowed for one address from one client before any wait.
pub const FREE_ATTEMPTS: u32 = 5;
/// Failures allowed from one client, whatever the addresses, before any wait.
pub const CLIENT_FREE_ATTEMPTS: u32 = 30;

/// Which count an attempt is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Address,
    Client,
}

impl Limit {
    fn free(self) -> u32 {
        match self {
            Limit::Address => FREE_ATTEMPTS,
            Limit::Client => CLIENT_FREE_ATTEMPTS,
        }
    }

    /// After how long without a failure the count starts again.
    fn forgotten_after(self) -> i64 {
        match self {
            Limit::Address => 24 * 60 * 60,
            Limit::Client => 60 * 60,
        }
    }

    /// Seconds left before the next attempt under this limit; 0 when it may be made now.
    pub fn wait(self, failures: u32, last_failure_at: i64, now: i64) -> i64 {
        if self.forgotten(last_failure_at, now) {
            return 0;
        }
        wait_after(self.free(), failures, last_failure_at, now)
    }

    /// Whether failures this old no longer count.
    pub fn forgotten(self, last_failure_at: i64, now: i64) -> bool {
        now - last_failure_at >= self.forgotten_after()
    }

    /// The count after one more attempt.
    pub fn counted(self, failures: u32, last_failure_at: i64, now: i64) -> u32 {
        if self.forgotten(last_failure_at, now) {
            1
        } else {
            failures.saturating_add(1)
        }
    }
}
/// The longest wait, in seconds.
pub const MAX_WAIT: i64 = 15 * 60;

/// Seconds left before the next attempt may be made, after `failures` failures in a row, the
/// last at `last_failure_at`; 0 when it may be made now. Times are Unix seconds.
pub fn wait_before_next_attempt(failures: u32, last_failure_at: i64, now: i64) -> i64 {
    wait_after(FREE_ATTEMPTS, failures, last_failure_at, now)
}

fn wait_after(free: u32, failures: u32, last_failure_at: i64, now: i64) -> i64 {
    if failures < free {
        return 0;
    }
    // Two seconds first: times are whole seconds, so a wait of one could end at the next tick,
    // however soon that comes.
    let doublings = (failures - free).min(20);
    let wait = (2i64 << doublings).min(MAX_WAIT);
    (last_failure_at + wait - now).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_the_free_attempts_and_has_a_ceiling() {
        assert_eq!(wait_before_next_attempt(0, 0, 100), 0);
        assert_eq!(wait_before_next_attempt(FREE_ATTEMPTS - 1, 100, 100), 0);
        assert_eq!(wait_before_next_attempt(FREE_ATTEMPTS, 100, 100), 2);
        assert_eq!(wait_before_next_attempt(FREE_ATTEMPTS, 100, 101), 1);
        assert_eq!(wait_before_next_attempt(FREE_ATTEMPTS + 3, 100, 100), 16);
        assert_eq!(wait_before_next_attempt(FREE_ATTEMPTS + 3, 100, 105), 11);
        assert_eq!(wait_before_next_attempt(FREE_ATTEMPTS + 3, 100, 200), 0);
        assert_eq!(wait_before_next_attempt(u32::MAX, 100, 100), MAX_WAIT);
    }

    #[test]
    fn a_client_may_fail_more_often_and_is_forgotten_sooner() {
        assert_eq!(Limit::Client.wait(FREE_ATTEMPTS, 100, 100), 0);
        assert_eq!(Limit::Address.wait(FREE_ATTEMPTS, 100, 100), 2);
        assert_eq!(Limit::Client.wait(CLIENT_FREE_ATTEMPTS, 100, 100), 2);
        assert_eq!(Limit::Client.wait(u32::MAX, 100, 100 + 3600), 0);
        assert_eq!(
            Limit::Address.wait(u32::MAX, 100, 100 + 600),
            MAX_WAIT - 600
        );
        assert_eq!(Limit::Client.counted(7, 100, 101), 8);
        assert_eq!(Limit::Client.counted(7, 100, 100 + 3600), 1);
    }
}
