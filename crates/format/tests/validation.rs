//! Every validation rule of the exchange format, each with the error it gives: the file, the
//! line, the path of the field and the problem.

use rodtrad_format::{Diagnostic, EntityKind, Problem, SourceFile, parse, write};

const MANIFEST: &str = "format_version = 1\nname = \"Test\"\n";

const ORGANISATIONS: &str = r#"[[organisation]]
id = "region"
name = "Region Test"
kind = "region"

[[organisation]]
id = "lansdel-norr"
name = "Länsdel Norr"
kind = "county_district"

[[organisation]]
id = "nora-kommun"
name = "Nora kommun"
kind = "municipality"
municipality_code = "1884"
parent = "lansdel-norr"

[[organisation]]
id = "valfard"
name = "Välfärd och folkhälsa"
kind = "unit"
parent = "region"
"#;

const PERSPECTIVES: &str = "[[perspective]]\nid = \"jamstalldhet\"\nname = \"Jämställdhet\"\n";

const STRATEGY: &str = r#"id = "rus"
title = "Regional utvecklingsstrategi"
vision = "En region för alla"
start = "2018"
end = "2030"
owner = "region"
adopted_on = "2018-03"
adopted_by = "region"
perspectives = ["jamstalldhet"]

[[overarching_goal]]
id = "livskvalitet"
title = "Hög och jämlik livskvalitet"

[[overarching_goal.effect_goal]]
id = "folkhalsa"
title = "God och jämlik folkhälsa"

[[priority_area]]
id = "halsa"
title = "Hälsofrämjande arbete"

[[desired_state]]
id = "god-halsa"
text = "En god hälsa"
priority_area = "halsa"
"#;

const PLAN: &str = r#"id = "plan"
title = "Handlingsplan"
start = 2019
end = "2022"
owner = "region"
priority_area = "halsa"
effect_goals = ["folkhalsa"]

[[version]]
id = "beslut"
title = "Beslutsversion"
decided_by = "region"
decided_on = "2019-12-04"

[[level]]
id = "focus-area"
name = "Insatsområde"

[[level]]
id = "sub-goal"
name = "Delmål"

[[node]]
id = "fa"
level = "focus-area"
title = "Insatsområde A"

[[node]]
id = "delmal-1"
level = "sub-goal"
parent = "fa"
number = "1"
title = "Delmål 1"
"#;

const ACTIVITIES: &str = r#"[[activity]]
id = "cross"
title = "CROSS"
responsible_unit = "valfard"
lead = "region"
partners = ["nora-kommun"]
start = "2020"
end = "2021"
status = "ongoing"
intervention_level = "promotive"
perspectives = ["jamstalldhet"]
serves = ["plan/delmal-1"]

[[activity.funding]]
funder = "region"
"#;

const FOLLOW_UP: &str = r#"id = "uppfoljning"
title = "Uppföljning"
date = "2021-04-22"
author = "valfard"
plans = ["plan"]
structure = "plan"

[[section]]
node = "plan/fa"
narrative = "Det går bra."
"#;

fn base() -> Vec<SourceFile> {
    [
        ("rodtrad.toml", MANIFEST),
        ("organisations.toml", ORGANISATIONS),
        ("perspectives.toml", PERSPECTIVES),
        ("strategies/rus.toml", STRATEGY),
        ("plans/plan.toml", PLAN),
        ("activities.toml", ACTIVITIES),
        ("follow-ups/uppfoljning.toml", FOLLOW_UP),
    ]
    .into_iter()
    .map(|(p, t)| SourceFile::new(p, t))
    .collect()
}

/// The base data set with one file's text edited: `from` replaced by `to` (which must occur).
fn edit(path: &str, from: &str, to: &str) -> Vec<SourceFile> {
    edits(&[(path, from, to)])
}

/// The base data set with several edits, each `(file, from, to)`.
fn edits(changes: &[(&str, &str, &str)]) -> Vec<SourceFile> {
    let mut files = base();
    for (path, from, to) in changes {
        let f = files
            .iter_mut()
            .find(|f| f.path == *path)
            .expect("file of the base set");
        let text = f.text.as_ref().expect("text").clone();
        assert!(text.contains(from), "{from:?} not in {path}");
        f.text = Ok(text.replacen(from, to, 1));
    }
    files
}

