-- 0022: field audits (稽核, fund-audit.md §5). The pool of inspectors
-- (agency staff and medical experts) with their county and former
-- employers for recusal; a campaign plans a visit to every institution of
-- a scan's ranking (拉网式) with its tier, depth and random slice, draws
-- teams by lot, and records findings per issue through feedback,
-- collective review, notification and rectification; recoveries bring the
-- amounts back (refund or offset), sanctions climb the agreement ladder.
-- The region of a visit or a finding is the institution's county (scope);
-- a campaign's is its planner's.
CREATE TABLE audit_inspectors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    region_code TEXT    NOT NULL,
    specialty   TEXT    NOT NULL,
    former      TEXT    NOT NULL DEFAULT '[]',
    officer     BOOLEAN NOT NULL DEFAULT FALSE,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE audit_campaigns (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    year         INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    scan_id      INTEGER NOT NULL REFERENCES audit_scans (id),
    region_code  TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('planned', 'drawn', 'on_site', 'closed')),
    seed         INTEGER NOT NULL,
    high_share   REAL    NOT NULL,
    medium_share REAL    NOT NULL,
    random_share REAL    NOT NULL,
    teams        INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE audit_campaign_teams (
    campaign_id INTEGER NOT NULL REFERENCES audit_campaigns (id),
    no          INTEGER NOT NULL,
    members     TEXT    NOT NULL DEFAULT '[]',
    PRIMARY KEY (campaign_id, no)
);

CREATE TABLE audit_visits (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id    INTEGER NOT NULL REFERENCES audit_campaigns (id),
    fixmedins_code TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    tier           TEXT    NOT NULL CHECK (tier IN ('high', 'medium', 'low')),
    score          REAL    NOT NULL,
    depth          TEXT    NOT NULL CHECK (depth IN ('full', 'light')),
    random         BOOLEAN NOT NULL DEFAULT FALSE,
    team           INTEGER NOT NULL DEFAULT 0,
    state          TEXT    NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'visited', 'closed')),
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, fixmedins_code)
);

CREATE TABLE audit_field_findings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id    INTEGER NOT NULL REFERENCES audit_campaigns (id),
    visit_id       INTEGER NOT NULL REFERENCES audit_visits (id),
    fixmedins_code TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    finding_type   TEXT    NOT NULL,
    tier           TEXT    NOT NULL CHECK (tier IN ('violation', 'fraud', 'management')),
    lead_ids       TEXT    NOT NULL DEFAULT '[]',
    lines          TEXT    NOT NULL DEFAULT '[]',
    amount_fen     INTEGER NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    state          TEXT    NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'fed_back', 'replied', 'confirmed', 'dismissed', 'notified', 'rectifying', 'closed')),
    reply_due      TEXT    NOT NULL DEFAULT '',
    reply          TEXT    NOT NULL DEFAULT '',
    review_note    TEXT    NOT NULL DEFAULT '',
    rectify_due    TEXT    NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX audit_field_findings_campaign ON audit_field_findings (campaign_id, visit_id, id);
CREATE INDEX audit_field_findings_institution ON audit_field_findings (fixmedins_code, state);

CREATE TABLE audit_recoveries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id    INTEGER NOT NULL REFERENCES audit_field_findings (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('refund', 'offset')),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    recovered_fen INTEGER NOT NULL DEFAULT 0,
    state         TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX audit_recoveries_finding ON audit_recoveries (finding_id, id);

CREATE TABLE audit_sanctions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    fixmedins_code TEXT    NOT NULL,
    campaign_id    INTEGER REFERENCES audit_campaigns (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('talk', 'rectify', 'withhold', 'suspend', 'terminate')),
    reason         TEXT    NOT NULL,
    decided_at     TIMESTAMP NOT NULL,
    decided_by     TEXT    NOT NULL
);
CREATE INDEX audit_sanctions_institution ON audit_sanctions (fixmedins_code, decided_at);
