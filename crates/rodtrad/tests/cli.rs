//! The `rodtrad` binary end to end: what a person types and what they see, on both backends.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::databases;

fn rodtrad(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rodtrad"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RODTRAD_LANG")
        .env("LANG", "C")
        .output()
        .expect("run rodtrad")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn orebro() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro")
}

/// A copy of the Örebro data set in `dir`, with one edit to one file.
fn broken_copy(dir: &Path, file: &str, from: &str, to: &str) -> PathBuf {
    let target = dir.join("broken");
    copy_dir(&orebro(), &target);
    let path = target.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{from:?} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    target
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

fn files_of(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in rodtrad_format::read_dir(dir).expect("dir") {
        out.push((f.path, f.text.expect("utf-8")));
    }
    out
}

/// The files of a data set as `files_of` reads them back: sorted by path.
fn canonical(set: &rodtrad_domain::DataSet) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = rodtrad_format::write(set)
        .into_iter()
        .map(|f| (f.path, f.text.expect("text")))
        .collect();
    files.sort();
    files
}

#[test]
fn validate_accepts_the_orebro_data_set() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = rodtrad(&["validate", orebro().to_str().expect("path")], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("är giltig"), "{}", stdout(&out));
}

#[test]
fn validate_lists_every_error_with_file_line_and_field_in_the_users_language() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = broken_copy(
        tmp.path(),
        "organisations.toml",
        "municipality_code = \"1880\"",
        "municipality_code = \"188\"",
    );
    std::fs::write(dir.join("notes.txt"), "hej").expect("write");
    let path = dir.to_str().expect("path");
    let out = rodtrad(&["validate", path], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("municipality_code"))
        .expect("the code error");
    assert!(line.starts_with("organisations.toml:"), "{line}");
    assert!(
        line.contains("kommunkoden \"188\"") || line.contains("kommunkoden ”188”"),
        "{line}"
    );
    assert!(err.contains("notes.txt: filen hör inte hemma"), "{err}");
    assert!(err.contains("har 2 fel"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let en = rodtrad(&["--lang", "en", "validate", path], tmp.path());
    assert!(
        stderr(&en).contains("is not four digits"),
        "{}",
        stderr(&en)
    );
    assert!(stderr(&en).contains("has 2 errors"), "{}", stderr(&en));
}

#[test]
fn an_invalid_data_set_imports_nothing_on_every_backend() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = broken_copy(
        tmp.path(),
        "activities.toml",
        "status = \"ongoing\"",
        "status = \"pågår\"",
    );
    for (i, url) in databases(tmp.path(), "invalid").iter().enumerate() {
        let out = rodtrad(
            &["--database", url, "import", dir.to_str().expect("path")],
            tmp.path(),
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("”pågår”"), "{}", stderr(&out));
        // Nothing was written: an export holds only the manifest.
        let out_dir = format!("out-{i}");
        let export = rodtrad(&["--database", url, "export", &out_dir], tmp.path());
        assert!(export.status.success(), "{}", stderr(&export));
        assert_eq!(
            files_of(&tmp.path().join(&out_dir)).len(),
            1,
            "{url}: only the manifest"
        );
    }
}

#[test]
fn demo_loads_the_built_in_data_set_once_and_exports_it_canonically() {
    let tmp = tempfile::tempdir().expect("tmp");
    let first = rodtrad(&["demo"], tmp.path());
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        tmp.path().join("rodtrad.db").exists(),
        "the default database is a SQLite file in the working directory"
    );
    let second = rodtrad(&["demo"], tmp.path());
    assert!(
        stdout(&second).contains("0 skapade, 0 ändrade, 0 borttagna"),
        "{}",
        stdout(&second)
    );
    let export = rodtrad(&["export", "out"], tmp.path());
    assert!(export.status.success(), "{}", stderr(&export));
    // The built-in data set is the files in data/orebro.
    let set = rodtrad_format::parse_dir(&orebro()).expect("valid");
    let expected = canonical(&set);
    assert_eq!(files_of(&tmp.path().join("out")), expected);
}

#[test]
fn export_refuses_a_directory_that_holds_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(tmp.path().join("out")).expect("mkdir");
    std::fs::write(tmp.path().join("out/keep.txt"), "mine").expect("write");
    let out = rodtrad(&["export", "out"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("inte tom"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("out/keep.txt")).expect("read"),
        "mine"
    );
}

