//! A `rodtrad serve` process for tests, on a free port in a temporary directory.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

pub struct Server {
    pub dir: tempfile::TempDir,
    pub address: String,
    child: Child,
}

impl Server {
    /// Starts `rodtrad serve` on an empty default database and waits for its address.
    pub fn start() -> Server {
        let dir = tempfile::tempdir().expect("tmp");
        let mut child = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
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
