//! Indicators' statistics from the web, end to end: `indicator inspect` and `import` of an
//! address, and `indicator refresh`, against a local server answering with recorded answers of
//! Kolada and SCB (`crates/stats/tests/data`), on every backend.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use common::databases;

/// A request as the server got it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    /// The path and query, as sent.
    target: String,
    body: String,
}

/// An answer: the status and the body.
type Reply = (u16, Vec<u8>);

/// A small HTTP/1.1 server on 127.0.0.1: one request a connection, answered with what the
/// handler says for it, every request kept. Threads and std's sockets suffice: the client is
/// the binary, in another process.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// `handler(request, base)` answers, `base` the server's own `http://127.0.0.1:port`.
    fn start(handler: impl Fn(&Request, &str) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let (log, at) = (requests.clone(), base.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, handler, at) = (log.clone(), handler.clone(), at.clone());
                std::thread::spawn(move || serve(stream, &log, &*handler, &at));
            }
        });
        Server { base, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("log").clone()
    }
}

fn serve(
    stream: TcpStream,
    log: &Mutex<Vec<Request>>,
    handler: &(dyn Fn(&Request, &str) -> Reply + Send + Sync),
    base: &str,
) {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut words = first.split_whitespace();
    let (method, target) = (
        words.next().unwrap_or_default().to_owned(),
        words.next().unwrap_or_default().to_owned(),
    );
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let request = Request {
        method,
        target,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    log.lock().expect("log").push(request.clone());
    let (status, body) = handler(&request, base);
    let head = format!(
        "HTTP/1.1 {status} X\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn recorded(path: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../stats/tests/data")
        .join(path);
    std::fs::read(path).expect("recorded answer")
}

/// Kolada's recorded N00945 in two pages, the first naming the second in `next_url`.
fn kolada_page(n: usize, base: &str) -> Vec<u8> {
    let whole: serde_json::Value =
        serde_json::from_slice(&recorded("kolada/data-N00945.json")).expect("JSON");
    let values = whole["values"].as_array().expect("values");
    let half = values.len() / 2;
    let (part, next) = if n == 1 {
        (
            &values[..half],
            Some(format!("{base}/v3/data/kpi/N00945?page=2")),
        )
    } else {
        (&values[half..], None)
    };
    serde_json::to_vec(&serde_json::json!({
        "values": part,
        "count": part.len(),
        "next_url": next,
        "previous_url": null,
    }))
    .expect("JSON")
}

/// The server the tests share: Kolada under `/v3`, SCB's PxWeb under `/pxweb`, and a 404
/// with the reason as PxWeb gives it for anything else.
fn statistics_server() -> Server {
    Server::start(|request, base| {
        let path = request.target.split('?').next().unwrap_or_default();
        match (request.method.as_str(), path) {
            ("GET", p) if p.starts_with("/v3/data/kpi/N00945") => {
                let page = if request.target.ends_with("?page=2") {
                    2
                } else {
                    1
                };
                (200, kolada_page(page, base))
            }
            // Version 1 asked for JSON-stat, and version 2: the same answer.
            ("POST", "/pxweb/api/v1/sv/ssd/BE/BE0101/BE0101A/BefolkningManad")
            | ("GET", "/pxweb/api/v2/tables/TAB6471/data") => {
                (200, recorded("pxweb/TAB6471_data.json"))
            }
            ("GET", "/pxweb/v1/ME0104T24") => (200, recorded("pxweb/v1/ME0104T24_data.json")),
            _ => (
                404,
                br#"{"title": "Not Found", "detail": "Tabellen finns inte"}"#.to_vec(),
            ),
        }
    })
}

fn rodtrad(args: &[&str], dir: &Path, kolada: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rodtrad"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RODTRAD_LANG")
        .env_remove("RODTRAD_KOLADA_URL")
        .env("LANG", "C");
    if let Some(url) = kolada {
        command.env("RODTRAD_KOLADA_URL", url);
    }
    command.output().expect("run rodtrad")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

/// The Örebro data set with indicators, each `(id, the [source] table's lines)`, measuring its
/// first plan's first goal.
fn orebro_with(dir: &Path, indicators: &[(&str, String)]) -> PathBuf {
    let orebro = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro");
    let set = rodtrad_format::parse_dir(&orebro).expect("valid");
    let plan = &set.plans[0];
    let to = dir.join("med-indikatorer");
    copy_dir(&orebro, &to);
    std::fs::create_dir_all(to.join("indicators")).expect("dir");
    for (id, source) in indicators {
        std::fs::write(
            to.join(format!("indicators/{id}.toml")),
            format!(
                "id = \"{id}\"\ntitle = \"{id}\"\n\n[source]\n{source}\n\n[[measure]]\ngoal = \"{}/{}\"\n",
                plan.id, plan.nodes[0].id
            ),
        )
        .expect("write");
    }
    to
}

/// A database on `url` holding the data set in `set_dir`.
fn imported(url: &str, set_dir: &Path, dir: &Path) {
    let out = rodtrad(
        &["--database", url, "import", set_dir.to_str().expect("path")],
        dir,
        None,
    );
    assert!(out.status.success(), "{url}: {}", stderr(&out));
}

/// A query of PxWeb version 1 asking JSON-stat, as an indicator's TOML holds it.
const QUERY: &str = r#"{"query": [{"code": "Region", "selection": {"filter": "vs:RegionLän07", "values": ["18"]}}], "response": {"format": "json-stat2"}}"#;

#[test]
fn inspect_reads_an_address_every_page_of_kolada() {
    let server = statistics_server();
    let dir = tempfile::tempdir().expect("tmp");
    let out = rodtrad(
        &["indicator", "inspect", &server.url("/v3/data/kpi/N00945")],
        dir.path(),
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("Kolada API v3, en tabell"), "{said}");
    assert!(said.contains("Värden: 63 av 63 celler"), "{said}");
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        ["/v3/data/kpi/N00945", "/v3/data/kpi/N00945?page=2"]
    );

    // Another address is read as what it answers, or as the kind named.
    let out = rodtrad(
        &[
            "--lang",
            "en",
            "indicator",
            "inspect",
            &server.url("/pxweb/api/v2/tables/TAB6471/data?lang=sv&outputFormat=json-stat2"),
        ],
        dir.path(),
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2772 values"), "{}", stdout(&out));
    let out = rodtrad(
        &[
            "indicator",
            "inspect",
            "--from",
            "pxweb",
            &server.url("/pxweb/v1/ME0104T24"),
        ],
        dir.path(),
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("  Parti (parti)"), "{}", stdout(&out));
}

#[test]
fn an_address_that_is_not_there_is_said_with_its_status_and_reason() {
    let server = statistics_server();
    let dir = tempfile::tempdir().expect("tmp");
    let missing = server.url("/pxweb/api/v1/sv/ssd/saknas");
    let out = rodtrad(&["indicator", "inspect", &missing], dir.path(), None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out).trim(),
        format!(
            "fel: {missing} svarade med HTTP-status 404 (finns inte); tjänsten säger: Not Found: Tabellen finns inte"
        )
    );
    let out = rodtrad(
        &["--lang", "en", "indicator", "inspect", &missing],
        dir.path(),
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{missing} answered with HTTP status 404 (not found)"
        )),
        "{}",
        stderr(&out)
    );
    // Nothing listens there any more.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}/data", listener.local_addr().expect("address"))
    };
    let out = rodtrad(&["indicator", "inspect", &closed], dir.path(), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{closed} tog inte emot anslutningen")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_of_an_address_writes_values_once_on_every_backend() {
    let server = statistics_server();
    let tmp = tempfile::tempdir().expect("tmp");
    let set_dir = orebro_with(tmp.path(), &[("invanare", "kolada = \"N00945\"".into())]);
    let kolada = server.url("/v3/data/kpi/N00945");
    for url in databases(tmp.path(), "import_url") {
        imported(&url, &set_dir, tmp.path());
        let import = || {
            rodtrad(
                &[
                    "--database",
                    &url,
                    "indicator",
                    "import",
                    "invanare",
                    &kolada,
                ],
                tmp.path(),
                None,
            )
        };
        let out = import();
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("63 nya värden, 0 ändrade, 0 oförändrade."),
            "{url}: {}",
            stdout(&out)
        );
        let out = import();
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("Inget ändrades: alla 63 värden fanns redan"),
            "{url}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn refresh_fetches_kolada_and_pxweb_indicators_on_every_backend() {
    let server = statistics_server();
    let tmp = tempfile::tempdir().expect("tmp");
    let set_dir = orebro_with(
        tmp.path(),
        &[
            ("invanare", "kolada = \"N00945\"".into()),
            (
                "folkmangd",
                format!(
                    "pxweb = \"{}\"\nquery = '''{QUERY}'''",
                    server.url("/pxweb/api/v1/sv/ssd/BE/BE0101/BE0101A/BefolkningManad")
                ),
            ),
            (
                "folkmangd-v2",
                format!(
                    "pxweb = \"{}\"",
                    server.url("/pxweb/api/v2/tables/TAB6471/data?lang=sv&outputFormat=json-stat2")
                ),
            ),
            ("fran-fil", "file = \"Egen enkät 2024\"".into()),
        ],
    );
    let kolada = server.url("/v3");
    for url in databases(tmp.path(), "refresh") {
        imported(&url, &set_dir, tmp.path());
        let refresh = || {
            rodtrad(
                &["--database", &url, "indicator", "refresh"],
                tmp.path(),
                Some(&kolada),
            )
        };
        let out = refresh();
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        let said = stdout(&out);
        for line in [
            "invanare: 63 värden hämtade från Kolada (N00945). 63 nya värden, 0 ändrade, 0 oförändrade.",
            "folkmangd: 2772 värden hämtade från",
            "folkmangd-v2: 2772 värden hämtade från",
        ] {
            assert!(said.contains(line), "{url}: {line}:\n{said}");
        }
        assert_eq!(said.lines().count(), 3, "{url}: {said}");
        let out = refresh();
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        assert_eq!(
            stdout(&out).matches("Inget ändrades").count(),
            3,
            "{url}: {}",
            stdout(&out)
        );
    }
    let requests = server.requests();
    // Kolada is asked for the data set's municipalities, their region and Riket.
    let asked = requests
        .iter()
        .find(|r| r.target.starts_with("/v3/"))
        .expect("Kolada asked");
    let areas: Vec<&str> = asked
        .target
        .strip_prefix("/v3/data/kpi/N00945/municipality/")
        .expect("areas named")
        .split(',')
        .collect();
    for area in ["0000", "0018", "1880", "1814"] {
        assert!(areas.contains(&area), "{area}: {}", asked.target);
    }
    // The query of PxWeb version 1 is posted as the indicator holds it.
    let posted = requests
        .iter()
        .find(|r| r.method == "POST")
        .expect("PxWeb asked");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&posted.body).expect("JSON"),
        serde_json::from_str::<serde_json::Value>(QUERY).expect("JSON")
    );
}

