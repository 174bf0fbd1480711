//! Reading the files of a data set into the format's structs: the layout, the TOML syntax and
//! the shape of each file. What the values mean is checked afterwards, in `check`.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::dto::{
    ActivitiesFile, FollowUpDto, IndicatorDto, Manifest, OrganisationsFile, PerspectivesFile,
    PlanDto, ReportsFile, StrategyDto,
};
use crate::problem::{Diagnostic, Problem};
use crate::source::SourceFile;

/// A struct read from the file with index `file` in [`Parsed::files`].
#[derive(Debug)]
pub struct InFile<T> {
    pub file: usize,
    pub dto: T,
}

/// All files of a data set, read as far as their shape allows.
#[derive(Debug, Default)]
pub struct Parsed {
    pub files: Vec<SourceFile>,
    pub manifest: Option<InFile<Manifest>>,
    pub organisations: Vec<InFile<OrganisationsFile>>,
    pub perspectives: Vec<InFile<PerspectivesFile>>,
    pub strategies: Vec<InFile<StrategyDto>>,
    pub plans: Vec<InFile<PlanDto>>,
    pub activities: Vec<InFile<ActivitiesFile>>,
    pub follow_ups: Vec<InFile<FollowUpDto>>,
    pub reports: Vec<InFile<ReportsFile>>,
    pub indicators: Vec<InFile<IndicatorDto>>,
    /// The files of indicators' values (`indicators/<id>.csv`), read in `check::values`.
    pub values: Vec<usize>,
    /// Files of the right syntax but the wrong shape, as plain tables: their ids still count,
    /// so that one missing field does not make every reference to the file "unknown".
    pub partial: Vec<InFile<(FileKind, toml::Table)>>,
    /// Kinds of file of which one could not be read at all: references into them cannot be
    /// judged and are not reported.
    pub unreadable: Vec<FileKind>,
}

/// What a file of the layout holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Manifest,
    Organisations,
    Perspectives,
    Strategy,
    Plan,
    Activities,
    FollowUp,
    Reports,
    Indicator,
}

pub const MANIFEST: &str = "rodtrad.toml";
pub const ORGANISATIONS: &str = "organisations.toml";
pub const PERSPECTIVES: &str = "perspectives.toml";
pub const ACTIVITIES: &str = "activities.toml";
pub const STRATEGIES_DIR: &str = "strategies";
pub const PLANS_DIR: &str = "plans";
pub const FOLLOW_UPS_DIR: &str = "follow-ups";
pub const REPORTS_DIR: &str = "reports";
pub const INDICATORS_DIR: &str = "indicators";

/// Reads every file; a file with bad syntax or shape gives its first structural problem and is
/// left out, so that the other files can still be read and checked.
pub fn read(files: Vec<SourceFile>, diagnostics: &mut Vec<Diagnostic>) -> Parsed {
    let mut parsed = Parsed::default();
    for (index, file) in files.iter().enumerate() {
        let text = match &file.text {
            Ok(text) => text,
            Err(detail) => {
                diagnostics.push(whole_file(
                    file,
                    Problem::Unreadable {
                        detail: detail.clone(),
                    },
                ));
                continue;
            }
        };
        let in_dir_as = |dir: &str, ext: &str| {
            file.path
                .strip_prefix(dir)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|name| {
                    !name.contains('/') && Path::new(name).extension().is_some_and(|e| e == ext)
                })
        };
        let in_dir = |dir: &str| in_dir_as(dir, "toml");
        let kind = match file.path.as_str() {
            MANIFEST => FileKind::Manifest,
            ORGANISATIONS => FileKind::Organisations,
            PERSPECTIVES => FileKind::Perspectives,
            ACTIVITIES => FileKind::Activities,
            _ if in_dir(STRATEGIES_DIR) => FileKind::Strategy,
            _ if in_dir(PLANS_DIR) => FileKind::Plan,
            _ if in_dir(FOLLOW_UPS_DIR) => FileKind::FollowUp,
            _ if in_dir(REPORTS_DIR) => FileKind::Reports,
            _ if in_dir(INDICATORS_DIR) => FileKind::Indicator,
            _ if in_dir_as(INDICATORS_DIR, "csv") => {
                parsed.values.push(index);
                continue;
            }
            _ => {
                diagnostics.push(whole_file(file, Problem::UnknownFile));
                continue;
            }
        };
        let d = &mut *diagnostics;
        let read = match kind {
            FileKind::Manifest => put(&mut parsed.manifest, index, file, text, d),
            FileKind::Organisations => push(&mut parsed.organisations, index, file, text, d),
            FileKind::Perspectives => push(&mut parsed.perspectives, index, file, text, d),
            FileKind::Activities => push(&mut parsed.activities, index, file, text, d),
            FileKind::Strategy => push(&mut parsed.strategies, index, file, text, d),
            FileKind::Plan => push(&mut parsed.plans, index, file, text, d),
            FileKind::FollowUp => push(&mut parsed.follow_ups, index, file, text, d),
            FileKind::Reports => push(&mut parsed.reports, index, file, text, d),
            FileKind::Indicator => push(&mut parsed.indicators, index, file, text, d),
        };
        if !read {
            match text.parse::<toml::Table>() {
                Ok(table) => parsed.partial.push(InFile {
                    file: index,
                    dto: (kind, table),
                }),
                Err(_) => parsed.unreadable.push(kind),
            }
        }
    }
    if parsed.manifest.is_none() && !files.iter().any(|f| f.path == MANIFEST) {
        diagnostics.push(Diagnostic {
            file: MANIFEST.to_owned(),
            line: None,
            path: String::new(),
            problem: Problem::MissingManifest,
        });
    }
    parsed.files = files;
    parsed
}

