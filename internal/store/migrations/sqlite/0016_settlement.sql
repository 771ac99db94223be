-- 0016: direct settlement with designated institutions (his-interface.md).
-- The register of institutions with their interface credentials (the
-- token sealed with the data key: the signature check needs it in clear,
-- so it cannot be a one-way hash); the work-injury catalogues and bundling
-- pairs as effective-dated rows; remote-treatment filings; encounters,
-- their fee lines with the pricing result, settlements and cancellations,
-- the rules' findings with their review; the hospital meal allowance as a
-- one-off benefit; every envelope in and out (the msgid replay key and the
-- raw archive); used nonces; monthly clearing statements.
CREATE TABLE institutions (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    region_code    TEXT    NOT NULL REFERENCES regions (code),
    type           TEXT    NOT NULL CHECK (type IN ('medical', 'rehab', 'device')),
    level          INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
    beds           INTEGER NOT NULL DEFAULT 0,
    depts          TEXT    NOT NULL DEFAULT '[]',
    equipment      TEXT    NOT NULL DEFAULT '[]',
    agreement_from TEXT    NOT NULL,
    agreement_to   TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
    status_reason  TEXT    NOT NULL DEFAULT '',
    address        TEXT    NOT NULL DEFAULT '',
    contact        TEXT    NOT NULL DEFAULT '',
    paasid         TEXT UNIQUE,
    token_enc      BLOB,
    token_set_at   TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        BIGINT  NOT NULL DEFAULT 1
);
CREATE INDEX institutions_region ON institutions (region_code, id);

CREATE TABLE catalogue_entries (
    id           INTEGER PRIMARY KEY,
    region       TEXT    NOT NULL,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    category     TEXT    NOT NULL,
    spec         TEXT    NOT NULL DEFAULT '',
    unit         TEXT    NOT NULL DEFAULT '',
    price1       BIGINT  NOT NULL DEFAULT 0,
    price2       BIGINT  NOT NULL DEFAULT 0,
    price3       BIGINT  NOT NULL DEFAULT 0,
    covered      INTEGER NOT NULL,
    valid_from   TEXT    NOT NULL,
    valid_to     TEXT    NOT NULL DEFAULT '',
    per_day      INTEGER NOT NULL DEFAULT 0,
    per_stay     INTEGER NOT NULL DEFAULT 0,
    min_interval INTEGER NOT NULL DEFAULT 0,
    device_limit BIGINT  NOT NULL DEFAULT 0,
    life_months  INTEGER NOT NULL DEFAULT 0,
    note         TEXT    NOT NULL DEFAULT '',
    UNIQUE (region, code, valid_from)
);
CREATE INDEX catalogue_entries_list ON catalogue_entries (category, code, id);

CREATE TABLE catalogue_bundles (
    id         INTEGER PRIMARY KEY,
    region     TEXT    NOT NULL,
    code1      TEXT NOT NULL,
    code2      TEXT NOT NULL,
    indicator  INTEGER NOT NULL CHECK (indicator IN (0, 1)),
    valid_from TEXT    NOT NULL,
    valid_to   TEXT    NOT NULL DEFAULT '',
    rationale  TEXT    NOT NULL DEFAULT '',
    UNIQUE (region, code1, code2, valid_from)
);

CREATE TABLE filings (
    id           INTEGER PRIMARY KEY,
    worker_id    BIGINT  NOT NULL REFERENCES workers (id),
    case_id      BIGINT  NOT NULL REFERENCES cases (id),
    region_code  TEXT    NOT NULL REFERENCES regions (code),
    kind         TEXT    NOT NULL CHECK (kind IN ('residence', 'posted', 'referral')),
    treat_region TEXT    NOT NULL,
    institution  TEXT    NOT NULL DEFAULT '',
    reason       TEXT    NOT NULL,
    address      TEXT    NOT NULL DEFAULT '',
    valid_from   TEXT    NOT NULL,
    valid_to     TEXT    NOT NULL,
    filed_on     TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('active', 'cancelled', 'used')),
    channel      TEXT    NOT NULL,
    created_by   BIGINT  NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      BIGINT  NOT NULL DEFAULT 1
);
CREATE INDEX filings_worker ON filings (worker_id, state, valid_to);
CREATE INDEX filings_region ON filings (region_code, id);