#[test]
fn a_database_url_of_no_known_kind_is_explained() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = rodtrad(&["--database", "mysql://x", "demo"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("sqlite:SÖKVÄG eller postgres://"),
        "{}",
        stderr(&out)
    );
    let out = rodtrad(
        &[
            "--database",
            "postgres://nobody@127.0.0.1:1/none",
            "--lang",
            "en",
            "demo",
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: could not open the database"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_and_export_round_trip_through_the_command_line_on_every_backend() {
    let tmp = tempfile::tempdir().expect("tmp");
    let urls = databases(tmp.path(), "round_trip");
    let set = rodtrad_format::parse_dir(&orebro()).expect("valid");
    let expected = canonical(&set);
    for (i, url) in urls.iter().enumerate() {
        let out = rodtrad(
            &[
                "--database",
                url,
                "import",
                orebro().to_str().expect("path"),
            ],
            tmp.path(),
        );
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        let dir = format!("out-{i}");
        let out = rodtrad(&["--database", url, "export", &dir], tmp.path());
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        assert_eq!(files_of(&tmp.path().join(&dir)), expected, "{url}");
    }
}

#[test]
fn generate_writes_a_valid_synthetic_set_of_the_size_asked_for() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = rodtrad(
        &[
            "generate",
            "gen",
            "--organisations",
            "4",
            "--plans",
            "3",
            "--activities",
            "50",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("4 organisationer, 3 planer, 48 mål, 50 aktiviteter"),
        "{}",
        stdout(&out)
    );
    let check = rodtrad(&["validate", "gen"], dir.path());
    assert!(check.status.success(), "{}", stderr(&check));
    // Like export, it never writes into a directory that holds something else.
    let again = rodtrad(&["generate", "gen"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("inte tom"), "{}", stderr(&again));
}

/// Issue 9: at 311 organisations municipality codes repeated, and `generate` said the set was
/// valid all the same. The national benchmark's organisations and plans, with fewer activities
/// (their number bears on no rule organisations or plans could break), more than one
/// statement's worth of rows per table: the set validates, imports on every backend, exports
/// as generated, and imports again writing nothing.
#[test]
fn a_generated_set_of_national_size_is_valid_and_imports_on_every_backend() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = rodtrad(
        &[
            "generate",
            "gen",
            "--organisations",
            "311",
            "--plans",
            "300",
            "--activities",
            "3000",
        ],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("är giltig"), "{}", stdout(&out));
    let check = rodtrad(&["validate", "gen"], tmp.path());
    assert!(check.status.success(), "{}", stderr(&check));
    let expected = files_of(&tmp.path().join("gen"));
    for (i, url) in databases(tmp.path(), "national").iter().enumerate() {
        let import = rodtrad(&["--database", url, "import", "gen"], tmp.path());
        assert!(import.status.success(), "{url}: {}", stderr(&import));
        assert!(
            !stdout(&import).contains(" 0 skapade"),
            "{url}: {}",
            stdout(&import)
        );
        let dir = format!("out-{i}");
        let export = rodtrad(&["--database", url, "export", &dir], tmp.path());
        assert!(export.status.success(), "{url}: {}", stderr(&export));
        assert_eq!(files_of(&tmp.path().join(&dir)), expected, "{url}");
        let again = rodtrad(&["--database", url, "import", "gen"], tmp.path());
        assert!(
            stdout(&again).contains("0 skapade, 0 ändrade, 0 borttagna"),
            "{url}: {}",
            stdout(&again)
        );
    }
}

/// Issue 12: `generate --indicators N` makes N indicators measuring the plans' sub-goals, each
/// with a value for every municipality, county and Riket, sex and year (312 × 3 × 20), and
/// municipalities of one real county among the organisations; the set validates, imports with
/// its values on every backend, exports as generated, and imports again writing nothing.
#[test]
fn generate_with_indicators_writes_a_valid_set_whose_values_import_on_every_backend() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = rodtrad(&["generate", "gen", "--indicators", "3"], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let check = rodtrad(&["validate", "gen"], tmp.path());
    assert!(check.status.success(), "{}", stderr(&check));
    let expected = files_of(&tmp.path().join("gen"));
    let csvs: Vec<_> = expected
        .iter()
        .filter(|(path, _)| {
            path.starts_with("indicators/") && Path::new(path).extension() == Some("csv".as_ref())
        })
        .collect();
    assert_eq!(csvs.len(), 3);
    for (path, text) in &csvs {
        // A header, then one row per value.
        assert_eq!(text.lines().count(), 1 + 18_720, "{path}");
    }
    let organisations = &expected
        .iter()
        .find(|(path, _)| path == "organisations.toml")
        .expect("organisations.toml")
        .1;
    assert!(
        organisations.contains("municipality_code = \"14"),
        "{organisations}"
    );
    for (i, url) in databases(tmp.path(), "indicators").iter().enumerate() {
        let import = rodtrad(&["--database", url, "import", "gen"], tmp.path());
        assert!(import.status.success(), "{url}: {}", stderr(&import));
        assert!(
            stdout(&import).contains("56160 nya värden, 0 ändrade, 0 oförändrade"),
            "{url}: {}",
            stdout(&import)
        );
        let dir = format!("out-{i}");
        let export = rodtrad(&["--database", url, "export", &dir], tmp.path());
        assert!(export.status.success(), "{url}: {}", stderr(&export));
        assert_eq!(files_of(&tmp.path().join(&dir)), expected, "{url}");
        let again = rodtrad(&["--database", url, "import", "gen"], tmp.path());
        assert!(
            stdout(&again).contains("alla 56160 värden fanns redan"),
            "{url}: {}",
            stdout(&again)
        );
    }
}

fn rodtrad_with_stdin(args: &[&str], dir: &Path, input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RODTRAD_LANG")
        .env("LANG", "C")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run rodtrad");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("output")
}

#[test]
fn the_first_administrator_is_made_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tmp");
    for db in databases(dir.path(), "users") {
        let add = |args: &[&str], password: &str| {
            let mut all = vec!["--database", db.as_str(), "user", "add"];
            all.extend_from_slice(args);
            rodtrad_with_stdin(&all, dir.path(), password)
        };
        let out = add(&["--admin", "Anna.Admin@Region.se"], "ett långt lösenord\n");
        assert!(out.status.success(), "{db}: {}", stderr(&out));
        assert!(stdout(&out).contains("Administratören anna.admin@region.se är skapad"));

        let again = add(&["anna.admin@region.se"], "ett annat långt lösenord\n");
        assert_eq!(again.status.code(), Some(1));
        assert!(
            stderr(&again).contains("finns redan ett konto"),
            "{}",
            stderr(&again)
        );

        let short = add(&["kort@region.se"], "kort\n");
        assert_eq!(short.status.code(), Some(1));
        assert!(
            stderr(&short).contains("minst 12 tecken"),
            "{}",
            stderr(&short)
        );

        let bad = add(&["--lang", "en", "inte-en-adress"], "ett långt lösenord\n");
        assert_eq!(bad.status.code(), Some(1));
        assert!(
            stderr(&bad).contains("is not an e-mail address"),
            "{}",
            stderr(&bad)
        );

        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async {
            let store = rodtrad_store::Store::open(&db).await.expect("open");
            let accounts = store.accounts().await.expect("accounts");
            assert_eq!(
                accounts.len(),
                1,
                "{db}: nothing was made of the refused ones"
            );
            assert!(accounts[0].is_admin);
            let (_, hash) = store
                .account_by_email("ANNA.ADMIN@region.se")
                .await
                .expect("query")
                .expect("account");
            assert!(rodtrad_auth::verify_password("ett långt lösenord", &hash));
            store.close().await;
        });
    }
}

