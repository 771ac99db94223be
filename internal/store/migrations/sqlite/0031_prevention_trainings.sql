-- 0031: work-injury prevention trainings (issue 12): each session's
-- audio, video and photo archive (files in the file store by SHA-256),
-- its evaluations (the organiser's checklist and the participants'
-- questionnaires, each with its computed score), a project's payments
-- (prepared, approved by another user, or returned) and the provincial
-- targets the KPIs measure against. Every row's region is its session's
-- or project's county (a target's: the region it was set for). A
-- session's check-in token is unique.
CREATE UNIQUE INDEX prevention_sessions_checkin ON prevention_sessions (checkin) WHERE checkin <> '';

CREATE TABLE prevention_archive (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   INTEGER NOT NULL REFERENCES prevention_sessions (id),
    region_code  TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('audio', 'video', 'photo')),
    sha256       TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    duration_s   INTEGER NOT NULL DEFAULT 0 CHECK (duration_s >= 0),
    file_name    TEXT    NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL
);
CREATE INDEX prevention_archive_session ON prevention_archive (session_id, id);

CREATE TABLE prevention_evaluations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES prevention_sessions (id),
    region_code TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('checklist', 'questionnaire')),
    payload     TEXT    NOT NULL,
    score       INTEGER NOT NULL CHECK (score >= 0 AND score <= 10000),
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL
);
CREATE INDEX prevention_evaluations_session ON prevention_evaluations (session_id, kind, id);

CREATE TABLE prevention_payments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES prevention_projects (id),
    region_code TEXT    NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    explanation TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'prepared' CHECK (state IN ('prepared', 'approved', 'returned')),
    note        TEXT    NOT NULL DEFAULT '',
    prepared_by TEXT    NOT NULL,
    prepared_at TIMESTAMP NOT NULL,
    approved_by TEXT    NOT NULL DEFAULT '',
    approved_at TIMESTAMP,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX prevention_payments_project ON prevention_payments (project_id, id);
CREATE INDEX prevention_payments_region ON prevention_payments (region_code, id);

CREATE TABLE prevention_targets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT    NOT NULL,
    programme   TEXT    NOT NULL,
    year_from   INTEGER NOT NULL,
    year_to     INTEGER NOT NULL,
    target      INTEGER NOT NULL CHECK (target > 0),
    source_doc  TEXT    NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL,
    CHECK (year_to >= year_from)
);
CREATE INDEX prevention_targets_region ON prevention_targets (region_code, programme);
