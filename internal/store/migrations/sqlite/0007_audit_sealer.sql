-- 0007: changes append their audit entries unsealed (seq, prev_hash and
-- hash NULL) under an insertion id, touching no shared row; one sealer
-- gives them consecutive seq and keyed hashes afterwards. Each entry keeps
-- the hash version it was sealed with (1: plain SHA-256, as before; 2:
-- HMAC-SHA256 under the audit key, with the actor's kind) and the actor's
-- kind. The head gains a MAC under the same key. The seq index is
-- partial, so an append does not enter it; the sealer finds pending
-- entries as the ids after the last sealed one (one writer commits them in
-- id order). SQLite cannot change a primary key in place, so the table is
-- rebuilt; old rows keep id = seq.
CREATE TABLE audit_log_new (
    id            INTEGER PRIMARY KEY,
    seq           INTEGER,
    hash_version  INTEGER NOT NULL DEFAULT 1,
    at            TEXT    NOT NULL,
    actor_kind    TEXT    NOT NULL DEFAULT '',
    actor_id      INTEGER NOT NULL,
    actor         TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    region        TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    object_type   TEXT    NOT NULL,
    object_id     TEXT    NOT NULL,
    object_region TEXT    NOT NULL DEFAULT '',
    before_json   TEXT    NOT NULL,
    after_json    TEXT    NOT NULL,
    prev_hash     TEXT,
    hash          TEXT,
    CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL))
);
INSERT INTO audit_log_new (id, seq, hash_version, at, actor_id, actor, role, region, action, object_type,
    object_id, object_region, before_json, after_json, prev_hash, hash)
SELECT seq, seq, 1, at, actor_id, actor, role, region, action, object_type,
    object_id, object_region, before_json, after_json, prev_hash, hash FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_object_region ON audit_log (object_region, id);
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq) WHERE seq IS NOT NULL;
ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';