fn put<T: DeserializeOwned>(
    slot: &mut Option<InFile<T>>,
    file: usize,
    source: &SourceFile,
    text: &str,
    d: &mut Vec<Diagnostic>,
) -> bool {
    let dto = parse(source, text, d);
    let read = dto.is_some();
    *slot = dto.map(|dto| InFile { file, dto });
    read
}

fn push<T: DeserializeOwned>(
    list: &mut Vec<InFile<T>>,
    file: usize,
    source: &SourceFile,
    text: &str,
    d: &mut Vec<Diagnostic>,
) -> bool {
    let dto = parse(source, text, d);
    let read = dto.is_some();
    list.extend(dto.map(|dto| InFile { file, dto }));
    read
}

fn whole_file(file: &SourceFile, problem: Problem) -> Diagnostic {
    Diagnostic {
        file: file.path.clone(),
        line: None,
        path: String::new(),
        problem,
    }
}

fn parse<T: DeserializeOwned>(
    source: &SourceFile,
    text: &str,
    d: &mut Vec<Diagnostic>,
) -> Option<T> {
    let at = |span: Option<Range<usize>>, path: String, problem| Diagnostic {
        file: source.path.clone(),
        line: span.and_then(|s| source.line_of(&s)),
        path,
        problem,
    };
    let de = match toml::Deserializer::parse(text) {
        Ok(de) => de,
        Err(e) => {
            d.push(at(
                e.span(),
                String::new(),
                Problem::Syntax {
                    detail: e.message().trim().to_owned(),
                },
            ));
            return None;
        }
    };
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(dto) => Some(dto),
        Err(e) => {
            let mut path = e.path().to_string();
            if path == "." {
                path.clear();
            }
            let inner = e.into_inner();
            let problem = classify(inner.message());
            if let Problem::MissingField { field } = &problem {
                path = join(&path, field);
            }
            d.push(at(inner.span(), path, problem));
            None
        }
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// Turns serde's English messages into problems that can be said in any language.
fn classify(message: &str) -> Problem {
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_owned);
    if let Some(rest) = message.strip_prefix("missing field ") {
        if let Some(field) = quoted(rest) {
            return Problem::MissingField { field };
        }
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        if let Some(field) = quoted(rest) {
            let expected = rest
                .split_once("expected ")
                .map(|(_, e)| e.replace("one of ", "").replace('`', ""))
                .unwrap_or_default();
            return Problem::UnknownField { field, expected };
        }
    }
    if message.starts_with("invalid type") {
        return Problem::WrongType {
            detail: message.to_owned(),
        };
    }
    Problem::Invalid {
        detail: message.to_owned(),
    }
}
