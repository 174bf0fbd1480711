//! Sweden's municipalities' outlines, shipped with the crate (`data/kommuner.txt`, with its
//! source and licence in `data/README.md`) and put on a plane for a county's map.
//!
//! The file is text made for this crate by `tests/generate_map_data.rs` from SCB's boundaries:
//! one line `code<TAB>name` per municipality, then one line per ring, starting with a tab,
//! of `lon,lat` pairs in WGS 84 degrees (three decimals, about 100 m) separated by spaces, the
//! ring closed implicitly. Text rather than GeoJSON so that it needs no parser crate, stays
//! small and shows in a diff which municipality changed. It is read once, on first use; the
//! tests read all of it, so a broken file fails them rather than a page.
//!
//! The projection is equirectangular, scaled for the county: x = longitude × cos(φ₀),
//! y = −latitude, with φ₀ the latitude in the middle of the county's extent. Within one county
//! that keeps shapes and areas true to within a few per cent (more in Norrbotten, which spans
//! four degrees of latitude), which is all a choropleth needs, and it is simple to check.

use std::sync::OnceLock;

use crate::map::MapError;

/// One municipality with its outline in degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    /// Four digits; the first two are the county's (`1880`, Örebro, is in `18`).
    pub code: String,
    pub name: String,
    /// Rings of (longitude, latitude); islands are rings of their own. There are no holes in
    /// the source, and the map fills with the even-odd rule, so one would show if there were.
    pub(crate) rings: Vec<Vec<(f64, f64)>>,
}

const DATA: &str = include_str!("../data/kommuner.txt");

/// Reads the shipped file (see the module doc); a line it cannot read is an error with the
/// line's number, since the file is ours and should be fixed rather than read around.
pub(crate) fn parse(text: &str) -> Result<Vec<Municipality>, String> {
    let mut all: Vec<Municipality> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let bad = |what: &str| format!("line {}: {what}", n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(ring) = line.strip_prefix('\t') {
            let ring = ring
                .split(' ')
                .map(|pair| {
                    let (lon, lat) = pair.split_once(',')?;
                    Some((lon.parse::<f64>().ok()?, lat.parse::<f64>().ok()?))
                })
                .collect::<Option<Vec<_>>>()
                .filter(|ring| {
                    ring.len() >= 3 && ring.iter().all(|(x, y)| x.is_finite() && y.is_finite())
                })
                .ok_or_else(|| bad("a ring is three or more lon,lat pairs"))?;
            all.last_mut()
                .ok_or_else(|| bad("a ring before any municipality"))?
                .rings
                .push(ring);
        } else {
            let (code, name) = line
                .split_once('\t')
                .ok_or_else(|| bad("code<TAB>name expected"))?;
            if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("a municipality's code is four digits"));
            }
            all.push(Municipality {
                code: code.to_owned(),
                name: name.to_owned(),
                rings: Vec::new(),
            });
        }
    }
    if let Some(m) = all.iter().find(|m| m.rings.is_empty()) {
        return Err(format!("{} has no outline", m.code));
    }
    // Sorted by code, so a county's municipalities lie together and in a fixed order.
    all.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(all)
}

fn all() -> Result<&'static [Municipality], MapError> {
    static ALL: OnceLock<Result<Vec<Municipality>, String>> = OnceLock::new();
    match ALL.get_or_init(|| parse(DATA)) {
        Ok(all) => Ok(all),
        Err(e) => Err(MapError::Data(e.clone())),
    }
}

/// A county's municipalities in code order, by the county's two-digit code (`"18"`).
pub fn municipalities(county: &str) -> Result<&'static [Municipality], MapError> {
    let all = all()?;
    let start = all.partition_point(|m| m.code.as_str() < county);
    let end = start
        + all[start..]
            .iter()
            .take_while(|m| m.code.starts_with(county))
            .count();
    if county.len() != 2 || start == end {
        return Err(MapError::UnknownCounty(county.to_owned()));
    }
    Ok(&all[start..end])
}

/// Outlines on the plane, in user units from (0, 0), and the box they fill.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Projected {
    pub shapes: Vec<Vec<Vec<(f64, f64)>>>,
    pub width: f64,
    pub height: f64,
}

