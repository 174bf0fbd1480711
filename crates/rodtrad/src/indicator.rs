//! `rodtrad indicator inspect SOURCE`: what a statistics file holds (its kind, each table's
//! dimensions with their sizes and roles, how many values, notes), or exit 1 saying what is
//! wrong and where. It imports nothing.

use std::fmt::Write as _;
use std::path::Path;

use rodtrad_i18n::Lang;
use rodtrad_stats::observe::{Mapping, observations};
use rodtrad_stats::{Kind, ReadError, Role, Table};

use crate::error::CliError;

/// `rodtrad indicator inspect`: what the source holds, in words.
pub fn inspect(source: &str, from: Option<&str>, lang: Lang) -> Result<String, CliError> {
    let from = kind_of(from)?;
    let bytes = read_file(source)?;
    let (kind, tables) = read_tables(source, &bytes, from, lang)?;
    let mut said = describe(source, kind, &tables, lang);
    // A page of Kolada's answer says where the next one is: the file holds only the first.
    if kind == Kind::Kolada {
        if let Ok(Some(next)) = rodtrad_stats::kolada::next_url(&bytes) {
            let _ = write!(
                said,
                "\n{}",
                lang.format("cli-inspect-more-pages", &[("url", next)])
            );
        }
    }
    Ok(said)
}

/// The kind a person names with `--from`.
pub fn kind_of(from: Option<&str>) -> Result<Option<Kind>, CliError> {
    from.map(|code| {
        Kind::parse(code)
            .ok_or_else(|| CliError::message("cli-indicator-from", vec![("from", code.to_owned())]))
    })
    .transpose()
}

/// The bytes of a source file; an address is refused until sources on the web are fetched.
pub fn read_file(source: &str) -> Result<Vec<u8>, CliError> {
    if source.starts_with("http://") || source.starts_with("https://") {
        return Err(CliError::message("cli-indicator-url", Vec::new()));
    }
    std::fs::read(Path::new(source)).map_err(|e| {
        CliError::message(
            "cli-indicator-file",
            vec![("source", source.to_owned()), ("detail", e.to_string())],
        )
    })
}

/// The tables of a source's bytes, or what breaks its format and where.
pub fn read_tables(
    source: &str,
    bytes: &[u8],
    from: Option<Kind>,
    lang: Lang,
) -> Result<(Kind, Vec<Table>), CliError> {
    rodtrad_stats::read(bytes, from).map_err(|e| read_failed(source, &e, lang))
}

/// A source that could not be read as its kind, in the user's language.
pub fn read_failed(source: &str, e: &ReadError, lang: Lang) -> CliError {
    CliError::message(
        "cli-indicator-read",
        vec![("source", source.to_owned()), ("detail", refusal(e, lang))],
    )
}

/// A reader's refusal in the user's language: where, the rule, and what was found.
pub fn refusal(e: &ReadError, lang: Lang) -> String {
    let at = if e.at.is_empty() {
        "—".to_owned()
    } else {
        e.at.clone()
    };
    lang.format(
        "stats-where",
        &[
            ("at", at),
            ("rule", lang.text(&format!("stats-rule-{}", e.rule.code()))),
            ("detail", e.detail.clone()),
        ],
    )
}

fn describe(source: &str, kind: Kind, tables: &[Table], lang: Lang) -> String {
    let mut out = lang.format(
        "cli-inspect-head",
        &[
            ("source", source.to_owned()),
            (
                "kind",
                lang.text(&format!("indicator-kind-{}", kind.code())),
            ),
            ("tables", lang.count("cli-inspect-tables", tables.len())),
        ],
    );
    for (n, t) in tables.iter().enumerate() {
        let mut line = |key: &str, args: &[(&str, String)]| {
            let _ = write!(out, "\n{}", lang.format(key, args));
        };
        let label = t.label.clone().unwrap_or_else(|| "—".into());
        line(
            "cli-inspect-table",
            &[("n", (n + 1).to_string()), ("label", label)],
        );
        if let Some(s) = &t.source {
            line("cli-inspect-source", &[("source", s.clone())]);
        }
        if let Some(u) = &t.updated {
            line("cli-inspect-updated", &[("updated", u.clone())]);
        }
        for d in &t.dimensions {
            let role = d.role.map_or_else(String::new, |r| {
                let name = match r {
                    Role::Time => "indicator-role-time",
                    Role::Geo => "indicator-role-geo",
                    Role::Metric => "indicator-role-metric",
                };
                lang.format("cli-inspect-role", &[("role", lang.text(name))])
            });
            let label = d
                .label
                .as_ref()
                .filter(|l| **l != d.id)
                .map_or_else(String::new, |l| format!(" ({l})"));
            line(
                "cli-inspect-dimension",
                &[
                    ("id", format!("  {}", d.id)),
                    ("label", label),
                    (
                        "categories",
                        lang.count("cli-inspect-categories", d.categories.len()),
                    ),
                    ("role", role),
                ],
            );
        }
        line(
            "cli-inspect-values",
            &[
                ("count", t.count().to_string()),
                ("cells", t.values.len().to_string()),
            ],
        );
        if !t.texts.is_empty() {
            line("cli-inspect-texts", &[("count", t.texts.len().to_string())]);
        }
        let with_status = t.status.iter().filter(|s| s.is_some()).count();
        if with_status > 0 {
            line("cli-inspect-status", &[("count", with_status.to_string())]);
        }
        for note in &t.notes {
            line("cli-inspect-note", &[("note", note.clone())]);
        }
        line_as_indicator(&mut out, t, lang);
    }
    out
}

/// How the table reads as an indicator's values: which dimension is the time, the area, sex
/// and age, and how many values; or why it does not.
fn line_as_indicator(out: &mut String, t: &Table, lang: Lang) {
    let read = Mapping::detect(t).and_then(|m| observations(t, &m).map(|o| (m, o.len())));
    let said = match read {
        Ok((m, count)) => {
            let id =
                |d: Option<usize>| d.map_or_else(|| "—".to_owned(), |d| t.dimensions[d].id.clone());
            lang.format(
                "cli-inspect-mapping",
                &[
                    ("period", id(Some(m.period))),
                    ("area", id(m.area)),
                    ("sex", id(m.sex)),
                    ("age", id(m.age)),
                    ("count", count.to_string()),
                ],
            )
        }
        Err(e) => lang.format("cli-inspect-unmapped", &[("why", refusal(&e, lang))]),
    };
    let _ = write!(out, "\n{said}");
}
