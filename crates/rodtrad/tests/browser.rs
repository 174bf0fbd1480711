//! Every page type in headless Chromium with axe-core (WCAG 2.1 A and AA): no violations, and a
//! screenshot of each in `target/browser-screens/`. Needs Debian's Chromium and the npm packages
//! of `tests/browser` (`npm ci --prefix tests/browser`); without them the test says so and passes,
//! unless `RODTRAD_REQUIRE_BROWSER` is set, as CI sets it.

mod common;

use std::path::Path;
use std::process::Command;

const PAGES: &[&str] = &[
    "/",
    "/?lang=en",
    "/plans/social-valfard-2019-2022",
    "/plans/sammanhallen-vard-och-omsorg-2019-2022",
    "/plans/gemensamma-insatsomraden-2021/goals/god-och-nara-vard",
    "/plans/gemensamma-insatsomraden-2021/goals/psykisk-halsa?lang=en",
    "/activities/cross",
    "/organisations/region-orebro-lan",
    "/activities",
    "/activities?status=ongoing&year=2021&lang=en",
    "/overlap",
    "/follow-ups/uppfoljning-2021",
    "/rounds",
    "/rounds/uppfoljning-2021",
    "/rounds/uppfoljning-2021/reports/brukarinflytandesamordnare-bisam",
    "/rounds/uppfoljning-2021/overview",
    "/rounds/compare?from=uppfoljning-2021&to=uppfoljning-2021",
    "/plans/psykisk-halsa-2020/overview?lang=en",
    "/activities/brukarinflytandesamordnare-bisam",
    "/login",
    "/finns-inte",
];

/// The forms of the edit flows, as an administrator sees them.
const FORMS: &[&str] = &[
    "/edit/activity/brukarinflytandesamordnare-bisam",
    "/new/activity?lang=en",
    "/edit/plan/psykisk-halsa-2020",
    "/new/plan/psykisk-halsa-2020/goal",
    "/edit/plan/psykisk-halsa-2020/goal/hallbara-stod-till-dom-som-behover",
    "/remove/plan/psykisk-halsa-2020/goal/hallbara-stod-till-dom-som-behover",
    "/edit/organisation/psykiatrin",
    "/new/perspective",
    "/edit/strategy/rus-2018-2030",
    "/plans/psykisk-halsa-2020/versions?from=1&to=draft",
    "/admin/accounts",
    "/admin/accounts/1",
    "/history/activity/brukarinflytandesamordnare-bisam",
    "/history/account/1",
    "/account",
    "/account?lang=en",
    "/my",
    "/new/follow_up",
    "/plans/psykisk-halsa-2020/proposals",
    "/rounds/omgang-2025",
    "/rounds/omgang-2025/reports/brukarinflytandesamordnare-bisam",
    "/rounds/omgang-2025/overview?lang=en",
    "/indicators",
    "/indicators/delaktighet",
    "/indicators/delaktighet?lang=en",
    "/plans/gemensamma-insatsomraden-2021/goals/psykisk-halsa",
    "/new/indicator",
    "/edit/indicator/delaktighet?lang=en",
    "/remove/indicator/delaktighet",
    "/indicators/delaktighet/values",
    "/indicators/kolada",
];

/// A copy of a directory tree (a data set to change for a test).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Whether Chromium and the npm packages are there; without them the tests say so and pass,
/// unless CI requires them.
fn browser_ready(root: &Path) -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready =
        root.join("tests/browser/node_modules/axe-core").exists() && Path::new(&chromium).exists();
    if !ready {
        assert!(
            std::env::var_os("RODTRAD_REQUIRE_BROWSER").is_none(),
            "RODTRAD_REQUIRE_BROWSER is set, but Chromium ({chromium}) or tests/browser/node_modules is missing"
        );
        eprintln!(
            "skipped: install chromium and run `npm ci --prefix tests/browser` to run the browser tests"
        );
    }
    ready
}

/// An indicator with values in the data set at `dir`, so that its chart, map and tables are
/// checked on its page and on the goal page it measures.
fn with_indicator(dir: &Path) {
    std::fs::create_dir_all(dir.join("indicators")).expect("dir");
    std::fs::write(
        dir.join("indicators/delaktighet.toml"),
        "id = \"delaktighet\"\ntitle = \"Andel som upplever delaktighet\"\nunit = \"%\"\n\
         decimals = 1\ndirection = \"higher\"\n\n[[measure]]\n\
         goal = \"gemensamma-insatsomraden-2021/psykisk-halsa\"\n\
         baseline = { value = 60, period = \"2018\" }\n\n[[measure.target]]\nvalue = 70\n\
         period = \"2024\"\n",
    )
    .expect("indicator");
    std::fs::write(
        dir.join("indicators/delaktighet.csv"),
        "period,area,sex,value\n2018,18,all,60\n2021,18,all,64\n2018,18,women,58\n\
         2021,18,women,61\n2018,18,men,62\n2021,18,men,67\n2021,1880,all,70\n\
         2021,1814,all,55\n2021,1885,all,60\n",
    )
    .expect("values");
}