fn errors(files: Vec<SourceFile>) -> Vec<Diagnostic> {
    parse(files).expect_err("the data set should be refused")
}

/// Asserts that exactly one error is found, and that it is this one.
fn only(files: Vec<SourceFile>, file: &str, line: Option<usize>, path: &str, problem: Problem) {
    let found = errors(files);
    let expected = Diagnostic {
        file: file.into(),
        line,
        path: path.into(),
        problem,
    };
    assert_eq!(found, vec![expected]);
}

#[test]
fn the_base_data_set_is_valid() {
    let set = parse(base()).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(set.name, "Test");
    assert_eq!(set.organisations.len(), 4);
    assert_eq!(set.plans[0].nodes.len(), 2);
    assert_eq!(set.activities[0].serves[0].to_string(), "plan/delmal-1");
    // A bare integer year is read as a year.
    assert_eq!(
        set.plans[0].period.start.map(|d| d.to_string()),
        Some("2019".into())
    );
}

#[test]
fn written_files_read_back_the_same_and_write_the_same_bytes() {
    let set = parse(base()).expect("valid");
    let files = write(&set);
    let again = parse(files.clone()).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(again, set);
    assert_eq!(write(&again), files);
    let plan = files
        .iter()
        .find(|f| f.path == "plans/plan.toml")
        .expect("plan file");
    assert!(
        plan.text
            .as_ref()
            .expect("text")
            .contains("start = \"2019\""),
        "years are written as strings"
    );
}

#[test]
fn syntax_errors_name_the_line() {
    let found = errors(edit(
        "activities.toml",
        "status = \"ongoing\"",
        "status = \"ongoing",
    ));
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].file.as_str(), found[0].line),
        ("activities.toml", Some(9))
    );
    assert!(
        matches!(found[0].problem, Problem::Syntax { .. }),
        "{found:?}"
    );
}

#[test]
fn unknown_fields_are_refused() {
    let found = errors(edit(
        "activities.toml",
        "title = \"CROSS\"",
        "title = \"CROSS\"\ntitel = \"x\"",
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!((d.file.as_str(), d.line), ("activities.toml", Some(4)));
    assert_eq!(d.path, "activity[0].titel");
    assert!(
        matches!(&d.problem, Problem::UnknownField { field, expected } if field == "titel" && expected.contains("title"))
    );
}

#[test]
fn missing_fields_are_named() {
    let found = errors(edit("organisations.toml", "name = \"Nora kommun\"\n", ""));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "organisation[2].name");
    assert_eq!(
        found[0].problem,
        Problem::MissingField {
            field: "name".into()
        }
    );
    assert_eq!(
        found[0].line,
        Some(11),
        "the line of the table that lacks it"
    );
}

#[test]
fn values_of_the_wrong_type_are_refused() {
    let found = errors(edit("plans/plan.toml", "title = \"Delmål 1\"", "title = 5"));
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].path.as_str(), found[0].line),
        ("node[1].title", Some(33))
    );
    assert!(matches!(found[0].problem, Problem::WrongType { .. }));
}

#[test]
fn files_outside_the_layout_are_refused() {
    let mut files = base();
    files.push(SourceFile::new("plan/extra.toml", "id = \"x\""));
    files.push(SourceFile::new("plans/sub/deep.toml", "id = \"x\""));
    let found = errors(files);
    assert_eq!(
        found
            .iter()
            .map(|d| (d.file.as_str(), &d.problem))
            .collect::<Vec<_>>(),
        vec![
            ("plan/extra.toml", &Problem::UnknownFile),
            ("plans/sub/deep.toml", &Problem::UnknownFile)
        ]
    );
}

#[test]
fn a_data_set_needs_its_manifest() {
    let files = base()
        .into_iter()
        .filter(|f| f.path != "rodtrad.toml")
        .collect();
    only(files, "rodtrad.toml", None, "", Problem::MissingManifest);
}

#[test]
fn unknown_format_versions_are_refused() {
    only(
        edit("rodtrad.toml", "format_version = 1", "format_version = 2"),
        "rodtrad.toml",
        Some(1),
        "format_version",
        Problem::UnsupportedVersion { found: 2 },
    );
}

