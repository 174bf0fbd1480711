//! Any record of the model as a flat list of named fields, and the difference of two records
//! field by field: what the record of changes keeps and what comparing versions shows.
//!
//! Field names are paths a person can read: `title`, `period.end`, `nodes[delmal-1].title`.
//! Items of a list that have an `id` are named by it, so that moving a sub-goal does not read
//! as every later sub-goal changing; lists of plain values are one field, written `a, b, c`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// One field that differs: its value before and after; `None` where the field had no value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The fields of a record that have a value, by name.
pub fn fields<T: Serialize>(record: &T) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    // Serialising the model cannot fail: it has only strings, numbers and derived structs.
    if let Ok(value) = serde_json::to_value(record) {
        flatten(&value, String::new(), &mut out);
    }
    out
}

/// The fields that differ between two states of a record, in name order; `None` for a record
/// that does not exist on that side (made or removed).
pub fn changes<T: Serialize>(before: Option<&T>, after: Option<&T>) -> Vec<FieldChange> {
    let before = before.map(fields).unwrap_or_default();
    let after = after.map(fields).unwrap_or_default();
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| before.get(*n) != after.get(*n))
        .map(|n| FieldChange {
            field: n.clone(),
            before: before.get(n).cloned(),
            after: after.get(n).cloned(),
        })
        .collect()
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// A value that reads as one piece of text: a scalar, or a goal reference `plan/node`.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(o) if o.len() == 2 => match (o.get("plan"), o.get("node")) {
            (Some(Value::String(p)), Some(Value::String(n))) => Some(format!("{p}/{n}")),
            _ => None,
        },
        _ => None,
    }
}

fn flatten(value: &Value, path: String, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            if let Some(text) = as_text(value) {
                out.insert(path, text);
                return;
            }
            for (name, v) in map {
                flatten(v, join(&path, name), out);
            }
        }
        Value::Array(items) if items.is_empty() => {}
        Value::Array(items) => {
            let texts: Option<Vec<String>> = items.iter().map(as_text).collect();
            if let Some(texts) = texts {
                out.insert(path, texts.join(", "));
                return;
            }
            for (i, item) in items.iter().enumerate() {
                let key = match item.get("id").and_then(Value::as_str) {
                    Some(id) => id.to_owned(),
                    None => (i + 1).to_string(),
                };
                flatten(item, format!("{path}[{key}]"), out);
            }
        }
        scalar => {
            if let Some(text) = as_text(scalar) {
                out.insert(path, text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activity, GoalRef, PartialDate, Period, Slug, Status};

    fn slug(s: &str) -> Slug {
        Slug::parse(s).expect("a test slug")
    }

    fn activity() -> Activity {
        Activity {
            id: slug("a"),
            title: "Läsfrämjande".into(),
            narrative: None,
            responsible_unit: None,
            lead: Some(slug("region")),
            partners: vec![slug("askersund"), slug("lekeberg")],
            period: Period {
                start: Some(PartialDate::parse("2021").expect("a year")),
                end: None,
            },
            status: Some(Status::Ongoing),
            status_reason: None,
            intervention_level: None,
            perspectives: vec![],
            target_groups: vec![],
            funding: vec![],
            serves: vec![GoalRef {
                plan: slug("p"),
                node: slug("delmal-1"),
            }],
            proposed: vec![],
        }
    }

    #[test]
    fn records_flatten_to_readable_fields() {
        let f = fields(&activity());
        assert_eq!(f["title"], "Läsfrämjande");
        assert_eq!(f["partners"], "askersund, lekeberg");
        assert_eq!(f["period.start"], "2021");
        assert_eq!(f["serves"], "p/delmal-1");
        assert_eq!(f["status"], "ongoing");
        assert!(!f.contains_key("narrative"), "no value, no field");
        assert!(
            !f.contains_key("perspectives"),
            "an empty list has no value"
        );
    }

    #[test]
    fn changes_name_each_field_that_differs() {
        let before = activity();
        let mut after = before.clone();
        after.title = "Läsfrämjande insatser".into();
        after.narrative = Some("Ny text".into());
        after.partners.pop();
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![
                FieldChange {
                    field: "narrative".into(),
                    before: None,
                    after: Some("Ny text".into()),
                },
                FieldChange {
                    field: "partners".into(),
                    before: Some("askersund, lekeberg".into()),
                    after: Some("askersund".into()),
                },
                FieldChange {
                    field: "title".into(),
                    before: Some("Läsfrämjande".into()),
                    after: Some("Läsfrämjande insatser".into()),
                },
            ]
        );
        assert!(changes(Some(&before), Some(&before)).is_empty());
        let made = changes(None, Some(&before));
        assert!(made.iter().all(|c| c.before.is_none() && c.after.is_some()));
        assert_eq!(made.len(), fields(&before).len());
    }

    #[test]
    fn list_items_with_ids_are_named_by_them() {
        #[derive(Serialize)]
        struct Tree {
            levels: Vec<crate::GoalLevel>,
        }
        let level = crate::GoalLevel {
            id: slug("delmal"),
            name: "Delmål".into(),
        };
        let f = fields(&Tree {
            levels: vec![level],
        });
        assert_eq!(f["levels[delmal].name"], "Delmål");
        assert_eq!(f["levels[delmal].id"], "delmal");
    }

    #[test]
    fn records_round_trip_through_json() {
        let a = activity();
        let text = serde_json::to_string(&a).expect("serialises");
        let back: Activity = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back, a);
        let bad = text.replace("\"ongoing\"", "\"pausad\"");
        assert!(
            serde_json::from_str::<Activity>(&bad).is_err(),
            "values are checked"
        );
    }
}
