//! `rodtrad indicator import ID SOURCE`: an indicator's values from a statistics file or web
//! address, its dimensions read as period, area, sex and age (told, or named with options),
//! written all at once or not at all; and what the import did, in words.
//!
//! `rodtrad indicator refresh [ID...]`: the same for every indicator whose source is on the
//! web, fetched again from where its `[source]` says, its dimensions told from the table. Each
//! indicator is written in its own transaction, so that one whose source fails (a table moved,
//! a service down) is reported and the others still refreshed: a nightly job should lose one
//! indicator's update, not all of them.

use rodtrad_domain::{Area, Fetch, Indicator, IndicatorValue, Slug};
use rodtrad_fetch::{Client, Source};
use rodtrad_i18n::Lang;
use rodtrad_stats::Table;
use rodtrad_stats::observe::{Chosen, Refused, indicator_values};
use rodtrad_store::{Actor, Store, ValuesImported};

use crate::cli::MappingArgs;
use crate::commands::database_failed;
use crate::error::CliError;
use crate::indicator::{fetch, is_url, kind_of, read_failed, read_source, spinner};

/// Imports the values of `id` from `source`, and says what changed.
pub async fn import(
    store: &Store,
    id: &str,
    source: &str,
    mapping: &MappingArgs,
    lang: Lang,
) -> Result<String, CliError> {
    let indicator = indicator_of(store, id).await?;
    let from = kind_of(mapping.from.as_deref())?;
    let read = read_source(source, from, lang).await?;
    // Only the first page came: the rest are not imported by chance of the address's form.
    if let (Some(next), true) = (&read.next, is_url(source)) {
        return Err(CliError::message(
            "cli-indicator-one-page",
            vec![("source", source.to_owned()), ("next", next.clone())],
        ));
    }
    let values = values_of(source, &read.tables, mapping, lang)?;
    let done = write(store, &indicator, values, lang).await?;
    Ok(format!(
        "{}\n{}",
        lang.format(
            "cli-values-of",
            &[("id", indicator.to_string()), ("source", source.to_owned())]
        ),
        imported_line(done, lang)
    ))
}

/// What an import of values did, in one line.
pub fn imported_line(done: ValuesImported, lang: Lang) -> String {
    if done.is_nothing() {
        return lang.format(
            "cli-values-unchanged",
            &[("unchanged", done.unchanged.to_string())],
        );
    }
    lang.format(
        "cli-values-imported",
        &[
            ("added", done.added.to_string()),
            ("changed", done.changed.to_string()),
            ("unchanged", done.unchanged.to_string()),
        ],
    )
}

/// The indicator `id` names, which must be stored.
async fn indicator_of(store: &Store, id: &str) -> Result<Slug, CliError> {
    let unknown = || CliError::message("cli-indicator-unknown", vec![("id", id.to_owned())]);
    let slug = Slug::parse(id).map_err(|_| unknown())?;
    if store
        .has_indicator(&slug)
        .await
        .map_err(|e| database_failed(&e))?
    {
        Ok(slug)
    } else {
        Err(unknown())
    }
}

/// Writes the values of one indicator in one transaction, with a spinner on a terminal.
async fn write(
    store: &Store,
    indicator: &Slug,
    values: Vec<IndicatorValue>,
    lang: Lang,
) -> Result<ValuesImported, CliError> {
    let bar = spinner(lang.format("cli-values-writing", &[("count", values.len().to_string())]));
    let done = store
        .import_values(
            &[(indicator.clone(), values)],
            &Actor::command_line(),
            rodtrad_auth::now(),
        )
        .await
        .map_err(|e| database_failed(&e));
    bar.finish_and_clear();
    done
}

/// `rodtrad indicator refresh`: the values of the indicators `ids` names (all when none) whose
/// source is on the web, fetched and written one indicator at a time, a line for each; an
/// error at the end when any failed, after the others are done. `kolada` is Kolada's API at
/// another address than the real one.
pub async fn refresh(
    store: &Store,
    ids: &[String],
    kolada: Option<&str>,
    lang: Lang,
) -> Result<(), CliError> {
    let set = store.export().await.map_err(|e| database_failed(&e))?;
    let chosen: Vec<&Indicator> = if ids.is_empty() {
        set.indicators
            .iter()
            .filter(|i| web_fetch(i).is_some())
            .collect()
    } else {
        // Every name checked before anything is fetched: a mistyped one stops the run.
        ids.iter()
            .map(|id| {
                set.indicators
                    .iter()
                    .find(|i| i.id.as_str() == id)
                    .ok_or_else(|| {
                        CliError::message("cli-indicator-unknown", vec![("id", id.clone())])
                    })
            })
            .collect::<Result<_, _>>()?
    };
    if chosen.is_empty() {
        println!("{}", lang.text("cli-refresh-none"));
        return Ok(());
    }
    let client = crate::indicator::client(kolada, lang)?;
    let areas = rodtrad_fetch::kolada_areas(
        set.organisations
            .iter()
            .filter_map(|o| o.municipality_code.as_ref())
            .map(rodtrad_domain::MunicipalityCode::as_str),
    );
    let mut failed = 0;
    for indicator in &chosen {
        let id = indicator.id.to_string();
        match refresh_one(store, &client, indicator, &areas, lang).await {
            Ok((label, count, done)) => println!(
                "{}",
                lang.format(
                    "cli-refresh-done",
                    &[
                        ("id", id),
                        ("count", count.to_string()),
                        ("source", label),
                        ("result", imported_line(done, lang)),
                    ],
                )
            ),
            Err(e) => {
                failed += 1;
                eprintln!(
                    "{}",
                    lang.format(
                        "cli-refresh-failed",
                        &[("id", id), ("detail", said(&e, lang))]
                    )
                );
            }
        }
    }
    if failed > 0 {
        return Err(CliError::message(
            "cli-refresh-some-failed",
            vec![
                ("failed", failed.to_string()),
                ("count", chosen.len().to_string()),
            ],
        ));
    }
    Ok(())
}

