-- Indicators (issue 12). An indicator is an item like an activity, small and read whole: its
-- definition, source and the goals it measures with their baselines and targets are kept as
-- JSON in `content`, the references in it judged by the exchange format's check as every
-- reference is. Its values are many (a national instance holds millions): a table of their
-- own, one narrow row per value, keyed by what the value is of, and never read with the rest
-- of the data set. `sex` is 0 all, 1 women, 2 men; `age` is '' for all ages.

CREATE TABLE indicator (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    position INTEGER NOT NULL,
    -- How many values it has, kept by every import of values: the list of indicators shows it
    -- without counting millions of rows.
    value_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE indicator_value (
    indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    sex INTEGER NOT NULL CHECK (sex IN (0, 1, 2)),
    age TEXT NOT NULL,
    period TEXT NOT NULL,
    value REAL,
    status TEXT,
    CHECK (value IS NOT NULL OR status IS NOT NULL),
    PRIMARY KEY (indicator_id, area, sex, age, period)
) WITHOUT ROWID;

-- Backend-specific: none; SQLite writes values straight into indicator_value in the import's
-- transaction (crates/store/src/values.rs).
