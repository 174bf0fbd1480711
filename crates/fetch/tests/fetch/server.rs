//! A small HTTP/1.1 server on 127.0.0.1 for the tests: it answers each request with what the
//! test's handler says and keeps every request, so a test can check what the client sent.
//! Written on tokio's sockets rather than a framework so that it can also misbehave: hang,
//! or send a body with no length.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as it arrived.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The query's pairs, decoded.
    pub fn query(&self) -> Vec<(String, String)> {
        let url = reqwest::Url::parse(&format!("http://x{}", self.target)).expect("a target");
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// What to answer.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    length: bool,
    hang: bool,
}

impl Reply {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            length: true,
            hang: false,
        }
    }

    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Self::new(200, body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The body ended by closing the connection, its length not said beforehand.
    pub fn without_length(mut self) -> Self {
        self.length = false;
        self
    }

    /// No answer at all.
    pub fn hang() -> Self {
        Self {
            hang: true,
            ..Self::ok("")
        }
    }
}

type Handler = dyn Fn(&Request, &str) -> Reply + Send + Sync;

#[derive(Debug)]
pub struct Server {
    base: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// A server answering with `handler(request, base)`, `base` its own `http://127.0.0.1:port`.
    pub async fn start(handler: impl Fn(&Request, &str) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (log, at) = (requests.clone(), base.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, handler, at) = (log.clone(), handler.clone(), at.clone());
                tokio::spawn(async move { serve(stream, &log, &*handler, &at).await });
            }
        });
        Server { base, requests }
    }

    /// `http://127.0.0.1:port` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("log").clone()
    }

    pub fn targets(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.target).collect()
    }
}

/// One request on a connection, then the connection closed: enough for a client that
/// reconnects, and it keeps the parsing short.
async fn serve(mut stream: TcpStream, log: &Mutex<Vec<Request>>, handler: &Handler, base: &str) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    log.lock().expect("log").push(request.clone());
    let reply = handler(&request, base);
    if reply.hang {
        tokio::time::sleep(Duration::from_secs(30)).await;
        return;
    }
    let mut lines = vec![
        format!("HTTP/1.1 {} X", reply.status),
        "connection: close".to_owned(),
    ];
    if reply.length {
        lines.push(format!("content-length: {}", reply.body.len()));
    }
    lines.extend(reply.headers.iter().map(|(n, v)| format!("{n}: {v}")));
    let head = lines.join("\r\n") + "\r\n\r\n";
    // The client may hang up first (a body over its limit): not the test's concern here.
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&reply.body).await;
    let _ = stream.shutdown().await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let mut chunk = [0; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}
