//! `rodtrad serve` as a person starts it: on an empty default database it loads the Örebro data
//! set, prints the address, answers, and stops cleanly on SIGTERM.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

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
    let server = common::Server::start();
    let health = http_get(&server.address, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let home = http_get(&server.address, "/");
    assert!(
        home.starts_with("HTTP/1.1 200") && home.contains("Sveriges hjärta"),
        "{home}"
    );
    assert!(server.dir.path().join("rodtrad.db").exists());
    let (clean, log) = server.stop();
    assert!(clean, "{log}");
    assert!(
        log.contains("loaded the built-in Örebro data set") && log.contains("stopped"),
        "{log}"
    );
}
