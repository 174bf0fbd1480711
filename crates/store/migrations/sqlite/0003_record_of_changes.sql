-- The record of changes, the revisions that keep one edit from overwriting another, and the
-- released versions of plans. Times are Unix seconds (UTC).
--
-- A change set is one save of one item (an activity, a plan with its goal tree, ...): who, when,
-- what was done, and the item's revision after it; its fields are each changed field's value
-- before and after. Nothing in the application updates or deletes these rows, and the
-- database refuses it too (the triggers at the end).

CREATE TABLE change_set (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    account_id INTEGER REFERENCES account (id),
    actor TEXT NOT NULL,
    item_kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('created', 'changed', 'removed', 'published', 'decided')),
    revision INTEGER NOT NULL
);

CREATE INDEX change_set_item ON change_set (item_kind, item_id);

CREATE INDEX change_set_account ON change_set (account_id);

CREATE TABLE change_field (
    id INTEGER PRIMARY KEY,
    change_set_id INTEGER NOT NULL REFERENCES change_set (id),
    field TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT
);

CREATE INDEX change_field_set ON change_field (change_set_id);

-- The revision of each item that has been written; an item never written is at revision 0.
CREATE TABLE item_revision (
    item_kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    PRIMARY KEY (item_kind, item_id)
);

-- A released version of a plan: the plan as it was, frozen. The newest is what visitors see.
CREATE TABLE plan_release (
    id INTEGER PRIMARY KEY,
    plan_slug TEXT NOT NULL,
    number INTEGER NOT NULL,
    content TEXT NOT NULL,
    decided INTEGER NOT NULL CHECK (decided IN (0, 1)),
    at INTEGER NOT NULL,
    account_id INTEGER REFERENCES account (id),
    UNIQUE (plan_slug, number)
);

-- Backend-specific: the guards that keep the record and the releases as they were written.

CREATE TRIGGER change_set_kept BEFORE UPDATE ON change_set
BEGIN SELECT RAISE(ABORT, 'the record of changes cannot be altered'); END;

CREATE TRIGGER change_set_not_removed BEFORE DELETE ON change_set
BEGIN SELECT RAISE(ABORT, 'the record of changes cannot be altered'); END;

CREATE TRIGGER change_field_kept BEFORE UPDATE ON change_field
BEGIN SELECT RAISE(ABORT, 'the record of changes cannot be altered'); END;

CREATE TRIGGER change_field_not_removed BEFORE DELETE ON change_field
BEGIN SELECT RAISE(ABORT, 'the record of changes cannot be altered'); END;

CREATE TRIGGER plan_release_kept BEFORE UPDATE ON plan_release
BEGIN SELECT RAISE(ABORT, 'a released version cannot be altered'); END;

CREATE TRIGGER plan_release_not_removed BEFORE DELETE ON plan_release
BEGIN SELECT RAISE(ABORT, 'a released version cannot be altered'); END;
