-- 0033: the acceptance (验收) of a publicity project (短视频, 户外大屏, 微信
-- 推送, 宣传品): what was delivered, checked by the city, after which the
-- project is paid its approved amount (a training project is paid by its
-- evaluated, recorded sessions instead). One acceptance per project.
CREATE TABLE prevention_acceptances (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   INTEGER NOT NULL UNIQUE REFERENCES prevention_projects (id),
    region_code  TEXT    NOT NULL,
    deliverables TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    accepted_at  TIMESTAMP NOT NULL,
    accepted_by  TEXT    NOT NULL
);
