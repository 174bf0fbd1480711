//! Kolada: pages followed through `next_url`, ids asked 25 at a time, and a `next_url` that
//! loops, never ends or leaves the host refused.

use rodtrad_fetch::{FetchError, Source};
use rodtrad_stats::Kind;
use serde_json::{Value, json};

use crate::server::{Reply, Server};
use crate::{client, client_with, recorded};

fn source(kpis: &[&str], areas: &[&str], years: &[u16]) -> Source {
    Source::Kolada {
        kpis: kpis.iter().map(|s| (*s).to_owned()).collect(),
        areas: areas.iter().map(|s| (*s).to_owned()).collect(),
        years: years.to_vec(),
    }
}

/// A page of `values`, with `next` as its `next_url`.
fn page(values: &[Value], next: Option<&str>) -> Vec<u8> {
    let page = json!({
        "values": values,
        "count": values.len(),
        "next_url": next,
        "previous_url": null,
    });
    serde_json::to_vec(&page).expect("JSON")
}

fn empty_page() -> Reply {
    Reply::ok(page(&[], None))
}

#[tokio::test]
async fn pages_followed_through_next_url() {
    let whole = recorded("kolada/data-N03702-N03703-group.json");
    let values: Value = serde_json::from_slice(&whole).expect("JSON");
    let values = values["values"].as_array().expect("values").clone();
    let third = values.len() / 3;
    let parts = [
        values[..third].to_vec(),
        values[third..2 * third].to_vec(),
        values[2 * third..].to_vec(),
    ];
    let server = Server::start(move |request, base| {
        let n = match request.query().as_slice() {
            [] => 0,
            [(key, n)] if key == "page" => n.parse::<usize>().expect("page") - 1,
            other => panic!("query {other:?}"),
        };
        let next = (n + 1 < parts.len())
            .then(|| format!("{base}/v3/data/kpi/N03702,N03703/year/2022?page={}", n + 2));
        Reply::ok(page(&parts[n], next.as_deref()))
    })
    .await;

    let fetched = client(&server)
        .fetch(&source(&["N03702", "N03703"], &[], &[2022]))
        .await
        .expect("fetched");

    assert_eq!(
        server.targets(),
        [
            "/v3/data/kpi/N03702,N03703/year/2022",
            "/v3/data/kpi/N03702,N03703/year/2022?page=2",
            "/v3/data/kpi/N03702,N03703/year/2022?page=3",
        ]
    );
    assert_eq!(fetched.pages().len(), 3);
    assert_eq!(fetched.kind(), Some(Kind::Kolada));
    let expected = rodtrad_stats::kolada::read(&[whole]).expect("read whole");
    assert_eq!(fetched.read().expect("read pages"), [expected]);
}

#[tokio::test]
async fn ids_asked_25_to_a_segment() {
    let server = Server::start(|_, _| empty_page()).await;
    let kpis: Vec<String> = (1..=30).map(|n| format!("N{n:05}")).collect();
    let areas: Vec<String> = (1..=26).map(|n| format!("{n:04}")).collect();
    let list = |ids: &[String]| ids.join(",");

    let fetched = client(&server)
        .fetch(&Source::Kolada {
            kpis: kpis.clone(),
            areas: areas.clone(),
            years: vec![2021, 2022],
        })
        .await
        .expect("fetched");

    let (k1, k2) = (list(&kpis[..25]), list(&kpis[25..]));
    let (a1, a2) = (list(&areas[..25]), list(&areas[25..]));
    let path = |k: &str, a: &str| format!("/v3/data/kpi/{k}/municipality/{a}/year/2021,2022");
    assert_eq!(
        server.targets(),
        [
            path(&k1, &a1),
            path(&k1, &a2),
            path(&k2, &a1),
            path(&k2, &a2)
        ]
    );
    assert_eq!(fetched.pages().len(), 4);
}

#[tokio::test]
async fn repeated_ids_asked_once() {
    let server = Server::start(|_, _| empty_page()).await;
    client(&server)
        .fetch(&source(
            &["N00945", "N00945"],
            &["0180", "0180", "1880"],
            &[],
        ))
        .await
        .expect("fetched");
    assert_eq!(
        server.targets(),
        ["/v3/data/kpi/N00945/municipality/0180,1880"]
    );
}

#[tokio::test]
async fn no_key_figure_refused_before_asking() {
    let server = Server::start(|_, _| empty_page()).await;
    let err = client(&server).fetch(&source(&[], &["0180"], &[])).await;
    assert!(matches!(err, Err(FetchError::NoKeyFigures)), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn next_url_loop_refused() {
    let server = Server::start(|request, base| {
        // Page 2 says page 1 comes next.
        let next = if request.target.ends_with("page=2") {
            format!("{base}/v3/data/kpi/N00945")
        } else {
            format!("{base}/v3/data/kpi/N00945?page=2")
        };
        Reply::ok(page(&[], Some(&next)))
    })
    .await;

    let err = client(&server).fetch(&source(&["N00945"], &[], &[])).await;

    match err {
        Err(FetchError::Loop { url }) => assert_eq!(url, server.url("/v3/data/kpi/N00945")),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn next_url_without_end_stopped_at_page_limit() {
    let server = Server::start(|request, base| {
        // Always a new page: no loop to see, only the limit stops it.
        let n: usize = request
            .query()
            .iter()
            .find(|(k, _)| k == "page")
            .map_or(1, |(_, n)| n.parse().expect("page"));
        let next = format!("{base}/v3/data/kpi/N00945?page={}", n + 1);
        Reply::ok(page(&[], Some(&next)))
    })
    .await;

    let client = client_with(&server, |c| c.max_pages = 5);
    let err = client.fetch(&source(&["N00945"], &[], &[])).await;

    match err {
        Err(FetchError::TooManyPages { url, limit: 5 }) => {
            assert_eq!(url, server.url("/v3/data/kpi/N00945?page=6"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 5);
}

#[tokio::test]
async fn next_url_to_another_host_refused() {
    let server =
        Server::start(|_, _| Reply::ok(page(&[], Some("http://example.org/v3/data?page=2")))).await;

    let err = client(&server).fetch(&source(&["N00945"], &[], &[])).await;

    assert!(
        matches!(&err, Err(FetchError::ForeignNextUrl { next, .. }) if next == "http://example.org/v3/data?page=2"),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn page_not_json_refused_with_its_number() {
    let server = Server::start(|_, _| Reply::ok("<html>maintenance</html>")).await;
    let err = client(&server).fetch(&source(&["N00945"], &[], &[])).await;
    assert!(
        matches!(err, Err(FetchError::Page { page: 1, .. })),
        "{err:?}"
    );
}
