//! E-mail of Röd tråd: reminders sent through the SMTP server that configuration names.
//!
//! [`MailConfig`] is read once, from an SMTP URL and a sender address (or from the environment,
//! [`MailConfig::from_env`]), so that a mistake shows when the program starts and not at the
//! first reminder. A [`Mailer`] sends a batch of plain-text [`Mail`]s and answers for each
//! one, so that one bad address does not stop the others.
//!
//! With the cargo feature `testing`, [`testing::TestSmtp`] is a small SMTP server on 127.0.0.1
//! that records what arrives, for the tests of the crates that send mail.

mod config;
mod error;
mod send;
#[cfg(feature = "testing")]
pub mod testing;

pub use config::{MAIL_FROM_ENV, MailConfig, SMTP_URL_ENV};
pub use error::MailError;
pub use send::{Mail, Mailer};