#[test]
fn refresh_goes_on_past_an_indicator_that_fails_and_exits_1() {
    let server = statistics_server();
    let tmp = tempfile::tempdir().expect("tmp");
    let missing = server.url("/pxweb/api/v1/sv/ssd/BE/flyttad");
    let set_dir = orebro_with(
        tmp.path(),
        &[
            ("borta", format!("url = \"{missing}\"")),
            ("invanare", "kolada = \"N00945\"".into()),
        ],
    );
    let url = &databases(tmp.path(), "refresh_failing")[0];
    imported(url, &set_dir, tmp.path());
    let kolada = server.url("/v3");
    let out = rodtrad(
        &["--database", url, "indicator", "refresh"],
        tmp.path(),
        Some(&kolada),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("invanare: 63 värden hämtade från Kolada (N00945). 63 nya värden"),
        "{}",
        stdout(&out)
    );
    let said = stderr(&out);
    assert!(
        said.contains(&format!(
            "borta: {missing} svarade med HTTP-status 404 (finns inte)"
        )),
        "{said}"
    );
    assert!(
        said.contains("fel: 1 av 2 indikatorer kunde inte uppdateras"),
        "{said}"
    );
    // The working one was written: named alone, it is refreshed with nothing to change.
    let out = rodtrad(
        &["--database", url, "indicator", "refresh", "invanare"],
        tmp.path(),
        Some(&kolada),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Inget ändrades: alla 63 värden fanns redan"),
        "{}",
        stdout(&out)
    );
    // A name that is no indicator stops the run before anything is fetched.
    let before = server.requests().len();
    let out = rodtrad(
        &[
            "--database",
            url,
            "indicator",
            "refresh",
            "invanare",
            "saknas",
        ],
        tmp.path(),
        Some(&kolada),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("det finns ingen indikator med id ”saknas”"),
        "{}",
        stderr(&out)
    );
    assert_eq!(server.requests().len(), before);
}
