//! Diagnostics as lines a person reads: `file:line: field: what is wrong`.

use rodtrad_format::{Arg, Diagnostic};
use rodtrad_i18n::Lang;

pub fn diagnostic(d: &Diagnostic, lang: Lang) -> String {
    let args: Vec<(&str, String)> = d
        .problem
        .args()
        .into_iter()
        .map(|(name, arg)| {
            let value = match arg {
                Arg::Text(t) => t,
                Arg::Key(k) => lang.text(k),
            };
            (name, value)
        })
        .collect();
    format!("{}: {}", d.place(), lang.format(d.problem.key(), &args))
}
