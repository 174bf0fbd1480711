//! Passwords, hashed with Argon2id in PHC strings (the salt and parameters travel with the
//! hash, so parameters can be raised later without breaking old hashes).

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
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

/// Whether a password may be set: its length in characters, not bytes.
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

pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        Err(PasswordError::TooShort)
    } else if n > MAX_LENGTH {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// Hashes a password that [`check_new_password`] accepts.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    check_new_password(password)?;
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
            check_new_password("åäöåäöåäöåäö").is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            check_new_password(&"x".repeat(MAX_LENGTH + 1)),
            Err(PasswordError::TooLong)
        );
    }
}
