//! Reminders: who has reports left to send in a round, and the e-mail they get; and the mail a
//! report's contributors get when it is returned to them.
//!
//! A reminder goes to every contributor of an activity's lead organisation whose report is not
//! started, a draft or returned: one mail per person, listing their activities with links. The
//! same list is what the round's page shows to copy when no mail server is configured, and what
//! `rodtrad round remind --dry-run` prints. Mail goes out through [`Mailing`], set once when the
//! application starts (`RODTRAD_SMTP_URL`, `RODTRAD_MAIL_FROM`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rodtrad_domain::{Activity, FollowUp, ReportState, Role, Slug};
use rodtrad_i18n::Lang;
use rodtrad_mail::{Mail, MailConfig, MailError, Mailer};
use rodtrad_store::{Store, StoreError};

use crate::model::ReadModel;
use crate::reporting::ReportRow;

/// Where mail goes, and the address people open for the links in it.
#[derive(Debug, Clone)]
pub struct Mailing {
    pub config: MailConfig,
    /// `https://planer.region.se`: links in mail must be whole.
    pub base_url: String,
}

/// One person's reminder: their reports left to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub to: String,
    pub name: Option<String>,
    /// (activity title, path of its report), in the round's order.
    pub activities: Vec<(String, String)>,
}

/// The contributors of each organisation, by organisation: (address, name).
async fn contributors(
    store: &Store,
) -> Result<BTreeMap<Slug, Vec<(String, Option<String>)>>, StoreError> {
    let mut by_org: BTreeMap<Slug, Vec<(String, Option<String>)>> = BTreeMap::new();
    for (account, org) in store.holders(Role::Contributor).await? {
        by_org
            .entry(org)
            .or_default()
            .push((account.email, account.name));
    }
    Ok(by_org)
}

/// Who has reports left to send in `round`, by address.
pub async fn due(
    store: &Store,
    model: &ReadModel,
    round: &FollowUp,
) -> Result<Vec<Reminder>, StoreError> {
    let by_org = contributors(store).await?;
    let mut out: BTreeMap<String, Reminder> = BTreeMap::new();
    for row in ReportRow::of(model, round) {
        if !waits(row.state) {
            continue;
        }
        let Some(lead) = row.lead else { continue };
        for (email, name) in by_org.get(lead).into_iter().flatten() {
            let r = out.entry(email.clone()).or_insert_with(|| Reminder {
                to: email.clone(),
                name: name.clone(),
                activities: Vec::new(),
            });
            r.activities.push((
                row.activity.title.clone(),
                format!("/rounds/{}/reports/{}", round.id, row.activity.id),
            ));
        }
    }
    Ok(out.into_values().collect())
}

/// The reminder as mail, in `lang`, with whole links under `base_url`.
pub fn reminder_mail(r: &Reminder, round: &FollowUp, lang: Lang, base_url: &str) -> Mail {
    let deadline = round
        .deadline
        .map_or_else(|| lang.text("mail-no-deadline"), |d| d.to_string());
    let mut list = String::new();
    for (title, path) in &r.activities {
        let _ = writeln!(list, "- {title}\n  {base_url}{path}");
    }
    Mail {
        to: r.to.clone(),
        subject: lang.format(
            "mail-reminder-subject",
            &[
                ("round", round.title.clone()),
                ("deadline", deadline.clone()),
            ],
        ),
        body: lang.format(
            "mail-reminder-body",
            &[
                ("round", round.title.clone()),
                ("deadline", deadline),
                ("count", r.activities.len().to_string()),
                ("list", list),
                ("link", format!("{base_url}/my")),
            ],
        ),
    }
}

/// The mail to the contributors of `activity`'s lead when its report in `round` is returned.
pub async fn returned_mails(
    store: &Store,
    round: &FollowUp,
    activity: &Activity,
    comment: &str,
    lang: Lang,
    base_url: &str,
) -> Result<Vec<Mail>, StoreError> {
    let Some(lead) = &activity.lead else {
        return Ok(Vec::new());
    };
    let by_org = contributors(store).await?;
    let link = format!("{base_url}/rounds/{}/reports/{}", round.id, activity.id);
    Ok(by_org
        .get(lead)
        .into_iter()
        .flatten()
        .map(|(email, _)| Mail {
            to: email.clone(),
            subject: lang.format(
                "mail-returned-subject",
                &[("activity", activity.title.clone())],
            ),
            body: lang.format(
                "mail-returned-body",
                &[
                    ("activity", activity.title.clone()),
                    ("round", round.title.clone()),
                    ("comment", comment.to_owned()),
                    ("link", link.clone()),
                ],
            ),
        })
        .collect())
}

/// What a batch of mail came to: the addresses it reached and those it did not, with why.
#[derive(Debug, Default)]
pub struct Sent {
    pub reached: Vec<String>,
    pub failed: Vec<(String, String)>,
}

/// Sends `mails` through `config`, answering for each one.
pub async fn send(config: &MailConfig, mails: &[Mail]) -> Result<Sent, MailError> {
    let mailer = Mailer::new(config)?;
    let results = mailer.send_all(mails).await;
    let mut sent = Sent::default();
    for (mail, result) in mails.iter().zip(results) {
        match result {
            Ok(()) => sent.reached.push(mail.to.clone()),
            Err(e) => sent.failed.push((mail.to.clone(), e.to_string())),
        }
    }
    Ok(sent)
}

/// Whether a report in this state still waits for its contributors.
pub fn waits(state: Option<ReportState>) -> bool {
    state.is_none_or(ReportState::editable)
}