#[test]
fn ids_must_be_slugs() {
    only(
        edit(
            "activities.toml",
            "id = \"cross\"",
            "id = \"Cross projekt\"",
        ),
        "activities.toml",
        Some(2),
        "activity[0].id",
        Problem::BadSlug {
            value: "Cross projekt".into(),
            reason: "holds a character other than a-z, 0-9 and single inner hyphens".into(),
        },
    );
}

#[test]
fn duplicate_ids_name_the_first_place() {
    let extra = "\n[[organisation]]\nid = \"region\"\nname = \"Region igen\"\nkind = \"region\"\n";
    only(
        edit(
            "organisations.toml",
            "parent = \"region\"\n",
            &format!("parent = \"region\"\n{extra}"),
        ),
        "organisations.toml",
        Some(25),
        "organisation[4].id",
        Problem::DuplicateId {
            kind: EntityKind::Organisation,
            id: "region".into(),
            first: "organisations.toml:2".into(),
        },
    );
}

#[test]
fn node_ids_are_unique_within_their_plan_only() {
    let mut files = base();
    // The same node id in another plan is fine.
    files.push(SourceFile::new("plans/other.toml", "id = \"other\"\ntitle = \"Annan\"\n[[level]]\nid = \"l\"\nname = \"L\"\n[[node]]\nid = \"fa\"\nlevel = \"l\"\ntitle = \"X\"\n"));
    assert!(parse(files).is_ok());
    let extra = "\n[[node]]\nid = \"fa\"\nlevel = \"focus-area\"\ntitle = \"Igen\"\n";
    only(
        edit(
            "plans/plan.toml",
            "title = \"Delmål 1\"\n",
            &format!("title = \"Delmål 1\"\n{extra}"),
        ),
        "plans/plan.toml",
        Some(36),
        "node[2].id",
        Problem::DuplicateId {
            kind: EntityKind::Node,
            id: "fa".into(),
            first: "plans/plan.toml:24".into(),
        },
    );
}

#[test]
fn references_must_name_an_existing_entity_of_their_kind() {
    only(
        edit(
            "activities.toml",
            "lead = \"region\"",
            "lead = \"regionen\"",
        ),
        "activities.toml",
        Some(5),
        "activity[0].lead",
        Problem::UnknownReference {
            kind: EntityKind::Organisation,
            id: "regionen".into(),
        },
    );
    // An effect goal id used where a priority area is expected is still unknown.
    only(
        edit(
            "plans/plan.toml",
            "priority_area = \"halsa\"",
            "priority_area = \"folkhalsa\"",
        ),
        "plans/plan.toml",
        Some(6),
        "priority_area",
        Problem::UnknownReference {
            kind: EntityKind::PriorityArea,
            id: "folkhalsa".into(),
        },
    );
    only(
        edit(
            "activities.toml",
            "serves = [\"plan/delmal-1\"]",
            "serves = [\"plan/delmal-9\"]",
        ),
        "activities.toml",
        Some(12),
        "activity[0].serves[0]",
        Problem::UnknownReference {
            kind: EntityKind::Node,
            id: "plan/delmal-9".into(),
        },
    );
    only(
        edit(
            "follow-ups/uppfoljning.toml",
            "node = \"plan/fa\"",
            "node = \"planen/fa\"",
        ),
        "follow-ups/uppfoljning.toml",
        Some(9),
        "section[0].node",
        Problem::UnknownReference {
            kind: EntityKind::Plan,
            id: "planen".into(),
        },
    );
}

#[test]
fn goal_references_are_plan_slash_node() {
    only(
        edit(
            "activities.toml",
            "serves = [\"plan/delmal-1\"]",
            "serves = [\"delmal-1\"]",
        ),
        "activities.toml",
        Some(12),
        "activity[0].serves[0]",
        Problem::BadGoalRef {
            value: "delmal-1".into(),
        },
    );
}

