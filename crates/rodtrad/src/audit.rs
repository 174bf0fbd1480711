//! `rodtrad audit export FILE`: the record of changes, apart from the data set, as JSON Lines.
//!
//! One line per change set, oldest first, so that the file can be read a line at a time, cut
//! by date with ordinary tools, and appended to by a later export from where this one ended
//! (the `id` grows). The data set's exchange format does not carry the record, by design: a
//! data set can move between installations, its history stays with the one that made it.

use std::io::Write;
use std::path::Path;

use rodtrad_store::{ChangeSet, Store};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::CliError;

/// One change set as a JSON line.
fn line(c: &ChangeSet) -> String {
    let at = OffsetDateTime::from_unix_timestamp(c.at)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok());
    let fields: Vec<_> = c
        .fields
        .iter()
        .map(|f| json!({ "field": f.field, "before": f.before, "after": f.after }))
        .collect();
    json!({
        "id": c.id,
        "at": at,
        "actor": c.actor,
        "account": c.account,
        "item": { "kind": c.item.kind.code(), "id": c.item.id.as_str() },
        "action": c.action.code(),
        "revision": c.revision,
        "fields": fields,
    })
    .to_string()
}

/// Writes the record to `file`, which must not exist yet: an export never overwrites.
pub async fn export(store: &Store, file: &Path) -> Result<usize, CliError> {
    let record = store
        .all_changes()
        .await
        .map_err(|e| crate::commands::database_failed(&e))?;
    let failed = |e: std::io::Error| {
        CliError::message(
            "cli-write-failed",
            vec![
                ("path", file.display().to_string()),
                ("detail", e.to_string()),
            ],
        )
    };
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                CliError::message(
                    "cli-audit-file-exists",
                    vec![("path", file.display().to_string())],
                )
            } else {
                failed(e)
            }
        })?;
    let mut text = String::new();
    for c in &record {
        text.push_str(&line(c));
        text.push('\n');
    }
    out.write_all(text.as_bytes()).map_err(failed)?;
    out.sync_all().map_err(failed)?;
    Ok(record.len())
}