CREATE TABLE encounters (
    id             INTEGER PRIMARY KEY,
    institution_id BIGINT  NOT NULL REFERENCES institutions (id),
    worker_id      BIGINT  NOT NULL REFERENCES workers (id),
    region_code    TEXT    NOT NULL,
    worker_region  TEXT    NOT NULL,
    treat_region   TEXT    NOT NULL,
    insured_region TEXT    NOT NULL,
    remote         INTEGER NOT NULL,
    filing_id      BIGINT  REFERENCES filings (id),
    case_id        BIGINT  REFERENCES cases (id),
    payable        INTEGER NOT NULL DEFAULT 0,
    med_type       TEXT    NOT NULL,
    begin_at       TIMESTAMP NOT NULL,
    end_at         TIMESTAMP,
    ipt_no         TEXT    NOT NULL DEFAULT '',
    dept           TEXT    NOT NULL DEFAULT '',
    bed            TEXT    NOT NULL DEFAULT '',
    doctor         TEXT    NOT NULL DEFAULT '',
    diag_code      TEXT    NOT NULL DEFAULT '',
    diag_name      TEXT    NOT NULL DEFAULT '',
    diseases       TEXT    NOT NULL DEFAULT '[]',
    dscg_way       TEXT    NOT NULL DEFAULT '',
    state          TEXT    NOT NULL CHECK (state IN ('open', 'discharged', 'settled', 'cancelled')),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        BIGINT  NOT NULL DEFAULT 1
);
CREATE INDEX encounters_institution ON encounters (institution_id, id);
CREATE INDEX encounters_region ON encounters (region_code, id);
CREATE INDEX encounters_worker_region ON encounters (worker_region, id);
CREATE INDEX encounters_worker ON encounters (worker_id, state);
CREATE UNIQUE INDEX encounters_one_open ON encounters (institution_id, worker_id, med_type) WHERE state IN ('open', 'discharged');

CREATE TABLE fee_lines (
    id            INTEGER PRIMARY KEY,
    encounter_id  BIGINT  NOT NULL REFERENCES encounters (id),
    sn            TEXT NOT NULL,
    fee_time      TIMESTAMP NOT NULL,
    code          TEXT    NOT NULL,
    hosp_code     TEXT    NOT NULL DEFAULT '',
    name          TEXT    NOT NULL DEFAULT '',
    category      TEXT    NOT NULL DEFAULT '',
    qty           BIGINT  NOT NULL,
    price         BIGINT  NOT NULL,
    amount        BIGINT  NOT NULL,
    ceiling       BIGINT  NOT NULL DEFAULT 0,
    own_pay       BIGINT  NOT NULL DEFAULT 0,
    over_limit    BIGINT  NOT NULL DEFAULT 0,
    in_scope      BIGINT  NOT NULL DEFAULT 0,
    payable       BIGINT  NOT NULL DEFAULT 0,
    memo          TEXT    NOT NULL DEFAULT '',
    dept          TEXT    NOT NULL DEFAULT '',
    doctor        TEXT    NOT NULL DEFAULT '',
    state         TEXT    NOT NULL CHECK (state IN ('uploaded', 'settled', 'cancelled')),
    settlement_id BIGINT
);
CREATE UNIQUE INDEX fee_lines_sn ON fee_lines (encounter_id, sn) WHERE state <> 'cancelled';
CREATE INDEX fee_lines_settlement ON fee_lines (settlement_id) WHERE settlement_id IS NOT NULL;

CREATE TABLE settlements (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('settle', 'cancel')),
    of_id          BIGINT  REFERENCES settlements (id),
    encounter_id   BIGINT  NOT NULL REFERENCES encounters (id),
    institution_id BIGINT  NOT NULL REFERENCES institutions (id),
    worker_id      BIGINT  NOT NULL,
    region_code    TEXT    NOT NULL,
    worker_region  TEXT    NOT NULL,
    treat_region   TEXT    NOT NULL,
    insured_region TEXT    NOT NULL,
    remote         INTEGER NOT NULL,
    med_type       TEXT    NOT NULL,
    medfee         BIGINT  NOT NULL,
    own_pay        BIGINT  NOT NULL,
    over_limit     BIGINT  NOT NULL,
    in_scope       BIGINT  NOT NULL,
    fund_pay       BIGINT  NOT NULL,
    cash_pay       BIGINT  NOT NULL,
    definite       BIGINT  NOT NULL,
    flagged        BIGINT  NOT NULL,
    setl_time      TIMESTAMP NOT NULL,
    setl_day       TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('valid', 'cancelled', 'reversed')),
    statement_id   BIGINT,
    remote_statement_id BIGINT,
    msgid          TEXT    NOT NULL,
    meal_days      INTEGER NOT NULL DEFAULT 0,
    meal_fen       BIGINT  NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX settlements_one_cancel ON settlements (of_id) WHERE kind = 'cancel';
