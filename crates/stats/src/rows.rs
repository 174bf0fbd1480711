//! A table built row by row, for the sources that answer in rows (PxWeb version 1, Kolada):
//! categories taken in the order they first appear, values put at their combination's place.

use std::collections::HashMap;

use crate::{Category, Dimension, ReadError, Role, Rule, Table};

/// A dimension being gathered: its categories by code, in the order first seen.
#[derive(Debug)]
pub(crate) struct Gathered {
    id: String,
    label: Option<String>,
    role: Option<Role>,
    codes: Vec<(String, Option<String>)>,
    place: HashMap<String, usize>,
}

impl Gathered {
    pub(crate) fn new(id: &str, label: Option<String>, role: Option<Role>) -> Self {
        Self {
            id: id.to_owned(),
            label,
            role,
            codes: Vec::new(),
            place: HashMap::new(),
        }
    }

    /// The place of `code`, added if it is new.
    pub(crate) fn at(&mut self, code: &str, label: Option<&str>) -> usize {
        if let Some(&i) = self.place.get(code) {
            return i;
        }
        self.codes.push((code.to_owned(), label.map(str::to_owned)));
        self.place.insert(code.to_owned(), self.codes.len() - 1);
        self.codes.len() - 1
    }
}

/// A value found at one category of each dimension, with its status and where in the source.
#[derive(Debug)]
pub(crate) struct Found {
    pub categories: Vec<usize>,
    pub value: Option<f64>,
    pub status: Option<String>,
    pub at: String,
}

/// The table of `dimensions` holding `found`; two values at the same categories are refused.
pub(crate) fn table(dimensions: Vec<Gathered>, found: Vec<Found>) -> Result<Table, ReadError> {
    let sizes: Vec<usize> = dimensions.iter().map(|d| d.codes.len()).collect();
    let cells = sizes
        .iter()
        .try_fold(1usize, |n, s| n.checked_mul(*s))
        .ok_or_else(|| ReadError::new(Rule::ValueCount, "", "too many combinations to hold"))?;
    let mut values = vec![None; cells];
    let mut status = vec![None; cells];
    let mut taken = vec![false; cells];
    let any_status = found.iter().any(|f| f.status.is_some());
    for f in found {
        let position = sizes
            .iter()
            .zip(&f.categories)
            .fold(0, |at, (size, c)| at * size + c);
        if std::mem::replace(&mut taken[position], true) {
            return Err(ReadError::new(
                Rule::DuplicateRow,
                f.at,
                "a second value for the same categories",
            ));
        }
        values[position] = f.value;
        status[position] = f.status;
    }
    Ok(Table {
        label: None,
        source: None,
        updated: None,
        notes: Vec::new(),
        dimensions: dimensions
            .into_iter()
            .map(|d| Dimension {
                id: d.id,
                label: d.label,
                role: d.role,
                categories: d
                    .codes
                    .into_iter()
                    .map(|(code, label)| Category {
                        code,
                        label,
                        unit: None,
                        parent: None,
                        notes: Vec::new(),
                    })
                    .collect(),
                notes: Vec::new(),
            })
            .collect(),
        values,
        texts: std::collections::BTreeMap::new(),
        status: if any_status { status } else { Vec::new() },
    })
}
