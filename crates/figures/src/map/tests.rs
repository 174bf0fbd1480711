use super::*;

const OREBRO_LAN: [&str; 12] = [
    "1814", "1860", "1861", "1862", "1863", "1864", "1880", "1881", "1882", "1883", "1884", "1885",
];

fn words() -> MapWords {
    MapWords {
        title: "Andel i arbete per kommun".into(),
        description: "Högst i Kumla, lägst i Laxå.".into(),
        legend: "Andel 2024".into(),
        no_value: "Uppgift saknas".into(),
        credit: "Källa: SCB".into(),
    }
}

/// The `<path …>…</path>` of the municipality named `name`.
fn path_of<'a>(svg: &'a str, name: &str) -> &'a str {
    let end = svg.find(&format!("<title>{name}: ")).unwrap_or(0);
    let start = svg[..end].rfind("<path ").unwrap_or(0);
    &svg[start..end]
}

#[test]
fn orebro_lan_has_a_path_for_each_of_its_twelve_municipalities() {
    let values: Vec<(&str, Option<f64>)> = OREBRO_LAN
        .iter()
        .zip(1..)
        .map(|(&c, i)| (c, Some(f64::from(i))))
        .collect();
    let svg = county_map("m", "18", &values, 0, "%", &words(), Locale::SWEDISH).unwrap_or_default();
    assert_eq!(svg.matches("<path d=\"M").count(), 12);
    for name in [
        "Lekeberg",
        "Laxå",
        "Hallsberg",
        "Degerfors",
        "Hällefors",
        "Ljusnarsberg",
        "Örebro",
        "Kumla",
        "Askersund",
        "Karlskoga",
        "Nora",
        "Lindesberg",
    ] {
        assert!(svg.contains(&format!("<title>{name}: ")), "{name}");
    }
    // 1880 Örebro has 7 of 1–12. (12 − 1) / 5 = 2.2, so bounds 1, 3.2→3, 5.4→5, 7.6→8,
    // 9.8→10, 12; 7 is in [5, 8), the third class.
    assert!(path_of(&svg, "Örebro").contains("fill=\"#6baed6\""));
    assert!(svg.contains("<title>Örebro: 7\u{a0}%</title>"));
    // 1885 Lindesberg has the highest, 12: the darkest.
    assert!(path_of(&svg, "Lindesberg").contains("fill=\"#08519c\""));
}

#[test]
fn class_bounds_are_equal_intervals_rounded_as_shown() {
    // 10 to 30 in five: (30 − 10) / 5 = 4, so 10, 14, 18, 22, 26, 30.
    let bounds = class_bounds(&[20.0, 10.0, 12.0, 15.0, 30.0], 0);
    assert_eq!(bounds, [10.0, 14.0, 18.0, 22.0, 26.0, 30.0]);
    let classes: Vec<usize> = [10.0, 12.0, 14.0, 15.0, 20.0, 26.0, 30.0]
        .iter()
        .map(|&v| class_of(v, &bounds, 0))
        .collect();
    // A value on a bound belongs to the class above; the highest to the last.
    assert_eq!(classes, [0, 0, 1, 1, 2, 4, 4]);
    // One decimal: 1.0 to 2.0 over three distinct values makes three classes of 0.333…,
    // rounded to 1.0, 1.3, 1.7, 2.0.
    assert_eq!(
        class_bounds(&[1.0, 1.5, 2.0, f64::NAN], 1),
        [1.0, 1.3, 1.7, 2.0]
    );
}

#[test]
fn class_bounds_of_few_values() {
    // 0, 1 and 2 without decimals: thirds rounded give 0, 1, 1, 2, so two classes.
    assert_eq!(class_bounds(&[0.0, 1.0, 2.0], 0), [0.0, 1.0, 2.0]);
    assert_eq!(class_bounds(&[5.0, 5.0], 1), [5.0, 5.0]);
    assert_eq!(class_of(5.0, &[5.0, 5.0], 1), 0);
    assert!(class_bounds(&[f64::NAN], 1).is_empty());
}