/// The indicator's source on the web, if it has one.
fn web_fetch(indicator: &Indicator) -> Option<&Fetch> {
    indicator
        .source
        .as_ref()
        .and_then(|s| s.fetch.as_ref())
        .filter(|f| f.is_web())
}

/// One indicator fetched, read and written: a name of its source for people, how many values
/// came, and what writing them did.
async fn refresh_one(
    store: &Store,
    client: &Client,
    indicator: &Indicator,
    areas: &[String],
    lang: Lang,
) -> Result<(String, usize, ValuesImported), CliError> {
    let Some(how) = web_fetch(indicator) else {
        return Err(CliError::message("cli-refresh-not-web", Vec::new()));
    };
    let (label, source) = source_of(how, areas, lang)?;
    let fetched = fetch(client, &source, &label, lang).await?;
    let tables = fetched.read().map_err(|e| read_failed(&label, &e, lang))?;
    let values = values_of(&label, &tables, &MappingArgs::default(), lang)?;
    let count = values.len();
    let done = write(store, &indicator.id, values, lang).await?;
    Ok((label, count, done))
}

/// What to fetch for an indicator's source (`rodtrad_fetch::source_for`), and its name for
/// people: the key figure for Kolada, the address otherwise.
fn source_of(how: &Fetch, areas: &[String], lang: Lang) -> Result<(String, Source), CliError> {
    let label = match how {
        Fetch::Kolada { kpi } => lang.format("cli-refresh-kolada", &[("kpi", kpi.clone())]),
        Fetch::PxWeb { url, .. } | Fetch::Url { url } => url.clone(),
        Fetch::File { .. } => String::new(),
    };
    match rodtrad_fetch::source_for(how, areas) {
        Some(Ok(source)) => Ok((label, source)),
        Some(Err(e)) => Err(CliError::message(
            "cli-refresh-query",
            vec![("url", label), ("detail", e.to_string())],
        )),
        None => Err(CliError::message("cli-refresh-not-web", Vec::new())),
    }
}

/// An error's sentence without the "error:" before it, for a line of its own.
fn said(e: &CliError, lang: Lang) -> String {
    match e {
        CliError::Message { key, args } => lang.format(key, args),
        CliError::Invalid { .. } => e.render(lang),
    }
}

/// The table's values as the indicator's: its dimensions mapped, every value given an area,
/// and no two values of the same coordinates (a mapping that makes two of one is refused,
/// naming them, rather than one kept by chance).
pub fn values_of(
    source: &str,
    tables: &[Table],
    args: &MappingArgs,
    lang: Lang,
) -> Result<Vec<IndicatorValue>, CliError> {
    let table = match (args.table, tables) {
        (None, [one]) => one,
        (None, _) => {
            return Err(CliError::message(
                "cli-values-which-table",
                vec![("count", tables.len().to_string())],
            ));
        }
        (Some(n), _) => tables.get(n.wrapping_sub(1)).ok_or_else(|| {
            CliError::message(
                "cli-values-no-table",
                vec![("n", n.to_string()), ("count", tables.len().to_string())],
            )
        })?,
    };
    let chosen = Chosen {
        period: args.period.clone(),
        area: args.area.clone(),
        sex: args.sex.clone(),
        age: args.age.clone(),
    };
    let fixed = args.area_code.as_deref().map(Area::parse);
    indicator_values(table, &chosen, fixed.as_ref()).map_err(|r| match r {
        Refused::Read(e) => read_failed(source, &e, lang),
        Refused::NoArea => {
            CliError::message("cli-values-no-area", vec![("source", source.to_owned())])
        }
        Refused::Twice {
            period,
            area,
            sex,
            age,
        } => CliError::message(
            "cli-values-twice",
            vec![
                ("period", period.to_string()),
                ("area", area.to_string()),
                ("sex", sex.code().to_owned()),
                ("age", age.unwrap_or_else(|| "—".into())),
            ],
        ),
    })
}
