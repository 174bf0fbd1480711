-- Security (OWASP ASVS level 2): failed log-ins counted per address from one client and per
-- client, so that a stranger cannot lock an owner out; and one-time links that let a person
-- set a new password. Times are Unix seconds (UTC).

-- Replaced by login_attempt, which counts under keys rather than only by address.
DROP TABLE login_failure;

-- Attempts that did not end in a log-in, in a row, under one key: `client IP` or
-- `address from IP`. An attempt is counted before its password is checked, so that
-- concurrent attempts cannot all pass the count.
CREATE TABLE login_attempt (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL
);

-- A link to set a new password: only the SHA-256 of its token is kept. Used once, then gone;
-- a newer link for the same account replaces it.
CREATE TABLE password_reset (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX password_reset_account ON password_reset (account_id);
