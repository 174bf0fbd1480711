-- The version of the data: a counter that every write transaction moves on first, before it
-- writes anything, and, for each item, the version at which it was last written and what it
-- then was.
--
-- Moving the counter first makes writers take their turn: on PostgreSQL the row stays locked
-- until the transaction ends, and on SQLite the first statement being a write takes the
-- database's write lock at once (waiting for it) instead of failing on a snapshot that another
-- writer has moved past. Versions are therefore committed in order, so a server that has read
-- the data at version V brings itself up to date from the items written at versions above V:
-- their content (the item as JSON, as the model has it; none for an item removed) is kept here
-- beside the tables, written in the same transaction. `whole` is the last version that changed
-- more than items can say (an import): a server behind it reads everything again.

CREATE TABLE data_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    whole BIGINT NOT NULL
);

INSERT INTO data_version (id, version, whole) VALUES (1, 0, 0);

ALTER TABLE item_revision ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

ALTER TABLE item_revision ADD COLUMN content TEXT;

CREATE INDEX item_revision_version ON item_revision (version);
