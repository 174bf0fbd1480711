//! `rodtrad indicator inspect SOURCE`: what a statistics file or web address holds (its kind,
//! each table's dimensions with their sizes and roles, how many values, notes), or exit 1 saying
//! what is wrong and where. It imports nothing.
//!
//! Reading a source is shared with `indicator import` and `refresh`: a file is read from disk,
//! an `http(s)` address fetched through `rodtrad-fetch`, and a fetch that fails said in the
//! user's language with the address, and the status and the service's reason where given.
//! Kolada answers in pages; a data address is asked as the question it spells, so that
//! `rodtrad-fetch` follows every page (a plain URL would bring the first only).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rodtrad_fetch::{Client, Config, FetchError, Fetched, Source};
use rodtrad_i18n::Lang;
use rodtrad_stats::observe::{Mapping, observations};
use rodtrad_stats::{Kind, ReadError, Role, Table};

use crate::error::CliError;

/// `rodtrad indicator inspect`: what the source holds, in words.
pub async fn inspect(source: &str, from: Option<&str>, lang: Lang) -> Result<String, CliError> {
    let from = kind_of(from)?;
    let read = read_source(source, from, lang).await?;
    let mut said = describe(source, read.kind, &read.tables, lang);
    // A page of Kolada's answer says where the next one is; only the first was read.
    if let Some(next) = read.next {
        let key = if is_url(source) {
            "cli-indicator-more-pages"
        } else {
            "cli-inspect-more-pages"
        };
        let _ = write!(said, "\n{}", lang.format(key, &[("url", next)]));
    }
    Ok(said)
}

/// A source's tables, and where the next page is when it is one page of several of Kolada's.
pub struct Read {
    pub kind: Kind,
    pub tables: Vec<Table>,
    pub next: Option<String>,
}

/// The tables of a file, or of what an `http(s)` address answers; `from` the kind, when it
/// should not be told from the content.
pub async fn read_source(source: &str, from: Option<Kind>, lang: Lang) -> Result<Read, CliError> {
    if !is_url(source) {
        let bytes = read_file(source)?;
        let (kind, tables) = read_tables(source, &bytes, from, lang)?;
        let next = next_page(kind, &bytes);
        return Ok(Read { kind, tables, next });
    }
    if from.is_none_or(|k| k == Kind::Kolada) {
        if let Some((base, question)) = kolada_question(source) {
            let client = client(Some(base), lang)?;
            let fetched = fetch(&client, &question, source, lang).await?;
            let tables = fetched.read().map_err(|e| read_failed(source, &e, lang))?;
            return Ok(Read {
                kind: Kind::Kolada,
                tables,
                next: None,
            });
        }
    }
    let client = client(None, lang)?;
    let fetched = fetch(&client, &Source::Url(source.to_owned()), source, lang).await?;
    // A plain address is one request, so one body.
    let body = fetched.into_pages().into_iter().next().unwrap_or_default();
    let (kind, tables) = read_tables(source, &body, from, lang)?;
    let next = next_page(kind, &body);
    Ok(Read { kind, tables, next })
}

/// Whether the source is a web address rather than a file.
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// Where the page after this one of Kolada's is, if it is one of several.
fn next_page(kind: Kind, bytes: &[u8]) -> Option<String> {
    if kind != Kind::Kolada {
        return None;
    }
    rodtrad_stats::kolada::next_url(bytes).ok().flatten()
}

/// A Kolada data address, `{base}/v3/data/kpi/{ids}[/municipality/{ids}][/year/{years}]`, as the
/// base and the question it asks; `None` for any other address (a query string, another order
/// of the path, an escaped character), which is fetched as it is.
fn kolada_question(url: &str) -> Option<(&str, Source)> {
    if url.contains(['?', '#', '%']) {
        return None;
    }
    let at = url.rfind("/data/kpi/")?;
    let base = &url[..at];
    if !base.ends_with("/v3") {
        return None;
    }
    let mut parts = url[at + "/data/".len()..].trim_end_matches('/').split('/');
    let ids = |list: &str| -> Option<Vec<String>> {
        let ids: Vec<String> = list.split(',').map(str::to_owned).collect();
        (!ids.iter().any(String::is_empty)).then_some(ids)
    };
    let (mut kpis, mut areas, mut years) = (None, Vec::new(), Vec::new());
    let mut seen_rank = 0;
    while let Some(name) = parts.next() {
        let list = parts.next()?;
        // Each segment once, in Kolada's order.
        let rank = match name {
            "kpi" => 1,
            "municipality" => 2,
            "year" => 3,
            _ => return None,
        };
        if rank <= seen_rank {
            return None;
        }
        seen_rank = rank;
        match rank {
            1 => kpis = Some(ids(list)?),
            2 => areas = ids(list)?,
            _ => {
                years = ids(list)?
                    .iter()
                    .map(|y| y.parse::<u16>().ok())
                    .collect::<Option<_>>()?;
            }
        }
    }
    Some((
        base,
        Source::Kolada {
            kpis: kpis?,
            areas,
            years,
        },
    ))
}

/// A client of the services; `kolada` Kolada's API at another address than the real one.
pub fn client(kolada: Option<&str>, lang: Lang) -> Result<Client, CliError> {
    let mut config = Config::default();
    if let Some(base) = kolada {
        base.clone_into(&mut config.kolada);
    }
    Client::with_config(config).map_err(|e| fetch_failed(&e, lang))
}

/// What `source` answers, with a spinner on a terminal while it comes; `label` names it there.
pub async fn fetch(
    client: &Client,
    source: &Source,
    label: &str,
    lang: Lang,
) -> Result<Fetched, CliError> {
    let bar = spinner(lang.format("cli-indicator-fetching", &[("source", label.to_owned())]));
    let fetched = client.fetch(source).await;
    bar.finish_and_clear();
    fetched.map_err(|e| fetch_failed(&e, lang))
}

