//! `rodtrad user add`: accounts made from the command line, the first administrator above all.

use std::io::{BufRead, IsTerminal};

use rodtrad_auth::PasswordError;
use rodtrad_i18n::Lang;
use rodtrad_store::{Store, StoreError};

use crate::error::CliError;

/// The new password: asked for twice at a terminal, or the first line of standard input.
fn read_password(lang: Lang) -> Result<String, CliError> {
    let failed =
        |e: std::io::Error| CliError::message("cli-password-read", vec![("detail", e.to_string())]);
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(lang.text("cli-password-prompt")).map_err(failed)?;
        let second = rpassword::prompt_password(lang.text("cli-password-again")).map_err(failed)?;
        if first != second {
            return Err(CliError::message("cli-password-mismatch", Vec::new()));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(failed)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}

pub async fn add(
    store: &Store,
    email: &str,
    name: Option<&str>,
    admin: bool,
    lang: Lang,
) -> Result<String, CliError> {
    if !rodtrad_auth::plausible_email(email) {
        return Err(CliError::message(
            "cli-email-invalid",
            vec![("email", email.to_owned())],
        ));
    }
    let password = read_password(lang)?;
    let hash = rodtrad_auth::hash_password(&password).map_err(|e| match e {
        PasswordError::TooShort => CliError::message(
            "cli-password-too-short",
            vec![("min", rodtrad_auth::MIN_PASSWORD_LENGTH.to_string())],
        ),
        PasswordError::TooLong => CliError::message("cli-password-too-long", Vec::new()),
        PasswordError::Hashing(detail) => {
            CliError::message("cli-password-read", vec![("detail", detail)])
        }
    })?;
    let account = store
        .create_account(
            email,
            name,
            &hash,
            admin,
            &rodtrad_store::Actor::command_line(),
            rodtrad_auth::now(),
        )
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(email) => {
                CliError::message("cli-account-exists", vec![("email", email)])
            }
            other => CliError::message("cli-database-failed", vec![("detail", other.to_string())]),
        })?;
    Ok(lang.format(
        if admin {
            "cli-admin-added"
        } else {
            "cli-user-added"
        },
        &[("email", account.email)],
    ))
}

#[cfg(test)]
mod tests {
    use rodtrad_auth::plausible_email;

    #[test]
    fn addresses_need_a_local_part_and_a_domain() {
        for ok in ["anna@region.se", "a.b+c@orebro.kommun.se"] {
            assert!(plausible_email(ok), "{ok}");
        }
        for bad in [
            "",
            "anna",
            "@region.se",
            "anna@",
            "anna@region",
            "anna@.se",
            "a b@region.se",
            "a@b@c.se",
        ] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }
}
