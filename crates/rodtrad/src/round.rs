//! `rodtrad round remind`: reminders to everyone with reports left to send, from cron or by
//! hand, through the SMTP server the environment names; `--dry-run` lists them instead.

use std::fmt::Write as _;

use rodtrad_domain::{FollowUp, PartialDate, RoundState};
use rodtrad_i18n::Lang;
use rodtrad_mail::MailConfig;
use rodtrad_store::Store;
use rodtrad_web::{AppState, ReadModel, Reminder};

use crate::cli::RoundCommand;
use crate::error::CliError;

/// `rodtrad round ...`: what the command did, in words.
pub async fn run(store: &Store, command: RoundCommand, lang: Lang) -> Result<String, CliError> {
    let RoundCommand::Remind {
        id,
        dry_run,
        due,
        public_url,
    } = command;
    let state = AppState::load(store.clone())
        .await
        .map_err(|e| failed(&e.to_string()))?;
    let working = state.working();
    let rounds: Vec<&FollowUp> = match (&id, due) {
        (Some(id), _) => {
            let round = working
                .round(id)
                .ok_or_else(|| CliError::message("cli-round-unknown", vec![("id", id.clone())]))?;
            if round.state != RoundState::Open {
                return Err(CliError::message(
                    "cli-round-not-open",
                    vec![("id", id.clone())],
                ));
            }
            vec![round]
        }
        (None, Some(days)) => due_in(&working, days),
        (None, None) => return Err(CliError::message("cli-round-which", Vec::new())),
    };
    let base = public_url.unwrap_or_default();
    let base = base.trim_end_matches('/');
    let config = if dry_run {
        None
    } else {
        Some(
            MailConfig::from_env()
                .map_err(|e| {
                    CliError::message("cli-mail-invalid", vec![("detail", e.to_string())])
                })?
                .ok_or_else(|| CliError::message("cli-mail-not-set", Vec::new()))?,
        )
    };
    let mut out = String::new();
    for round in rounds {
        let due = rodtrad_web::reminders_due(store, &working, round)
            .await
            .map_err(|e| failed(&e.to_string()))?;
        match &config {
            None => out.push_str(&listed(round, &due, lang)),
            Some(config) => {
                let mails: Vec<_> = due
                    .iter()
                    .map(|r| rodtrad_web::reminder_mail(r, round, lang, base))
                    .collect();
                let sent = rodtrad_web::send_mail(config, &mails).await.map_err(|e| {
                    CliError::message(
                        "cli-remind-failed",
                        vec![("sent", "0".to_owned()), ("failed", e.to_string())],
                    )
                })?;
                let _ = writeln!(
                    out,
                    "{}",
                    lang.format(
                        "cli-reminded",
                        &[
                            ("round", round.id.to_string()),
                            ("sent", sent.reached.len().to_string()),
                        ],
                    )
                );
                if !sent.failed.is_empty() {
                    let failed = sent
                        .failed
                        .iter()
                        .map(|(to, why)| format!("{to}: {why}"))
                        .collect::<Vec<_>>()
                        .join("; ");
                    return Err(CliError::message(
                        "cli-remind-failed",
                        vec![("sent", sent.reached.len().to_string()), ("failed", failed)],
                    ));
                }
            }
        }
    }
    Ok(out.trim_end().to_owned())
}

/// The open rounds whose deadline is `days` days from today.
fn due_in(model: &ReadModel, days: u32) -> Vec<&FollowUp> {
    let now = time::OffsetDateTime::now_utc().date();
    let Some(day) = now.checked_add(time::Duration::days(i64::from(days))) else {
        return Vec::new();
    };
    let year = u16::try_from(day.year()).unwrap_or(0);
    let Some(target) = PartialDate::ymd(year, u8::from(day.month()), day.day()) else {
        return Vec::new();
    };
    model
        .set
        .follow_ups
        .iter()
        .filter(|f| f.state == RoundState::Open && f.deadline == Some(target))
        .collect()
}

/// What `--dry-run` prints: each person and their activities.
fn listed(round: &FollowUp, due: &[Reminder], lang: Lang) -> String {
    let mut out = lang.format(
        "cli-remind-would",
        &[
            ("round", round.id.to_string()),
            ("count", due.len().to_string()),
        ],
    );
    out.push('\n');
    for r in due {
        let _ = writeln!(out, "{}", r.to);
        for (title, path) in &r.activities {
            let _ = writeln!(out, "  - {title} ({path})");
        }
    }
    out
}

fn failed(detail: &str) -> CliError {
    CliError::message("cli-database-failed", vec![("detail", detail.to_owned())])
}
