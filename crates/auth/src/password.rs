//! Passwords, hashed with Argon2id in PHC strings (the salt and parameters travel with the
//! hash, so parameters can be raised later without breaking old hashes), and the rules a new
//! password must meet.
//!
//! Length alone lets through `password1234` and twelve spaces, so a new password must also be
//! hard to guess: zxcvbn (Dropbox's estimator, with its lists of common and breached passwords,
//! names, words and keyboard patterns) must put it beyond 10^10 guesses, counting what the
//! account itself makes guessable (its address, its name). There are no rules of composition
//! (ASVS 2.1.9): a long phrase of ordinary words passes.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// The shortest password accepted: long passphrases beat complex short ones (NIST SP 800-63B).
pub const MIN_LENGTH: usize = 12;
/// The longest, so that hashing cannot be made into a denial of service.
pub const MAX_LENGTH: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password is shorter than {MIN_LENGTH} characters")]
    TooShort,
    #[error("the password is longer than {MAX_LENGTH} characters")]
    TooLong,
    /// Only white space and characters that show nothing (zero-width spaces and the like).
    #[error("the password is only white space")]
    Blank,
    /// The account's own address or name, or built from it.
    #[error("the password is the account's own address or name")]
    Personal,
    /// Common, breached, or otherwise quick to guess.
    #[error("the password is too easy to guess")]
    Guessable,
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

/// The estimate is made on the first this many characters: the estimator's work grows fast
/// with length, and a prefix this long that is hard to guess makes the whole so.
const ESTIMATED_PREFIX: usize = 100;

/// Characters that show nothing: white space, and the format characters that take no room.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        )
}

/// Whether a new password may be set for the account of `email` and `name`: its length in
/// characters (not bytes), something visible in it, not the account's own address or name,
/// and hard to guess.
pub fn check_new_password(
    password: &str,
    email: &str,
    name: Option<&str>,
) -> Result<(), PasswordError> {
    check_length(password)?;
    if password.chars().all(invisible) {
        return Err(PasswordError::Blank);
    }
    let bare = |s: &str| -> String {
        s.chars()
            .filter(|c| !invisible(*c))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let typed = bare(password);
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default().to_owned();
    let mut personal = vec![email.clone(), local];
    personal.extend(name.map(bare));
    if personal
        .iter()
        .any(|p| !p.is_empty() && (typed == *p || typed == bare(p)))
    {
        return Err(PasswordError::Personal);
    }
    let prefix: String = password.chars().take(ESTIMATED_PREFIX).collect();
    let mut inputs: Vec<&str> = personal.iter().map(String::as_str).collect();
    inputs.extend(email.split(['@', '.', '-', '_', '+']));
    if let Some(name) = name {
        inputs.extend(name.split_whitespace());
    }
    inputs.retain(|s| !s.is_empty());
    if zxcvbn::zxcvbn(&prefix, &inputs).score() < zxcvbn::Score::Three {
        return Err(PasswordError::Guessable);
    }
    Ok(())
}

/// A plausible e-mail address: one `@` with something on each side and a dot in the domain.
/// Whether mail arrives there is not ours to know.
pub fn plausible_email(email: &str) -> bool {
    let email = email.trim();
    email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !email.chars().any(char::is_whitespace)
    })
}

/// Whether a password's length may be set: in characters, not bytes.
fn check_length(password: &str) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        Err(PasswordError::TooShort)
    } else if n > MAX_LENGTH {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// Hashes a password of an accepted length; what else it must meet is for
/// [`check_new_password`], before.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    check_length(password)?;
    let salt = argon2::password_hash::try_generate_salt()
        .map_err(|e| PasswordError::Hashing(e.to_string()))?;
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Whether `password` matches `hash`. A hash that cannot be read matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    if password.len() > MAX_LENGTH * 4 {
        return false;
    }
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let hash = hash_password("korrekt häst batteri").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("korrekt häst batteri", &hash));
        assert!(!verify_password("korrekt häst batteri!", &hash));
        assert!(!verify_password("korrekt häst batteri", "not a hash"));
        let again = hash_password("korrekt häst batteri").expect("hash");
        assert_ne!(hash, again, "each hash has its own salt");
    }

    #[test]
    fn short_and_endless_passwords_are_refused() {
        assert_eq!(hash_password("elva tecken"), Err(PasswordError::TooShort));
        assert!(
            check_length("åäöåäöåäöåäö").is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            check_new_password(&"x".repeat(MAX_LENGTH + 1), "a@b.se", None),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn blank_personal_and_guessable_passwords_are_refused() {
        let check = |p: &str| check_new_password(p, "anna.berg@orebro.se", Some("Anna Berg"));
        assert_eq!(check(&" ".repeat(12)), Err(PasswordError::Blank));
        assert_eq!(check(&"\u{200b}".repeat(12)), Err(PasswordError::Blank));
        assert_eq!(
            check(" \u{200b}\t\u{feff} \u{00a0}\u{2060}  \n\u{200d} "),
            Err(PasswordError::Blank)
        );
        assert_eq!(check("anna.berg@orebro.se"), Err(PasswordError::Personal));
        assert_eq!(check("ANNA.BERG@OREBRO.SE"), Err(PasswordError::Personal));
        assert_eq!(check("anna.berg@orebro.se1"), Err(PasswordError::Guessable));
        for weak in [
            "password1234",
            "123456789012",
            "qwertyuiopas",
            "aaaaaaaaaaaa",
            "annaberg1234",
        ] {
            assert_eq!(check(weak), Err(PasswordError::Guessable), "{weak}");
        }
        for strong in [
            "korrekt häst batteri",
            "ett långt lösenord för testet",
            "Mossa-Tält-Ugn-Sju",
        ] {
            assert_eq!(check(strong), Ok(()), "{strong}");
        }
    }

    #[test]
    fn a_very_long_password_is_estimated_quickly() {
        let long: String = "abcdefghij".repeat(MAX_LENGTH / 10);
        let started = std::time::Instant::now();
        let _ = check_new_password(&long, "a@b.se", None);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
