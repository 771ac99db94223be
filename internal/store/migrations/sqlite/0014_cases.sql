-- 0014: the 工伤一件事 case. A case (one worker, one injury date, one
-- employer) bundles services, each with its state, current step and due
-- date (the work queues read case_services by region and due date); events
-- are the case's history; files are uploaded materials (content in the blob
-- store, by SHA-256); letters are the issued PDFs; the outbox carries
-- decisions to the consumers of later issues (hospital settlement);
-- entitlements, their amount history and the payable one-off items are
-- what an approved benefit decision creates for the payroll.

CREATE TABLE case_numbers (
    region_code TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (region_code, year)
);

CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    number           TEXT    NOT NULL UNIQUE,
    region_code      TEXT    NOT NULL REFERENCES regions (code),
    worker_id        INTEGER NOT NULL REFERENCES workers (id),
    employer_id      INTEGER NOT NULL REFERENCES employers (id),
    injury_date      TEXT    NOT NULL,
    application_date TEXT    NOT NULL,
    injury_kind      TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    applicant        TEXT    NOT NULL,
    simple           INTEGER NOT NULL DEFAULT 0,
    late             INTEGER NOT NULL DEFAULT 0,
    de_facto         INTEGER NOT NULL DEFAULT 0,
    detail           TEXT    NOT NULL,
    uploads          INTEGER NOT NULL DEFAULT 0,
    opened_by        INTEGER,
    opened_kind      TEXT    NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (worker_id, injury_date, employer_id)
);
CREATE INDEX cases_region ON cases (region_code, id);
CREATE INDEX cases_employer ON cases (employer_id, id);
CREATE INDEX cases_worker ON cases (worker_id, id);

