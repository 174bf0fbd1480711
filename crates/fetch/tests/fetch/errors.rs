//! What fails, and that the error says what and where: answers other than success with the
//! service's reason, busy services tried again, answers over the size limit, no answer, no
//! server, no URL.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rodtrad_fetch::{Client, Config, FetchError, PxSite, Source};
use serde_json::json;

use crate::server::{Reply, Server};
use crate::{client, client_with};

fn v2(table: &str) -> Source {
    Source::PxWebV2 {
        table: table.into(),
        select: vec![],
    }
}

#[tokio::test]
async fn not_found_says_the_services_reason() {
    let problem = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        "title": "Not Found",
        "status": 404,
        "detail": "Table TAB0 does not exist",
    });
    let server = Server::start(move |_, _| {
        Reply::new(404, problem.to_string()).header("content-type", "application/problem+json")
    })
    .await;

    let err = client(&server).fetch(&v2("TAB0")).await;

    match err {
        Err(FetchError::Status {
            url,
            status: 404,
            excerpt,
            attempts: 1,
        }) => {
            assert_eq!(
                url,
                server
                    .url("/ov0104/v2beta/api/v2/tables/TAB0/data?lang=sv&outputFormat=json-stat2")
            );
            assert_eq!(excerpt, "Not Found: Table TAB0 does not exist");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_request_text_cut_to_an_excerpt() {
    let reason = format!("Syntax error in query:\n\n   {}", "x".repeat(1000));
    let server = Server::start(move |_, _| Reply::new(400, reason.clone())).await;

    let err = client(&server)
        .fetch(&Source::PxWebV1 {
            site: PxSite::Scb,
            table: "BE/BE0101".into(),
            query: json!({"query": []}),
        })
        .await;

    let Err(FetchError::Status {
        status: 400,
        excerpt,
        ..
    }) = err
    else {
        panic!("{err:?}");
    };
    let expected = format!("Syntax error in query: {}…", "x".repeat(277));
    assert_eq!(excerpt, expected);
    assert_eq!(excerpt.chars().count(), 301);
}

#[tokio::test]
async fn busy_tried_again_until_answered() {
    let calls = AtomicUsize::new(0);
    let server = Server::start(move |_, _| match calls.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::new(429, "Too many requests").header("retry-after", "0"),
        1 => Reply::new(503, "Service unavailable"),
        _ => Reply::ok(crate::recorded("pxweb/TAB6471_data.json")),
    })
    .await;

    let fetched = client(&server)
        .fetch(&v2("TAB6471"))
        .await
        .expect("fetched");

    assert_eq!(server.requests().len(), 3);
    assert_eq!(fetched.read().expect("read").len(), 1);
}

#[tokio::test]
async fn busy_given_up_after_the_attempts() {
    let server = Server::start(|_, _| Reply::new(503, "busy").header("retry-after", "0")).await;

    let err = client(&server).fetch(&v2("TAB6471")).await;

    assert!(
        matches!(
            &err,
            Err(FetchError::Status { status: 503, attempts: 3, excerpt, .. }) if excerpt == "busy"
        ),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 3);
    let shown = err.expect_err("an error").to_string();
    assert!(
        shown.ends_with("HTTP 503 after 3 attempts: busy"),
        "{shown}"
    );
}

#[tokio::test]
async fn retry_after_honoured_up_to_the_cap() {
    let calls = AtomicUsize::new(0);
    let server = Server::start(move |_, _| match calls.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::new(429, "").header("retry-after", "0"),
        1 => Reply::new(429, "").header("retry-after", "3600"),
        _ => Reply::ok("{}"),
    })
    .await;
    let client = client_with(&server, |c| c.max_wait = Duration::from_millis(1200));

    let started = Instant::now();
    // Bounded, so that a cap not kept fails the test instead of waiting an hour.
    let source = Source::Url(server.url("/x.json"));
    tokio::time::timeout(Duration::from_secs(10), client.fetch(&source))
        .await
        .expect("the cap kept")
        .expect("fetched");
    let waited = started.elapsed();

    // No wait asked (not the second a try waits when nothing is said), then an hour asked
    // and 1.2 s given.
    assert!(waited >= Duration::from_millis(1200), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
}

#[tokio::test]
async fn answer_over_the_limit_refused() {
    let server = Server::start(|request, _| {
        let size = if request.target.contains("big") {
            1001
        } else {
            1000
        };
        let reply = Reply::ok(vec![b'x'; size]);
        if request.target.contains("unsaid") {
            reply.without_length()
        } else {
            reply
        }
    })
    .await;
    let client = client_with(&server, |c| c.max_body = 1000);
    let fetch = async |path: &str| client.fetch(&Source::Url(server.url(path))).await;

    assert_eq!(fetch("/fits").await.expect("fits").pages()[0].len(), 1000);
    assert_eq!(
        fetch("/fits-unsaid").await.expect("fits").pages()[0].len(),
        1000
    );
    for path in ["/big", "/big-unsaid"] {
        let err = fetch(path).await;
        assert!(
            matches!(&err, Err(FetchError::TooLarge { url, limit: 1000 }) if *url == server.url(path)),
            "{path}: {err:?}"
        );
    }
}

#[tokio::test]
async fn no_answer_in_time() {
    let server = Server::start(|_, _| Reply::hang()).await;
    let client = client_with(&server, |c| c.timeout = Duration::from_millis(300));

    let err = client.fetch(&Source::Url(server.url("/slow"))).await;

    assert!(
        matches!(&err, Err(FetchError::Timeout { url, seconds: 1 }) if *url == server.url("/slow")),
        "{err:?}"
    );
}

#[tokio::test]
async fn nothing_listening() {
    // A port just given up: nothing listens on it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/data", listener.local_addr().expect("address"));
    drop(listener);

    let err = Client::new()
        .expect("client")
        .fetch(&Source::Url(url.clone()))
        .await;

    assert!(
        matches!(&err, Err(FetchError::Refused { url: at }) if *at == url),
        "{err:?}"
    );
}

#[tokio::test]
async fn not_a_web_url_refused() {
    let client = Client::new().expect("client");
    for url in ["file:///etc/passwd", "ftp://example.org/x.csv", "no url"] {
        let err = client.fetch(&Source::Url(url.into())).await;
        assert!(
            matches!(&err, Err(FetchError::BadUrl { url: at, .. }) if at == url),
            "{url}: {err:?}"
        );
    }
    let config = Config {
        kolada: "kolada.se".into(),
        ..Config::default()
    };
    assert!(matches!(
        Client::with_config(config),
        Err(FetchError::BadUrl { .. })
    ));
}
