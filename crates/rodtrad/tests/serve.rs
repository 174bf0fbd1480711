//! `rodtrad serve` as a person starts it: on an empty default database it loads the Örebro data
//! set, prints the address, answers, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn http_get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

#[test]
fn serve_loads_the_data_set_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("LANG", "C")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first_line)
        .expect("read");
    let url = first_line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the address to open")
        .to_owned();
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();

    let health = http_get(&address, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let home = http_get(&address, "/");
    assert!(
        home.starts_with("HTTP/1.1 200") && home.contains("Sveriges hjärta"),
        "{home}"
    );
    assert!(dir.path().join("rodtrad.db").exists());

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    assert!(status.success(), "exit {status:?}: {log}");
    assert!(
        log.contains("loaded the built-in Örebro data set") && log.contains("stopped"),
        "{log}"
    );
}
