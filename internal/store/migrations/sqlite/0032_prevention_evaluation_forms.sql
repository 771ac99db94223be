-- 0032: the organiser's evaluation form (培训评估表) a city uses, as
-- effective-dated versions: a session is scored on the form in force on
-- its day (the default form of prevention.DefaultChecklist before the
-- city's first version).
CREATE TABLE prevention_evaluation_forms (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT    NOT NULL,
    valid_from  TEXT    NOT NULL,
    items       TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL,
    UNIQUE (region_code, valid_from)
);
