//! Several `rodtrad serve` processes on one database, as shared hosting runs them: what one
//! saves, and what the command line imports, is on the other's pages within a second.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Server, databases};

/// One HTTP/1.1 request; the whole response, headers and body.
fn http(address: &str, method: &str, path: &str, cookie: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

fn cookie(response: &str, name: &str) -> String {
    response
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .expect("cookie")
        .to_owned()
}

fn field(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\"")).expect("field");
    let rest = &page[at..];
    let v = rest.find("value=\"").expect("value") + 7;
    rest[v..v + rest[v..].find('"').expect("end")].to_owned()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let v: String = url_encoded(v);
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn url_encoded(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn rodtrad(url: &str, args: &[&str], dir: &Path, input: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
        .args(["--database", url])
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rodtrad");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("input");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How long until `page` on `server` shows `text`; panics after three seconds.
fn seen_after(server: &Server, page: &str, text: &str) -> Duration {
    let start = Instant::now();
    loop {
        if http(&server.address, "GET", page, "", "").contains(text) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{page} on {} never showed {text:?}",
            server.address
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn what_one_server_saves_and_an_import_brings_are_on_the_others_pages_within_a_second() {
    let dir = tempfile::tempdir().expect("tmp");
    for url in databases(dir.path(), "servers") {
        rodtrad(&url, &["demo"], dir.path(), "");
        let password = "ett långt lösenord för testet";
        rodtrad(
            &url,
            &["user", "add", "--admin", "admin@x.se"],
            dir.path(),
            &format!("{password}\n"),
        );
        let (one, two) = (Server::start_on(&url), Server::start_on(&url));

        // Log in on the first server, and save an activity's new title there.
        let login = http(&one.address, "GET", "/login", "", "");
        let anon = cookie(&login, "rodtrad_csrf");
        let body = form(&[
            ("csrf", &anon),
            ("email", "admin@x.se"),
            ("password", password),
            ("next", "/"),
        ]);
        let signed_in = http(
            &one.address,
            "POST",
            "/login",
            &format!("rodtrad_csrf={anon}"),
            &body,
        );
        let session = format!("rodtrad_session={}", cookie(&signed_in, "rodtrad_session"));
        let edit = "/edit/activity/narvaroteam";
        let page = http(&one.address, "GET", edit, &session, "");
        let body = form(&[
            ("csrf", &field(&page, "csrf")),
            ("revision", &field(&page, "revision")),
            ("title", "Sparad på den första servern"),
            ("lead", &field(&page, "lead").replace("&#x2d;", "-")),
        ]);
        let saved = http(&one.address, "POST", edit, &session, &body);
        assert!(saved.starts_with("HTTP/1.1 303"), "{saved}");
        let after = seen_after(
            &two,
            "/activities/narvaroteam",
            "Sparad på den första servern",
        );
        assert!(
            after < Duration::from_secs(1),
            "{url}: the save seen after {after:?}"
        );

        // An import from the command line, seen by both.
        let export = dir.path().join(format!("export-{}", url.len()));
        rodtrad(
            &url,
            &["export", export.to_str().expect("path")],
            dir.path(),
            "",
        );
        let activities = export.join("activities.toml");
        let text = std::fs::read_to_string(&activities).expect("read");
        std::fs::write(
            &activities,
            text.replacen(
                "Sparad på den första servern",
                "Importerad från kommandoraden",
                1,
            ),
        )
        .expect("write");
        rodtrad(
            &url,
            &["import", export.to_str().expect("path")],
            dir.path(),
            "",
        );
        for server in [&one, &two] {
            let after = seen_after(
                server,
                "/activities/narvaroteam",
                "Importerad från kommandoraden",
            );
            assert!(
                after < Duration::from_secs(1),
                "{url}: the import seen after {after:?}"
            );
        }
    }
}