#[test]
fn a_municipality_without_a_value_is_hatched() {
    let values = [
        ("1880", Some(10.0)),
        ("1881", Some(20.0)),
        ("1863", None),
        ("1862", Some(f64::NAN)),
        ("0180", Some(99.0)),
    ];
    let svg =
        county_map("kpi-7", "18", &values, 1, "", &words(), Locale::SWEDISH).unwrap_or_default();
    assert!(svg.contains("<pattern id=\"kpi-7-none\""));
    for name in ["Hällefors", "Degerfors", "Lekeberg"] {
        assert!(
            path_of(&svg, name).contains("fill=\"url(#kpi-7-none)\""),
            "{name}"
        );
        assert!(svg.contains(&format!("<title>{name}: Uppgift saknas</title>")));
    }
    // Two values, two classes: 10,0–15,0 and 15,0–20,0; Stockholm's 99 is not in the county.
    assert!(
        svg.contains(">10,0–15,0</text>") && svg.contains(">15,0–20,0</text>"),
        "{svg}"
    );
    assert!(!svg.contains(": 99"));
    assert!(svg.contains(
        "fill=\"url(#kpi-7-none)\" stroke=\"#595959\" stroke-width=\"0.75\"/><text x=\""
    ));
    assert!(svg.contains(">Uppgift saknas</text>"));
    assert!(svg.contains(">Källa: SCB</text></g></svg>"));
}

#[test]
fn no_values_at_all_is_a_map_of_hatching() {
    let svg = county_map("m", "18", &[], 1, "%", &words(), Locale::SWEDISH).unwrap_or_default();
    assert_eq!(svg.matches("fill=\"url(#m-none)\"").count(), 12 + 1);
}

#[test]
fn the_map_is_an_accessible_image_without_styles_or_scripts() {
    let mut w = words();
    w.title = "<b> & \"c\"".into();
    let svg = county_map(
        "m",
        "18",
        &[("1880", Some(1.5))],
        1,
        "%",
        &w,
        Locale::ENGLISH,
    )
    .unwrap_or_default();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
    assert!(svg.contains("role=\"img\" aria-labelledby=\"m-title m-desc\""));
    assert!(svg.contains(
        "<title id=\"m-title\">&lt;b&gt; &amp; &quot;c&quot;</title><desc id=\"m-desc\">"
    ));
    assert!(svg.contains("<title>Örebro: 1.5\u{a0}%</title>"));
    for forbidden in ["style", "<script", "href", "NaN", "inf"] {
        assert!(!svg.contains(forbidden), "{forbidden}");
    }
    assert_eq!(
        svg,
        county_map(
            "m",
            "18",
            &[("1880", Some(1.5))],
            1,
            "%",
            &w,
            Locale::ENGLISH
        )
        .unwrap_or_default()
    );
}

#[test]
fn an_unknown_county_is_an_error_not_a_panic() {
    assert_eq!(
        county_map("m", "42", &[], 1, "", &words(), Locale::SWEDISH),
        Err(MapError::UnknownCounty("42".into()))
    );
    assert_eq!(
        county_map("m", "x", &[], 1, "", &words(), Locale::SWEDISH),
        Err(MapError::UnknownCounty("x".into()))
    );
}

#[test]
fn every_county_can_be_drawn() {
    let mut total = 0;
    for county in [
        "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19",
        "20", "21", "22", "23", "24", "25",
    ] {
        let count = municipalities(county).map(<[_]>::len).unwrap_or_default();
        let svg =
            county_map("m", county, &[], 0, "", &words(), Locale::SWEDISH).unwrap_or_default();
        assert_eq!(svg.matches("<path d=\"M").count(), count, "{county}");
        total += count;
    }
    // Gotland is one municipality, Västra Götaland 49; 290 in all.
    assert_eq!(total, 290);
}