#[test]
fn the_record_of_changes_is_exported_apart_on_every_backend() {
    let tmp = tempfile::tempdir().expect("tmp");
    for (i, url) in databases(tmp.path(), "audit").iter().enumerate() {
        let demo = rodtrad(&["--database", url, "demo"], tmp.path());
        assert!(demo.status.success(), "{}", stderr(&demo));
        let file = format!("record-{i}.jsonl");
        let out = rodtrad(&["--database", url, "audit", "export", &file], tmp.path());
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        assert!(stdout(&out).contains("ändringar till"), "{}", stdout(&out));
        let text = std::fs::read_to_string(tmp.path().join(&file)).expect("the file");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        let set = rodtrad_format::parse_dir(&orebro()).expect("valid");
        let created = lines.iter().filter(|l| l["action"] == "created").count();
        assert_eq!(
            created,
            set.activities.len()
                + set.plans.len()
                + set.organisations.len()
                + set.perspectives.len()
                + set.strategies.len()
                + set.follow_ups.len()
                + set.reports.len()
                + set.indicators.len()
        );
        let first = &lines[0];
        assert_eq!(first["actor"], "rodtrad");
        assert_eq!(first["revision"], 1);
        assert!(
            first["at"].as_str().is_some_and(|t| t.ends_with('Z')),
            "{first}"
        );
        assert!(
            first["fields"].as_array().is_some_and(|f| f
                .iter()
                .any(|f| f["before"].is_null() && f["after"].is_string())),
            "{first}"
        );

        // An existing file is never overwritten.
        let again = rodtrad(
            &["--database", url, "--lang", "en", "audit", "export", &file],
            tmp.path(),
        );
        assert!(!again.status.success());
        assert!(
            stderr(&again).contains("exists already"),
            "{}",
            stderr(&again)
        );
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(&file)).expect("kept"),
            text
        );
    }
}