#[test]
fn dates_must_be_real_and_of_known_precision() {
    only(
        edit(
            "activities.toml",
            "start = \"2020\"",
            "start = \"våren 2020\"",
        ),
        "activities.toml",
        Some(7),
        "activity[0].start",
        Problem::BadDate {
            value: "våren 2020".into(),
            reason: "not of the form YYYY, YYYY-MM or YYYY-MM-DD".into(),
        },
    );
    only(
        edit("follow-ups/uppfoljning.toml", "2021-04-22", "2021-02-30"),
        "follow-ups/uppfoljning.toml",
        Some(3),
        "date",
        Problem::BadDate {
            value: "2021-02-30".into(),
            reason: "no such date".into(),
        },
    );
}

#[test]
fn an_end_may_not_lie_before_its_start() {
    only(
        edit("activities.toml", "end = \"2021\"", "end = \"2019\""),
        "activities.toml",
        Some(8),
        "activity[0].end",
        Problem::EndBeforeStart {
            start: "2020".into(),
            end: "2019".into(),
        },
    );
    only(
        edit("strategies/rus.toml", "end = \"2030\"", "end = \"2017-12\""),
        "strategies/rus.toml",
        Some(5),
        "end",
        Problem::EndBeforeStart {
            start: "2018".into(),
            end: "2017-12".into(),
        },
    );
}

#[test]
fn vocabularies_take_only_their_values() {
    only(
        edit(
            "activities.toml",
            "status = \"ongoing\"",
            "status = \"pausad\"",
        ),
        "activities.toml",
        Some(9),
        "activity[0].status",
        Problem::UnknownValue {
            field: "status",
            value: "pausad".into(),
            allowed: "planned, ongoing, paused, completed, cancelled".into(),
        },
    );
    only(
        edit(
            "activities.toml",
            "intervention_level = \"promotive\"",
            "intervention_level = \"green\"",
        ),
        "activities.toml",
        Some(10),
        "activity[0].intervention_level",
        Problem::UnknownValue {
            field: "intervention_level",
            value: "green".into(),
            allowed: "promotive, selective, indicated".into(),
        },
    );
    let found = errors(edit(
        "organisations.toml",
        "kind = \"county_district\"",
        "kind = \"lansdel\"",
    ));
    assert_eq!(
        (found[0].path.as_str(), found[0].line),
        ("organisation[1].kind", Some(9))
    );
    assert!(
        matches!(&found[0].problem, Problem::UnknownValue { field: "kind", value, .. } if value == "lansdel")
    );
    only(
        edit(
            "plans/plan.toml",
            "title = \"Handlingsplan\"",
            "title = \"Handlingsplan\"\nkind = \"program\"",
        ),
        "plans/plan.toml",
        Some(3),
        "kind",
        Problem::UnknownValue {
            field: "kind",
            value: "program".into(),
            allowed: "plan, joint".into(),
        },
    );
}

#[test]
fn a_node_level_must_be_one_of_the_plans_levels() {
    only(
        edit(
            "plans/plan.toml",
            "level = \"sub-goal\"",
            "level = \"delmal\"",
        ),
        "plans/plan.toml",
        Some(30),
        "node[1].level",
        Problem::UnknownValue {
            field: "level",
            value: "delmal".into(),
            allowed: "focus-area, sub-goal".into(),
        },
    );
}

#[test]
fn a_child_node_sits_one_level_below_its_parent() {
    only(
        edit(
            "plans/plan.toml",
            "level = \"sub-goal\"",
            "level = \"focus-area\"",
        ),
        "plans/plan.toml",
        Some(30),
        "node[1].level",
        Problem::WrongLevel {
            level: "focus-area".into(),
            expected: "sub-goal".into(),
        },
    );
    only(
        edit(
            "plans/plan.toml",
            "level = \"focus-area\"\ntitle",
            "level = \"sub-goal\"\ntitle",
        ),
        "plans/plan.toml",
        Some(25),
        "node[0].level",
        Problem::WrongLevel {
            level: "sub-goal".into(),
            expected: "focus-area".into(),
        },
    );
}

#[test]
fn the_lowest_level_has_no_children() {
    let extra = "\n[[node]]\nid = \"under\"\nlevel = \"sub-goal\"\nparent = \"delmal-1\"\ntitle = \"Under\"\n";
    only(
        edit(
            "plans/plan.toml",
            "title = \"Delmål 1\"\n",
            &format!("title = \"Delmål 1\"\n{extra}"),
        ),
        "plans/plan.toml",
        Some(37),
        "node[2].level",
        Problem::NoLevelBelow {
            parent: "delmal-1".into(),
        },
    );
}

