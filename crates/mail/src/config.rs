//! Where mail goes: the SMTP server, how the connection to it is protected, who logs in, and
//! the sender, read from an SMTP URL and an address.

use std::fmt;

use lettre::message::Mailbox;
use percent_encoding::percent_decode_str;
use url::{Host, Url};

use crate::MailError;

/// The environment variable with the SMTP URL (see [`MailConfig::parse`]).
pub const SMTP_URL_ENV: &str = "RODTRAD_SMTP_URL";
/// The environment variable with the sender address, as `Name <address>` or the bare address.
pub const MAIL_FROM_ENV: &str = "RODTRAD_MAIL_FROM";

/// How the connection to the server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Security {
    /// No TLS at all, not even STARTTLS when offered: for a relay on the same host or network
    /// and for tests, where a certificate could not be checked anyway.
    Plain,
    /// STARTTLS, and the message is not sent if the server does not offer it.
    StartTls,
    /// TLS from the first byte.
    Tls,
}

/// A user name and password for the server, percent-decoded.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Login {
    pub(crate) user: String,
    pub(crate) password: String,
}

/// Where mail goes: parsed once from configuration.
#[derive(Clone)]
pub struct MailConfig {
    pub(crate) security: Security,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) login: Option<Login>,
    pub(crate) from: Mailbox,
    /// Kept only to be shown without its password ([`MailConfig::redacted`]).
    url: Url,
}

impl MailConfig {
    /// From an SMTP URL and a sender address.
    ///
    /// URL forms: `smtp://[user:pass@]host[:port]` (plain, port 25 by default: for local relays
    /// and tests; STARTTLS is not tried even when offered), `smtp+starttls://...` (STARTTLS
    /// required, port 587 by default), `smtps://...` (TLS, port 465 by default). The user and
    /// password are percent-decoded. The sender is `Name <address>` or the bare address.
    ///
    /// A bad URL or sender gives [`MailError::Config`] naming what is wrong (never the password).
    pub fn parse(url: &str, from: &str) -> Result<Self, MailError> {
        let config = |message: String| MailError::Config(message);
        // The parse error of the url crate does not repeat the input, so it cannot show a
        // password.
        let url = Url::parse(url.trim())
            .map_err(|e| config(format!("the SMTP URL cannot be read: {e}")))?;
        let (security, default_port) = match url.scheme() {
            "smtp" => (Security::Plain, 25),
            "smtp+starttls" => (Security::StartTls, 587),
            "smtps" => (Security::Tls, 465),
            other => {
                return Err(config(format!(
                    "the SMTP URL has the scheme {other:?}; use smtp://, smtp+starttls:// or smtps://"
                )));
            }
        };
        let host = match url.host() {
            Some(Host::Domain(name)) if !name.is_empty() => {
                // Outside http(s) the url crate keeps a name as written, percent-encoding
                // anything not ASCII; the resolver and the TLS check want plain ASCII.
                if !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
                {
                    return Err(config(format!(
                        "the SMTP URL's host {name:?} is not a host name (write an international name in its xn-- form)"
                    )));
                }
                name.to_ascii_lowercase()
            }
            Some(Host::Ipv4(address)) => address.to_string(),
            Some(Host::Ipv6(address)) => address.to_string(),
            _ => return Err(config("the SMTP URL names no host".to_owned())),
        };
        let port = match url.port() {
            Some(0) => return Err(config("the SMTP URL has port 0".to_owned())),
            Some(port) => port,
            None => default_port,
        };
        if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
            // Said rather than ignored: an option written there (as `?tls=...`) would otherwise
            // silently not apply.
            return Err(config(
                "the SMTP URL has a path, query or fragment; only user, password, host and port are read"
                    .to_owned(),
            ));
        }
        let login = match (url.username(), url.password()) {
            ("", None) => None,
            ("", Some(_)) => {
                return Err(config(
                    "the SMTP URL has a password but no user name".to_owned(),
                ));
            }
            (user, password) => Some(Login {
                user: decode(user, "user name")?,
                password: password.map_or(Ok(String::new()), |p| decode(p, "password"))?,
            }),
        };
        let from = parse_sender(from)?;
        Ok(Self {
            security,
            host,
            port,
            login,
            from,
            url,
        })
    }

    /// From the environment: [`SMTP_URL_ENV`] (`RODTRAD_SMTP_URL`) and [`MAIL_FROM_ENV`]
    /// (`RODTRAD_MAIL_FROM`).
    ///
    /// `Ok(None)` when `RODTRAD_SMTP_URL` is unset or empty: mail is then not configured. An
    /// error when it is set but bad, or when the sender is missing or bad.
    pub fn from_env() -> Result<Option<Self>, MailError> {
        from_values(env_value(SMTP_URL_ENV)?, env_value(MAIL_FROM_ENV)?)
    }

    /// The URL with the password replaced by `***`, for logs.
    pub fn redacted(&self) -> String {
        // Written out from the parts rather than by editing the URL, so that no failure to
        // edit it could let the password through.
        let mut shown = format!("{}://", self.url.scheme());
        if !self.url.username().is_empty() {
            shown.push_str(self.url.username());
            if self.url.password().is_some() {
                shown.push_str(":***");
            }
            shown.push('@');
        }
        shown.push_str(self.url.host_str().unwrap_or_default());
        if let Some(port) = self.url.port() {
            shown.push(':');
            shown.push_str(&port.to_string());
        }
        shown
    }
}

