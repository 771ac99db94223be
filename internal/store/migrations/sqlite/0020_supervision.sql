-- 0020: fund supervision (issue 11). A settlement extract is kept as the
-- files it came in (gzip'd, parsed again at scan time: the detectors work
-- over the extract in memory, not over tables). A scan of an extract, or
-- of gongshang's own settlements (extract_id NULL), keeps its findings
-- with their evidence and the institution ranking. An administrator's
-- settings of a rule (switched off, tuned values) are versioned by region
-- and the day they apply from. Extract and scan ids are never reused
-- (AUTOINCREMENT): a re-import deletes the old extract, and its id must not
-- come to name the new one.
CREATE TABLE audit_extracts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    source      TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    counts      TEXT    NOT NULL DEFAULT '{}',
    sha256      TEXT    NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    imported_by TEXT    NOT NULL,
    region_code TEXT    NOT NULL
);

CREATE TABLE audit_extract_files (
    extract_id INTEGER NOT NULL REFERENCES audit_extracts (id),
    name       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    gz         BLOB    NOT NULL,
    PRIMARY KEY (extract_id, name)
);

CREATE TABLE audit_scans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    extract_id  INTEGER REFERENCES audit_extracts (id),
    state       TEXT    NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    started_by  TEXT    NOT NULL,
    region_code TEXT    NOT NULL,
    encounters  INTEGER NOT NULL DEFAULT 0,
    lines       INTEGER NOT NULL DEFAULT 0,
    findings    INTEGER NOT NULL DEFAULT 0,
    amount_fen  INTEGER NOT NULL DEFAULT 0,
    ranking     TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_scans_extract ON audit_scans (extract_id, id);

CREATE TABLE audit_findings (
    id             INTEGER PRIMARY KEY,
    scan_id        INTEGER NOT NULL REFERENCES audit_scans (id),
    seq            INTEGER NOT NULL,
    rule_id        TEXT    NOT NULL,
    rule_version   INTEGER NOT NULL,
    category       TEXT    NOT NULL,
    severity       TEXT    NOT NULL CHECK (severity IN ('definite', 'suspicious')),
    mdtrt_id       TEXT    NOT NULL,
    fixmedins_code TEXT    NOT NULL,
    amount_fen     INTEGER NOT NULL,
    score          REAL    NOT NULL,
    reason         TEXT    NOT NULL DEFAULT '',
    lines          TEXT    NOT NULL DEFAULT '[]',
    evidence       TEXT    NOT NULL DEFAULT '[]',
    params         TEXT    NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX audit_findings_scan ON audit_findings (scan_id, seq);
CREATE INDEX audit_findings_institution ON audit_findings (scan_id, fixmedins_code, seq);
CREATE INDEX audit_findings_category ON audit_findings (scan_id, category, seq);

CREATE TABLE audit_rule_settings (
    id         INTEGER PRIMARY KEY,
    rule_id    TEXT    NOT NULL,
    region     TEXT    NOT NULL,
    valid_from TEXT    NOT NULL,
    enabled    BOOLEAN NOT NULL DEFAULT TRUE,
    "values"   TEXT    NOT NULL DEFAULT '{}',
    version    INTEGER NOT NULL DEFAULT 1,
    changed_at TIMESTAMP NOT NULL,
    changed_by TEXT    NOT NULL,
    UNIQUE (rule_id, region, valid_from)
);
