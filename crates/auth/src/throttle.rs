//! Failed log-ins slow the next attempt down: a few mistakes are free, then each failure doubles
//! the wait, up to a quarter of an hour. Guessing a password becomes hopeless while a person who
//! mistypes is hardly held up. Counted per address, so guessing across many addresses is slowed
//! per address too; a successful log-in clears the count.

/// Failures allowed before any wait.
pub const FREE_ATTEMPTS: u32 = 5;
/// The longest wait, in seconds.
pub const MAX_WAIT: i64 = 15 * 60;

/// Seconds left before the next attempt may be made, after `failures` failures in a row, the
/// last at `last_failure_at`; 0 when it may be made now. Times are Unix seconds.
pub fn wait_before_next_attempt(failures: u32, last_failure_at: i64, now: i64) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    // Two seconds first: times are whole seconds, so a wait of one could end at the next tick,
    // however soon that comes.
    let doublings = (failures - FREE_ATTEMPTS).min(20);
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
}
