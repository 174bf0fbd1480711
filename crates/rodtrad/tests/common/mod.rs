//! What the binary's tests share: `rodtrad serve` processes on a free port, and the databases
//! to run on.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The database URLs to test on: a SQLite file in `dir`, and a new PostgreSQL database when
/// `RODTRAD_TEST_POSTGRES` names a server.
pub fn databases(dir: &Path, name: &str) -> Vec<String> {
    let mut urls = vec![format!(
        "sqlite:{}",
        dir.join(format!("{name}.db")).display()
    )];
    if let Ok(admin) = std::env::var("RODTRAD_TEST_POSTGRES") {
        let db = format!("rodtrad_cli_{name}_{}", std::process::id());
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async {
            use sqlx::{Connection, Executor};
            let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect");
            conn.execute(format!("DROP DATABASE IF EXISTS {db}").as_str())
                .await
                .expect("drop");
            conn.execute(format!("CREATE DATABASE {db}").as_str())
                .await
                .expect("create");
        });
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        urls.push(format!("{base}/{db}"));
    }
    urls
}

pub struct Server {
    pub dir: tempfile::TempDir,
    pub address: String,
    child: Child,
}

impl Server {
    /// Starts `rodtrad serve` on an empty default database and waits for its address.
    pub fn start() -> Server {
        Self::start_with(&[])
    }

    /// Starts `rodtrad serve` on the database at `url`.
    pub fn start_on(url: &str) -> Server {
        Self::start_with(&["--database", url])
    }

    fn start_with(database: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("tmp");
        let mut child = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
            .args(database)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env("LANG", "C")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rodtrad serve");
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first_line)
            .expect("read");
        let url = first_line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("the address to open");
        let address = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        Server {
            dir,
            address,
            child,
        }
    }

    /// Sends SIGTERM and returns whether the server exited cleanly, and its log.
    pub fn stop(mut self) -> (bool, String) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        let status = self.child.wait().expect("wait");
        let mut log = String::new();
        self.child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut log)
            .expect("log");
        (status.success(), log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
