//! Why a source could not be read: the rule it breaks, and where.

/// A rule of a format that a source breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The bytes are not JSON (or not UTF-8).
    NotJson,
    /// JSON, but not of the format: no data set in it.
    NotDataSet,
    /// A field has the wrong type (an object where a list belongs).
    FieldType,
    /// A field the format requires is missing.
    Missing,
    /// `id` and `size` are not of the same length.
    IdSizeLength,
    /// `id` names a dimension that `dimension` does not describe.
    UnknownDimension,
    /// A dimension's categories are not as many as its size says.
    CategoryCount,
    /// A category index is not each position from 0 once.
    CategoryIndex,
    /// The values are not as many as the product of the sizes.
    ValueCount,
    /// A value's position (in a sparse list of values) is beyond the table.
    ValuePosition,
    /// A value is neither a number, a text, nor empty.
    ValueNotNumber,
    /// The statuses are neither one for all nor one for each value.
    StatusCount,
    /// A role names a dimension the table does not have.
    UnknownRoleDimension,
    /// A row's codes or values are not as many as the columns say.
    RowLength,
    /// Two rows give a value for the same categories.
    DuplicateRow,
    /// A dimension, or a category, that is not what an indicator's values are by: a second
    /// measure, a period or sex not written in any form known.
    Unmapped,
}

impl Rule {
    /// The rule's code: how messages and tests name it.
    pub fn code(self) -> &'static str {
        match self {
            Rule::NotJson => "not-json",
            Rule::NotDataSet => "not-data-set",
            Rule::FieldType => "field-type",
            Rule::Missing => "missing",
            Rule::IdSizeLength => "id-size-length",
            Rule::UnknownDimension => "unknown-dimension",
            Rule::CategoryCount => "category-count",
            Rule::CategoryIndex => "category-index",
            Rule::ValueCount => "value-count",
            Rule::ValuePosition => "value-position",
            Rule::ValueNotNumber => "value-not-number",
            Rule::StatusCount => "status-count",
            Rule::UnknownRoleDimension => "unknown-role-dimension",
            Rule::RowLength => "row-length",
            Rule::DuplicateRow => "duplicate-row",
            Rule::Unmapped => "unmapped",
        }
    }
}

/// A source refused: the rule, where in the source (a path such as
/// `dimension.sex.category.index`, or a line), and what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {detail} ({})", rule.code())]
pub struct ReadError {
    pub rule: Rule,
    pub at: String,
    pub detail: String,
}

impl ReadError {
    pub(crate) fn new(rule: Rule, at: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            rule,
            at: at.into(),
            detail: detail.into(),
        }
    }
}

/// The JSON of `bytes`, or where it breaks (after `place`, such as `page 2, `).
pub(crate) fn json(bytes: &[u8], place: &str) -> Result<serde_json::Value, ReadError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ReadError::new(
            Rule::NotJson,
            format!("{place}line {}, column {}", e.line(), e.column()),
            e.to_string(),
        )
    })
}
