-- 0024: personal points of clinicians (记分, fund-audit.md §5.6) and the
-- institutions' credit rating history (§5.7). A points row is one
-- clinician's points for one audit finding (one row per finding ×
-- clinician), by the finding's tier and the clinician's degree of
-- responsibility; a dismissed finding revokes its rows. A rating row is
-- kept whenever an institution's grade or points change, with the finding
-- or the sanction whose decision caused the recomputation. The region is
-- the institution's county (scope).
CREATE TABLE audit_clinician_points (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id     INTEGER NOT NULL REFERENCES audit_field_findings (id),
    prac_code      TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    fixmedins_code TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    tier           TEXT    NOT NULL CHECK (tier IN ('violation', 'fraud', 'management')),
    responsibility INTEGER NOT NULL CHECK (responsibility BETWEEN 1 AND 3),
    points         INTEGER NOT NULL CHECK (points > 0),
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT    NOT NULL,
    revoked        BOOLEAN NOT NULL DEFAULT FALSE,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (finding_id, prac_code)
);
CREATE INDEX audit_clinician_points_prac ON audit_clinician_points (prac_code, created_at);
CREATE INDEX audit_clinician_points_region ON audit_clinician_points (region_code, prac_code);

CREATE TABLE institution_ratings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    fixmedins_code TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    grade          TEXT    NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'E')),
    points         REAL    NOT NULL,
    reason         TEXT    NOT NULL,
    computed_at    TIMESTAMP NOT NULL,
    finding_id     INTEGER REFERENCES audit_field_findings (id),
    sanction_id    INTEGER REFERENCES audit_sanctions (id)
);
CREATE INDEX institution_ratings_institution ON institution_ratings (fixmedins_code, id);
