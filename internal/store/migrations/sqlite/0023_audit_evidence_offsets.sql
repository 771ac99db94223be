-- 0023: on-site evidence of field audits, and recoveries offset in the
-- monthly clearing (fund-audit.md §5.5 steps 3 and 9). Evidence is a note
-- or a file (photo or document, its bytes in the file store by SHA-256)
-- on a visit, optionally tied to one of its findings; its region is the
-- visit's county. An offset recovery is deducted from the institution's
-- next statements: each deduction is a row of audit_recovery_offsets, the
-- statement carries the sum in offset_fen (what the fund pays is
-- fund_pay - offset_fen).
CREATE TABLE audit_evidence (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  INTEGER NOT NULL REFERENCES audit_campaigns (id),
    visit_id     INTEGER NOT NULL REFERENCES audit_visits (id),
    finding_id   INTEGER REFERENCES audit_field_findings (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('note', 'photo', 'document')),
    title        TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    sha256       TEXT    NOT NULL DEFAULT '',
    content_type TEXT    NOT NULL DEFAULT '',
    size         INTEGER NOT NULL DEFAULT 0,
    file_name    TEXT    NOT NULL DEFAULT '',
    region_code  TEXT    NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL
);
CREATE INDEX audit_evidence_visit ON audit_evidence (visit_id, id);

ALTER TABLE clearing_statements ADD COLUMN offset_fen INTEGER NOT NULL DEFAULT 0;

CREATE TABLE audit_recovery_offsets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    recovery_id  INTEGER NOT NULL REFERENCES audit_recoveries (id),
    statement_id INTEGER NOT NULL REFERENCES clearing_statements (id),
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (recovery_id, statement_id)
);
CREATE INDEX audit_recovery_offsets_statement ON audit_recovery_offsets (statement_id, id);