#[test]
fn municipality_codes_are_four_digits_on_municipalities_only() {
    only(
        edit("organisations.toml", "\"1884\"", "\"188\""),
        "organisations.toml",
        Some(15),
        "organisation[2].municipality_code",
        Problem::BadMunicipalityCode {
            value: "188".into(),
        },
    );
    only(
        edit("organisations.toml", "municipality_code = \"1884\"\n", ""),
        "organisations.toml",
        Some(14),
        "organisation[2].municipality_code",
        Problem::MissingMunicipalityCode,
    );
    only(
        edit(
            "organisations.toml",
            "kind = \"unit\"",
            "kind = \"unit\"\nmunicipality_code = \"1880\"",
        ),
        "organisations.toml",
        Some(22),
        "organisation[3].municipality_code",
        Problem::CodeOnNonMunicipality {
            kind: "unit".into(),
        },
    );
}

#[test]
fn municipality_codes_are_unique() {
    let extra = "\n[[organisation]]\nid = \"nora-2\"\nname = \"Nora igen\"\nkind = \"municipality\"\nmunicipality_code = \"1884\"\n";
    let files = edit(
        "organisations.toml",
        "parent = \"region\"\n",
        &format!("parent = \"region\"\n{extra}"),
    );
    only(
        files,
        "organisations.toml",
        Some(28),
        "organisation[4].municipality_code",
        Problem::DuplicateMunicipalityCode {
            code: "1884".into(),
            first: "organisations.toml:15".into(),
        },
    );
}

#[test]
fn organisations_may_not_belong_to_themselves() {
    let found = errors(edit(
        "organisations.toml",
        "kind = \"county_district\"",
        "kind = \"county_district\"\nparent = \"nora-kommun\"",
    ));
    let loops: Vec<_> = found
        .iter()
        .map(|d| (d.path.as_str(), &d.problem))
        .collect();
    assert_eq!(
        loops,
        vec![
            (
                "organisation[1].parent",
                &Problem::ParentLoop {
                    id: "lansdel-norr".into()
                }
            ),
            (
                "organisation[2].parent",
                &Problem::ParentLoop {
                    id: "nora-kommun".into()
                }
            ),
        ]
    );
}

#[test]
fn a_responsible_unit_is_a_unit() {
    only(
        edit(
            "activities.toml",
            "responsible_unit = \"valfard\"",
            "responsible_unit = \"nora-kommun\"",
        ),
        "activities.toml",
        Some(4),
        "activity[0].responsible_unit",
        Problem::NotAUnit {
            id: "nora-kommun".into(),
        },
    );
}

#[test]
fn a_decision_date_needs_the_body_that_decided() {
    // A body without a date is a decision whose date the source does not give.
    assert!(parse(edit("plans/plan.toml", "decided_on = \"2019-12-04\"\n", "")).is_ok());
    only(
        edit("plans/plan.toml", "decided_by = \"region\"\n", ""),
        "plans/plan.toml",
        Some(12),
        "version[0].decided_by",
        Problem::DecisionIncomplete,
    );
}

#[test]
fn funding_needs_a_funder_or_a_description() {
    only(
        edit("activities.toml", "funder = \"region\"\n", ""),
        "activities.toml",
        Some(2),
        "activity[0].funding[0]",
        Problem::EmptyFunding,
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let files = edits(&[
        // A duplicate key makes activities.toml unreadable as a whole.
        (
            "activities.toml",
            "status = \"ongoing\"",
            "status = \"pausad\"\nlead = 3",
        ),
        ("perspectives.toml", "[[perspective]]", "[[perspective]"),
        ("organisations.toml", "\"1884\"", "\"18840\""),
        ("organisations.toml", "kind = \"unit\"", "kind = \"enhet\""),
    ]);
    let found = errors(files);
    let summary: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d.file.as_str(), d.problem.key()))
        .collect();
    assert_eq!(
        summary,
        vec![
            // activities.toml could not be read as a whole: a duplicate key is a syntax error.
            ("activities.toml", "problem-syntax"),
            ("organisations.toml", "problem-bad-municipality-code"),
            ("organisations.toml", "problem-unknown-value"),
            // With perspectives.toml unreadable, references to perspectives cannot be judged and are
            // not reported as unknown.
            ("perspectives.toml", "problem-syntax"),
        ]
    );
}

