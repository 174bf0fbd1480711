//! The one shape every source is read into.

/// What a dimension is for, as JSON-stat's roles say (and the other readers detect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Time,
    Geo,
    Metric,
}

/// The unit of a measure (a category of a metric dimension).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unit {
    pub label: Option<String>,
    pub symbol: Option<String>,
    pub decimals: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub code: String,
    pub label: Option<String>,
    pub unit: Option<Unit>,
    /// The category this one is a child of, where the source gives a hierarchy.
    pub parent: Option<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub id: String,
    pub label: Option<String>,
    pub role: Option<Role>,
    /// In the order of the table: a value's position counts through them.
    pub categories: Vec<Category>,
    pub notes: Vec<String>,
}

/// Values by dimension, in row-major order: the last dimension changes fastest, as JSON-stat
/// orders them.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub label: Option<String>,
    pub source: Option<String>,
    pub updated: Option<String>,
    pub notes: Vec<String>,
    pub dimensions: Vec<Dimension>,
    /// One for each combination of categories; `None` where the source has no number.
    pub values: Vec<Option<f64>>,
    /// Values that are texts, not numbers (JSON-stat allows them), by position.
    pub texts: std::collections::BTreeMap<usize, String>,
    /// Each value's status (a source's mark such as "preliminary"), as long as `values`, or
    /// empty when the source gives none.
    pub status: Vec<Option<String>>,
}

impl Table {
    /// The number of categories of each dimension.
    pub fn sizes(&self) -> Vec<usize> {
        self.dimensions.iter().map(|d| d.categories.len()).collect()
    }

    /// How many values the table has (not empty ones).
    pub fn count(&self) -> usize {
        self.values.iter().filter(|v| v.is_some()).count()
    }

    /// The category of each dimension at a value's position.
    pub fn categories_at(&self, mut position: usize) -> Vec<usize> {
        let sizes = self.sizes();
        let mut at = vec![0; sizes.len()];
        for (slot, size) in at.iter_mut().zip(&sizes).rev() {
            if *size > 0 {
                *slot = position % size;
                position /= size;
            }
        }
        at
    }

    /// The position of the value at one category of each dimension.
    pub fn position(&self, categories: &[usize]) -> usize {
        self.sizes()
            .iter()
            .zip(categories)
            .fold(0, |at, (size, c)| at * size + c)
    }

    /// The dimension of a role, if exactly one has it.
    pub fn with_role(&self, role: Role) -> Option<usize> {
        let mut found = self
            .dimensions
            .iter()
            .enumerate()
            .filter(|(_, d)| d.role == Some(role));
        let first = found.next().map(|(i, _)| i);
        if found.next().is_some() { None } else { first }
    }
}