#[test]
fn user_reset_prints_a_one_time_link_and_guessable_passwords_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    for db in databases(dir.path(), "resets") {
        let add = |email: &str, password: &str| {
            rodtrad_with_stdin(
                &["--database", db.as_str(), "user", "add", email],
                dir.path(),
                password,
            )
        };
        let weak = add("bo@region.se", "password1234\n");
        assert_eq!(weak.status.code(), Some(1));
        assert!(
            stderr(&weak).contains("för lätt att gissa"),
            "{}",
            stderr(&weak)
        );
        let own = add("bo.berg@region.se", "bo.berg@region.se\n");
        assert_eq!(own.status.code(), Some(1));
        assert!(
            stderr(&own).contains("e-postadress eller namn"),
            "{}",
            stderr(&own)
        );
        assert!(add("bo@region.se", "ett långt lösenord\n").status.success());

        let reset = |args: &[&str]| {
            let mut all = vec!["--database", db.as_str(), "user", "reset"];
            all.extend_from_slice(args);
            rodtrad_with_stdin(&all, dir.path(), "")
        };
        let unknown = reset(&["ingen@region.se"]);
        assert_eq!(unknown.status.code(), Some(1));
        assert!(stderr(&unknown).contains("inget konto för ingen@region.se"));
        let bare = reset(&["bo@region.se"]);
        assert!(bare.status.success(), "{}", stderr(&bare));
        assert!(stdout(&bare).lines().any(|l| l.starts_with("/reset/")));
        assert!(stdout(&bare).contains("RODTRAD_PUBLIC_URL"));
        let whole = reset(&["--public-url", "https://planer.region.se", "bo@region.se"]);
        let said = stdout(&whole);
        let link = said
            .lines()
            .find(|l| l.starts_with("https://planer.region.se/reset/"))
            .unwrap_or_else(|| panic!("{said}"));
        let token = link.rsplit('/').next().expect("token");
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async {
            let store = rodtrad_store::Store::open(&db).await.expect("open");
            let hash = rodtrad_auth::token_hash(token);
            let account = store
                .password_reset(&hash, rodtrad_auth::now())
                .await
                .expect("query")
                .expect("the newest link is valid");
            assert_eq!(account.email, "bo@region.se");
            store.close().await;
        });
        let bad = reset(&["--public-url", "planer.region.se/app", "bo@region.se"]);
        assert_eq!(bad.status.code(), Some(1));
    }
}