#[test]
fn problems_in_many_records_of_one_file_are_all_reported() {
    let files = edits(&[
        (
            "plans/plan.toml",
            "level = \"sub-goal\"\nparent",
            "level = \"nope\"\nparent",
        ),
        (
            "plans/plan.toml",
            "effect_goals = [\"folkhalsa\"]",
            "effect_goals = [\"folkhalsa\", \"okand\"]",
        ),
        ("plans/plan.toml", "start = 2019", "start = 2023"),
    ]);
    let found = errors(files);
    let summary: Vec<(Option<usize>, &str)> =
        found.iter().map(|d| (d.line, d.path.as_str())).collect();
    assert_eq!(
        summary,
        vec![
            (Some(4), "end"),
            (Some(7), "effect_goals[1]"),
            (Some(30), "node[1].level")
        ]
    );
}

/// The line of a file's first occurrence of `needle` after `after`, counting from 1.
fn line_after(files: &[SourceFile], path: &str, after: &str, needle: &str) -> Option<usize> {
    let text = files.iter().find(|f| f.path == path)?.text.as_ref().ok()?;
    let from = text.find(after)?;
    let at = from + text[from..].find(needle)?;
    Some(text[..at].matches('\n').count() + 1)
}

#[test]
fn a_goal_below_itself_is_refused_at_every_goal_of_the_loop() {
    // Each case: the files, and each goal of the loop with the parent it names.
    type Ring<'a> = Vec<(&'a str, &'a str)>;
    let node = |id: &str| format!("id = \"{id}\"\n");
    let cases: Vec<(Vec<SourceFile>, Ring)> = vec![
        // Its own parent.
        (
            edit(
                "plans/plan.toml",
                "id = \"fa\"\n",
                "id = \"fa\"\nparent = \"fa\"\n",
            ),
            vec![("fa", "parent = \"fa\"")],
        ),
        // Its child's child.
        (
            edit(
                "plans/plan.toml",
                "id = \"fa\"\n",
                "id = \"fa\"\nparent = \"delmal-1\"\n",
            ),
            vec![
                ("fa", "parent = \"delmal-1\""),
                ("delmal-1", "parent = \"fa\""),
            ],
        ),
        // Three goals in a ring.
        (
            edits(&[
                (
                    "plans/plan.toml",
                    "id = \"fa\"\n",
                    "id = \"fa\"\nparent = \"c\"\n",
                ),
                (
                    "plans/plan.toml",
                    "title = \"Delmål 1\"\n",
                    "title = \"Delmål 1\"\n\n[[node]]\nid = \"c\"\nlevel = \"sub-goal\"\nparent = \"delmal-1\"\ntitle = \"C\"\n",
                ),
            ]),
            vec![
                ("fa", "parent = \"c\""),
                ("delmal-1", "parent = \"fa\""),
                ("c", "parent = \"delmal-1\""),
            ],
        ),
    ];
    for (files, ring) in cases {
        let expected: Vec<Diagnostic> = ring
            .iter()
            .enumerate()
            .map(|(i, (id, parent))| Diagnostic {
                file: "plans/plan.toml".into(),
                line: line_after(&files, "plans/plan.toml", &node(id), parent),
                path: format!("node[{i}].parent"),
                problem: Problem::GoalLoop {
                    id: (*id).to_owned(),
                },
            })
            .collect();
        assert_eq!(errors(files), expected);
    }
}

/// The base set with an open round and a reports file.
fn with_reports(reports: &str) -> Vec<SourceFile> {
    let mut files = edit(
        "follow-ups/uppfoljning.toml",
        "structure = \"plan\"\n",
        "structure = \"plan\"\nstate = \"open\"\nopens = \"2026-01-10\"\ndeadline = \"2026-02-15\"\n",
    );
    files.push(SourceFile::new("reports/uppfoljning.toml", reports));
    files
}

