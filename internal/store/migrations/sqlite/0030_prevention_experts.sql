-- 0030: the prevention expert pool's courseware and status history
-- (issue 12, 《济宁市工伤预防培训专家库名单》). An expert's courseware is
-- uploaded per topic in numbered revisions (the file in the file store by
-- SHA-256) and reviewed by the city (课件统一论证): at most one approved
-- revision per expert and topic, an approval supersedes the earlier ones.
-- Every status change of an expert (active, suspended, removed) is kept
-- with its reason. Both are the pool's, the city's region.
CREATE TABLE prevention_courseware (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    expert_id    INTEGER NOT NULL REFERENCES prevention_experts (id),
    region_code  TEXT    NOT NULL,
    topic        TEXT    NOT NULL,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    sha256       TEXT    NOT NULL,
    file_name    TEXT    NOT NULL DEFAULT '',
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    state        TEXT    NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'approved', 'rejected', 'superseded')),
    review_note  TEXT    NOT NULL DEFAULT '',
    reviewed_by  TEXT    NOT NULL DEFAULT '',
    reviewed_at  TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (expert_id, topic, revision)
);
CREATE UNIQUE INDEX prevention_courseware_approved ON prevention_courseware (expert_id, topic) WHERE state = 'approved';

CREATE TABLE prevention_expert_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    expert_id   INTEGER NOT NULL REFERENCES prevention_experts (id),
    region_code TEXT    NOT NULL,
    from_status TEXT    NOT NULL DEFAULT '',
    to_status   TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL
);
CREATE INDEX prevention_expert_events_expert ON prevention_expert_events (expert_id, id);
CREATE INDEX prevention_sessions_expert ON prevention_sessions (expert_id, held_on);
