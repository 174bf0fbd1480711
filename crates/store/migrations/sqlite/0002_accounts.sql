-- Accounts, their roles, their sessions, and failed log-ins.
-- Times are Unix seconds (UTC). Scopes are slugs: a plan's for plan_owner and reader, an
-- organisation's for contributor; they are not foreign keys, so that a role outlives an import
-- that renames nothing and is simply inert while its plan is absent.

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at INTEGER NOT NULL
);

CREATE TABLE role_grant (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('plan_owner', 'contributor', 'reader')),
    scope TEXT NOT NULL,
    UNIQUE (account_id, role, scope)
);

CREATE TABLE login_session (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX login_session_account ON login_session (account_id);

CREATE TABLE login_failure (
    email TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL
);
