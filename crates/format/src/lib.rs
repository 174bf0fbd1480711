//! The exchange format, version 1: a data set as a directory of TOML files that people edit
//! and review, read with every error found at once and written back byte for byte the same.
//!
//! [`parse`] reads files into a [`DataSet`] or reports [`Diagnostic`]s; [`write`] gives the
//! files of a data set; [`schema`] gives the JSON Schema of the files. The layout and the rules
//! are documented in `docs/FORMAT.md`.

mod at;
mod check;
mod dto;
mod problem;
mod read;
mod source;
mod write;

use std::path::Path;

pub use check::{Known, Values, read_values, write_values};
pub use problem::{Arg, Diagnostic, EntityKind, Problem};
use rodtrad_domain::DataSet;
pub use source::{SourceFile, read_dir};

/// The format version this reader reads and this writer writes.
pub const FORMAT_VERSION: i64 = 1;

/// Reads and checks the files of a data set. On any problem, every problem found is returned,
/// ordered by file and line, and no data set.
pub fn parse(files: Vec<SourceFile>) -> Result<DataSet, Vec<Diagnostic>> {
    parse_part(files, &check::Whole)
}

/// Reads and checks the files of a data set as [`parse`] does, and gives the indicators'
/// values (`indicators/<id>.csv`) beside the data set, which never holds them.
pub fn parse_with_values(files: Vec<SourceFile>) -> Result<(DataSet, Values), Vec<Diagnostic>> {
    parse_checked(files, &check::Whole)
}

/// Reads and checks a data set's directory as [`parse_with_values`] does.
pub fn parse_dir_with_values(dir: &Path) -> Result<(DataSet, Values), Vec<Diagnostic>> {
    parse_with_values(read_dir(dir).map_err(|d| vec![d])?)
}

/// Reads and checks the files of a part of a data set (written by [`write`]) by the same rules
/// and with the same messages as [`parse`], judging its references and the uniqueness of its
/// ids against the rest of the data set, which `known` answers for. What an edit touches is
/// checked so, at the cost of what it touches rather than of the whole data set.
pub fn parse_part(files: Vec<SourceFile>, known: &dyn Known) -> Result<DataSet, Vec<Diagnostic>> {
    parse_checked(files, known).map(|(set, _)| set)
}

fn parse_checked(
    files: Vec<SourceFile>,
    known: &dyn Known,
) -> Result<(DataSet, Values), Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let parsed = read::read(files, &mut diagnostics);
    let set = check::check(&parsed, &mut diagnostics, known);
    match set {
        Some(set) if diagnostics.is_empty() => Ok(set),
        _ => {
            diagnostics.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(diagnostics)
        }
    }
}

/// Reads and checks the data set in a directory.
pub fn parse_dir(dir: &Path) -> Result<DataSet, Vec<Diagnostic>> {
    parse(read_dir(dir).map_err(|d| vec![d])?)
}

/// The files of a data set, canonical: the same data always gives the same bytes.
pub fn write(set: &DataSet) -> Vec<SourceFile> {
    write::write(set)
}

/// The files of a data set and of its indicators' values, canonical.
pub fn write_with_values(set: &DataSet, values: &Values) -> Vec<SourceFile> {
    write::write_with_values(set, values)
}

/// The JSON Schema of the format's files, as pretty JSON: one definition per kind of file.
pub fn schema() -> String {
    use schemars::{JsonSchema, SchemaGenerator};
    let mut generator = SchemaGenerator::default();
    let mut defs = serde_json::Map::new();
    let mut kinds = Vec::new();
    let mut add = |name: &str, file: &str, schema: schemars::Schema| {
        let mut value = schema.to_value();
        if let Some(obj) = value.as_object_mut() {
            obj.insert("description".into(), format!("The file {file}").into());
        }
        defs.insert(name.to_owned(), value);
        kinds.push(serde_json::json!({ "$ref": format!("#/$defs/{name}") }));
    };
    add(
        "Manifest",
        "rodtrad.toml",
        dto::Manifest::json_schema(&mut generator),
    );
    add(
        "OrganisationsFile",
        "organisations.toml",
        dto::OrganisationsFile::json_schema(&mut generator),
    );
    add(
        "PerspectivesFile",
        "perspectives.toml",
        dto::PerspectivesFile::json_schema(&mut generator),
    );
    add(
        "StrategyFile",
        "strategies/<id>.toml",
        dto::StrategyDto::json_schema(&mut generator),
    );
    add(
        "PlanFile",
        "plans/<id>.toml",
        dto::PlanDto::json_schema(&mut generator),
    );
    add(
        "ActivitiesFile",
        "activities.toml",
        dto::ActivitiesFile::json_schema(&mut generator),
    );
    add(
        "FollowUpFile",
        "follow-ups/<id>.toml",
        dto::FollowUpDto::json_schema(&mut generator),
    );
    add(
        "ReportsFile",
        "reports/<round-id>.toml",
        dto::ReportsFile::json_schema(&mut generator),
    );
    add(
        "IndicatorFile",
        "indicators/<id>.toml",
        dto::IndicatorDto::json_schema(&mut generator),
    );
    for (name, schema) in generator.take_definitions(true) {
        defs.entry(name).or_insert(schema);
    }
    let doc = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://rodtrad.se/schema/rodtrad-v1.schema.json",
        "title": "Röd tråd exchange format, version 1",
        "description": "A data set is a directory of TOML files; each file matches one of the definitions below (see docs/FORMAT.md).",
        "anyOf": kinds,
        "$defs": defs,
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("a JSON value always serialises");
    out.push('\n');
    out
}
