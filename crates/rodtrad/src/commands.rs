//! What each subcommand does; the work itself is in the format and store crates.

use std::path::Path;

use rodtrad_domain::DataSet;
use rodtrad_i18n::Lang;

use crate::cli::{Args, Command};
use crate::error::CliError;

pub async fn run(args: Args, lang: Lang) -> Result<(), CliError> {
    match args.command {
        Command::Validate { path } => validate(&path, lang),
        Command::Import { .. } | Command::Export { .. } | Command::Demo => {
            let _ = args.database;
            Ok(())
        }
    }
}

fn load(path: &Path) -> Result<DataSet, CliError> {
    rodtrad_format::parse_dir(path).map_err(|diagnostics| CliError::Invalid {
        path: path.display().to_string(),
        diagnostics,
    })
}

fn validate(path: &Path, lang: Lang) -> Result<(), CliError> {
    let set = load(path)?;
    let nodes: usize = set.plans.iter().map(|p| p.nodes.len()).sum();
    println!(
        "{}",
        lang.format(
            "cli-valid",
            &[
                ("path", path.display().to_string()),
                ("organisations", set.organisations.len().to_string()),
                ("plans", set.plans.len().to_string()),
                ("nodes", nodes.to_string()),
                ("activities", set.activities.len().to_string()),
            ]
        )
    );
    Ok(())
}
