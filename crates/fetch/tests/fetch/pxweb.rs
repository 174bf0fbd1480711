//! PxWeb version 1 (the query POSTed as given) and version 2 (the selection in the query
//! string), and a plain URL, served recorded answers.

use rodtrad_fetch::{PxSite, Select, Source};
use rodtrad_stats::Kind;
use serde_json::{Value, json};

use crate::server::{Reply, Server};
use crate::{client, recorded};

fn select(variable: &str, codes: &[&str], codelist: Option<&str>) -> Select {
    Select {
        variable: variable.into(),
        codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        codelist: codelist.map(str::to_owned),
    }
}

#[tokio::test]
async fn v1_query_posted_as_given() {
    let query = json!({
        "query": [
            {"code": "Parti", "selection": {"filter": "item", "values": ["M", "C"]}},
            {"code": "Tid", "selection": {"filter": "item", "values": ["2002"]}}
        ],
        "response": {"format": "json"}
    });
    let server = Server::start(|_, _| {
        // As SCB sends it: with a byte-order mark.
        let mut body = b"\xEF\xBB\xBF".to_vec();
        body.extend(recorded("pxweb/v1/ME0104T24_data.json"));
        Reply::ok(body).header("content-type", "application/json; charset=utf-8")
    })
    .await;

    let fetched = client(&server)
        .fetch(&Source::PxWebV1 {
            site: PxSite::Scb,
            table: "ME/ME0104/ME0104D/ME0104T24".into(),
            query: query.clone(),
        })
        .await
        .expect("fetched");

    let [request] = server.requests().try_into().expect("one request");
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/OV0104/v1/doris/sv/ssd/ME/ME0104/ME0104D/ME0104T24"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("rodtrad/", env!("CARGO_PKG_VERSION")))
    );
    let sent: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(sent, query);
    assert_eq!(fetched.kind(), Some(Kind::PxWeb));
    assert_eq!(fetched.pages(), [recorded("pxweb/v1/ME0104T24_data.json")]);
    assert_eq!(fetched.read().expect("read").len(), 1);
}

#[tokio::test]
async fn v1_sites_and_format_from_query() {
    let server = Server::start(|_, _| Reply::ok(recorded("pxweb/TAB6471_data.json"))).await;
    let source = |site| Source::PxWebV1 {
        site,
        table: "/A_Folkhalsodata/B_HLV/hlv1allmxreg.px".into(),
        query: json!({"query": [], "response": {"format": "json-stat2"}}),
    };
    let client = client(&server);

    let fetched = client
        .fetch(&source(PxSite::Folkhalsodata))
        .await
        .expect("fetched");
    client
        .fetch(&source(PxSite::Other(server.url("/PXWeb/api/v1/sv"))))
        .await
        .expect("fetched");
    // A table by its whole URL, as an indicator may keep it.
    let whole = Source::PxWebV1 {
        site: PxSite::Other(server.url("/api/v1/sv/ssd/BE/BE0101/BefolkningNy")),
        table: String::new(),
        query: json!({"query": []}),
    };
    client.fetch(&whole).await.expect("fetched");

    assert_eq!(
        server.targets(),
        [
            "/Folkhalsodata/api/v1/sv/A_Folkhalsodata/B_HLV/hlv1allmxreg.px",
            "/PXWeb/api/v1/sv/A_Folkhalsodata/B_HLV/hlv1allmxreg.px",
            "/api/v1/sv/ssd/BE/BE0101/BefolkningNy",
        ]
    );
    assert_eq!(fetched.kind(), Some(Kind::JsonStat));
    assert_eq!(fetched.read().expect("read").len(), 1);
}

#[tokio::test]
async fn v2_selection_in_query_string() {
    let server = Server::start(|_, _| Reply::ok(recorded("pxweb/TAB6471_data.json"))).await;

    let fetched = client(&server)
        .fetch(&Source::PxWebV2 {
            table: "TAB6471".into(),
            select: vec![
                select("Region", &["1880", "1814"], Some("vs_RegionKommun07")),
                select("Tid", &["2024M01"], None),
                // A second selection of a variable joins the first: SCB would drop it.
                select("Region", &["0180"], None),
            ],
        })
        .await
        .expect("fetched");

    let [request] = server.requests().try_into().expect("one request");
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/ov0104/v2beta/api/v2/tables/TAB6471/data");
    let pairs: Vec<(String, String)> = request.query();
    let expected = [
        ("lang", "sv"),
        ("outputFormat", "json-stat2"),
        ("valueCodes[Region]", "1880,1814,0180"),
        ("codelist[Region]", "vs_RegionKommun07"),
        ("valueCodes[Tid]", "2024M01"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(pairs, expected);
    assert_eq!(fetched.kind(), Some(Kind::JsonStat));
    let tables = fetched.read().expect("read");
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].sizes(), [21, 11, 3, 1, 4]);
}

#[tokio::test]
async fn plain_url_read_by_its_content() {
    let csv = "År;Kommun;Värde\n2023;0180;1,5\n2024;0180;2,5\n";
    let server = Server::start(move |_, _| Reply::ok(csv).without_length()).await;

    let fetched = client(&server)
        .fetch(&Source::Url(server.url("/statistik/fil.csv?år=2024")))
        .await
        .expect("fetched");

    assert_eq!(server.targets(), ["/statistik/fil.csv?%C3%A5r=2024"]);
    assert_eq!(fetched.kind(), None);
    assert_eq!(fetched.pages(), [csv.as_bytes()]);
    assert_eq!(fetched.read().expect("read").len(), 1);
}