#[test]
fn serving_plain_http_to_other_machines_is_warned_of_at_start() {
    use std::io::{BufRead, BufReader, Read};
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
        .args(["serve", "--bind", "0.0.0.0:0"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("RODTRAD_PUBLIC_URL")
        .env("LANG", "C")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("read");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    child.wait().expect("wait");
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    assert!(log.contains("okrypterad http"), "{log}");
    assert!(log.contains("RODTRAD_PUBLIC_URL"), "{log}");
}

/// The day `days` from today (UTC), as the format writes a date.
fn in_days(days: i64) -> String {
    let day = time::OffsetDateTime::now_utc().date() + time::Duration::days(days);
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// The Örebro set with a round open over one plan, its deadline five days from today,
/// imported into `url`, and a contributor of the lead of one of its activities.
async fn open_round_with_a_contributor(dir: &Path, url: &str) {
    let set = dir.join("with-round");
    copy_dir(&orebro(), &set);
    std::fs::write(
        set.join("follow-ups/omgang-2025.toml"),
        format!(
            "id = \"omgang-2025\"\ntitle = \"Omgång 2025\"\nplans = [\"psykisk-halsa-2020\"]\n\
             deadline = \"{}\"\nstate = \"open\"\n",
            in_days(5)
        ),
    )
    .expect("round");
    let imported = rodtrad(
        &["--database", url, "import", &set.display().to_string()],
        dir,
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    let store = rodtrad_store::Store::open(url).await.expect("store");
    let actor = rodtrad_store::Actor::command_line();
    let account = store
        .create_account("psykiatrin@region.se", None, "x", false, &actor, 0)
        .await
        .expect("account");
    let grant = rodtrad_store::Grant {
        role: rodtrad_domain::Role::Contributor,
        scope: rodtrad_domain::Slug::parse("psykiatrin").expect("slug"),
    };
    store
        .grant(account.id, &grant, &actor, 0)
        .await
        .expect("grant");
}

#[test]
#[expect(clippy::too_many_lines, reason = "one story, told in order")]
fn round_remind_lists_with_dry_run_and_sends_through_the_configured_server() {
    // A runtime of the test's own, whose workers serve the test's SMTP server while the
    // binary runs (the databases are made outside it: their helper blocks on its own).
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let tmp = tempfile::tempdir().expect("tmp");
    for (i, url) in databases(tmp.path(), "remind").iter().enumerate() {
        let dir = tmp.path().join(format!("db-{i}"));
        std::fs::create_dir_all(&dir).expect("dir");
        runtime.block_on(open_round_with_a_contributor(&dir, url));

        let dry = rodtrad(
            &[
                "--database",
                url,
                "round",
                "remind",
                "omgang-2025",
                "--dry-run",
            ],
            &dir,
        );
        assert!(dry.status.success(), "{}", stderr(&dry));
        let listed = stdout(&dry);
        assert!(listed.contains("psykiatrin@region.se"), "{listed}");
        assert!(
            listed.contains("Brukarinflytandesamordnare (BISAM)"),
            "{listed}"
        );
        assert!(listed.contains("ingenting skickat"), "{listed}");

        // Without a mail server, sending is refused with what to set.
        let unset = rodtrad(&["--database", url, "round", "remind", "omgang-2025"], &dir);
        assert_eq!(unset.status.code(), Some(1));
        assert!(
            stderr(&unset).contains("RODTRAD_SMTP_URL"),
            "{}",
            stderr(&unset)
        );
        // A round that is not open, and one that does not exist, are refused by name.
        let closed = rodtrad(
            &[
                "--database",
                url,
                "round",
                "remind",
                "uppfoljning-2021",
                "--dry-run",
            ],
            &dir,
        );
        assert_eq!(closed.status.code(), Some(1));
        assert!(
            stderr(&closed).contains("inte öppen"),
            "{}",
            stderr(&closed)
        );
        let unknown = rodtrad(&["--database", url, "round", "remind", "finns-inte"], &dir);
        assert!(
            stderr(&unknown).contains("finns-inte"),
            "{}",
            stderr(&unknown)
        );
        // For cron: the open rounds whose deadline is that many days away, and no other.
        let due = |days: &str| {
            let args = [
                "--database",
                url,
                "round",
                "remind",
                "--due",
                days,
                "--dry-run",
            ];
            stdout(&rodtrad(&args, &dir))
        };
        assert!(due("5").contains("omgang-2025: 1 personer"), "{}", due("5"));
        assert!(!due("4").contains("omgang-2025"), "{}", due("4"));
        // A mail server set wrong is said as such, naming what is wrong.
        let bad = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
            .args(["--database", url, "round", "remind", "omgang-2025"])
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .env("LANG", "C")
            .env("RODTRAD_SMTP_URL", "ftp://mail.region.se")
            .env("RODTRAD_MAIL_FROM", "noreply@region.se")
            .output()
            .expect("run rodtrad");
        assert_eq!(bad.status.code(), Some(1));
        assert!(
            stderr(&bad).contains("e-postinställningen duger inte"),
            "{}",
            stderr(&bad)
        );

        let smtp = runtime.block_on(rodtrad_mail::testing::TestSmtp::start());
        let sent = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
            .args(["--database", url, "round", "remind", "omgang-2025"])
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .env_remove("RODTRAD_LANG")
            .env("LANG", "C")
            .env("RODTRAD_SMTP_URL", smtp.url())
            .env("RODTRAD_MAIL_FROM", "noreply@region.se")
            .env("RODTRAD_PUBLIC_URL", "https://planer.region.se")
            .output()
            .expect("run rodtrad");
        assert!(sent.status.success(), "{}", stderr(&sent));
        assert!(
            stdout(&sent).contains("1 påminnelser skickade"),
            "{}",
            stdout(&sent)
        );
        let got = smtp.received();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].to, ["psykiatrin@region.se"]);
        assert!(got[0].subject.contains("Omgång 2025"), "{}", got[0].subject);
        assert!(
            got[0].body.contains(
                "https://planer.region.se/rounds/omgang-2025/reports/brukarinflytandesamordnare-bisam"
            ),
            "{}",
            got[0].body
        );
    }
}

fn stats_sample(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../stats/tests/data")
        .join(path)
}

#[test]
fn indicator_inspect_says_what_a_statistics_file_holds() {
    let dir = tempfile::tempdir().expect("tmp");
    let scb = stats_sample("pxweb/TAB6471_data.json");
    let out = rodtrad(
        &["indicator", "inspect", scb.to_str().expect("path")],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    for line in [
        "JSON-stat 2.0, en tabell",
        "Källa: SCB",
        "  Region (region): 21 kategorier",
        "  Kon (kön): 3 kategorier",
        "  ContentsCode (tabellinnehåll): en kategori, roll: mått",
        "  Tid (månad): 4 kategorier, roll: tid",
        "Värden: 2772 av 2772 celler",
        "Som ett måtts värden: tid Tid, område Region, kön Kon, ålder Alder; 2772 värden",
    ] {
        assert!(said.contains(line), "{line}:\n{said}");
    }
    let kolada = stats_sample("kolada/data-N00945.json");
    let out = rodtrad(
        &[
            "--lang",
            "en",
            "indicator",
            "inspect",
            kolada.to_str().expect("path"),
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("Kolada API v3, one table"), "{said}");
    assert!(
        said.contains("  municipality: 3 categories, role: place"),
        "{said}"
    );
    assert!(said.contains("Values: 63 of 63 cells"), "{said}");
    assert!(
        said.contains(
            "As an indicator's values: time period, area municipality, sex gender, age —; 63 values"
        ),
        "{said}"
    );
    // A page of several: the next one named.
    let page = dir.path().join("sida.json");
    std::fs::write(
        &page,
        r#"{"values": [{"kpi": "N00945", "municipality": "1880", "period": 2024,
            "values": [{"gender": "T", "status": "", "value": 1.5, "count": 1}]}],
            "count": 1, "next_url": "https://api.kolada.se/v3/data/kpi/N00945?page=2"}"#,
    )
    .expect("write");
    let out = rodtrad(
        &["indicator", "inspect", page.to_str().expect("path")],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "Filen är en sida av flera; nästa: https://api.kolada.se/v3/data/kpi/N00945?page=2"
        ),
        "{}",
        stdout(&out)
    );
    // CSV as an office writes it: semicolons, a decimal comma, Windows-1252.
    let csv = dir.path().join("andel.csv");
    std::fs::write(
        &csv,
        b"\xc5r;Kommun;V\xe4rde\n2023;1880;45,5\n2024;1880;..\n",
    )
    .expect("write");
    let out = rodtrad(
        &["indicator", "inspect", csv.to_str().expect("path")],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("CSV, en tabell"), "{said}");
    assert!(said.contains("  År: 2 kategorier, roll: tid"), "{said}");
    assert!(said.contains("Värden: 1 av 2 celler"), "{said}");
    assert!(said.contains("Värden med status: 1"), "{said}");
}

