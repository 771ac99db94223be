-- 0027: a visit keeps the institution's name as the scan's extract gave
-- it, for institutions the register does not hold (a neighbouring city's
-- extract, an institution whose agreement ended); the register's name
-- wins where there is one.
ALTER TABLE audit_visits ADD COLUMN name TEXT NOT NULL DEFAULT '';
