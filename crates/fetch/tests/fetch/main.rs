//! The crate's one integration-test binary: the client against a local server answering with
//! recorded real answers (Kolada, SCB's PxWeb) and with the failures the client must report.

mod errors;
mod kolada;
mod pxweb;
mod server;

use std::path::PathBuf;
use std::time::Duration;

use rodtrad_fetch::{Client, Config};

/// A recorded answer from `rodtrad-stats`' test data.
pub fn recorded(path: &str) -> Vec<u8> {
    let file: PathBuf = [env!("CARGO_MANIFEST_DIR"), "../stats/tests/data", path]
        .iter()
        .collect();
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// A client of `server` for every service, quick to give up and to try again.
pub fn client(server: &server::Server) -> Client {
    client_with(server, |_| {})
}

pub fn client_with(server: &server::Server, change: impl FnOnce(&mut Config)) -> Client {
    let mut config = Config {
        kolada: server.url("/v3"),
        scb_v1: server.url("/OV0104/v1/doris/sv/ssd"),
        scb_v2: server.url("/ov0104/v2beta/api/v2"),
        folkhalsodata: server.url("/Folkhalsodata/api/v1/sv"),
        timeout: Duration::from_secs(10),
        max_wait: Duration::from_millis(50),
        ..Config::default()
    };
    change(&mut config);
    Client::with_config(config).expect("client")
}
