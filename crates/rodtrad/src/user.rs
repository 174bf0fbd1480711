//! `rodtrad user add` and `rodtrad user reset`: accounts made from the command line, the first
//! administrator above all, and one-time links to set a new password.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal};

use rodtrad_auth::PasswordError;
use rodtrad_i18n::Lang;
use rodtrad_store::{Store, StoreError};

use crate::cli::UserCommand;
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

/// `rodtrad user ...`: what the command did, in words.
pub async fn run(store: &Store, command: UserCommand, lang: Lang) -> Result<String, CliError> {
    match command {
        UserCommand::Add { email, name, admin } => {
            add(store, &email, name.as_deref(), admin, lang).await
        }
        UserCommand::Reset { email, public_url } => {
            reset(store, &email, public_url.as_deref(), lang).await
        }
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
    let refused = |e: PasswordError| match e {
        PasswordError::TooShort => CliError::message(
            "cli-password-too-short",
            vec![("min", rodtrad_auth::MIN_PASSWORD_LENGTH.to_string())],
        ),
        PasswordError::TooLong => CliError::message("cli-password-too-long", Vec::new()),
        PasswordError::Blank => CliError::message("cli-password-blank", Vec::new()),
        PasswordError::Personal => CliError::message("cli-password-personal", Vec::new()),
        PasswordError::Guessable => CliError::message("cli-password-guessable", Vec::new()),
        PasswordError::Hashing(detail) => {
            CliError::message("cli-password-read", vec![("detail", detail)])
        }
    };
    rodtrad_auth::check_new_password(&password, email, name).map_err(refused)?;
    let hash = rodtrad_auth::hash_password(&password).map_err(refused)?;
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

/// `rodtrad user reset EMAIL`: a one-time link to set a new password, printed for the person
/// who runs the command to hand on. Using it ends every session of the account.
pub async fn reset(
    store: &Store,
    email: &str,
    public_url: Option<&str>,
    lang: Lang,
) -> Result<String, CliError> {
    let failed =
        |e: StoreError| CliError::message("cli-database-failed", vec![("detail", e.to_string())]);
    let site = rodtrad_web::Site::new(public_url, None).map_err(|e| {
        CliError::message("cli-public-url-invalid", vec![("detail", e.to_string())])
    })?;
    let Some((account, _)) = store.account_by_email(email).await.map_err(failed)? else {
        return Err(CliError::message(
            "cli-account-unknown",
            vec![("email", email.trim().to_lowercase())],
        ));
    };
    let token = rodtrad_auth::new_token()
        .map_err(|e| CliError::message("cli-database-failed", vec![("detail", e.to_string())]))?;
    let now = rodtrad_auth::now();
    let expires = now + rodtrad_auth::RESET_LINK_SECONDS;
    store
        .issue_password_reset(
            account.id,
            &rodtrad_auth::token_hash(&token),
            now,
            expires,
            &rodtrad_store::Actor::command_line(),
        )
        .await
        .map_err(failed)?;
    let expires = time::OffsetDateTime::from_unix_timestamp(expires)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default();
    let mut said = lang.format(
        "cli-reset-issued",
        &[("email", account.email), ("expires", expires)],
    );
    // Writing to a String cannot fail.
    if let Some(url) = site.public_url() {
        let _ = write!(said, "\n{url}/reset/{token}");
    } else {
        let _ = write!(
            said,
            "\n/reset/{token}\n{}",
            lang.text("cli-reset-no-public-url")
        );
    }
    Ok(said)
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
