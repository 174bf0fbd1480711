//! What each subcommand does; the work itself is in the format and store crates.

use std::path::Path;

use rodtrad_domain::DataSet;
use rodtrad_format::SourceFile;
use rodtrad_i18n::Lang;
use rodtrad_store::{Backend, Changes, Store, StoreError};

use crate::builtin;
use crate::cli::{Args, AuditCommand, Command, IndicatorCommand};
use crate::error::CliError;

pub async fn run(args: Args, lang: Lang) -> Result<(), CliError> {
    match args.command {
        Command::Validate { path } => {
            let set = load(&path)?;
            println!("{}", summary(&set, &path, lang));
            Ok(())
        }
        Command::Import { path } => import_dir(&args.database, &path, lang).await,
        Command::Export { dir } => export_dir(&args.database, &dir, lang).await,
        Command::Demo => {
            let store = open(&args.database).await?;
            let changes = import(&store, &builtin_data_set()?).await?;
            println!(
                "{}",
                lang.format("cli-demo-loaded", &change_args(&args.database, changes))
            );
            Ok(())
        }
        Command::Generate {
            dir,
            organisations,
            plans,
            activities,
            indicators,
        } => {
            let size = crate::generate::Size {
                organisations,
                plans,
                activities,
                indicators,
            };
            let set = crate::generate::data_set(size);
            let values = crate::generate::values(size);
            write_files(&dir, &rodtrad_format::write_with_values(&set, &values))?;
            // Said valid only once the files read back as `validate` reads them.
            let set = load(&dir)?;
            println!("{}", summary(&set, &dir, lang));
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Export { file },
        } => {
            let store = open(&args.database).await?;
            let n = crate::audit::export(&store, &file).await?;
            println!(
                "{}",
                lang.format(
                    "cli-audit-exported",
                    &[
                        ("changes", n.to_string()),
                        ("path", file.display().to_string())
                    ]
                )
            );
            Ok(())
        }
        Command::Indicator {
            command:
                IndicatorCommand::Import {
                    id,
                    source,
                    mapping,
                },
        } => {
            let store = open(&args.database).await?;
            let said = crate::values::import(&store, &id, &source, &mapping, lang).await?;
            println!("{said}");
            Ok(())
        }
        Command::Indicator {
            command: IndicatorCommand::Inspect { source, from },
        } => {
            println!(
                "{}",
                crate::indicator::inspect(&source, from.as_deref(), lang).await?
            );
            Ok(())
        }
        Command::Indicator {
            command: IndicatorCommand::Refresh { ids, kolada_url },
        } => {
            let store = open(&args.database).await?;
            crate::values::refresh(&store, &ids, kolada_url.as_deref(), lang).await
        }
        Command::Round { command } => {
            let store = open(&args.database).await?;
            println!("{}", crate::round::run(&store, command, lang).await?);
            Ok(())
        }
        Command::User { command } => {
            let store = open(&args.database).await?;
            println!("{}", crate::user::run(&store, command, lang).await?);
            Ok(())
        }
        Command::Serve {
            bind,
            public_url,
            trusted_proxies,
        } => serve(&args.database, &bind, public_url, trusted_proxies, lang).await,
    }
}

/// `rodtrad import DIR`: a data set and its indicators' values, in one transaction.
async fn import_dir(database: &str, path: &Path, lang: Lang) -> Result<(), CliError> {
    let (set, values) = load_with_values(path)?;
    let store = open(database).await?;
    let values: Vec<_> = values.into_iter().collect();
    let (changes, imported) = store
        .import_with_values(
            &set,
            &values,
            &rodtrad_store::Actor::command_line(),
            rodtrad_auth::now(),
        )
        .await
        .map_err(|e| database_failed(&e))?;
    println!(
        "{}",
        lang.format("cli-imported", &change_args(database, changes))
    );
    if !values.is_empty() {
        println!("{}", crate::values::imported_line(imported, lang));
    }
    Ok(())
}

/// `rodtrad export DIR`: the data set and its indicators' values, canonically.
async fn export_dir(database: &str, dir: &Path, lang: Lang) -> Result<(), CliError> {
    let store = open(database).await?;
    let set = store.export().await.map_err(|e| database_failed(&e))?;
    let mut values = rodtrad_format::Values::new();
    for i in &set.indicators {
        let of = store
            .values_of(&i.id, &rodtrad_store::ValueFilter::default())
            .await
            .map_err(|e| database_failed(&e))?;
        values.insert(i.id.clone(), of);
    }
    let files = rodtrad_format::write_with_values(&set, &values);
    write_files(dir, &files)?;
    println!(
        "{}",
        lang.format(
            "cli-exported",
            &[
                ("files", files.len().to_string()),
                ("dir", dir.display().to_string())
            ]
        )
    );
    Ok(())
}

