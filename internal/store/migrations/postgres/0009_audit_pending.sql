-- 0009: changes append their audit entries to audit_pending, a table with
-- no index but its key, and the sealer moves them into audit_log sealed,
-- in one statement and one transaction with the head: audit_log becomes
-- insert-only (no more update of every row, which re-entered all its
-- indexes) and an append enters none of its indexes. Insertion ids come
-- from the log's own sequence, so an entry keeps its id when sealed.
-- Entries not yet sealed move here with their ids; the log's pending index
-- goes.
CREATE TABLE audit_pending (
    id            BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id_seq'),
    at            TEXT   NOT NULL,
    actor_kind    TEXT   NOT NULL,
    actor_id      BIGINT NOT NULL,
    actor         TEXT   NOT NULL,
    role          TEXT   NOT NULL,
    region        TEXT   NOT NULL,
    action        TEXT   NOT NULL,
    object_type   TEXT   NOT NULL,
    object_id     TEXT   NOT NULL,
    object_region TEXT   NOT NULL,
    before_json   TEXT   NOT NULL,
    after_json    TEXT   NOT NULL
);
INSERT INTO audit_pending (id, at, actor_kind, actor_id, actor, role, region, action, object_type, object_id,
    object_region, before_json, after_json)
SELECT id, at, actor_kind, actor_id, actor, role, region, action, object_type, object_id,
    object_region, before_json, after_json FROM audit_log WHERE seq IS NULL;
DELETE FROM audit_log WHERE seq IS NULL;
DROP INDEX audit_log_pending;
