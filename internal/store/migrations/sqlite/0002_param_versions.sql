-- 0002: parameter versions added by administrators. The embedded law is
-- the base; these rows are replayed over it in id order at start-up.
-- Append-only: a correction is a further version, never an UPDATE.
CREATE TABLE param_versions (
    id             INTEGER PRIMARY KEY,
    table_name     TEXT    NOT NULL,
    key            TEXT    NOT NULL,
    region         TEXT    NOT NULL,
    effective_from TEXT    NOT NULL,
    value          TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    confidence     TEXT    NOT NULL CHECK (confidence IN ('C', 'C2', 'U')),
    note           TEXT    NOT NULL,
    actor_id       INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
