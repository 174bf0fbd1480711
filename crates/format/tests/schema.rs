//! The JSON Schema in `schema/` is the one the format's structs give, and the Örebro data set
//! matches it.

use std::path::Path;

fn schema_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/rodtrad-v1.schema.json")
}

#[test]
fn the_committed_schema_is_current() {
    let generated = rodtrad_format::schema();
    if std::env::var_os("RODTRAD_WRITE_SCHEMA").is_some() {
        std::fs::write(schema_path(), &generated).expect("write schema");
    }
    let committed = std::fs::read_to_string(schema_path()).expect("schema/rodtrad-v1.schema.json");
    assert!(
        committed == generated,
        "schema/rodtrad-v1.schema.json is stale: run `RODTRAD_WRITE_SCHEMA=1 cargo test -p rodtrad-format --test schema`"
    );
}

#[test]
fn the_orebro_files_match_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&rodtrad_format::schema()).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro");
    let files = rodtrad_format::read_dir(&dir).expect("data set");
    assert!(files.len() >= 8);
    for f in files {
        let table: toml::Table = toml::from_str(f.text.as_ref().expect("text")).expect("TOML");
        let value = serde_json::to_value(table).expect("TOML as JSON");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", f.path);
    }
    // And the schema refuses what the format refuses.
    let bad = serde_json::json!({ "format_version": 1, "name": "x", "extra": true });
    let good = serde_json::json!({ "format_version": 1, "name": "x" });
    assert!(validator.is_valid(&good));
    assert!(!validator.is_valid(&bad), "an unknown field");
    assert!(
        !validator.is_valid(&serde_json::json!({ "activity": [{ "id": "a" }] })),
        "an activity without a title"
    );
}