impl fmt::Debug for MailConfig {
    // By hand, so that a configuration logged with `{:?}` does not show the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailConfig")
            .field("url", &self.redacted())
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// The configuration from the values of the two variables, apart from reading them so that it
/// can be tested without changing the environment of the test process.
fn from_values(url: Option<String>, from: Option<String>) -> Result<Option<MailConfig>, MailError> {
    let Some(url) = url.filter(|u| !u.trim().is_empty()) else {
        return Ok(None);
    };
    let Some(from) = from.filter(|f| !f.trim().is_empty()) else {
        return Err(MailError::Config(format!(
            "{SMTP_URL_ENV} is set but {MAIL_FROM_ENV}, the sender address, is not"
        )));
    };
    MailConfig::parse(&url, &from).map(Some)
}

/// The value of an environment variable, `None` when unset.
fn env_value(name: &str) -> Result<Option<String>, MailError> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(MailError::Config(format!("{name} is not valid UTF-8")))
        }
    }
}

/// A percent-decoded part of the URL; `what` names it in the error.
fn decode(part: &str, what: &str) -> Result<String, MailError> {
    percent_decode_str(part)
        .decode_utf8()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| {
            MailError::Config(format!(
                "the SMTP URL's {what} is not UTF-8 once percent-decoded"
            ))
        })
}

