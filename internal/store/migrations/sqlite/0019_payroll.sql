-- 0019: the monthly benefit payroll (issue 10). Entitlements may also come
-- from the previous system (存量待遇, source 'legacy': no case or decision
-- here); they gain what the monthly checks read without a join: the
-- disability level, the dependant they are paid to, the bank (code and
-- whether the account passed its check), the last 资格认证, a watch flag
-- (an event, a hold, a debt or arrears: the checks look at it every
-- month), the dependant's birth date and incapacity, and since when
-- amount_fen holds (amount_from; '' = since the start): the snapshot
-- reads the amount history only for an entitlement whose latest amount
-- starts after the month. Cycles, lines,
-- bank files, events, adjustments, arrears, recoveries and notices follow.
CREATE TABLE dependants (
    id            INTEGER PRIMARY KEY,
    worker_id     INTEGER NOT NULL REFERENCES workers (id),
    case_id       INTEGER REFERENCES cases (id),
    region_code   TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    relation      TEXT    NOT NULL,
    birth_date    TEXT    NOT NULL,
    incapacitated BOOLEAN NOT NULL DEFAULT FALSE,
    id_hash       BLOB,
    id_enc        BLOB,
    id_masked     TEXT    NOT NULL DEFAULT '',
    guardian_name TEXT    NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dependants_worker ON dependants (worker_id);


CREATE TABLE entitlements_new (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER REFERENCES cases (id),
    decision_id     INTEGER REFERENCES case_services (id),
    worker_id       INTEGER NOT NULL REFERENCES workers (id),
    region_code     TEXT    NOT NULL,
    type            TEXT    NOT NULL,
    payer           TEXT    NOT NULL,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
    start_date      TEXT    NOT NULL,
    end_date        TEXT,
    stop_conditions TEXT    NOT NULL DEFAULT '[]',
    payee_kind      TEXT    NOT NULL,
    payee_name      TEXT    NOT NULL,
    payee_id_hash   BLOB,
    payee_id_masked TEXT    NOT NULL DEFAULT '',
    bank_name       TEXT    NOT NULL DEFAULT '',
    bank_enc        BLOB,
    bank_masked     TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'active',
    status_reason   TEXT    NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    source          TEXT    NOT NULL DEFAULT 'decision',
    level           INTEGER NOT NULL DEFAULT 0,
    care            TEXT    NOT NULL DEFAULT '',
    amount_from     TEXT    NOT NULL DEFAULT '',
    dependant_id    INTEGER REFERENCES dependants (id),
    guardian_name   TEXT    NOT NULL DEFAULT '',
    bank_code       TEXT    NOT NULL DEFAULT '',
    bank_valid      BOOLEAN NOT NULL DEFAULT FALSE,
    certified_on    TEXT,
    watch           BOOLEAN NOT NULL DEFAULT FALSE,
    held            BOOLEAN NOT NULL DEFAULT FALSE,
    payee_birth     TEXT,
    payee_incapacitated BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (decision_id, type, payee_name)
);
INSERT INTO entitlements_new (id, case_id, decision_id, worker_id, region_code, type, payer, amount_fen, start_date, end_date,
    stop_conditions, payee_kind, payee_name, payee_id_hash, payee_id_masked, bank_name, bank_enc, bank_masked, status,
    status_reason, created_at, updated_at, version)
SELECT id, case_id, decision_id, worker_id, region_code, type, payer, amount_fen, start_date, end_date,
    stop_conditions, payee_kind, payee_name, payee_id_hash, payee_id_masked, bank_name, bank_enc, bank_masked, status,
    status_reason, created_at, updated_at, version FROM entitlements;
CREATE TABLE entitlement_amounts_new (
    id             INTEGER PRIMARY KEY,
    entitlement_id INTEGER NOT NULL REFERENCES entitlements_new (id),
    effective_from TEXT    NOT NULL,
    amount_fen     INTEGER NOT NULL CHECK (amount_fen >= 0),
    reason         TEXT    NOT NULL,
    created_by     INTEGER,
    created_at     TIMESTAMP NOT NULL
);
INSERT INTO entitlement_amounts_new SELECT id, entitlement_id, effective_from, amount_fen, reason, created_by, created_at FROM entitlement_amounts;
DROP TABLE entitlement_amounts;
DROP TABLE entitlements;
-- Renaming the parent rewrites the child's reference to it.
ALTER TABLE entitlements_new RENAME TO entitlements;
ALTER TABLE entitlement_amounts_new RENAME TO entitlement_amounts;
CREATE INDEX entitlements_region ON entitlements (region_code, status, id);
CREATE INDEX entitlements_worker ON entitlements (worker_id);
CREATE INDEX entitlement_amounts_ent ON entitlement_amounts (entitlement_id, effective_from);
CREATE INDEX entitlements_dependant ON entitlements (dependant_id) WHERE dependant_id IS NOT NULL;

-- Facts about a payee the checks read: 资格认证, death, retirement,
-- prison (until release), remarriage, employment, adoption.
CREATE TABLE payroll_events (
    id           INTEGER PRIMARY KEY,
    region_code  TEXT    NOT NULL,
    worker_id    INTEGER NOT NULL REFERENCES workers (id),
    dependant_id INTEGER REFERENCES dependants (id),
    kind         TEXT    NOT NULL,
    on_date      TEXT    NOT NULL,
    until_date   TEXT,
    note         TEXT    NOT NULL DEFAULT '',
    created_by   INTEGER,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX payroll_events_worker ON payroll_events (worker_id, dependant_id);

CREATE TABLE payroll_cycles (
    id               INTEGER PRIMARY KEY,
    region_code      TEXT    NOT NULL,
    month            TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    cursor           INTEGER NOT NULL DEFAULT 0,
    due_date         TEXT    NOT NULL,
    remind_date      TEXT    NOT NULL,
    line_count       INTEGER NOT NULL DEFAULT 0,
    payable_count    INTEGER NOT NULL DEFAULT 0,
    payable_fen      INTEGER NOT NULL DEFAULT 0,
    opened_at        TIMESTAMP NOT NULL,
    opened_by        INTEGER,
    checked_at       TIMESTAMP,
    submitted_by     INTEGER,
    submitted_at     TIMESTAMP,
    approved_by      INTEGER,
    approved_at      TIMESTAMP,
    sent_at          TIMESTAMP,
    closed_by        INTEGER,
    closed_at        TIMESTAMP,
    send_back_reason TEXT    NOT NULL DEFAULT '',
    reminded_at      TIMESTAMP,
    on_time          BOOLEAN,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (region_code, month)
);
CREATE INDEX payroll_cycles_month ON payroll_cycles (month, region_code);

-- Bank files: one per cycle, bank and sequence (1 = the month's file,
-- 2… = re-issues). The bytes are not kept: they are a function of the
-- frozen lines and the batch row, regenerated on every download and
-- checked against the recorded SHA-256.
CREATE TABLE payroll_batches (
    id           INTEGER PRIMARY KEY,
    cycle_id     INTEGER NOT NULL REFERENCES payroll_cycles (id),
    region_code  TEXT    NOT NULL,
    bank_code    TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    ref          TEXT    NOT NULL UNIQUE,
    line_count   INTEGER NOT NULL,
    total_fen    INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    created_on   TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    generated_by INTEGER,
    generated_at TIMESTAMP NOT NULL,
    sent_by      INTEGER,
    sent_at      TIMESTAMP,
    returned_at  TIMESTAMP,
    paid_count   INTEGER NOT NULL DEFAULT 0,
    failed_count INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (cycle_id, bank_code, seq)
);

-- A cycle writes a line per entitlement: its hot columns (cycle_id,
-- entitlement_id) carry no foreign key — only the snapshot writes them,
-- from rows it has just read under the cycle's lock, and neither cycles
-- nor entitlements are ever deleted; PostgreSQL's per-row check of two
-- keys cost as much as the insert itself (bench payroll).
CREATE TABLE payroll_lines (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL,
    region_code    TEXT    NOT NULL,
    month          TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    entitlement_id INTEGER,
    payable_id     INTEGER REFERENCES payable_items (id),
    meal_id        INTEGER REFERENCES meal_allowances (id),
    worker_id      INTEGER NOT NULL,
    type           TEXT    NOT NULL,
    payee_name     TEXT    NOT NULL,
    gross_fen      INTEGER NOT NULL,
    deduction_fen  INTEGER NOT NULL DEFAULT 0,
    state          TEXT    NOT NULL,
    reason         TEXT    NOT NULL DEFAULT '',
    bank_code      TEXT    NOT NULL DEFAULT '',
    bank_enc       BLOB,
    bank_masked    TEXT    NOT NULL DEFAULT '',
    batch_seq      INTEGER NOT NULL DEFAULT 1,
    for_months     TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT '',
    replaces_id    INTEGER,
    repaid_by      INTEGER,
    return_code    TEXT    NOT NULL DEFAULT '',
    return_reason  TEXT    NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
-- Exactly one regular line per entitlement and month, whatever crashes
-- and retries happen; one line per one-off item; one arrears line per
-- entitlement and cycle. One-off lines pay a benefit decision's payable
-- item or a stay's hospital meal allowance (meal_id).
CREATE UNIQUE INDEX payroll_lines_regular ON payroll_lines (entitlement_id, month) WHERE kind = 'regular';
CREATE UNIQUE INDEX payroll_lines_oneoff ON payroll_lines (payable_id) WHERE kind = 'oneoff';
CREATE UNIQUE INDEX payroll_lines_meal ON payroll_lines (meal_id) WHERE kind = 'oneoff';
CREATE UNIQUE INDEX payroll_lines_arrears ON payroll_lines (entitlement_id, cycle_id) WHERE kind = 'arrears';
CREATE UNIQUE INDEX payroll_lines_reissue ON payroll_lines (replaces_id) WHERE kind = 'reissue';
CREATE INDEX payroll_lines_cycle ON payroll_lines (cycle_id, state, id);
CREATE INDEX payroll_lines_bank ON payroll_lines (cycle_id, bank_code, batch_seq, id);
-- A worker's history: regular lines through his entitlements (the regular
-- index), the others (arrears, one-offs, re-issues: few) by worker.
CREATE INDEX payroll_lines_extra ON payroll_lines (worker_id, month) WHERE kind <> 'regular';
CREATE INDEX payroll_lines_owed ON payroll_lines (entitlement_id) WHERE state = 'suspended' AND repaid_by IS NULL;

-- Batch adjustments (调待), prepared by one officer and approved by another.
CREATE TABLE payroll_adjustments (
    id            INTEGER PRIMARY KEY,
    region_code   TEXT    NOT NULL,
    rule          TEXT    NOT NULL,
    state         TEXT    NOT NULL,
    affected      INTEGER NOT NULL DEFAULT 0,
    monthly_fen   INTEGER NOT NULL DEFAULT 0,
    arrears_fen   INTEGER NOT NULL DEFAULT 0,
    prepared_by   INTEGER,
    prepared_at   TIMESTAMP NOT NULL,
    approved_by   INTEGER,
    approved_at   TIMESTAMP,
    reject_reason TEXT    NOT NULL DEFAULT '',
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX payroll_adjustments_region ON payroll_adjustments (region_code, id);

-- Amounts owed for months already paid (an adjustment's arrears; negative:
-- an overpayment that became a recovery instead), paid by the next cycle.
CREATE TABLE payroll_arrears (
    id             INTEGER PRIMARY KEY,
    entitlement_id INTEGER NOT NULL REFERENCES entitlements (id),
    region_code    TEXT    NOT NULL,
    amount_fen     INTEGER NOT NULL,
    for_months     TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    adjustment_id  INTEGER REFERENCES payroll_adjustments (id),
    line_id        INTEGER,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX payroll_arrears_open ON payroll_arrears (entitlement_id) WHERE line_id IS NULL;

CREATE TABLE payroll_recoveries (
    id             INTEGER PRIMARY KEY,
    region_code    TEXT    NOT NULL,
    entitlement_id INTEGER REFERENCES entitlements (id),
    worker_id      INTEGER NOT NULL REFERENCES workers (id),
    reason         TEXT    NOT NULL,
    total_fen      INTEGER NOT NULL CHECK (total_fen > 0),
    recovered_fen  INTEGER NOT NULL DEFAULT 0,
    method         TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    created_by     INTEGER,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX payroll_recoveries_entitlement ON payroll_recoveries (entitlement_id, state);
CREATE INDEX payroll_recoveries_region ON payroll_recoveries (region_code, id);

CREATE TABLE payroll_deductions (
    id          INTEGER PRIMARY KEY,
    recovery_id INTEGER NOT NULL REFERENCES payroll_recoveries (id),
    line_id     INTEGER NOT NULL UNIQUE REFERENCES payroll_lines (id),
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0)
);

-- What each payment, adjustment, stop and recovery tells the beneficiary;
-- a later issue delivers them (SMS, the app).
CREATE TABLE payroll_notices (
    id             INTEGER PRIMARY KEY,
    region_code    TEXT    NOT NULL,
    worker_id      INTEGER NOT NULL,
    entitlement_id INTEGER,
    line_id        INTEGER,
    kind           TEXT    NOT NULL,
    month          TEXT    NOT NULL,
    text           TEXT    NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    delivered_at   TIMESTAMP
);
CREATE INDEX payroll_notices_worker ON payroll_notices (worker_id, id);
CREATE UNIQUE INDEX payroll_notices_line ON payroll_notices (line_id, kind) WHERE line_id IS NOT NULL;
