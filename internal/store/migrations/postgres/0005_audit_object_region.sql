-- 0005: each audit entry records the region of the object it changed, so a
-- county sees the changes made to its objects by city staff too. The
-- column enters the entry's hash.
ALTER TABLE audit_log ADD COLUMN object_region TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_object_region ON audit_log (object_region, seq);