#[test]
fn the_edit_flows_pass_axe_core_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if !browser_ready(&root) {
        return;
    }
    let server = common::Server::start();
    let password = "ett långt lösenord för testet";
    let mut add = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
        .args(["user", "add", "--admin", "admin@region.se"])
        .current_dir(server.dir.path())
        .env_remove("DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("user add");
    {
        use std::io::Write;
        let mut stdin = add.stdin.take().expect("stdin");
        writeln!(stdin, "{password}").expect("password");
    }
    assert!(
        add.wait().expect("wait").success(),
        "the administrator is made"
    );
    // An open round, imported beside the Örebro set while the server runs (it catches up within
    // a second), so that the forms of a report and of a round's steps are there to check.
    let with_round = server.dir.path().join("with-round");
    copy_tree(&root.join("data/orebro"), &with_round);
    std::fs::write(
        with_round.join("follow-ups/omgang-2025.toml"),
        "id = \"omgang-2025\"\ntitle = \"Omgång 2025\"\nplans = [\"psykisk-halsa-2020\"]\n\
         deadline = \"2027-02-15\"\nstate = \"open\"\n",
    )
    .expect("round");
    with_indicator(&with_round);
    let imported = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
        .args(["import", "with-round"])
        .current_dir(server.dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .expect("import");
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // The page a one-time link to set a new password leads to, as `user reset` prints it.
    let reset = Command::new(env!("CARGO_BIN_EXE_rodtrad"))
        .args(["user", "reset", "admin@region.se"])
        .current_dir(server.dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("RODTRAD_PUBLIC_URL")
        .output()
        .expect("user reset");
    let said = String::from_utf8_lossy(&reset.stdout);
    let link = said
        .lines()
        .find(|l| l.starts_with("/reset/"))
        .unwrap_or_else(|| panic!("a link: {said}"))
        .to_owned();
    let mut paths: Vec<String> = FORMS.iter().map(|p| (*p).to_owned()).collect();
    paths.push(link);
    let out_dir = root.join("target/browser-screens");
    let output = Command::new("node")
        .arg(root.join("tests/browser/edit.mjs"))
        .arg(format!("http://{}", server.address))
        .arg(&out_dir)
        .args(["admin@region.se", password])
        .args(&paths)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the edit flows failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let clean = |l: &&str| l.contains("\"violations\":0") && l.contains("\"status\":");
    assert_eq!(
        stdout.lines().filter(clean).count(),
        paths.len() + 1,
        "every form, and the form showing errors, without violations: {stdout}"
    );
    for step in ["login", "refused", "saved", "published"] {
        assert!(
            stdout.contains(&format!("{{\"step\":\"{step}\",\"ok\":true")),
            "{step}: {stdout}"
        );
    }
    let (clean, log) = server.stop();
    assert!(clean, "{log}");
}

#[test]
fn every_page_type_passes_axe_core_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("tests/browser/a11y.mjs");
    if !browser_ready(&root) {
        return;
    }
    let server = common::Server::start();
    assert!(
        server.dir.path().join("rodtrad.db").exists(),
        "served from the default database"
    );
    let out_dir = root.join("target/browser-screens");
    let output = Command::new("node")
        .arg(&script)
        .arg(format!("http://{}", server.address))
        .arg(&out_dir)
        .args(PAGES)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "axe-core found violations:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("\"violations\":0"))
            .count(),
        PAGES.len(),
        "{stdout}"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l
                .contains("\"keyboard\":{\"skipLink\":true,\"toMain\":true,\"nextVisible\":true}"))
            .count(),
        PAGES.len(),
        "the keyboard reaches the content with focus shown on every page: {stdout}"
    );
    assert!(
        stdout.contains("\"path\":\"/finns-inte\",\"status\":404"),
        "{stdout}"
    );
    for line in stdout.lines().filter(|l| !l.contains("/finns-inte")) {
        assert!(line.contains("\"status\":200"), "{line}");
    }
    let report = stdout
        .lines()
        .find(|l| l.contains("/follow-ups/"))
        .expect("the report");
    assert!(
        report.contains("\"print\":{\"headerHidden\":true,\"footerHidden\":true,\"pageBreaks\":8}"),
        "print layout: {report}"
    );
    assert!(
        out_dir.join("follow_ups_uppfoljning_2021.pdf").exists(),
        "the report printed to PDF"
    );
    let (clean, log) = server.stop();
    assert!(clean, "{log}");
}