CREATE TABLE case_services (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    region_code TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    step        TEXT    NOT NULL DEFAULT '',
    due_date    TEXT,
    party       TEXT    NOT NULL DEFAULT '',
    overdue     INTEGER NOT NULL DEFAULT 0,
    simple      INTEGER NOT NULL DEFAULT 0,
    suspensions TEXT    NOT NULL DEFAULT '[]',
    detail      TEXT    NOT NULL,
    assignee_id INTEGER REFERENCES users (id),
    decided_on    TEXT,
    decision_days INTEGER,
    within_legal  INTEGER,
    within_local  INTEGER,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_services_case ON case_services (case_id);
-- The work queues (open steps of the agency), both covering every filter
-- column so neither count nor page reads the table: counts by region
-- (an index-only range), pages in due order (read until a page matched;
-- the store names it on SQLite, whose planner would sort the region range).
CREATE INDEX case_services_queue ON case_services (region_code, kind, state, simple, overdue, due_date) WHERE party = 'agency';
CREATE INDEX case_services_due ON case_services (due_date, id, region_code, kind, state, simple, overdue) WHERE party = 'agency';
CREATE INDEX case_services_assignee ON case_services (assignee_id, due_date, id) WHERE party = 'agency';
CREATE INDEX case_services_state ON case_services (region_code, kind, state, id);

CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    service_id  INTEGER REFERENCES case_services (id),
    action      TEXT    NOT NULL,
    from_state  TEXT    NOT NULL DEFAULT '',
    to_state    TEXT    NOT NULL DEFAULT '',
    on_date     TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    actor_id    INTEGER,
    actor_name  TEXT    NOT NULL,
    actor_kind  TEXT    NOT NULL,
    actor_role  TEXT    NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE case_files (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    material     TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    uploaded_by  INTEGER,
    uploaded_kind TEXT   NOT NULL,
    uploaded_at  TIMESTAMP NOT NULL,
    UNIQUE (case_id, material, sha256)
);
CREATE INDEX case_files_case ON case_files (case_id, id);

CREATE TABLE case_letters (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    service_id INTEGER REFERENCES case_services (id),
    kind       TEXT    NOT NULL,
    number     TEXT    NOT NULL UNIQUE,
    issued_on  TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    sha256     TEXT,
    size       INTEGER,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_letters_case ON case_letters (case_id, id);

CREATE TABLE case_outbox (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    worker_id   INTEGER NOT NULL,
    region_code TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP
);
CREATE INDEX case_outbox_open ON case_outbox (kind, id) WHERE consumed_at IS NULL;

CREATE TABLE case_reminders (
    service_id INTEGER NOT NULL REFERENCES case_services (id),
    step       TEXT    NOT NULL,
    due_date   TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    at         TIMESTAMP NOT NULL,
    PRIMARY KEY (service_id, step, due_date, kind)
);

CREATE TABLE entitlements (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    decision_id     INTEGER NOT NULL REFERENCES case_services (id),
    worker_id       INTEGER NOT NULL REFERENCES workers (id),
    region_code     TEXT    NOT NULL,
    type            TEXT    NOT NULL,
    payer           TEXT    NOT NULL,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
    start_date      TEXT    NOT NULL,
    end_date        TEXT,
    stop_conditions TEXT    NOT NULL DEFAULT '[]',
    payee_kind      TEXT    NOT NULL,
    payee_name      TEXT    NOT NULL,
    payee_id_hash   BLOB,
    payee_id_masked TEXT    NOT NULL DEFAULT '',
    bank_name       TEXT    NOT NULL DEFAULT '',
    bank_enc        BLOB,
    bank_masked     TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'active',
    status_reason   TEXT    NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (decision_id, type, payee_name)
);
CREATE INDEX entitlements_region ON entitlements (region_code, status, id);
CREATE INDEX entitlements_worker ON entitlements (worker_id);

CREATE TABLE entitlement_amounts (
    id             INTEGER PRIMARY KEY,
    entitlement_id INTEGER NOT NULL REFERENCES entitlements (id),
    effective_from TEXT    NOT NULL,
    amount_fen     INTEGER NOT NULL CHECK (amount_fen >= 0),
    reason         TEXT    NOT NULL,
    created_by     INTEGER,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX entitlement_amounts_ent ON entitlement_amounts (entitlement_id, effective_from);

CREATE TABLE payable_items (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    decision_id INTEGER NOT NULL REFERENCES case_services (id),
    worker_id   INTEGER NOT NULL REFERENCES workers (id),
    region_code TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    payer       TEXT    NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    payee_name  TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'payable',
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (decision_id, type)
);
CREATE INDEX payable_items_region ON payable_items (region_code, status, id);

-- Letter numbers per region, kind and year (济人社工认〔2026〕000123号).
CREATE TABLE letter_numbers (
    region_code TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (region_code, kind, year)
);

-- The assessment committee's expert pool (令55号 Arts. 24–25) and every
-- panel draw with what it needs to be replayed (expertpool.Record).
CREATE TABLE experts (
    id                 INTEGER PRIMARY KEY,
    region_code        TEXT    NOT NULL REFERENCES regions (code),
    name               TEXT    NOT NULL,
    grp                TEXT    NOT NULL,
    hospital           TEXT    NOT NULL,
    hospital_code      TEXT    NOT NULL DEFAULT '',
    title              TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    term_start         TEXT    NOT NULL,
    term_end           TEXT    NOT NULL,
    conflict_employers TEXT    NOT NULL DEFAULT '[]',
    conflict_hospitals TEXT    NOT NULL DEFAULT '[]',
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX experts_region ON experts (region_code, grp, id);

CREATE TABLE panel_draws (
    id         INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES case_services (id),
    seq        INTEGER NOT NULL,
    record     TEXT    NOT NULL,
    pool       TEXT    NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (service_id, seq)
);

-- The dashboard's figures, kept by the acts that change them (an open, a
-- new material, a decision, a revocation) in their own transactions, so
-- the dashboard reads a few hundred rows however many cases there are:
-- decisions by region, month, procedure and days taken; applications by
-- region, month and channel with the materials uploaded.
CREATE TABLE case_decision_stats (
    region_code  TEXT    NOT NULL,
    month        TEXT    NOT NULL,
    simple       INTEGER NOT NULL,
    days         INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    within_legal INTEGER NOT NULL,
    within_local INTEGER NOT NULL,
    PRIMARY KEY (region_code, month, simple, days)
);

CREATE TABLE case_application_stats (
    region_code TEXT    NOT NULL,
    month       TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    uploads     INTEGER NOT NULL,
    PRIMARY KEY (region_code, month, channel)
);