const REPORTS: &str = r#"round = "uppfoljning"

[[report]]
activity = "cross"
state = "submitted"
status = "ongoing"
done = "Tre träffar."
worked = { start = "2020", end = "2021" }

[[report.partner]]
organisation = "nora-kommun"
text = "Lokalerna."
"#;

#[test]
fn a_follow_up_written_before_rounds_existed_reads_as_a_published_round() {
    let set = parse(base()).expect("valid");
    assert_eq!(
        set.follow_ups[0].state,
        rodtrad_domain::RoundState::Published
    );
    // Written back, it says so; and reads back the same.
    let files = write(&set);
    let follow_up = files
        .iter()
        .find(|f| f.path == "follow-ups/uppfoljning.toml")
        .expect("written");
    assert!(
        follow_up
            .text
            .as_ref()
            .is_ok_and(|t| t.contains("state = \"published\""))
    );
    assert_eq!(parse(files).expect("valid"), set);
}

#[test]
fn reports_read_with_their_round_and_write_back_the_same_bytes() {
    let set = parse(with_reports(REPORTS)).unwrap_or_else(|d| panic!("{d:#?}"));
    let r = &set.reports[0];
    assert_eq!(
        (r.round.as_str(), r.activity.as_str()),
        ("uppfoljning", "cross")
    );
    assert_eq!(r.state, rodtrad_domain::ReportState::Submitted);
    assert_eq!(r.worked.end.map(|d| d.to_string()), Some("2021".into()));
    assert_eq!(r.partner_parts[0].organisation.as_str(), "nora-kommun");
    let files = write(&set);
    let again = parse(files.clone()).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(again, set);
    assert_eq!(write(&again), files);
}

#[test]
fn a_report_names_a_round_and_an_activity_that_exist_once_each() {
    only(
        with_reports(&REPORTS.replace("round = \"uppfoljning\"", "round = \"ingen\"")),
        "reports/uppfoljning.toml",
        Some(1),
        "round",
        Problem::UnknownReference {
            kind: EntityKind::FollowUp,
            id: "ingen".into(),
        },
    );
    only(
        with_reports(&REPORTS.replace("activity = \"cross\"", "activity = \"ingen\"")),
        "reports/uppfoljning.toml",
        Some(4),
        "report[0].activity",
        Problem::UnknownReference {
            kind: EntityKind::Activity,
            id: "ingen".into(),
        },
    );
    let twice = format!("{REPORTS}\n[[report]]\nactivity = \"cross\"\nstate = \"draft\"\n");
    let found = errors(with_reports(&twice));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "report[1].activity");
    assert!(matches!(
        found[0].problem,
        Problem::DuplicateId {
            kind: EntityKind::Report,
            ..
        }
    ));
    only(
        with_reports(&REPORTS.replace("state = \"submitted\"", "state = \"klar\"")),
        "reports/uppfoljning.toml",
        Some(5),
        "report[0].state",
        Problem::UnknownValue {
            field: "state",
            value: "klar".into(),
            allowed: "draft, submitted, returned, approved".into(),
        },
    );
}

#[test]
fn a_rounds_deadline_may_not_lie_before_it_opens() {
    only(
        edit(
            "follow-ups/uppfoljning.toml",
            "structure = \"plan\"\n",
            "structure = \"plan\"\nopens = \"2026-03-01\"\ndeadline = \"2026-02-15\"\n",
        ),
        "follow-ups/uppfoljning.toml",
        Some(8),
        "deadline",
        Problem::DeadlineBeforeOpening {
            opens: "2026-03-01".into(),
            deadline: "2026-02-15".into(),
        },
    );
}

#[test]
fn a_proposed_link_names_a_goal_like_a_served_one() {
    only(
        edit(
            "activities.toml",
            "serves = [\"plan/delmal-1\"]",
            "serves = [\"plan/delmal-1\"]\nproposed = [\"plan/ingen\"]",
        ),
        "activities.toml",
        Some(13),
        "activity[0].proposed[0]",
        Problem::UnknownReference {
            kind: EntityKind::Node,
            id: "plan/ingen".into(),
        },
    );
}
