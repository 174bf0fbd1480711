//! The command line's errors, each said in the user's language.

use rodtrad_format::Diagnostic;
use rodtrad_i18n::Lang;

use crate::render;

#[derive(Debug)]
pub enum CliError {
    /// A data set with problems: every one of them is listed.
    Invalid {
        path: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// Any other failure, as a message key and its arguments.
    Message {
        key: &'static str,
        args: Vec<(&'static str, String)>,
    },
}

impl CliError {
    pub fn message(key: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Self::Message { key, args }
    }

    pub fn render(&self, lang: Lang) -> String {
        match self {
            Self::Invalid { path, diagnostics } => {
                let mut out: Vec<String> = diagnostics
                    .iter()
                    .map(|d| render::diagnostic(d, lang))
                    .collect();
                out.push(lang.format(
                    "cli-invalid",
                    &[
                        ("path", path.clone()),
                        ("count", diagnostics.len().to_string()),
                    ],
                ));
                out.join("\n")
            }
            Self::Message { key, args } => {
                lang.format("cli-error", &[("detail", lang.format(key, args))])
            }
        }
    }
}
