//! A small SMTP server for tests (cargo feature `testing`): it listens on 127.0.0.1 on a port of
//! its own, takes every message, and records what arrived, decoded.
//!
//! Written here rather than taken from a crate: the SMTP server crates are either whole
//! programs, thread-based servers that cannot be stopped, or servers that bind a port given to
//! them without saying which port 0 became, while tests running side by side each need a port
//! of their own. It speaks as much SMTP as lettre uses: EHLO/HELO, AUTH PLAIN, MAIL FROM, RCPT
//! TO, DATA (with dot-unstuffing), RSET, NOOP and QUIT; STARTTLS is offered but refused. The message itself is decoded
//! by mail-parser, so that the subject and body read as they were written.

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use base64::Engine as _;
use mail_parser::MessageParser;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// What arrived: one message as the server took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The envelope's sender (MAIL FROM), the bare address.
    pub from: String,
    /// The envelope's recipients (RCPT TO), bare addresses in the order given.
    pub to: Vec<String>,
    /// The subject, decoded (encoded-words undone).
    pub subject: String,
    /// The text body, decoded (quoted-printable or base64 undone), with the line ends of the
    /// wire (CRLF) turned into `\n`.
    pub body: String,
}

/// What the server has seen so far, shared with its tasks.
#[derive(Debug, Default)]
struct Log {
    received: Vec<Received>,
    logins: Vec<(String, String)>,
    connections: usize,
    refused: Vec<String>,
}

/// A test SMTP server on 127.0.0.1. It stops when dropped.
#[derive(Debug)]
pub struct TestSmtp {
    port: u16,
    log: Arc<Mutex<Log>>,
    server: JoinHandle<()>,
}

impl TestSmtp {
    /// Binds 127.0.0.1 port 0 (a free port) and serves in a tokio task.
    ///
    /// # Panics
    ///
    /// When no port can be bound: the test cannot go on then.
    pub async fn start() -> TestSmtp {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("the test SMTP server binds a port on 127.0.0.1");
        let port = listener
            .local_addr()
            .expect("the test SMTP server knows its port")
            .port();
        let log = Arc::new(Mutex::new(Log::default()));
        let server = tokio::spawn(serve(listener, Arc::clone(&log)));
        TestSmtp { port, log, server }
    }

    /// The URL to configure a mailer with: `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The messages that arrived so far, in order. A message is here before the server answers
    /// its DATA, so once a send has returned `Ok` its message is in.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.log).received.clone()
    }

    /// The user names and passwords of the AUTH PLAIN log-ins so far.
    pub fn logins(&self) -> Vec<(String, String)> {
        lock(&self.log).logins.clone()
    }

    /// How many connections were opened to the server so far.
    pub fn connections(&self) -> usize {
        lock(&self.log).connections
    }

    /// From now on, answers RCPT TO for `address` (compared without regard to case) with 550,
    /// as a server does for a mailbox it does not have.
    pub fn refuse_recipient(&self, address: &str) {
        lock(&self.log).refused.push(address.to_owned());
    }
}

impl Drop for TestSmtp {
    fn drop(&mut self) {
        // Ends the listening task, and with it (its JoinSet) every open connection.
        self.server.abort();
    }
}

/// The log, even when a task panicked while holding it: what it had recorded still stands.
fn lock(log: &Mutex<Log>) -> MutexGuard<'_, Log> {
    log.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn serve(listener: TcpListener, log: Arc<Mutex<Log>>) {
    let mut sessions = JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        lock(&log).connections += 1;
        // A connection that breaks off ends only itself.
        sessions.spawn(session(stream, Arc::clone(&log)));
        while sessions.try_join_next().is_some() {}
    }
}

