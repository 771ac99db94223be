-- 0021: reviewing screening leads. A lead (a finding of a scan) is
-- confirmed or dismissed by an auditor with a reason, once, under its
-- version; the region is the institution's county (scope), from the
-- extract's institutions.
ALTER TABLE audit_findings ADD COLUMN region_code TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_findings ADD COLUMN review TEXT NOT NULL DEFAULT 'new' CHECK (review IN ('new', 'confirmed', 'dismissed'));
ALTER TABLE audit_findings ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_findings ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_findings ADD COLUMN reviewed_at TIMESTAMPTZ;
ALTER TABLE audit_findings ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE INDEX audit_findings_region ON audit_findings (scan_id, region_code, seq);
ALTER TABLE audit_scans ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_scans ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_scans ADD COLUMN own_year INTEGER NOT NULL DEFAULT 0;
