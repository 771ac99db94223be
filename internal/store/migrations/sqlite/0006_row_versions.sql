-- 0006: a version per changeable row. Every read-modify-write checks the
-- version it read in its UPDATE (… WHERE id = $1 AND version = $2) and
-- bumps it, so a concurrent change is never silently overwritten: the
-- loser re-reads and re-applies its patch, or answers 409 when the caller
-- named the version it had seen.
ALTER TABLE employers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE workers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
