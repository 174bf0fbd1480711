-- Follow-up rounds (issue 11): a follow-up is a round of reporting with a period, an opening,
-- a deadline and a state, and each activity it follows up gets a report in it. A published
-- round's report is frozen: follow_up_release keeps it as it was, and is only inserted into.

ALTER TABLE follow_up ADD COLUMN period_start TEXT;
ALTER TABLE follow_up ADD COLUMN period_end TEXT;
ALTER TABLE follow_up ADD COLUMN opens TEXT;
ALTER TABLE follow_up ADD COLUMN deadline TEXT;
-- Follow-ups made before rounds existed were reports for anyone to read.
ALTER TABLE follow_up ADD COLUMN state TEXT NOT NULL DEFAULT 'published'
    CHECK (state IN ('planned', 'open', 'closed', 'published'));
ALTER TABLE follow_up ADD COLUMN closed TEXT;

CREATE TABLE report (
    id INTEGER PRIMARY KEY,
    follow_up_id INTEGER NOT NULL REFERENCES follow_up (id) ON DELETE CASCADE,
    activity_id INTEGER NOT NULL REFERENCES activity (id),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved')),
    status TEXT CHECK (status IN ('planned', 'ongoing', 'paused', 'completed', 'cancelled')),
    done TEXT,
    results TEXT,
    next_steps TEXT,
    obstacles TEXT,
    worked_start TEXT,
    worked_end TEXT,
    comment TEXT,
    position INTEGER NOT NULL,
    UNIQUE (follow_up_id, activity_id)
);

CREATE INDEX report_activity ON report (activity_id);

CREATE TABLE report_partner (
    report_id INTEGER NOT NULL REFERENCES report (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    text TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
);

-- A published round's report as it was: the round, its reports, and what they name (plans,
-- activities, organisations), as one JSON data set.
CREATE TABLE follow_up_release (
    id INTEGER PRIMARY KEY,
    follow_up_slug TEXT NOT NULL,
    number INTEGER NOT NULL,
    content TEXT NOT NULL,
    at INTEGER NOT NULL,
    account_id INTEGER REFERENCES account (id),
    UNIQUE (follow_up_slug, number)
);

-- Backend-specific: the guard that keeps a published report as it was frozen.

CREATE TRIGGER follow_up_release_kept BEFORE UPDATE ON follow_up_release
BEGIN SELECT RAISE(ABORT, 'a published report cannot be altered'); END;

CREATE TRIGGER follow_up_release_not_removed BEFORE DELETE ON follow_up_release
BEGIN SELECT RAISE(ABORT, 'a published report cannot be altered'); END;
