//! `rodtrad`: the one binary of Röd tråd.
//!
//! `main` only maps the outcome of [`run`] to words in the user's language and an exit code;
//! no panic trace or internal error text reaches the user.

mod audit;
mod builtin;
mod cli;
mod commands;
mod error;
mod generate;
mod indicator;
mod render;
mod round;
mod serve;
mod user;
mod values;

use std::process::ExitCode;

use clap::Parser;
use rodtrad_i18n::Lang;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    let lang = args
        .lang
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or_else(Lang::from_env);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{}", lang.format("cli-error", &[("detail", e.to_string())]));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(args, lang)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", e.render(lang));
            ExitCode::FAILURE
        }
    }
}
