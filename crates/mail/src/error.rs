//! What can go wrong with mail: the configuration, one message's address, or the server.

/// Why a configuration was refused or a message was not sent.
///
/// The details are text rather than the errors underneath, so that one failure to reach the
/// server can be told for every message of a batch (the error is `Clone`), and so that no type
/// of the mail library leaks into the callers. No variant holds a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The configuration cannot be used; the message names what is wrong.
    #[error("mail configuration: {0}")]
    Config(String),
    /// A recipient that is not an e-mail address: only that message is not sent.
    #[error("{address:?} is not an e-mail address: {detail}")]
    Address { address: String, detail: String },
    /// The message could not be put together (not expected with a valid address).
    #[error("the message to {to} could not be put together: {detail}")]
    Message { to: String, detail: String },
    /// The server could not be reached or refused the connection (TLS, log-in): no message of
    /// the batch was sent. `server` is the URL without its password.
    #[error("the mail server {server} could not be reached: {detail}")]
    Unreachable { server: String, detail: String },
    /// The server was reached but did not take this message.
    #[error("the mail server did not take the message to {to}: {detail}")]
    Send { to: String, detail: String },
    /// Sending was polled outside a tokio runtime, which the SMTP client needs.
    #[error("mail can be sent only from within a tokio runtime")]
    NoRuntime,
}
