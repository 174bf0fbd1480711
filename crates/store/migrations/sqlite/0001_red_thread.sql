-- The red thread: organisations, strategy, plans with goal trees, activities, follow-ups.
-- Every entity has a surrogate id and a unique, human-written slug (its identity in files).
-- `position` keeps the order the source gives (Delmål 1 before Delmål 2).

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisation (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('region', 'municipality', 'county_district', 'unit', 'committee', 'council', 'network', 'civil_society', 'authority', 'association', 'company', 'university', 'other')),
    municipality_code TEXT UNIQUE CHECK (municipality_code IS NULL OR (kind = 'municipality' AND length(municipality_code) = 4)),
    parent_id INTEGER REFERENCES organisation (id),
    position INTEGER NOT NULL
);

CREATE TABLE perspective (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE strategy (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    vision TEXT,
    start_date TEXT,
    end_date TEXT,
    owner_id INTEGER REFERENCES organisation (id),
    adopted_by_id INTEGER REFERENCES organisation (id),
    adopted_on TEXT,
    position INTEGER NOT NULL
);

CREATE TABLE strategy_perspective (
    strategy_id INTEGER NOT NULL REFERENCES strategy (id) ON DELETE CASCADE,
    perspective_id INTEGER NOT NULL REFERENCES perspective (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (strategy_id, perspective_id)
);

CREATE TABLE overarching_goal (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    strategy_id INTEGER NOT NULL REFERENCES strategy (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE effect_goal (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    overarching_goal_id INTEGER NOT NULL REFERENCES overarching_goal (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE priority_area (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    strategy_id INTEGER NOT NULL REFERENCES strategy (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE desired_state (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    strategy_id INTEGER NOT NULL REFERENCES strategy (id) ON DELETE CASCADE,
    priority_area_id INTEGER REFERENCES priority_area (id),
    text TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE plan (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('plan', 'joint')),
    title TEXT NOT NULL,
    start_date TEXT,
    end_date TEXT,
    owner_id INTEGER REFERENCES organisation (id),
    priority_area_id INTEGER REFERENCES priority_area (id),
    summary TEXT,
    position INTEGER NOT NULL
);

CREATE TABLE plan_effect_goal (
    plan_id INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    effect_goal_id INTEGER NOT NULL REFERENCES effect_goal (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (plan_id, effect_goal_id)
);

CREATE TABLE plan_perspective (
    plan_id INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    perspective_id INTEGER NOT NULL REFERENCES perspective (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (plan_id, perspective_id)
);

CREATE TABLE strategic_direction (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    position INTEGER NOT NULL,
    UNIQUE (plan_id, slug)
);

CREATE TABLE risk (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    description TEXT NOT NULL,
    mitigation TEXT,
    position INTEGER NOT NULL,
    UNIQUE (plan_id, slug)
);

CREATE TABLE plan_version (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    version_date TEXT,
    decided_by_id INTEGER REFERENCES organisation (id),
    decided_on TEXT,
    note TEXT,
    position INTEGER NOT NULL,
    UNIQUE (plan_id, slug),
    CHECK (decided_on IS NULL OR decided_by_id IS NOT NULL)
);

CREATE TABLE goal_level (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (plan_id, slug)
);

CREATE TABLE goal_node (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    level_id INTEGER NOT NULL REFERENCES goal_level (id),
    parent_id INTEGER REFERENCES goal_node (id) ON DELETE CASCADE,
    number TEXT,
    title TEXT NOT NULL,
    description TEXT,
    intervention_level TEXT CHECK (intervention_level IN ('promotive', 'selective', 'indicated')),
    position INTEGER NOT NULL,
    UNIQUE (plan_id, slug)
);
CREATE INDEX goal_node_parent ON goal_node (parent_id);

CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    narrative TEXT,
    responsible_unit_id INTEGER REFERENCES organisation (id),
    lead_id INTEGER REFERENCES organisation (id),
    start_date TEXT,
    end_date TEXT,
    status TEXT CHECK (status IN ('planned', 'ongoing', 'paused', 'completed', 'cancelled')),
    status_reason TEXT,
    intervention_level TEXT CHECK (intervention_level IN ('promotive', 'selective', 'indicated')),
    position INTEGER NOT NULL
);

CREATE TABLE activity_partner (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (activity_id, organisation_id)
);
CREATE INDEX activity_partner_organisation ON activity_partner (organisation_id);

CREATE TABLE activity_perspective (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    perspective_id INTEGER NOT NULL REFERENCES perspective (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (activity_id, perspective_id)
);

CREATE TABLE activity_target_group (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (activity_id, position)
);

CREATE TABLE activity_funding (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    funder_id INTEGER REFERENCES organisation (id),
    description TEXT,
    PRIMARY KEY (activity_id, position)
);

CREATE TABLE activity_goal (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    goal_node_id INTEGER NOT NULL REFERENCES goal_node (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (activity_id, goal_node_id)
);
CREATE INDEX activity_goal_node ON activity_goal (goal_node_id);

CREATE TABLE follow_up (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    report_date TEXT,
    author_id INTEGER REFERENCES organisation (id),
    signed_by TEXT,
    structure_plan_id INTEGER REFERENCES plan (id),
    introduction TEXT,
    position INTEGER NOT NULL
);

CREATE TABLE follow_up_plan (
    follow_up_id INTEGER NOT NULL REFERENCES follow_up (id) ON DELETE CASCADE,
    plan_id INTEGER NOT NULL REFERENCES plan (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (follow_up_id, plan_id)
);

CREATE TABLE follow_up_section (
    follow_up_id INTEGER NOT NULL REFERENCES follow_up (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    goal_node_id INTEGER NOT NULL REFERENCES goal_node (id),
    narrative TEXT NOT NULL,
    PRIMARY KEY (follow_up_id, position)
);