/// One SMTP conversation, until QUIT or the client goes away.
async fn session(stream: TcpStream, log: Arc<Mutex<Log>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write.write_all(b"220 rodtrad-test-smtp ESMTP\r\n").await?;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    loop {
        let Some(line) = read_line(&mut read).await? else {
            return Ok(());
        };
        let (verb, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let reply = match verb.to_ascii_uppercase().as_str() {
            // STARTTLS is offered, as relays do, but cannot be had: a client that requires it
            // fails, and one that must not use it (a plain URL) is not led to try.
            "EHLO" => {
                "250-rodtrad-test-smtp\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n"
            }
            "STARTTLS" => "454 TLS not available\r\n",
            "HELO" => "250 rodtrad-test-smtp\r\n",
            "AUTH" => {
                let Some(plain) = strip_prefix_ignore_case(rest, "PLAIN") else {
                    write.write_all(b"504 only AUTH PLAIN\r\n").await?;
                    continue;
                };
                let initial = plain.trim();
                let response = if initial.is_empty() {
                    write.write_all(b"334 \r\n").await?;
                    read_line(&mut read).await?.unwrap_or_default()
                } else {
                    initial.to_owned()
                };
                match decode_plain(&response) {
                    Some(login) => {
                        lock(&log).logins.push(login);
                        "235 authenticated\r\n"
                    }
                    None => "501 bad AUTH PLAIN response\r\n",
                }
            }
            "MAIL" => match path(rest, "FROM:") {
                Some(address) => {
                    from = Some(address);
                    to.clear();
                    "250 OK\r\n"
                }
                None => "501 MAIL FROM:<address>\r\n",
            },
            "RCPT" if from.is_none() => "503 MAIL first\r\n",
            "RCPT" => match path(rest, "TO:") {
                Some(address)
                    if lock(&log)
                        .refused
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case(&address)) =>
                {
                    "550 no such mailbox\r\n"
                }
                Some(address) => {
                    to.push(address);
                    "250 OK\r\n"
                }
                None => "501 RCPT TO:<address>\r\n",
            },
            "DATA" if to.is_empty() => "503 RCPT first\r\n",
            "DATA" => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let Some(raw) = read_data(&mut read).await? else {
                    return Ok(());
                };
                let received = decode(
                    from.take().unwrap_or_default(),
                    std::mem::take(&mut to),
                    &raw,
                );
                lock(&log).received.push(received);
                "250 OK\r\n"
            }
            "RSET" => {
                from = None;
                to.clear();
                "250 OK\r\n"
            }
            "NOOP" => "250 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => "502 command not implemented\r\n",
        };
        write.write_all(reply.as_bytes()).await?;
    }
}

/// A command line without its line end; `None` when the client has gone.
async fn read_line(read: &mut (impl AsyncBufReadExt + Unpin)) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    if read.read_until(b'\n', &mut line).await? == 0 {
        return Ok(None);
    }
    let line = String::from_utf8_lossy(&line);
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()))
}

/// The message after DATA, up to the line with a single dot, dot-unstuffed (RFC 5321 4.5.2);
/// `None` when the client went away before the end.
///
/// The line end before the dot is left out: the client adds it to end its last line (lettre
/// does so after a body that has none), so keeping it would give back a body with a line end
/// that its sender did not write.
async fn read_data(read: &mut (impl AsyncBufReadExt + Unpin)) -> std::io::Result<Option<Vec<u8>>> {
    let mut raw = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        if line == b".\r\n" || line == b".\n" {
            let end = raw
                .strip_suffix(b"\r\n")
                .or_else(|| raw.strip_suffix(b"\n"))
                .map_or(raw.len(), <[u8]>::len);
            raw.truncate(end);
            return Ok(Some(raw));
        }
        raw.extend_from_slice(line.strip_prefix(b".").unwrap_or(&line));
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The address in `FROM:<address> PARAMETERS` (or `TO:`).
fn path(rest: &str, keyword: &str) -> Option<String> {
    let rest = strip_prefix_ignore_case(rest.trim_start(), keyword)?.trim_start();
    let inner = rest.strip_prefix('<')?;
    let end = inner.find('>')?;
    Some(inner[..end].to_owned())
}

/// The user name and password of an AUTH PLAIN response: base64 of `authzid NUL user NUL password`.
fn decode_plain(response: &str) -> Option<(String, String)> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(response.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.split('\0');
    let _authorization = parts.next()?;
    Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
}

fn decode(from: String, to: Vec<String>, raw: &[u8]) -> Received {
    let message = MessageParser::default().parse(raw);
    let subject = message
        .as_ref()
        .and_then(|m| m.subject())
        .unwrap_or_default()
        .to_owned();
    let body = message
        .as_ref()
        .and_then(|m| m.body_text(0))
        .map(|text| text.replace("\r\n", "\n"))
        .unwrap_or_default();
    Received {
        from,
        to,
        subject,
        body,
    }
}