CREATE INDEX settlements_institution_day ON settlements (institution_id, setl_day, id);
CREATE INDEX settlements_region ON settlements (region_code, id);
CREATE INDEX settlements_worker_region ON settlements (worker_region, id);
CREATE UNIQUE INDEX settlements_one_valid ON settlements (encounter_id) WHERE kind = 'settle' AND state = 'valid';

CREATE TABLE settlement_findings (
    id            INTEGER PRIMARY KEY,
    settlement_id BIGINT  NOT NULL REFERENCES settlements (id),
    encounter_id  BIGINT  NOT NULL,
    institution_id BIGINT NOT NULL,
    region_code   TEXT    NOT NULL,
    rule_id       TEXT    NOT NULL,
    rule_name     TEXT    NOT NULL,
    severity      TEXT    NOT NULL CHECK (severity IN ('definite', 'suspicious')),
    category      TEXT    NOT NULL,
    line_sn       TEXT    NOT NULL DEFAULT '',
    amount        BIGINT  NOT NULL,
    content       TEXT    NOT NULL,
    evidence      TEXT    NOT NULL,
    review        TEXT    NOT NULL CHECK (review IN ('none', 'pending', 'accepted', 'rejected')),
    reviewed_by   BIGINT,
    reviewed_at   TIMESTAMP,
    review_reason TEXT    NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    version       BIGINT  NOT NULL DEFAULT 1
);
CREATE INDEX settlement_findings_settlement ON settlement_findings (settlement_id);
CREATE INDEX settlement_findings_review ON settlement_findings (region_code, review, id);

-- Per rule and month: triggers, confirmed and dismissed (the review's outcome).
CREATE TABLE rule_stats (
    rule_id   TEXT    NOT NULL,
    month     TEXT    NOT NULL,
    triggers  BIGINT  NOT NULL DEFAULT 0,
    confirmed BIGINT  NOT NULL DEFAULT 0,
    dismissed BIGINT  NOT NULL DEFAULT 0,
    amount    BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (rule_id, month)
);

CREATE TABLE meal_allowances (
    id            INTEGER PRIMARY KEY,
    settlement_id BIGINT  NOT NULL UNIQUE REFERENCES settlements (id),
    case_id       BIGINT  NOT NULL REFERENCES cases (id),
    worker_id     BIGINT  NOT NULL REFERENCES workers (id),
    region_code   TEXT    NOT NULL,
    days          INTEGER NOT NULL,
    daily_fen     BIGINT  NOT NULL,
    amount_fen    BIGINT  NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'payable' CHECK (status IN ('payable', 'cancelled', 'paid')),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX meal_allowances_region ON meal_allowances (region_code, status, id);

-- Every envelope: the replay key (institution, msgid) with the request's
-- digest, the raw request and the raw response, both sealed with the data
-- key (they carry ID numbers and names).
CREATE TABLE his_messages (
    id             INTEGER PRIMARY KEY,
    institution_id BIGINT  NOT NULL REFERENCES institutions (id),
    msgid          TEXT NOT NULL,
    infno          TEXT    NOT NULL,
    digest         TEXT    NOT NULL,
    request_enc    BLOB    NOT NULL,
    response_enc   BLOB    NOT NULL,
    infcode        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    UNIQUE (institution_id, msgid)
);
CREATE INDEX his_messages_time ON his_messages (institution_id, created_at);

CREATE TABLE his_nonces (
    institution_id BIGINT NOT NULL,
    nonce          TEXT NOT NULL,
    seen_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (institution_id, nonce)
);
CREATE INDEX his_nonces_seen ON his_nonces (seen_at);

CREATE TABLE clearing_statements (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('institution', 'remote')),
    month          TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    institution_id BIGINT,
    payer_region   TEXT    NOT NULL,
    payee_region   TEXT    NOT NULL,
    count          BIGINT  NOT NULL,
    medfee         BIGINT  NOT NULL,
    fund_pay       BIGINT  NOT NULL,
    created_by     BIGINT  NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX clearing_one_institution ON clearing_statements (month, institution_id) WHERE kind = 'institution';
CREATE UNIQUE INDEX clearing_one_pair ON clearing_statements (month, payer_region, payee_region) WHERE kind = 'remote';

