//! `rodtrad indicator import ID SOURCE`: an indicator's values from a statistics file, its
//! dimensions read as period, area, sex and age (told, or named with options), written all at
//! once or not at all; and what the import did, in words.

use std::collections::HashSet;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rodtrad_domain::{Area, IndicatorValue, Slug};
use rodtrad_i18n::Lang;
use rodtrad_stats::Table;
use rodtrad_stats::observe::{Chosen, Mapping, observations};
use rodtrad_store::{Actor, Store, ValuesImported};

use crate::cli::MappingArgs;
use crate::commands::database_failed;
use crate::error::CliError;
use crate::indicator::{kind_of, read_failed, read_file, read_tables};

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
    let bytes = read_file(source)?;
    let (_, tables) = read_tables(source, &bytes, from, lang)?;
    let values = values_of(source, &tables, mapping, lang)?;
    let bar = writing(values.len(), lang);
    let done = store
        .import_values(
            &[(indicator.clone(), values)],
            &Actor::command_line(),
            rodtrad_auth::now(),
        )
        .await
        .map_err(|e| database_failed(&e));
    bar.finish_and_clear();
    let done = done?;
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
    let set = store.export().await.map_err(|e| database_failed(&e))?;
    if set.indicators.iter().any(|i| i.id == slug) {
        Ok(slug)
    } else {
        Err(unknown())
    }
}

/// A spinner while the values are written, on a terminal only.
fn writing(count: usize, lang: Lang) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.set_message(lang.format("cli-values-writing", &[("count", count.to_string())]));
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
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
    let mapping =
        Mapping::detect_with(table, &chosen).map_err(|e| read_failed(source, &e, lang))?;
    let observed = observations(table, &mapping).map_err(|e| read_failed(source, &e, lang))?;
    let fixed = args.area_code.as_deref().map(Area::parse);
    let mut seen: HashSet<(String, String, String, Option<String>)> = HashSet::new();
    let mut out = Vec::with_capacity(observed.len());
    for o in observed {
        let area = o.area.or_else(|| fixed.clone()).ok_or_else(|| {
            CliError::message("cli-values-no-area", vec![("source", source.to_owned())])
        })?;
        let key = (
            o.period.to_string(),
            area.to_string(),
            o.sex.code().to_owned(),
            o.age.clone(),
        );
        if !seen.insert(key.clone()) {
            return Err(CliError::message(
                "cli-values-twice",
                vec![
                    ("period", key.0),
                    ("area", key.1),
                    ("sex", key.2),
                    ("age", key.3.unwrap_or_else(|| "—".into())),
                ],
            ));
        }
        out.push(IndicatorValue {
            period: o.period,
            area,
            sex: o.sex,
            age: o.age,
            value: o.value.filter(|v| v.is_finite()),
            status: o.status,
        });
    }
    Ok(out)
}