#[test]
fn indicator_inspect_refuses_a_broken_file_saying_where_and_imports_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let broken = dir.path().join("trasig.json");
    std::fs::write(
        &broken,
        r#"{"class": "dataset", "id": ["kon", "ar"], "size": [2, 2],
            "dimension": {"kon": {"category": {"index": ["1", "2"]}},
                          "ar": {"category": {"index": ["2023", "2024"]}}},
            "value": [1, 2, 3]}"#,
    )
    .expect("write");
    let out = rodtrad(
        &["indicator", "inspect", broken.to_str().expect("path")],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("value: har inte så många värden som tabellen har celler"),
        "{said}"
    );
    assert!(said.contains("3 values for a table of 2 × 2 = 4"), "{said}");
    let out = rodtrad(&["indicator", "inspect", "saknas.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("filen ”saknas.json” kan inte läsas"),
        "{}",
        stderr(&out)
    );
    let out = rodtrad(
        &[
            "indicator",
            "inspect",
            "--from",
            "excel",
            broken.to_str().expect("path"),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("okänt slag av källa ”excel”"),
        "{}",
        stderr(&out)
    );
    // Told what it is, a file of another kind is read as that kind and refused as such.
    let kolada = stats_sample("kolada/data-N00945.json");
    let out = rodtrad(
        &[
            "--lang",
            "en",
            "indicator",
            "inspect",
            "--from",
            "pxweb",
            kolada.to_str().expect("path"),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("columns: is missing"),
        "{}",
        stderr(&out)
    );
}

/// The Örebro data set with one indicator (no values) measuring its first plan's first goal.
fn orebro_with_indicator(dir: &Path) -> PathBuf {
    let set = rodtrad_format::parse_dir(&orebro()).expect("valid");
    let plan = &set.plans[0];
    let to = dir.join("med-indikator");
    copy_dir(&orebro(), &to);
    std::fs::create_dir_all(to.join("indicators")).expect("dir");
    std::fs::write(
        to.join("indicators/invanare.toml"),
        format!(
            "id = \"invanare\"\ntitle = \"Invånare\"\n\n[source]\nkolada = \"N00945\"\n\n[[measure]]\ngoal = \"{}/{}\"\n",
            plan.id, plan.nodes[0].id
        ),
    )
    .expect("write");
    to
}

#[test]
fn indicator_import_writes_values_once_and_says_what_changed_on_every_backend() {
    let tmp = tempfile::tempdir().expect("tmp");
    let set_dir = orebro_with_indicator(tmp.path());
    let kolada = stats_sample("kolada/data-N00945.json");
    let kolada = kolada.to_str().expect("path");
    for (i, url) in databases(tmp.path(), "values").iter().enumerate() {
        let out = rodtrad(
            &["--database", url, "import", set_dir.to_str().expect("path")],
            tmp.path(),
        );
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        let import = |lang: &str| {
            rodtrad(
                &[
                    "--lang",
                    lang,
                    "--database",
                    url,
                    "indicator",
                    "import",
                    "invanare",
                    kolada,
                ],
                tmp.path(),
            )
        };
        let out = import("en");
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("63 new values, 0 changed, 0 unchanged."),
            "{url}: {}",
            stdout(&out)
        );
        let out = import("sv");
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("Inget ändrades: alla 63 värden fanns redan"),
            "{url}: {}",
            stdout(&out)
        );
        // The values leave with the data set, beside their indicator, and come back the same.
        let dir = format!("ut-{i}");
        let out = rodtrad(&["--database", url, "export", &dir], tmp.path());
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        let csv = std::fs::read_to_string(tmp.path().join(&dir).join("indicators/invanare.csv"))
            .expect("values file");
        assert_eq!(csv.lines().count(), 64, "{csv}");
        assert!(
            csv.starts_with("period,area,sex,age,value,status\n"),
            "{csv}"
        );
        let (_, values) =
            rodtrad_format::parse_dir_with_values(&tmp.path().join(&dir)).expect("valid");
        assert_eq!(values.values().map(Vec::len).sum::<usize>(), 63);
    }
}

#[test]
fn indicator_import_refuses_what_it_cannot_place_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let set_dir = orebro_with_indicator(tmp.path());
    let url = &databases(tmp.path(), "values_refused")[0];
    let out = rodtrad(
        &["--database", url, "import", set_dir.to_str().expect("path")],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let kolada = stats_sample("kolada/data-N00945.json");
    let kolada = kolada.to_str().expect("path");
    let run = |args: &[&str]| {
        let mut all = vec!["--database", url.as_str(), "indicator", "import"];
        all.extend_from_slice(args);
        rodtrad(&all, tmp.path())
    };
    let out = run(&["finns-inte", kolada]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("det finns ingen indikator med id ”finns-inte”"),
        "{}",
        stderr(&out)
    );
    let out = run(&["invanare", kolada, "--period", "ar"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("dimension.ar"), "{}", stderr(&out));
    // A CSV without an area column needs the area said.
    std::fs::write(tmp.path().join("utan-omrade.csv"), "år;värde\n2020;1,5\n").expect("write");
    let out = run(&["invanare", "utan-omrade.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--area-code"), "{}", stderr(&out));
    let out = run(&["invanare", "utan-omrade.csv", "--area-code", "1880"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 nya värden"), "{}", stdout(&out));
}
