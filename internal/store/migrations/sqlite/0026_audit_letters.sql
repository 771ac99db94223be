-- 0026: field-audit letters as issued documents. A 反馈意见书 or
-- 结论通知书 is issued once for the findings of a visit it covers, numbered
-- from letter_numbers (per region, kind and year), its content fixed in
-- the issuing transaction (sealed: descriptions may name persons) and
-- printed from it on every download, so the same letter gives the same
-- bytes. The region is the visit's county.
CREATE TABLE audit_letters (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    visit_id    INTEGER NOT NULL REFERENCES audit_visits (id),
    campaign_id INTEGER NOT NULL REFERENCES audit_campaigns (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('feedback', 'notice')),
    number      TEXT    NOT NULL UNIQUE,
    issued_on   TEXT    NOT NULL,
    finding_ids TEXT    NOT NULL DEFAULT '[]',
    content     TEXT    NOT NULL,
    region_code TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL
);
CREATE INDEX audit_letters_visit ON audit_letters (visit_id, id);
