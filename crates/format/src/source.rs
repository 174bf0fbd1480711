//! The files of a data set, read from a directory or handed over from memory (the data set
//! embedded in the binary), and the mapping from a byte span to a line.

use std::ops::Range;
use std::path::Path;

use crate::problem::{Diagnostic, Problem};

/// One file of a data set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to the data set's directory, with `/` between folders.
    pub path: String,
    /// The text, or why it could not be read.
    pub text: Result<String, String>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: Ok(text.into()),
        }
    }

    /// The 1-based line on which a byte offset stands.
    pub fn line_of(&self, span: &Range<usize>) -> Option<usize> {
        let text = self.text.as_ref().ok()?;
        let end = span.start.min(text.len());
        Some(text.as_bytes()[..end].split(|&b| b == b'\n').count())
    }
}

/// Reads every file under `root`, skipping hidden ones (`.git`, editor files).
#[expect(
    clippy::result_large_err,
    reason = "called once per command; the error is shown, not passed around"
)]
pub fn read_dir(root: &Path) -> Result<Vec<SourceFile>, Diagnostic> {
    if !root.is_dir() {
        return Err(Diagnostic {
            file: root.display().to_string(),
            line: None,
            path: String::new(),
            problem: Problem::NotADirectory,
        });
    }
    let mut files = Vec::new();
    walk(root, "", &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<SourceFile>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push(SourceFile {
                path: prefix.trim_end_matches('/').to_owned(),
                text: Err(e.to_string()),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{name}");
        let path = entry.path();
        if path.is_dir() {
            walk(&path, &format!("{rel}/"), out);
        } else {
            let text = std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|bytes| String::from_utf8(bytes).map_err(|e| format!("not UTF-8 ({e})")));
            out.push(SourceFile { path: rel, text });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        let f = SourceFile::new("a.toml", "a = 1\nb = 2\n\nc = 3");
        assert_eq!(f.line_of(&(0..1)), Some(1));
        assert_eq!(f.line_of(&(6..7)), Some(2));
        assert_eq!(f.line_of(&(13..14)), Some(4));
        assert_eq!(f.line_of(&(999..1000)), Some(4));
    }
}
