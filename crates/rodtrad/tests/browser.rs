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
    "/login",
    "/finns-inte",
];

#[test]
fn every_page_type_passes_axe_core_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("tests/browser/a11y.mjs");
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
