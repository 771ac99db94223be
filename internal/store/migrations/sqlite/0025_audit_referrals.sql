-- 0025: referrals (移送) of confirmed field findings to the police, the
-- penalty department, the health authority or the discipline body, with
-- the transfer letter's number and day; one referral per finding and body.
-- The region is the finding's (the institution's county).
CREATE TABLE audit_referrals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id  INTEGER NOT NULL REFERENCES audit_field_findings (id),
    body        TEXT    NOT NULL CHECK (body IN ('police', 'discipline', 'health', 'penalty')),
    doc_no      TEXT    NOT NULL,
    referred_on TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    region_code TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL,
    UNIQUE (finding_id, body)
);