/// `municipalities` projected as the module doc says and scaled so that the longer side of
/// their extent is `size` units.
pub(crate) fn project(municipalities: &[Municipality], size: f64) -> Projected {
    let points = || municipalities.iter().flat_map(|m| &m.rings).flatten();
    let (mut west, mut east, mut south, mut north) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for &(lon, lat) in points() {
        (west, east, south, north) = (west.min(lon), east.max(lon), south.min(lat), north.max(lat));
    }
    if !west.is_finite() {
        return Projected {
            shapes: Vec::new(),
            width: size,
            height: size,
        };
    }
    let cos = f64::midpoint(south, north).to_radians().cos();
    let (extent_x, extent_y) = ((east - west) * cos, north - south);
    let scale = size / extent_x.max(extent_y).max(f64::MIN_POSITIVE);
    let shapes = municipalities
        .iter()
        .map(|m| {
            let ring = |r: &Vec<(f64, f64)>| {
                r.iter()
                    .map(|&(lon, lat)| ((lon - west) * cos * scale, (north - lat) * scale))
                    .collect()
            };
            m.rings.iter().map(ring).collect()
        })
        .collect();
    Projected {
        shapes,
        width: extent_x * scale,
        height: extent_y * scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_reads_whole() {
        let all = parse(DATA).unwrap_or_default();
        assert_eq!(all.len(), 290);
        let counties: std::collections::BTreeSet<&str> = all.iter().map(|m| &m.code[..2]).collect();
        assert_eq!(counties.len(), 21);
        // Sweden lies within 10.5–24.5° E and 55–69.1° N.
        for (lon, lat) in all.iter().flat_map(|m| &m.rings).flatten() {
            assert!(
                (10.5..24.5).contains(lon) && (55.0..69.1).contains(lat),
                "{lon},{lat}"
            );
        }
    }

    #[test]
    fn the_shipped_file_is_small() {
        assert!(DATA.len() < 400 * 1024, "{} bytes", DATA.len());
    }

    #[test]
    fn orebro_lan_has_its_twelve_municipalities() {
        let codes: Vec<&str> = municipalities("18")
            .unwrap_or_default()
            .iter()
            .map(|m| m.code.as_str())
            .collect();
        assert_eq!(
            codes,
            [
                "1814", "1860", "1861", "1862", "1863", "1864", "1880", "1881", "1882", "1883",
                "1884", "1885"
            ]
        );
    }

    #[test]
    fn an_unknown_county_is_an_error() {
        for county in ["99", "1", "188", "", "02"] {
            assert_eq!(
                municipalities(county),
                Err(MapError::UnknownCounty(county.to_owned()))
            );
        }
    }

    #[test]
    fn a_broken_line_says_where() {
        assert_eq!(
            parse("1880\tÖrebro\n\t15,59 16,59"),
            Err("line 2: a ring is three or more lon,lat pairs".into())
        );
        assert_eq!(
            parse("\t15,59 16,59 16,60"),
            Err("line 1: a ring before any municipality".into())
        );
        assert_eq!(parse("1880\tÖrebro\n"), Err("1880 has no outline".into()));
    }

    #[test]
    fn the_projection_keeps_shape_at_the_countys_latitude() {
        // A square of 2° longitude × 1° latitude around 60° N: cos 60° = 0.5, so it is as wide
        // as it is high, and both sides become the 100 units asked for.
        let m = Municipality {
            code: "0101".into(),
            name: "Test".into(),
            rings: vec![vec![(15.0, 59.5), (17.0, 59.5), (17.0, 60.5), (15.0, 60.5)]],
        };
        let p = project(&[m], 100.0);
        assert!((p.width - 100.0).abs() < 1e-9 && (p.height - 100.0).abs() < 1e-9);
        let corner = p.shapes[0][0][2];
        // (17, 60.5): x = 2 × 0.5 × 100 = 100, y = (60.5 − 60.5) × 100 = 0 (north is up).
        assert!((corner.0 - 100.0).abs() < 1e-9 && corner.1.abs() < 1e-9);
    }
}
