-- 0029: the review of the counties' prevention plans (issue 12). Every
-- step of a plan — each submission, return, approval and approved change —
-- keeps the plan as it then stood (snapshot), with the city's comments and
-- the lines it cut; an approved plan changes only through a change request
-- the city approves or rejects (one pending at a time per plan).
CREATE TABLE prevention_plan_reviews (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES prevention_plans (id),
    region_code   TEXT    NOT NULL,
    revision      INTEGER NOT NULL,
    action        TEXT    NOT NULL CHECK (action IN ('submit', 'return', 'approve', 'change')),
    note          TEXT    NOT NULL DEFAULT '',
    cuts          TEXT    NOT NULL DEFAULT '[]',
    snapshot      TEXT    NOT NULL,
    requested_fen INTEGER NOT NULL,
    approved_fen  INTEGER NOT NULL,
    by_user       TEXT    NOT NULL,
    by_role       TEXT    NOT NULL,
    at            TIMESTAMP NOT NULL
);
CREATE INDEX prevention_plan_reviews_plan ON prevention_plan_reviews (plan_id, id);

CREATE TABLE prevention_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES prevention_plans (id),
    region_code   TEXT    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    reason        TEXT    NOT NULL,
    ops           TEXT    NOT NULL,
    delta_fen     INTEGER NOT NULL DEFAULT 0,
    requested_by  TEXT    NOT NULL,
    requested_at  TIMESTAMP NOT NULL,
    decided_by    TEXT    NOT NULL DEFAULT '',
    decided_at    TIMESTAMP,
    decision_note TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX prevention_changes_plan ON prevention_changes (plan_id, id);
CREATE UNIQUE INDEX prevention_changes_pending ON prevention_changes (plan_id) WHERE state = 'pending';
