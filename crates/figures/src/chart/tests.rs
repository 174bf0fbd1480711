use super::*;
use crate::{Baseline, Direction, Series, Target};

fn series(group: Group, values: &[(f64, f64)]) -> Series {
    let points = values
        .iter()
        .map(|&(x, value)| Point {
            x,
            label: format!("{x}"),
            value,
        })
        .collect();
    Series { group, points }
}

fn words() -> ChartWords {
    ChartWords {
        title: "Andel i arbete".into(),
        description: "Andelen var 80 % år 2024.".into(),
        no_data: "Inga värden".into(),
        all: "Alla".into(),
        women: "Kvinnor".into(),
        men: "Män".into(),
        baseline: "Utgångsvärde".into(),
        target: "Mål".into(),
    }
}

fn indicator(series: Vec<Series>) -> Indicator {
    Indicator {
        series,
        baseline: None,
        targets: vec![],
        direction: Direction::HigherIsBetter,
        decimals: 1,
        unit: "%".into(),
    }
}

#[test]
fn points_land_where_hand_computed() {
    let ind = indicator(vec![series(
        Group::All,
        &[(2020.0, 20.0), (2022.0, 50.0), (2024.0, 80.0)],
    )]);
    let svg = line_chart("c", &ind, &words(), Locale::SWEDISH);
    // Ticks: 20 ≤ 80 / 2 brings in 0; range 80 → nice 100, 100 / 4 = 25 → step 20: 0 to 80.
    // x: 2020 → 60 + 20 = 80; 2022 → 80 + (2 / 4) × 520 = 340; 2024 → 80 + 520 = 600.
    // y: 290 − v / 80 × 260: 20 → 225; 50 → 290 − 162.5 = 127.5; 80 → 30.
    assert!(
        svg.contains("<polyline points=\"80,225 340,127.5 600,30\""),
        "{svg}"
    );
    let scale = Scale {
        x_low: 2020.0,
        x_high: 2024.0,
        y_low: 0.0,
        y_high: 80.0,
    };
    assert_eq!((scale.x(2021.0), scale.y(40.0)), (210.0, 160.0));
    // The grid's top line and label: 80 at y 30, the label 4 lower to sit centred.
    assert!(svg.contains("<line x1=\"60\" y1=\"30\" x2=\"620\" y2=\"30\" stroke=\"#dcdcdc\"/><text x=\"54\" y=\"34\">80</text>"));
    // The point's title says its value in Swedish.
    assert!(
        svg.contains(
            "<title>Alla 2022: 50,0\u{a0}%</title><circle cx=\"340\" cy=\"127.5\" r=\"4\""
        )
    );
}

#[test]
fn the_key_elements_are_there() {
    let mut ind = indicator(vec![
        series(Group::All, &[(2019.0, 60.0), (2024.0, 70.0)]),
        series(Group::Women, &[(2019.0, 62.0), (2024.0, 73.0)]),
        series(Group::Men, &[(2019.0, 58.0), (2024.0, 67.0)]),
    ]);
    ind.baseline = Some(Baseline {
        x: 2019.0,
        label: "2019".into(),
        value: 60.0,
    });
    ind.targets = vec![
        Target {
            x: 2030.0,
            label: "2030".into(),
            value: 80.0,
            group: Group::All,
        },
        Target {
            x: 2030.0,
            label: "2030".into(),
            value: 82.0,
            group: Group::Women,
        },
    ];
    let svg = line_chart("kpi-1", &ind, &words(), Locale::SWEDISH);
    for expected in [
        // Five legend entries make two rows: 332 + 2 × 22 + 4 = 380 high.
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 380\" role=\"img\" aria-labelledby=\"kpi-1-title kpi-1-desc\"",
        "<title id=\"kpi-1-title\">Andel i arbete</title><desc id=\"kpi-1-desc\">Andelen var 80 % år 2024.</desc>",
        // Groups differ in dash and marker, not only colour.
        "stroke=\"#1a1a1a\" stroke-width=\"2.5\"/>",
        "stroke=\"#a8326e\" stroke-width=\"2.5\" stroke-dasharray=\"9 4\"/>",
        "stroke=\"#005a8c\" stroke-width=\"2.5\" stroke-dasharray=\"3 3\"/>",
        "<rect ",
        "<path d=\"M",
        "stroke-dasharray=\"12 4 3 4\"",
        ">Utgångsvärde 2019: 60,0\u{a0}%</text>",
        ">Mål 2030: 80,0\u{a0}%</text>",
        ">Mål 2030 (Kvinnor): 82,0\u{a0}%</text>",
        // The legend.
        ">Kvinnor</text>",
        ">Män</text>",
        ">Mål</text>",
        // The target's period is on the axis.
        ">2030</text>",
        ">%</text>",
    ] {
        assert!(svg.contains(expected), "missing {expected} in {svg}");
    }
    assert!(svg.ends_with("</svg>"));
    for forbidden in ["style", "<script", "href", "NaN", "inf", "width=\"640\""] {
        assert!(!svg.contains(forbidden), "{forbidden} in {svg}");
    }
    // The same input gives the same bytes.
    assert_eq!(svg, line_chart("kpi-1", &ind, &words(), Locale::SWEDISH));
}

