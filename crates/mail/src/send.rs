//! Sending: a batch of plain-text messages over one SMTP connection where possible, with an
//! answer for each message.

use std::error::Error as _;
use std::fmt;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::MailError;
use crate::config::{MailConfig, Security};

/// One message: plain text in UTF-8, so that Swedish text with å, ä and ö arrives intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The recipient, as `Name <address>` or the bare address.
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Sends mail through the server of a [`MailConfig`].
pub struct Mailer {
    /// The transport is built anew for each batch rather than kept: lettre's connection pool
    /// starts and stops tasks of its own, which needs a tokio runtime both when it is made and
    /// when it is dropped, and a `Mailer` may be made or dropped outside one. Reminders come in
    /// batches far apart, so nothing is lost by not keeping a connection open between them.
    transport: AsyncSmtpTransportBuilder,
    from: Mailbox,
    /// The URL without its password, to say which server could not be reached.
    server: String,
}

impl Mailer {
    /// A mailer for the server and sender of `config`. Nothing is connected yet.
    ///
    /// An error when TLS cannot be set up for the host (a name that is not a valid DNS name).
    pub fn new(config: &MailConfig) -> Result<Self, MailError> {
        let tls_error = |e: lettre::transport::smtp::Error| {
            MailError::Config(format!(
                "TLS cannot be set up for {}: {}",
                config.host,
                detail(&e)
            ))
        };
        let transport = match config.security {
            // `builder_dangerous` leaves TLS off, STARTTLS included: a plain URL means plain.
            Security::Plain => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            }
            Security::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                    .map_err(tls_error)?
            }
            Security::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host).map_err(tls_error)?
            }
        }
        .port(config.port);
        let transport = match &config.login {
            Some(login) => {
                transport.credentials(Credentials::new(login.user.clone(), login.password.clone()))
            }
            None => transport,
        };
        Ok(Self {
            transport,
            from: config.from.clone(),
            server: config.redacted(),
        })
    }

    /// Sends each message, and answers for each one in the same order: `Ok` or why it was not
    /// sent. A bad address fails only its own message; when the server cannot be reached, every
    /// message that had a good address gets [`MailError::Unreachable`], after one try to
    /// connect rather than one per message.
    ///
    /// A connection is reused across the batch (lettre's pool) and closed at its end.
    pub async fn send_all(&self, mails: &[Mail]) -> Vec<Result<(), MailError>> {
        let messages: Vec<Result<Message, MailError>> =
            mails.iter().map(|mail| self.message(mail)).collect();
        if messages.iter().all(Result::is_err) {
            return messages
                .into_iter()
                .map(|message| message.map(drop))
                .collect();
        }
        if tokio::runtime::Handle::try_current().is_err() {
            // lettre would panic when it starts the pool's task: say it instead.
            return messages
                .into_iter()
                .map(|message| message.and(Err(MailError::NoRuntime)))
                .collect();
        }
        let transport = self.transport.clone().build::<Tokio1Executor>();
        // One connection made first: a server that cannot be reached (or a TLS or log-in
        // failure) then costs one wait for the whole batch, not one per message.
        let reached = match transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(self.unreachable("the server did not answer NOOP".to_owned())),
            Err(e) => Err(self.unreachable(detail(&e))),
        };
        let mut results = Vec::with_capacity(mails.len());
        for (mail, message) in mails.iter().zip(messages) {
            // lettre hands a used connection back to its pool in a task of its own; letting that
            // task run first is what lets the next message take the same connection instead of
            // opening another.
            tokio::task::yield_now().await;
            results.push(match (message, &reached) {
                (Err(e), _) => Err(e),
                (Ok(_), Err(e)) => Err(e.clone()),
                (Ok(message), Ok(())) => {
                    transport
                        .send(message)
                        .await
                        .map(drop)
                        .map_err(|e| MailError::Send {
                            to: mail.to.clone(),
                            detail: detail(&e),
                        })
                }
            });
        }
        tokio::task::yield_now().await;
        // Closes the pooled connections (QUIT) before the transport is dropped.
        transport.shutdown().await;
        results
    }

    /// The message for `mail`, or why there is none (its address).
    fn message(&self, mail: &Mail) -> Result<Message, MailError> {
        let to: Mailbox = mail
            .to
            .trim()
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Address {
                address: mail.to.clone(),
                detail: e.to_string(),
            })?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(&mail.subject))
            .header(ContentType::TEXT_PLAIN)
            // A Message-ID (random, at this host's name): lettre does not add one by itself, and
            // spam filters count its absence against a message.
            .message_id(None)
            .body(mail.body.clone())
            .map_err(|e| MailError::Message {
                to: mail.to.clone(),
                detail: e.to_string(),
            })
    }

    fn unreachable(&self, detail: String) -> MailError {
        MailError::Unreachable {
            server: self.server.clone(),
            detail,
        }
    }
}

impl fmt::Debug for Mailer {
    // By hand: the transport's own Debug would show the log-in.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// The subject on one line. Text taken from the plans may carry a line break; lettre would
/// keep it safely encoded, but mail programs show a subject with one oddly or cut it.
fn one_line(subject: &str) -> String {
    subject
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An SMTP error with what caused it, on one line.
fn detail(e: &lettre::transport::smtp::Error) -> String {
    // lettre's Display already adds its immediate source; the causes further down are added
    // here, once each.
    let mut text = e.to_string();
    let mut cause = e.source().and_then(std::error::Error::source);
    while let Some(c) = cause {
        let shown = c.to_string();
        if !text.contains(&shown) {
            text.push_str(": ");
            text.push_str(&shown);
        }
        cause = c.source();
    }
    text
}