fn summary(set: &DataSet, path: &Path, lang: Lang) -> String {
    let nodes: usize = set.plans.iter().map(|p| p.nodes.len()).sum();
    lang.format(
        "cli-valid",
        &[
            ("path", path.display().to_string()),
            ("organisations", set.organisations.len().to_string()),
            ("plans", set.plans.len().to_string()),
            ("nodes", nodes.to_string()),
            ("activities", set.activities.len().to_string()),
        ],
    )
}

fn change_args(database: &str, c: Changes) -> Vec<(&'static str, String)> {
    vec![
        ("database", redact(database)),
        ("created", c.created.to_string()),
        ("updated", c.updated.to_string()),
        ("removed", c.removed.to_string()),
    ]
}

/// A database URL as it may be printed: without its password.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn load(path: &Path) -> Result<DataSet, CliError> {
    load_with_values(path).map(|(set, _)| set)
}

fn load_with_values(path: &Path) -> Result<(DataSet, rodtrad_format::Values), CliError> {
    rodtrad_format::parse_dir_with_values(path).map_err(|diagnostics| CliError::Invalid {
        path: path.display().to_string(),
        diagnostics,
    })
}

/// The built-in data set; tests hold it valid, so a failure here is a bug, said plainly.
pub fn builtin_data_set() -> Result<DataSet, CliError> {
    rodtrad_format::parse(builtin::files()).map_err(|d| {
        let detail = d
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        CliError::message("cli-builtin-invalid", vec![("detail", detail)])
    })
}

/// `rodtrad serve`: the site as configured, on the database opened for serving.
async fn serve(
    database: &str,
    bind: &str,
    public_url: Option<String>,
    trusted_proxies: Option<String>,
    lang: Lang,
) -> Result<(), CliError> {
    let site =
        rodtrad_web::Site::new(public_url.as_deref(), trusted_proxies.as_deref()).map_err(|e| {
            CliError::message("cli-public-url-invalid", vec![("detail", e.to_string())])
        })?;
    let store = open_as(database, true).await?;
    crate::serve::run(store, bind, site, lang).await
}

async fn open(url: &str) -> Result<Store, CliError> {
    open_as(url, false).await
}

/// Opens the database for `serve`, or (`serving` false) for a command that ends.
async fn open_as(url: &str, serving: bool) -> Result<Store, CliError> {
    if Backend::of_url(url).is_none() {
        return Err(CliError::message(
            "cli-database-url",
            vec![("url", redact(url))],
        ));
    }
    let store = if serving {
        Store::open_serving(url).await
    } else {
        Store::open(url).await
    };
    store.map_err(|e| {
        let detail = match &e {
            StoreError::Open(inner) | StoreError::Query(inner) => inner.to_string(),
            other => other.to_string(),
        };
        CliError::message(
            "cli-database-open",
            vec![("url", redact(url)), ("detail", detail)],
        )
    })
}

async fn import(store: &Store, set: &DataSet) -> Result<Changes, CliError> {
    store
        .import(
            set,
            &rodtrad_store::Actor::command_line(),
            rodtrad_auth::now(),
        )
        .await
        .map_err(|e| database_failed(&e))
}

pub(crate) fn database_failed(e: &StoreError) -> CliError {
    CliError::message("cli-database-failed", vec![("detail", e.to_string())])
}

/// Writes the files into `dir`, which must be new or empty so that no file of another data set
/// is left among them.
fn write_files(dir: &Path, files: &[SourceFile]) -> Result<(), CliError> {
    let failed = |path: &Path, e: std::io::Error| {
        CliError::message(
            "cli-write-failed",
            vec![
                ("path", path.display().to_string()),
                ("detail", e.to_string()),
            ],
        )
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| failed(dir, e))?;
        if entries.next().is_some() {
            return Err(CliError::message(
                "cli-export-dir-not-empty",
                vec![("dir", dir.display().to_string())],
            ));
        }
    }
    for f in files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| failed(parent, e))?;
        }
        let text = f.text.as_deref().unwrap_or_default();
        std::fs::write(&path, text).map_err(|e| failed(&path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            redact("postgres://rod:secret@localhost/db"),
            "postgres://rod:***@localhost/db"
        );
        assert_eq!(
            redact("postgres://rod@localhost/db"),
            "postgres://rod@localhost/db"
        );
        assert_eq!(redact("sqlite:rodtrad.db"), "sqlite:rodtrad.db");
    }
}