#[test]
fn text_is_escaped() {
    let mut w = words();
    w.title = "A < B & \"C\"".into();
    w.all = "<script>".into();
    let ind = indicator(vec![series(Group::All, &[(2020.0, 1.0)])]);
    let svg = line_chart("c", &ind, &w, Locale::ENGLISH);
    assert!(svg.contains("<title id=\"c-title\">A &lt; B &amp; &quot;C&quot;</title>"));
    assert!(svg.contains("&lt;script&gt;"));
    assert!(!svg.contains("<script"));
}

#[test]
fn no_values_says_so_in_the_callers_words() {
    let svg = line_chart("c", &indicator(vec![]), &words(), Locale::SWEDISH);
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains(">Inga värden</text>"));
    // Values that are all not numbers are no values either.
    let ind = indicator(vec![series(
        Group::Men,
        &[(2020.0, f64::NAN), (f64::INFINITY, 3.0)],
    )]);
    assert!(line_chart("c", &ind, &words(), Locale::SWEDISH).contains(">Inga värden</text>"));
}

#[test]
fn values_that_are_not_numbers_are_skipped() {
    let mut ind = indicator(vec![series(
        Group::All,
        &[
            (2020.0, 20.0),
            (2021.0, f64::NAN),
            (2022.0, 50.0),
            (2023.0, f64::NEG_INFINITY),
            (2024.0, 80.0),
        ],
    )]);
    ind.targets.push(Target {
        x: 2030.0,
        label: "2030".into(),
        value: f64::NAN,
        group: Group::All,
    });
    let svg = line_chart("c", &ind, &words(), Locale::SWEDISH);
    // As in the first test: the missing values leave the others where they were.
    assert!(
        svg.contains("<polyline points=\"80,225 340,127.5 600,30\""),
        "{svg}"
    );
    assert!(!svg.contains("NaN") && !svg.contains("inf") && !svg.contains(">Mål"));
}

#[test]
fn one_period_sits_in_the_middle() {
    let ind = indicator(vec![series(Group::Women, &[(2024.0, 10.0)])]);
    let svg = line_chart("c", &ind, &words(), Locale::SWEDISH);
    // x: 80 + 0.5 × 520 = 340. y: ticks 0 to 10 (a lone value brings in 0), so 10 is at the top.
    assert!(svg.contains("<polyline points=\"340,30\""), "{svg}");
}

#[test]
fn many_period_labels_are_thinned() {
    // Thirty years over 520 units: 17.9 apart; a label of 4 characters needs 4 × 6.6 + 6 =
    // 32.4, so every second is shown, and the last (index 29) replaces index 28.
    let places: Vec<(f64, usize)> = (0..30)
        .map(|i| (80.0 + f64::from(i) * 520.0 / 29.0, 4))
        .collect();
    let shown = thin(&places);
    assert_eq!(&shown[..3], [0, 2, 4]);
    assert_eq!(&shown[shown.len() - 2..], [26, 29]);
    // A few fit all.
    assert_eq!(thin(&[(80.0, 4), (340.0, 4), (600.0, 4)]), [0, 1, 2]);
    assert!(thin(&[]).is_empty());
}
