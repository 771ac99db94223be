-- 0015: the portal for injured workers and employers. An account belongs
-- to one worker or one employer and is found by its login key: the keyed
-- hash (pii codec) of the ID number or of the credit code, never the plain
-- value. Staff at the window issue a one-time activation code (only its
-- keyed hash is kept, with its expiry; activation empties it); failed
-- logins and activations are counted on the account before any check, as
-- for staff, and per source address in login_attempts. Portal sessions
-- are their own table: a portal cookie is never a staff session.
CREATE TABLE portal_accounts (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('worker', 'employer')),
    worker_id       INTEGER UNIQUE REFERENCES workers (id),
    employer_id     INTEGER UNIQUE REFERENCES employers (id),
    login_key       BLOB    NOT NULL,
    password_hash   TEXT    NOT NULL DEFAULT '',
    code_hash       BLOB,
    code_expires_at TIMESTAMP,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    disabled        INTEGER NOT NULL DEFAULT 0,
    last_login_at   TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, login_key),
    CHECK ((kind = 'worker') = (worker_id IS NOT NULL) AND (kind = 'employer') = (employer_id IS NOT NULL))
);

CREATE TABLE portal_sessions (
    token_hash BLOB    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES portal_accounts (id),
    csrf_token TEXT    NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX portal_sessions_account ON portal_sessions (account_id);
CREATE INDEX portal_sessions_expires ON portal_sessions (expires_at);
