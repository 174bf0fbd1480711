//! The Örebro data set, built from the region's documents and embedded in the binary so that
//! `demo` (and a first start) works without any file beside the program.

use include_dir::{Dir, DirEntry, include_dir};
use rodtrad_format::SourceFile;

static OREBRO: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../data/orebro");

/// The files of the built-in data set.
pub fn files() -> Vec<SourceFile> {
    let mut out = Vec::new();
    collect(&OREBRO, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn collect(dir: &Dir<'_>, out: &mut Vec<SourceFile>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, out),
            DirEntry::File(f) => out.push(SourceFile {
                path: f.path().to_string_lossy().replace('\\', "/"),
                text: f
                    .contents_utf8()
                    .map(str::to_owned)
                    .ok_or_else(|| "not UTF-8".to_owned()),
            }),
        }
    }
}
