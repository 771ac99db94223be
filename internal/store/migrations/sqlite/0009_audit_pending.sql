-- 0009: changes append their audit entries to audit_pending, a table with
-- no index but its rowid, and the sealer moves them into audit_log sealed,
-- in one transaction with the head: audit_log becomes insert-only and an
-- append enters none of its indexes. An append takes the id after the
-- highest in either table (see appendSQL), so an id is not reused once the
-- sealer has emptied the table; AUTOINCREMENT would do the same at the
-- cost of a second page (sqlite_sequence) written by every commit.
-- Entries not yet sealed move here with their ids.
CREATE TABLE audit_pending (
    id            INTEGER PRIMARY KEY,
    at            TEXT    NOT NULL,
    actor_kind    TEXT    NOT NULL,
    actor_id      INTEGER NOT NULL,
    actor         TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    region        TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    object_type   TEXT    NOT NULL,
    object_id     TEXT    NOT NULL,
    object_region TEXT    NOT NULL,
    before_json   TEXT    NOT NULL,
    after_json    TEXT    NOT NULL
);
INSERT INTO audit_pending (id, at, actor_kind, actor_id, actor, role, region, action, object_type, object_id,
    object_region, before_json, after_json)
SELECT id, at, actor_kind, actor_id, actor, role, region, action, object_type, object_id,
    object_region, before_json, after_json FROM audit_log WHERE seq IS NULL ORDER BY id;
DELETE FROM audit_log WHERE seq IS NULL;