fn parse_sender(from: &str) -> Result<Mailbox, MailError> {
    let from = from.trim();
    if from.is_empty() {
        return Err(MailError::Config("no sender address".to_owned()));
    }
    from.parse().map_err(|e| {
        MailError::Config(format!(
            "the sender address {from:?} is not an e-mail address: {e}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FROM: &str = "Röd tråd <noreply@example.se>";

    fn parse(url: &str) -> MailConfig {
        match MailConfig::parse(url, FROM) {
            Ok(config) => config,
            Err(e) => panic!("{url}: {e}"),
        }
    }

    fn refused(url: &str, from: &str) -> String {
        match MailConfig::parse(url, from) {
            Ok(config) => panic!("{url} was taken: {config:?}"),
            Err(MailError::Config(message)) => message,
            Err(e) => panic!("{url}: not a configuration error: {e}"),
        }
    }

    #[test]
    fn each_scheme_has_its_protection_and_default_port() {
        let plain = parse("smtp://localhost");
        assert_eq!(
            (plain.security, plain.host.as_str(), plain.port),
            (Security::Plain, "localhost", 25)
        );
        assert!(plain.login.is_none());
        let starttls = parse("smtp+starttls://mail.example.se");
        assert_eq!(
            (starttls.security, starttls.port),
            (Security::StartTls, 587)
        );
        let tls = parse("smtps://mail.example.se");
        assert_eq!((tls.security, tls.port), (Security::Tls, 465));
    }

    #[test]
    fn a_port_in_the_url_wins() {
        assert_eq!(parse("smtp://127.0.0.1:2525").port, 2525);
        assert_eq!(parse("smtp+starttls://mail.example.se:25").port, 25);
        assert_eq!(parse("smtps://mail.example.se:4650/").port, 4650);
    }

    #[test]
    fn hosts_are_names_or_addresses() {
        assert_eq!(parse("smtp://Mail.Example.SE").host, "mail.example.se");
        assert_eq!(parse("smtp://10.1.2.3").host, "10.1.2.3");
        assert_eq!(parse("smtp://[::1]:25").host, "::1");
    }

    #[test]
    fn user_and_password_are_percent_decoded() {
        let config = parse(
            "smtp+starttls://p%C3%A5minnelser%40region.se:h%C3%A4mligt%3A%2F@mail.example.se",
        );
        let login = config.login.expect("a login");
        assert_eq!(login.user, "påminnelser@region.se");
        assert_eq!(login.password, "hämligt:/");
    }

    #[test]
    fn the_sender_may_have_a_name() {
        let config = parse("smtp://localhost");
        assert_eq!(config.from.email.to_string(), "noreply@example.se");
        assert_eq!(config.from.name.as_deref(), Some("Röd tråd"));
        let bare = MailConfig::parse("smtp://localhost", " noreply@example.se ").expect("bare");
        assert_eq!(bare.from.to_string(), "noreply@example.se");
    }

    #[test]
    fn a_bad_scheme_is_named() {
        let message = refused("http://mail.example.se", FROM);
        assert!(message.contains("\"http\""), "{message}");
        assert!(message.contains("smtp+starttls://"), "{message}");
    }

    #[test]
    fn a_missing_host_is_named() {
        for url in ["smtp://", "smtp:mail.example.se", "smtps://user:pw@:465"] {
            let message = refused(url, FROM);
            assert!(message.contains("host"), "{url}: {message}");
        }
    }

    #[test]
    fn what_cannot_be_read_is_refused() {
        assert!(refused("not a url", FROM).contains("cannot be read"));
        assert!(refused("smtp://localhost:0", FROM).contains("port 0"));
        assert!(refused("smtp://localhost:99999", FROM).contains("cannot be read"));
        assert!(refused("smtp://localhost?tls=required", FROM).contains("query"));
        assert!(refused("smtp://localhost/mail", FROM).contains("path"));
        assert!(refused("smtp://:secret@localhost", FROM).contains("no user name"));
        assert!(refused("smtp://m%C3%A4il.se", FROM).contains("xn--"));
    }

    #[test]
    fn a_bad_sender_is_named() {
        for from in ["", "   ", "noreply", "noreply@", "Röd tråd <noreply>"] {
            let message = refused("smtp://localhost", from);
            assert!(message.contains("sender"), "{from:?}: {message}");
        }
    }

    #[test]
    fn redaction_hides_the_password() {
        let config = parse("smtps://user%40region.se:topp%20hemligt@mail.example.se:465");
        assert_eq!(
            config.redacted(),
            "smtps://user%40region.se:***@mail.example.se:465"
        );
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("topp") && !debug.contains("hemligt"),
            "{debug}"
        );
        assert_eq!(parse("smtp://user@[::1]").redacted(), "smtp://user@[::1]");
        assert_eq!(parse("smtp://localhost").redacted(), "smtp://localhost");
    }

    #[test]
    fn errors_do_not_show_the_password() {
        let e = MailConfig::parse("ftp://user:topphemligt@mail.example.se", FROM)
            .expect_err("a bad scheme");
        assert!(!e.to_string().contains("topphemligt"), "{e}");
    }

    #[test]
    fn from_values_is_none_without_a_url() {
        assert_eq!(from_values(None, None).map(|c| c.is_none()), Ok(true));
        assert_eq!(
            from_values(Some("  ".to_owned()), Some(FROM.to_owned())).map(|c| c.is_none()),
            Ok(true)
        );
    }

    #[test]
    fn from_values_needs_a_sender_with_a_url() {
        for from in [None, Some(String::new())] {
            match from_values(Some("smtp://localhost".to_owned()), from) {
                Err(MailError::Config(message)) => {
                    assert!(message.contains(MAIL_FROM_ENV), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn from_values_reads_a_good_pair_and_refuses_a_bad_url() {
        let config = from_values(
            Some("smtp://localhost:2525".to_owned()),
            Some(FROM.to_owned()),
        )
        .expect("good")
        .expect("configured");
        assert_eq!(config.port, 2525);
        assert!(matches!(
            from_values(Some("smtq://localhost".to_owned()), Some(FROM.to_owned())),
            Err(MailError::Config(_))
        ));
    }
}
