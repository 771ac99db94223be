-- 0028: work-injury prevention (工伤预防, issue 12), the core every part
-- builds on. The city's prevention year (its cap: a share of last year's
-- contribution income, raised only with a recorded provincial approval;
-- the key industries it adopted), each county's annual plan with its
-- projects (the unit the fund pays) and budget lines, the expert pool,
-- and the trainings: sessions of a project with their attendance, archive
-- files, evaluations and the payment of the project. A plan's, project's
-- and session's region is its county's; the year's is the city's.
CREATE TABLE prevention_years (
    region_code   TEXT    NOT NULL,
    year          INTEGER NOT NULL,
    income_fen    INTEGER NOT NULL CHECK (income_fen >= 0),
    cap_rate      REAL    NOT NULL,
    approval_doc  TEXT    NOT NULL DEFAULT '',
    focus         TEXT    NOT NULL DEFAULT '[]',
    updated_at    TIMESTAMP NOT NULL,
    updated_by    TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (region_code, year)
);

CREATE TABLE prevention_plans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code  TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'returned', 'approved')),
    revision     INTEGER NOT NULL DEFAULT 0,
    requested_fen INTEGER NOT NULL DEFAULT 0,
    approved_fen INTEGER NOT NULL DEFAULT 0,
    note         TEXT    NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (region_code, year)
);

CREATE TABLE prevention_projects (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES prevention_plans (id),
    region_code   TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('training', 'publicity')),
    title         TEXT    NOT NULL,
    programme     TEXT    NOT NULL DEFAULT '',
    industry      TEXT    NOT NULL DEFAULT '',
    audience      TEXT    NOT NULL DEFAULT '[]',
    enterprises   TEXT    NOT NULL DEFAULT '[]',
    sessions      INTEGER NOT NULL DEFAULT 0 CHECK (sessions >= 0),
    attendance    INTEGER NOT NULL DEFAULT 0 CHECK (attendance >= 0),
    provider_kind TEXT    NOT NULL DEFAULT '' CHECK (provider_kind IN ('', 'insurer', 'organisation', 'expert', 'agency')),
    provider      TEXT    NOT NULL DEFAULT '',
    requested_fen INTEGER NOT NULL DEFAULT 0 CHECK (requested_fen >= 0),
    approved_fen  INTEGER NOT NULL DEFAULT 0 CHECK (approved_fen >= 0),
    paid_fen      INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
    state         TEXT    NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'accepted', 'paid', 'cancelled')),
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (plan_id, seq)
);
CREATE INDEX prevention_projects_region ON prevention_projects (region_code, id);

CREATE TABLE prevention_budget_lines (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id    INTEGER NOT NULL REFERENCES prevention_projects (id),
    item          TEXT    NOT NULL,
    requested_fen INTEGER NOT NULL CHECK (requested_fen >= 0),
    approved_fen  INTEGER NOT NULL DEFAULT 0 CHECK (approved_fen >= 0),
    paid_fen      INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0)
);
CREATE INDEX prevention_budget_lines_project ON prevention_budget_lines (project_id, id);

CREATE TABLE prevention_experts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL,
    specialty      TEXT    NOT NULL,
    department     TEXT    NOT NULL,
    title          TEXT    NOT NULL DEFAULT '',
    qualifications TEXT    NOT NULL DEFAULT '',
    employer       TEXT    NOT NULL DEFAULT '',
    region_code    TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'removed')),
    status_reason  TEXT    NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT    NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX prevention_experts_specialty ON prevention_experts (specialty, status, id);

CREATE TABLE prevention_sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES prevention_projects (id),
    region_code TEXT    NOT NULL,
    held_on     TEXT    NOT NULL,
    place       TEXT    NOT NULL DEFAULT '',
    online      BOOLEAN NOT NULL DEFAULT FALSE,
    capacity    INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    enterprises TEXT    NOT NULL DEFAULT '[]',
    expert_id   INTEGER REFERENCES prevention_experts (id),
    topic       TEXT    NOT NULL,
    planned     INTEGER NOT NULL DEFAULT 0 CHECK (planned >= 0),
    state       TEXT    NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'held', 'closed', 'cancelled')),
    checkin     TEXT    NOT NULL DEFAULT '',
    score       REAL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX prevention_sessions_region ON prevention_sessions (region_code, held_on, id);
CREATE INDEX prevention_sessions_project ON prevention_sessions (project_id, id);

CREATE TABLE prevention_attendance (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES prevention_sessions (id),
    region_code TEXT    NOT NULL,
    id_hash     BLOB    NOT NULL,
    id_enc      BLOB    NOT NULL,
    id_masked   TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    employer    TEXT    NOT NULL DEFAULT '',
    audience    TEXT    NOT NULL DEFAULT '',
    worker_id   INTEGER REFERENCES workers (id),
    source      TEXT    NOT NULL CHECK (source IN ('roster', 'checkin', 'manual')),
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (session_id, id_hash)
);
CREATE INDEX prevention_attendance_person ON prevention_attendance (id_hash, session_id);