/// A spinner saying `message`; indicatif draws nothing where standard error is no terminal
/// (cron, a pipe).
pub fn spinner(message: String) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A failed fetch in the user's language: the address, and what the service said.
pub fn fetch_failed(e: &FetchError, lang: Lang) -> CliError {
    let url = || e.url().unwrap_or_default().to_owned();
    match e {
        FetchError::Setup { detail } => {
            CliError::message("fetch-setup", vec![("detail", detail.clone())])
        }
        FetchError::BadUrl { url, detail } => CliError::message(
            "fetch-bad-url",
            vec![("url", url.clone()), ("detail", detail.clone())],
        ),
        FetchError::NoKeyFigures => CliError::message("fetch-no-key-figures", Vec::new()),
        FetchError::Timeout { seconds, .. } => CliError::message(
            "fetch-timeout",
            vec![("url", url()), ("seconds", seconds.to_string())],
        ),
        FetchError::Refused { .. } => CliError::message("fetch-refused", vec![("url", url())]),
        FetchError::Connect { detail, .. } => CliError::message(
            "fetch-connect",
            vec![("url", url()), ("detail", detail.clone())],
        ),
        FetchError::Transfer { detail, .. } => CliError::message(
            "fetch-transfer",
            vec![("url", url()), ("detail", detail.clone())],
        ),
        FetchError::Status {
            status,
            excerpt,
            attempts,
            ..
        } => {
            let meaning = format!("fetch-http-{status}");
            let meaning = if lang.has(&meaning) {
                format!(" ({})", lang.text(&meaning))
            } else {
                String::new()
            };
            let reason = if excerpt.is_empty() {
                String::new()
            } else {
                lang.format("fetch-reason", &[("reason", excerpt.clone())])
            };
            let key = if *attempts > 1 {
                "fetch-status-busy"
            } else {
                "fetch-status"
            };
            CliError::message(
                key,
                vec![
                    ("url", url()),
                    ("status", status.to_string()),
                    ("meaning", meaning),
                    ("attempts", attempts.to_string()),
                    ("reason", reason),
                ],
            )
        }
        FetchError::TooLarge { limit, .. } => CliError::message(
            "fetch-too-large",
            vec![("url", url()), ("mb", (limit / (1024 * 1024)).to_string())],
        ),
        FetchError::Loop { .. } => CliError::message("fetch-loop", vec![("url", url())]),
        FetchError::TooManyPages { limit, .. } => CliError::message(
            "fetch-too-many-pages",
            vec![("url", url()), ("limit", limit.to_string())],
        ),
        FetchError::ForeignNextUrl { next, .. } => CliError::message(
            "fetch-foreign-next-url",
            vec![("url", url()), ("next", next.clone())],
        ),
        FetchError::Page { page, source, .. } => CliError::message(
            "fetch-page",
            vec![
                ("url", url()),
                ("page", page.to_string()),
                ("detail", refusal(source, lang)),
            ],
        ),
        // A failure rodtrad-fetch learns later: its own words (English) rather than none.
        other => CliError::message("fetch-other", vec![("detail", other.to_string())]),
    }
}

/// The kind a person names with `--from`.
pub fn kind_of(from: Option<&str>) -> Result<Option<Kind>, CliError> {
    from.map(|code| {
        Kind::parse(code)
            .ok_or_else(|| CliError::message("cli-indicator-from", vec![("from", code.to_owned())]))
    })
    .transpose()
}

/// The bytes of a source file.
fn read_file(source: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(Path::new(source)).map_err(|e| {
        CliError::message(
            "cli-indicator-file",
            vec![("source", source.to_owned()), ("detail", e.to_string())],
        )
    })
}

/// The tables of a source's bytes, or what breaks its format and where.
fn read_tables(
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

#[cfg(test)]
mod tests {
    use rodtrad_fetch::Source;

    use super::kolada_question;

    fn kolada(kpis: &[&str], areas: &[&str], years: &[u16]) -> Source {
        Source::Kolada {
            kpis: kpis.iter().map(|s| (*s).to_owned()).collect(),
            areas: areas.iter().map(|s| (*s).to_owned()).collect(),
            years: years.to_vec(),
        }
    }

    #[test]
    fn kolada_data_addresses_are_asked_as_their_question() {
        assert_eq!(
            kolada_question(
                "https://api.kolada.se/v3/data/kpi/N00945,N03702/municipality/1880,0018/year/2023,2024"
            ),
            Some((
                "https://api.kolada.se/v3",
                kolada(&["N00945", "N03702"], &["1880", "0018"], &[2023, 2024])
            ))
        );
        assert_eq!(
            kolada_question("http://127.0.0.1:8/v3/data/kpi/N00945/year/2024/"),
            Some(("http://127.0.0.1:8/v3", kolada(&["N00945"], &[], &[2024])))
        );
    }

    #[test]
    fn other_addresses_are_fetched_as_they_are() {
        for url in [
            "https://api.kolada.se/v3/data/kpi/N00945?page=2",
            "https://api.kolada.se/v3/data/municipality/1880/year/2024",
            "https://api.kolada.se/v3/data/kpi/N00945/year/2024/municipality/1880",
            "https://api.kolada.se/v3/data/kpi/N00945/year/förra",
            "https://api.kolada.se/v3/data/kpi/N00945/municipality",
            "https://api.kolada.se/v2/data/kpi/N00945",
            "https://api.kolada.se/v3/data/kpi/N%2000945",
        ] {
            assert_eq!(kolada_question(url), None, "{url}");
        }
    }
}
