CREATE TRIGGER employer_name_bigrams_delete AFTER DELETE ON employers BEGIN
    DELETE FROM employer_name_bigrams WHERE id = old.id
        AND gram IN (SELECT substr(lower(old.name), n, 2) FROM gram_positions WHERE n < length(old.name));
END;
CREATE TRIGGER employer_name_bigrams_insert AFTER INSERT ON employers BEGIN
    INSERT OR IGNORE INTO employer_name_bigrams (gram, id) SELECT substr(lower(new.name), n, 2), new.id FROM gram_positions WHERE n < length(new.name);
END;
CREATE TRIGGER employer_name_bigrams_update AFTER UPDATE OF name ON employers BEGIN
    DELETE FROM employer_name_bigrams WHERE id = old.id
        AND gram IN (SELECT substr(lower(old.name), n, 2) FROM gram_positions WHERE n < length(old.name));
    INSERT OR IGNORE INTO employer_name_bigrams (gram, id) SELECT substr(lower(new.name), n, 2), new.id FROM gram_positions WHERE n < length(new.name);
END;
CREATE TRIGGER employers_fts_delete AFTER DELETE ON employers BEGIN
    INSERT INTO employers_fts(employers_fts, rowid, name, credit_code) VALUES ('delete', old.id, old.name, old.credit_code);
END;
CREATE TRIGGER employers_fts_insert AFTER INSERT ON employers BEGIN
    INSERT INTO employers_fts(rowid, name, credit_code) VALUES (new.id, new.name, new.credit_code);
END;
CREATE TRIGGER employers_fts_update AFTER UPDATE OF name, credit_code ON employers BEGIN
    INSERT INTO employers_fts(employers_fts, rowid, name, credit_code) VALUES ('delete', old.id, old.name, old.credit_code);
    INSERT INTO employers_fts(rowid, name, credit_code) VALUES (new.id, new.name, new.credit_code);
END;
CREATE TRIGGER worker_name_bigrams_delete AFTER DELETE ON workers BEGIN
    DELETE FROM worker_name_bigrams WHERE id = old.id
        AND gram IN (SELECT substr(lower(old.name), n, 2) FROM gram_positions WHERE n < length(old.name));
END;
CREATE TRIGGER worker_name_bigrams_insert AFTER INSERT ON workers BEGIN
    INSERT OR IGNORE INTO worker_name_bigrams (gram, id) SELECT substr(lower(new.name), n, 2), new.id FROM gram_positions WHERE n < length(new.name);
END;
CREATE TRIGGER worker_name_bigrams_update AFTER UPDATE OF name ON workers BEGIN
    DELETE FROM worker_name_bigrams WHERE id = old.id
        AND gram IN (SELECT substr(lower(old.name), n, 2) FROM gram_positions WHERE n < length(old.name));
    INSERT OR IGNORE INTO worker_name_bigrams (gram, id) SELECT substr(lower(new.name), n, 2), new.id FROM gram_positions WHERE n < length(new.name);
END;
CREATE TRIGGER workers_fts_delete AFTER DELETE ON workers BEGIN
    INSERT INTO workers_fts(workers_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER workers_fts_insert AFTER INSERT ON workers BEGIN
    INSERT INTO workers_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER workers_fts_update AFTER UPDATE OF name ON workers BEGIN
    INSERT INTO workers_fts(workers_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO workers_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TABLE audit_campaign_teams (
    campaign_id INTEGER NOT NULL REFERENCES audit_campaigns (id),
    no          INTEGER NOT NULL,
    members     TEXT    NOT NULL DEFAULT '[]',
    PRIMARY KEY (campaign_id, no)
);
CREATE TABLE audit_campaigns (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    year         INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    scan_id      INTEGER NOT NULL REFERENCES audit_scans (id),
    region_code  TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('planned', 'drawn', 'on_site', 'closed')),
    seed         INTEGER NOT NULL,
    high_share   REAL    NOT NULL,
    medium_share REAL    NOT NULL,
    random_share REAL    NOT NULL,
    teams        INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE audit_clinician_points (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id     INTEGER NOT NULL REFERENCES audit_field_findings (id),
    prac_code      TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    fixmedins_code TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    tier           TEXT    NOT NULL CHECK (tier IN ('violation', 'fraud', 'management')),
    responsibility INTEGER NOT NULL CHECK (responsibility BETWEEN 1 AND 3),
    points         INTEGER NOT NULL CHECK (points > 0),
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT    NOT NULL,
    revoked        BOOLEAN NOT NULL DEFAULT FALSE,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (finding_id, prac_code)
);
CREATE TABLE audit_evidence (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  INTEGER NOT NULL REFERENCES audit_campaigns (id),
    visit_id     INTEGER NOT NULL REFERENCES audit_visits (id),
    finding_id   INTEGER REFERENCES audit_field_findings (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('note', 'photo', 'document')),
    title        TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    sha256       TEXT    NOT NULL DEFAULT '',
    content_type TEXT    NOT NULL DEFAULT '',
    size         INTEGER NOT NULL DEFAULT 0,
    file_name    TEXT    NOT NULL DEFAULT '',
    region_code  TEXT    NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL
);
CREATE TABLE audit_extract_files (
    extract_id INTEGER NOT NULL REFERENCES audit_extracts (id),
    name       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    gz         BLOB    NOT NULL,
    PRIMARY KEY (extract_id, name)
);
CREATE TABLE audit_extracts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    source      TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    counts      TEXT    NOT NULL DEFAULT '{}',
    sha256      TEXT    NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    imported_by TEXT    NOT NULL,
    region_code TEXT    NOT NULL
);
CREATE TABLE audit_field_findings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id    INTEGER NOT NULL REFERENCES audit_campaigns (id),
    visit_id       INTEGER NOT NULL REFERENCES audit_visits (id),
    fixmedins_code TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    finding_type   TEXT    NOT NULL,
    tier           TEXT    NOT NULL CHECK (tier IN ('violation', 'fraud', 'management')),
    lead_ids       TEXT    NOT NULL DEFAULT '[]',
    lines          TEXT    NOT NULL DEFAULT '[]',
    amount_fen     INTEGER NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    state          TEXT    NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'fed_back', 'replied', 'confirmed', 'dismissed', 'notified', 'rectifying', 'closed')),
    reply_due      TEXT    NOT NULL DEFAULT '',
    reply          TEXT    NOT NULL DEFAULT '',
    review_note    TEXT    NOT NULL DEFAULT '',
    rectify_due    TEXT    NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE audit_findings (
    id             INTEGER PRIMARY KEY,
    scan_id        INTEGER NOT NULL REFERENCES audit_scans (id),
    seq            INTEGER NOT NULL,
    rule_id        TEXT    NOT NULL,
    rule_version   INTEGER NOT NULL,
    category       TEXT    NOT NULL,
    severity       TEXT    NOT NULL CHECK (severity IN ('definite', 'suspicious')),
    mdtrt_id       TEXT    NOT NULL,
    fixmedins_code TEXT    NOT NULL,
    amount_fen     INTEGER NOT NULL,
    score          REAL    NOT NULL,
    reason         TEXT    NOT NULL DEFAULT '',
    lines          TEXT    NOT NULL DEFAULT '[]',
    evidence       TEXT    NOT NULL DEFAULT '[]',
    params         TEXT    NOT NULL DEFAULT '{}'
, region_code TEXT NOT NULL DEFAULT '', review TEXT NOT NULL DEFAULT 'new' CHECK (review IN ('new', 'confirmed', 'dismissed')), review_reason TEXT NOT NULL DEFAULT '', reviewed_by TEXT NOT NULL DEFAULT '', reviewed_at TIMESTAMP, version INTEGER NOT NULL DEFAULT 1);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
, mac TEXT NOT NULL DEFAULT '');
CREATE TABLE audit_inspectors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    region_code TEXT    NOT NULL,
    specialty   TEXT    NOT NULL,
    former      TEXT    NOT NULL DEFAULT '[]',
    officer     BOOLEAN NOT NULL DEFAULT FALSE,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE audit_letters (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    visit_id    INTEGER NOT NULL REFERENCES audit_visits (id),
    campaign_id INTEGER NOT NULL REFERENCES audit_campaigns (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('feedback', 'notice')),
    number      TEXT    NOT NULL UNIQUE,
    issued_on   TEXT    NOT NULL,
    finding_ids TEXT    NOT NULL DEFAULT '[]',
    content     TEXT    NOT NULL,
    region_code TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL
);
CREATE TABLE "audit_log" (
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
CREATE TABLE audit_recoveries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id    INTEGER NOT NULL REFERENCES audit_field_findings (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('refund', 'offset')),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    recovered_fen INTEGER NOT NULL DEFAULT 0,
    state         TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE audit_recovery_offsets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    recovery_id  INTEGER NOT NULL REFERENCES audit_recoveries (id),
    statement_id INTEGER NOT NULL REFERENCES clearing_statements (id),
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (recovery_id, statement_id)
);
CREATE TABLE audit_referrals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id  INTEGER NOT NULL REFERENCES audit_field_findings (id),
    body        TEXT    NOT NULL CHECK (body IN ('police', 'discipline', 'health', 'penalty')),
    doc_no      TEXT    NOT NULL,
    referred_on TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    region_code TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL,
    UNIQUE (finding_id, body)
);
CREATE TABLE audit_rule_settings (
    id         INTEGER PRIMARY KEY,
    rule_id    TEXT    NOT NULL,
    region     TEXT    NOT NULL,
    valid_from TEXT    NOT NULL,
    enabled    BOOLEAN NOT NULL DEFAULT TRUE,
    "values"   TEXT    NOT NULL DEFAULT '{}',
    version    INTEGER NOT NULL DEFAULT 1,
    changed_at TIMESTAMP NOT NULL,
    changed_by TEXT    NOT NULL,
    UNIQUE (rule_id, region, valid_from)
);
CREATE TABLE audit_sanctions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    fixmedins_code TEXT    NOT NULL,
    campaign_id    INTEGER REFERENCES audit_campaigns (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('talk', 'rectify', 'withhold', 'suspend', 'terminate')),
    reason         TEXT    NOT NULL,
    decided_at     TIMESTAMP NOT NULL,
    decided_by     TEXT    NOT NULL
);
CREATE TABLE audit_scans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    extract_id  INTEGER REFERENCES audit_extracts (id),
    state       TEXT    NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    started_by  TEXT    NOT NULL,
    region_code TEXT    NOT NULL,
    encounters  INTEGER NOT NULL DEFAULT 0,
    lines       INTEGER NOT NULL DEFAULT 0,
    findings    INTEGER NOT NULL DEFAULT 0,
    amount_fen  INTEGER NOT NULL DEFAULT 0,
    ranking     TEXT    NOT NULL DEFAULT '[]'
, progress INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '', own_year INTEGER NOT NULL DEFAULT 0);
CREATE TABLE audit_visits (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id    INTEGER NOT NULL REFERENCES audit_campaigns (id),
    fixmedins_code TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    tier           TEXT    NOT NULL CHECK (tier IN ('high', 'medium', 'low')),
    score          REAL    NOT NULL,
    depth          TEXT    NOT NULL CHECK (depth IN ('full', 'light')),
    random         BOOLEAN NOT NULL DEFAULT FALSE,
    team           INTEGER NOT NULL DEFAULT 0,
    state          TEXT    NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'visited', 'closed')),
    version        INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL DEFAULT '',
    UNIQUE (campaign_id, fixmedins_code)
);
CREATE TABLE case_application_stats (
    region_code TEXT    NOT NULL,
    month       TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    uploads     INTEGER NOT NULL,
    PRIMARY KEY (region_code, month, channel)
);
CREATE TABLE case_decision_stats (
    region_code  TEXT    NOT NULL,
    month        TEXT    NOT NULL,
    simple       INTEGER NOT NULL,
    days         INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    within_legal INTEGER NOT NULL,
    within_local INTEGER NOT NULL,
    PRIMARY KEY (region_code, month, simple, days)
);
CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    service_id  INTEGER REFERENCES case_services (id),
    action      TEXT    NOT NULL,
    from_state  TEXT    NOT NULL DEFAULT '',
    to_state    TEXT    NOT NULL DEFAULT '',
    on_date     TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    actor_id    INTEGER,
    actor_name  TEXT    NOT NULL,
    actor_kind  TEXT    NOT NULL,
    actor_role  TEXT    NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE TABLE case_files (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    material     TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    uploaded_by  INTEGER,
    uploaded_kind TEXT   NOT NULL,
    uploaded_at  TIMESTAMP NOT NULL,
    UNIQUE (case_id, material, sha256)
);
CREATE TABLE case_letters (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    service_id INTEGER REFERENCES case_services (id),
    kind       TEXT    NOT NULL,
    number     TEXT    NOT NULL UNIQUE,
    issued_on  TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    sha256     TEXT,
    size       INTEGER,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE case_numbers (
    region_code TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (region_code, year)
);
CREATE TABLE case_outbox (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    worker_id   INTEGER NOT NULL,
    region_code TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP
);
CREATE TABLE case_reminders (
    service_id INTEGER NOT NULL REFERENCES case_services (id),
    step       TEXT    NOT NULL,
    due_date   TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    at         TIMESTAMP NOT NULL,
    PRIMARY KEY (service_id, step, due_date, kind)
);
CREATE TABLE case_services (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    region_code TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    step        TEXT    NOT NULL DEFAULT '',
    due_date    TEXT,
    party       TEXT    NOT NULL DEFAULT '',
    overdue     INTEGER NOT NULL DEFAULT 0,
    simple      INTEGER NOT NULL DEFAULT 0,
    suspensions TEXT    NOT NULL DEFAULT '[]',
    detail      TEXT    NOT NULL,
    assignee_id INTEGER REFERENCES users (id),
    decided_on    TEXT,
    decision_days INTEGER,
    within_legal  INTEGER,
    within_local  INTEGER,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    number           TEXT    NOT NULL UNIQUE,
    region_code      TEXT    NOT NULL REFERENCES regions (code),
    worker_id        INTEGER NOT NULL REFERENCES workers (id),
    employer_id      INTEGER NOT NULL REFERENCES employers (id),
    injury_date      TEXT    NOT NULL,
    application_date TEXT    NOT NULL,
    injury_kind      TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    applicant        TEXT    NOT NULL,
    simple           INTEGER NOT NULL DEFAULT 0,
    late             INTEGER NOT NULL DEFAULT 0,
    de_facto         INTEGER NOT NULL DEFAULT 0,
    detail           TEXT    NOT NULL,
    uploads          INTEGER NOT NULL DEFAULT 0,
    opened_by        INTEGER,
    opened_kind      TEXT    NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (worker_id, injury_date, employer_id)
);
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
, offset_fen INTEGER NOT NULL DEFAULT 0);
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
CREATE TABLE employer_name_bigrams (gram TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (gram, id)) WITHOUT ROWID;
CREATE TABLE employers (
    id            INTEGER PRIMARY KEY,
    credit_code   TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    region_code   TEXT    NOT NULL REFERENCES regions (code),
    industry      TEXT    NOT NULL,
    risk_class    INTEGER NOT NULL CHECK (risk_class BETWEEN 1 AND 8),
    rate_tier_pct INTEGER NOT NULL,
    contact_name  TEXT    NOT NULL DEFAULT '',
    contact_phone TEXT    NOT NULL DEFAULT '',
    address       TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
, version BIGINT NOT NULL DEFAULT 1, contact_phone_enc BLOB, contact_phone_masked TEXT NOT NULL DEFAULT '');
CREATE VIRTUAL TABLE employers_fts USING fts5(name, credit_code, content='employers', content_rowid='id', columnsize=0, tokenize='trigram');
CREATE TABLE 'employers_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'employers_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'employers_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE employments (
    id          INTEGER PRIMARY KEY,
    worker_id   INTEGER NOT NULL REFERENCES workers (id),
    employer_id INTEGER NOT NULL REFERENCES employers (id),
    start_date  TEXT    NOT NULL,
    end_date    TEXT,
    created_at  TIMESTAMP NOT NULL
);
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
CREATE TABLE "entitlement_amounts" (
    id             INTEGER PRIMARY KEY,
    entitlement_id INTEGER NOT NULL REFERENCES "entitlements" (id),
    effective_from TEXT    NOT NULL,
    amount_fen     INTEGER NOT NULL CHECK (amount_fen >= 0),
    reason         TEXT    NOT NULL,
    created_by     INTEGER,
    created_at     TIMESTAMP NOT NULL
);
CREATE TABLE "entitlements" (
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
CREATE TABLE experts (
    id                 INTEGER PRIMARY KEY,
    region_code        TEXT    NOT NULL REFERENCES regions (code),
    name               TEXT    NOT NULL,
    grp                TEXT    NOT NULL,
    hospital           TEXT    NOT NULL,
    hospital_code      TEXT    NOT NULL DEFAULT '',
    title              TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    term_start         TEXT    NOT NULL,
    term_end           TEXT    NOT NULL,
    conflict_employers TEXT    NOT NULL DEFAULT '[]',
    conflict_hospitals TEXT    NOT NULL DEFAULT '[]',
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
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
CREATE TABLE gram_positions (n INTEGER PRIMARY KEY);
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
CREATE TABLE his_nonces (
    institution_id BIGINT NOT NULL,
    nonce          TEXT NOT NULL,
    seen_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (institution_id, nonce)
);
CREATE TABLE his_reconciliations (
    id              INTEGER PRIMARY KEY,
    institution_id  BIGINT  NOT NULL REFERENCES institutions (id),
    region_code     TEXT    NOT NULL,
    infno           TEXT    NOT NULL CHECK (infno IN ('3201', '3202')),
    msgid           TEXT NOT NULL,
    begin_day       TEXT    NOT NULL,
    end_day         TEXT    NOT NULL,
    their_count     BIGINT  NOT NULL,
    their_medfee    BIGINT  NOT NULL,
    their_fund_pay  BIGINT  NOT NULL,
    our_count       BIGINT  NOT NULL,
    our_medfee      BIGINT  NOT NULL,
    our_fund_pay    BIGINT  NOT NULL,
    balanced        BOOLEAN NOT NULL,
    differences     INTEGER NOT NULL DEFAULT 0,
    result_text     TEXT    NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE TABLE imports (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    filename   TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    total_rows INTEGER NOT NULL,
    good_rows  INTEGER NOT NULL,
    bad_rows   INTEGER NOT NULL,
    imported   INTEGER NOT NULL,
    outcome    TEXT    NOT NULL,
    report     TEXT    NOT NULL,
    actor_id   INTEGER NOT NULL,
    region     TEXT    NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE institution_ratings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    fixmedins_code TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    grade          TEXT    NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'E')),
    points         REAL    NOT NULL,
    reason         TEXT    NOT NULL,
    computed_at    TIMESTAMP NOT NULL,
    finding_id     INTEGER REFERENCES audit_field_findings (id),
    sanction_id    INTEGER REFERENCES audit_sanctions (id)
);
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
CREATE TABLE letter_numbers (
    region_code TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (region_code, kind, year)
);
CREATE TABLE login_attempts (
    source       TEXT      NOT NULL,
    window_start TIMESTAMP NOT NULL,
    attempts     INTEGER   NOT NULL,
    PRIMARY KEY (source, window_start)
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
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE panel_draws (
    id         INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES case_services (id),
    seq        INTEGER NOT NULL,
    record     TEXT    NOT NULL,
    pool       TEXT    NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (service_id, seq)
);
CREATE TABLE param_versions (
    id             INTEGER PRIMARY KEY,
    table_name     TEXT    NOT NULL,
    key            TEXT    NOT NULL,
    region         TEXT    NOT NULL,
    effective_from TEXT    NOT NULL,
    value          TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    confidence     TEXT    NOT NULL CHECK (confidence IN ('C', 'C2', 'U')),
    note           TEXT    NOT NULL,
    actor_id       INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE TABLE payable_items (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    decision_id INTEGER NOT NULL REFERENCES case_services (id),
    worker_id   INTEGER NOT NULL REFERENCES workers (id),
    region_code TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    payer       TEXT    NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    payee_name  TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'payable',
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (decision_id, type)
);
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
CREATE TABLE payroll_deductions (
    id          INTEGER PRIMARY KEY,
    recovery_id INTEGER NOT NULL REFERENCES payroll_recoveries (id),
    line_id     INTEGER NOT NULL UNIQUE REFERENCES payroll_lines (id),
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0)
);
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
CREATE TABLE portal_accounts (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('worker', 'employer')),
    worker_id       INTEGER UNIQUE REFERENCES workers (id),
    employer_id     INTEGER UNIQUE REFERENCES employers (id),
    login_key       BLOB    NOT NULL,
    password_hash   TEXT    NOT NULL DEFAULT '',
    code_hash       BLOB,
    code_expires_at TIMESTAMP,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    disabled        INTEGER NOT NULL DEFAULT 0,
    last_login_at   TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, login_key),
    CHECK ((kind = 'worker') = (worker_id IS NOT NULL) AND (kind = 'employer') = (employer_id IS NOT NULL))
);
CREATE TABLE portal_sessions (
    token_hash BLOB    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES portal_accounts (id),
    csrf_token TEXT    NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE TABLE prevention_acceptances (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   INTEGER NOT NULL UNIQUE REFERENCES prevention_projects (id),
    region_code  TEXT    NOT NULL,
    deliverables TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    accepted_at  TIMESTAMP NOT NULL,
    accepted_by  TEXT    NOT NULL
);
CREATE TABLE prevention_archive (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   INTEGER NOT NULL REFERENCES prevention_sessions (id),
    region_code  TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('audio', 'video', 'photo')),
    sha256       TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    duration_s   INTEGER NOT NULL DEFAULT 0 CHECK (duration_s >= 0),
    file_name    TEXT    NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL
);
CREATE TABLE prevention_attendance (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES prevention_sessions (id),
    region_code TEXT    NOT NULL,
    id_hash     BLOB    NOT NULL,
    id_enc      BLOB    NOT NULL,
    id_masked   TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    employer    TEXT    NOT NULL DEFAULT '',
    audience    TEXT    NOT NULL DEFAULT '',
    worker_id   INTEGER REFERENCES workers (id),
    source      TEXT    NOT NULL CHECK (source IN ('roster', 'checkin', 'manual')),
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (session_id, id_hash)
);
CREATE TABLE prevention_budget_lines (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id    INTEGER NOT NULL REFERENCES prevention_projects (id),
    item          TEXT    NOT NULL,
    requested_fen INTEGER NOT NULL CHECK (requested_fen >= 0),
    approved_fen  INTEGER NOT NULL DEFAULT 0 CHECK (approved_fen >= 0),
    paid_fen      INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0)
);
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
CREATE TABLE prevention_evaluation_forms (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT    NOT NULL,
    valid_from  TEXT    NOT NULL,
    items       TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL,
    UNIQUE (region_code, valid_from)
);
CREATE TABLE prevention_evaluations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES prevention_sessions (id),
    region_code TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('checklist', 'questionnaire')),
    payload     TEXT    NOT NULL,
    score       INTEGER NOT NULL CHECK (score >= 0 AND score <= 10000),
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL
);
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
CREATE TABLE prevention_experts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL,
    specialty      TEXT    NOT NULL,
    department     TEXT    NOT NULL,
    title          TEXT    NOT NULL DEFAULT '',
    qualifications TEXT    NOT NULL DEFAULT '',
    employer       TEXT    NOT NULL DEFAULT '',
    region_code    TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'removed')),
    status_reason  TEXT    NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT    NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE prevention_payments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES prevention_projects (id),
    region_code TEXT    NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    explanation TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'prepared' CHECK (state IN ('prepared', 'approved', 'returned')),
    note        TEXT    NOT NULL DEFAULT '',
    prepared_by TEXT    NOT NULL,
    prepared_at TIMESTAMP NOT NULL,
    approved_by TEXT    NOT NULL DEFAULT '',
    approved_at TIMESTAMP,
    version     INTEGER NOT NULL DEFAULT 1
);
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
CREATE TABLE prevention_plans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code  TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'returned', 'approved')),
    revision     INTEGER NOT NULL DEFAULT 0,
    requested_fen INTEGER NOT NULL DEFAULT 0,
    approved_fen INTEGER NOT NULL DEFAULT 0,
    note         TEXT    NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    created_by   TEXT    NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (region_code, year)
);
CREATE TABLE prevention_projects (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES prevention_plans (id),
    region_code   TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('training', 'publicity')),
    title         TEXT    NOT NULL,
    programme     TEXT    NOT NULL DEFAULT '',
    industry      TEXT    NOT NULL DEFAULT '',
    audience      TEXT    NOT NULL DEFAULT '[]',
    enterprises   TEXT    NOT NULL DEFAULT '[]',
    sessions      INTEGER NOT NULL DEFAULT 0 CHECK (sessions >= 0),
    attendance    INTEGER NOT NULL DEFAULT 0 CHECK (attendance >= 0),
    provider_kind TEXT    NOT NULL DEFAULT '' CHECK (provider_kind IN ('', 'insurer', 'organisation', 'expert', 'agency')),
    provider      TEXT    NOT NULL DEFAULT '',
    requested_fen INTEGER NOT NULL DEFAULT 0 CHECK (requested_fen >= 0),
    approved_fen  INTEGER NOT NULL DEFAULT 0 CHECK (approved_fen >= 0),
    paid_fen      INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
    state         TEXT    NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'accepted', 'paid', 'cancelled')),
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (plan_id, seq)
);
CREATE TABLE prevention_sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES prevention_projects (id),
    region_code TEXT    NOT NULL,
    held_on     TEXT    NOT NULL,
    place       TEXT    NOT NULL DEFAULT '',
    online      BOOLEAN NOT NULL DEFAULT FALSE,
    capacity    INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    enterprises TEXT    NOT NULL DEFAULT '[]',
    expert_id   INTEGER REFERENCES prevention_experts (id),
    topic       TEXT    NOT NULL,
    planned     INTEGER NOT NULL DEFAULT 0 CHECK (planned >= 0),
    state       TEXT    NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'held', 'closed', 'cancelled')),
    checkin     TEXT    NOT NULL DEFAULT '',
    score       REAL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE prevention_targets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT    NOT NULL,
    programme   TEXT    NOT NULL,
    year_from   INTEGER NOT NULL,
    year_to     INTEGER NOT NULL,
    target      INTEGER NOT NULL CHECK (target > 0),
    source_doc  TEXT    NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL,
    CHECK (year_to >= year_from)
);
CREATE TABLE prevention_years (
    region_code   TEXT    NOT NULL,
    year          INTEGER NOT NULL,
    income_fen    INTEGER NOT NULL CHECK (income_fen >= 0),
    cap_rate      REAL    NOT NULL,
    approval_doc  TEXT    NOT NULL DEFAULT '',
    focus         TEXT    NOT NULL DEFAULT '[]',
    updated_at    TIMESTAMP NOT NULL,
    updated_by    TEXT    NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (region_code, year)
);
CREATE TABLE regions (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    parent TEXT REFERENCES regions (code),
    level  TEXT NOT NULL CHECK (level IN ('province', 'city', 'county'))
);
CREATE TABLE river_job (
    id integer PRIMARY KEY AUTOINCREMENT,
    args blob NOT NULL DEFAULT (jsonb('{}')),
    attempt integer NOT NULL DEFAULT 0,
    attempted_at timestamp,
    attempted_by blob, -- json
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    errors blob, -- json
    finalized_at timestamp,
    kind text NOT NULL,
    max_attempts integer NOT NULL DEFAULT 25,
    metadata blob NOT NULL DEFAULT (jsonb('{}')),
    priority integer NOT NULL DEFAULT 1,
    queue text NOT NULL DEFAULT 'default',
    state text NOT NULL DEFAULT 'available',
    scheduled_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    tags blob NOT NULL DEFAULT (jsonb('[]')),
    unique_key blob,
    unique_states integer,
    CONSTRAINT finalized_or_finalized_at_null CHECK (
        (finalized_at IS NULL AND state NOT IN ('cancelled', 'completed', 'discarded')) OR
        (finalized_at IS NOT NULL AND state IN ('cancelled', 'completed', 'discarded'))
    ),
    CONSTRAINT priority_in_range CHECK (priority >= 1 AND priority <= 4),
    CONSTRAINT queue_length CHECK (length(queue) > 0 AND length(queue) < 128),
    CONSTRAINT kind_length CHECK (length(kind) > 0 AND length(kind) < 128),
    CONSTRAINT state_valid CHECK (state IN ('available', 'cancelled', 'completed', 'discarded', 'pending', 'retryable', 'running', 'scheduled'))
);
CREATE TABLE river_leader (
    elected_at timestamp NOT NULL,
    expires_at timestamp NOT NULL,
    leader_id text NOT NULL,
    name text PRIMARY KEY NOT NULL DEFAULT 'default' CHECK (name = 'default'),
    CONSTRAINT name_length CHECK (length(name) > 0 AND length(name) < 128),
    CONSTRAINT leader_id_length CHECK (length(leader_id) > 0 AND length(leader_id) < 128)
);
CREATE TABLE river_migration (
    line text NOT NULL,
    version integer NOT NULL,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT line_length CHECK (length(line) > 0 AND length(line) < 128),
    CONSTRAINT version_gte_1 CHECK (version >= 1),
    PRIMARY KEY (line, version)
);
CREATE TABLE river_notification (
    id integer PRIMARY KEY AUTOINCREMENT,
    created_at timestamp NOT NULL DEFAULT (datetime('now', 'subsec')),
    payload text NOT NULL,
    topic text NOT NULL,
    CONSTRAINT topic_length CHECK (length(topic) > 0 AND length(topic) < 128)
);
CREATE TABLE river_queue (
    name text PRIMARY KEY NOT NULL,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    metadata blob NOT NULL DEFAULT (jsonb('{}')),
    paused_at timestamp,
    updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE rule_stats (
    rule_id   TEXT    NOT NULL,
    month     TEXT    NOT NULL,
    triggers  BIGINT  NOT NULL DEFAULT 0,
    confirmed BIGINT  NOT NULL DEFAULT 0,
    dismissed BIGINT  NOT NULL DEFAULT 0,
    amount    BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (rule_id, month)
);
CREATE TABLE schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT    NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
, flash TEXT NOT NULL DEFAULT '');
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
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    kind          TEXT    NOT NULL DEFAULT 'staff',
    role          TEXT    NOT NULL,
    region_code   TEXT    NOT NULL REFERENCES regions (code),
    password_hash TEXT    NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TIMESTAMP,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
, last_login_at TIMESTAMP);
CREATE TABLE wages (
    worker_id   INTEGER NOT NULL REFERENCES workers (id),
    employer_id INTEGER NOT NULL REFERENCES employers (id),
    period      TEXT    NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    PRIMARY KEY (worker_id, period, employer_id)
);
CREATE TABLE worker_name_bigrams (gram TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (gram, id)) WITHOUT ROWID;
CREATE TABLE workers (
    id           INTEGER PRIMARY KEY,
    id_hash      BLOB    NOT NULL UNIQUE,
    id_enc       BLOB    NOT NULL,
    id_masked    TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    sex          TEXT    NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date   TEXT    NOT NULL,
    phone_enc    BLOB,
    phone_masked TEXT    NOT NULL DEFAULT '',
    bank_name    TEXT    NOT NULL DEFAULT '',
    bank_enc     BLOB,
    bank_masked  TEXT    NOT NULL DEFAULT '',
    region_code  TEXT    NOT NULL REFERENCES regions (code),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
, version BIGINT NOT NULL DEFAULT 1, id_last4 TEXT GENERATED ALWAYS AS (substr(id_masked, -4)) VIRTUAL);
CREATE VIRTUAL TABLE workers_fts USING fts5(name, content='workers', content_rowid='id', columnsize=0, tokenize='trigram');
CREATE TABLE 'workers_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'workers_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'workers_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE INDEX audit_clinician_points_prac ON audit_clinician_points (prac_code, created_at);
CREATE INDEX audit_clinician_points_region ON audit_clinician_points (region_code, prac_code);
CREATE INDEX audit_evidence_visit ON audit_evidence (visit_id, id);
CREATE INDEX audit_field_findings_campaign ON audit_field_findings (campaign_id, visit_id, id);
CREATE INDEX audit_field_findings_institution ON audit_field_findings (fixmedins_code, state);
CREATE INDEX audit_findings_category ON audit_findings (scan_id, category, seq);
CREATE INDEX audit_findings_institution ON audit_findings (scan_id, fixmedins_code, seq);
CREATE INDEX audit_findings_region ON audit_findings (scan_id, region_code, seq);
CREATE UNIQUE INDEX audit_findings_scan ON audit_findings (scan_id, seq);
CREATE INDEX audit_letters_visit ON audit_letters (visit_id, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_object_region ON audit_log (object_region, id);
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq) WHERE seq IS NOT NULL;
CREATE INDEX audit_recoveries_finding ON audit_recoveries (finding_id, id);
CREATE INDEX audit_recovery_offsets_statement ON audit_recovery_offsets (statement_id, id);
CREATE INDEX audit_sanctions_institution ON audit_sanctions (fixmedins_code, decided_at);
CREATE INDEX audit_scans_extract ON audit_scans (extract_id, id);
CREATE INDEX case_events_case ON case_events (case_id, id);
CREATE INDEX case_files_case ON case_files (case_id, id);
CREATE INDEX case_letters_case ON case_letters (case_id, id);
CREATE INDEX case_outbox_open ON case_outbox (kind, id) WHERE consumed_at IS NULL;
CREATE INDEX case_services_assignee ON case_services (assignee_id, due_date, id) WHERE party = 'agency';
CREATE INDEX case_services_case ON case_services (case_id);
CREATE INDEX case_services_due ON case_services (due_date, id, region_code, kind, state, simple, overdue) WHERE party = 'agency';
CREATE INDEX case_services_queue ON case_services (region_code, kind, state, simple, overdue, due_date) WHERE party = 'agency';
CREATE INDEX case_services_state ON case_services (region_code, kind, state, id);
CREATE INDEX cases_employer ON cases (employer_id, id);
CREATE INDEX cases_region ON cases (region_code, id);
CREATE INDEX cases_worker ON cases (worker_id, id);
CREATE INDEX catalogue_entries_code ON catalogue_entries (code, id);
CREATE INDEX catalogue_entries_list ON catalogue_entries (category, code, id);
CREATE INDEX catalogue_entries_name ON catalogue_entries (name, id);
CREATE INDEX catalogue_entries_valid_from ON catalogue_entries (valid_from, id);
CREATE UNIQUE INDEX clearing_one_institution ON clearing_statements (month, institution_id) WHERE kind = 'institution';
CREATE UNIQUE INDEX clearing_one_pair ON clearing_statements (month, payer_region, payee_region) WHERE kind = 'remote';
CREATE INDEX clearing_statements_payer ON clearing_statements (payer_region, month, id);
CREATE INDEX clearing_statements_region ON clearing_statements (region_code, month, id);
CREATE INDEX dependants_worker ON dependants (worker_id);
CREATE INDEX employers_industry ON employers (industry, region_code, id);
CREATE INDEX employers_name ON employers (name, region_code, id);
CREATE INDEX employers_region_id ON employers (region_code, id);
CREATE INDEX employers_region_name ON employers (region_code, name);
CREATE INDEX employers_risk_class ON employers (risk_class, region_code, id);
CREATE INDEX employments_employer ON employments (employer_id);
CREATE INDEX employments_worker ON employments (worker_id);
CREATE INDEX encounters_institution ON encounters (institution_id, id);
CREATE UNIQUE INDEX encounters_one_open ON encounters (institution_id, worker_id, med_type) WHERE state IN ('open', 'discharged');
CREATE INDEX encounters_region ON encounters (region_code, id);
CREATE INDEX encounters_worker ON encounters (worker_id, state);
CREATE INDEX encounters_worker_region ON encounters (worker_region, id);
CREATE INDEX entitlement_amounts_ent ON entitlement_amounts (entitlement_id, effective_from);
CREATE INDEX entitlements_dependant ON entitlements (dependant_id) WHERE dependant_id IS NOT NULL;
CREATE INDEX entitlements_region ON entitlements (region_code, status, id);
CREATE INDEX entitlements_worker ON entitlements (worker_id);
CREATE INDEX experts_region ON experts (region_code, grp, id);
CREATE INDEX fee_lines_settlement ON fee_lines (settlement_id) WHERE settlement_id IS NOT NULL;
CREATE UNIQUE INDEX fee_lines_sn ON fee_lines (encounter_id, sn) WHERE state <> 'cancelled';
CREATE INDEX filings_region ON filings (region_code, id);
CREATE INDEX filings_valid_to ON filings (valid_to, region_code, id);
CREATE INDEX filings_worker ON filings (worker_id, state, valid_to);
CREATE INDEX his_messages_time ON his_messages (institution_id, created_at);
CREATE INDEX his_nonces_seen ON his_nonces (seen_at);
CREATE INDEX his_reconciliations_institution ON his_reconciliations (institution_id, begin_day, id);
CREATE INDEX his_reconciliations_region ON his_reconciliations (region_code, begin_day, id);
CREATE INDEX institution_ratings_institution ON institution_ratings (fixmedins_code, id);
CREATE INDEX institutions_agreement_to ON institutions (agreement_to, region_code, id);
CREATE INDEX institutions_level ON institutions (level, region_code, id);
CREATE INDEX institutions_name ON institutions (name, region_code, id);
CREATE INDEX institutions_region ON institutions (region_code, id);
CREATE INDEX login_attempts_window ON login_attempts (window_start);
CREATE INDEX meal_allowances_region ON meal_allowances (region_code, status, id);
CREATE INDEX payable_items_region ON payable_items (region_code, status, id);
CREATE INDEX payroll_adjustments_region ON payroll_adjustments (region_code, id);
CREATE INDEX payroll_arrears_open ON payroll_arrears (entitlement_id) WHERE line_id IS NULL;
CREATE INDEX payroll_cycles_month ON payroll_cycles (month, region_code);
CREATE INDEX payroll_events_worker ON payroll_events (worker_id, dependant_id);
CREATE UNIQUE INDEX payroll_lines_arrears ON payroll_lines (entitlement_id, cycle_id) WHERE kind = 'arrears';
CREATE INDEX payroll_lines_bank ON payroll_lines (cycle_id, bank_code, batch_seq, id);
CREATE INDEX payroll_lines_cycle ON payroll_lines (cycle_id, state, id);
CREATE INDEX payroll_lines_extra ON payroll_lines (worker_id, month) WHERE kind <> 'regular';
CREATE UNIQUE INDEX payroll_lines_meal ON payroll_lines (meal_id) WHERE kind = 'oneoff';
CREATE UNIQUE INDEX payroll_lines_oneoff ON payroll_lines (payable_id) WHERE kind = 'oneoff';
CREATE INDEX payroll_lines_owed ON payroll_lines (entitlement_id) WHERE state = 'suspended' AND repaid_by IS NULL;
CREATE UNIQUE INDEX payroll_lines_regular ON payroll_lines (entitlement_id, month) WHERE kind = 'regular';
CREATE UNIQUE INDEX payroll_lines_reissue ON payroll_lines (replaces_id) WHERE kind = 'reissue';
CREATE UNIQUE INDEX payroll_notices_line ON payroll_notices (line_id, kind) WHERE line_id IS NOT NULL;
CREATE INDEX payroll_notices_worker ON payroll_notices (worker_id, id);
CREATE INDEX payroll_recoveries_entitlement ON payroll_recoveries (entitlement_id, state);
CREATE INDEX payroll_recoveries_region ON payroll_recoveries (region_code, id);
CREATE INDEX portal_sessions_account ON portal_sessions (account_id);
CREATE INDEX portal_sessions_expires ON portal_sessions (expires_at);
CREATE INDEX prevention_archive_session ON prevention_archive (session_id, id);
CREATE INDEX prevention_attendance_person ON prevention_attendance (id_hash, session_id);
CREATE INDEX prevention_budget_lines_project ON prevention_budget_lines (project_id, id);
CREATE UNIQUE INDEX prevention_changes_pending ON prevention_changes (plan_id) WHERE state = 'pending';
CREATE INDEX prevention_changes_plan ON prevention_changes (plan_id, id);
CREATE UNIQUE INDEX prevention_courseware_approved ON prevention_courseware (expert_id, topic) WHERE state = 'approved';
CREATE INDEX prevention_evaluations_session ON prevention_evaluations (session_id, kind, id);
CREATE INDEX prevention_expert_events_expert ON prevention_expert_events (expert_id, id);
CREATE INDEX prevention_experts_specialty ON prevention_experts (specialty, status, id);
CREATE INDEX prevention_payments_project ON prevention_payments (project_id, id);
CREATE INDEX prevention_payments_region ON prevention_payments (region_code, id);
CREATE INDEX prevention_plan_reviews_plan ON prevention_plan_reviews (plan_id, id);
CREATE INDEX prevention_projects_region ON prevention_projects (region_code, id);
CREATE UNIQUE INDEX prevention_sessions_checkin ON prevention_sessions (checkin) WHERE checkin <> '';
CREATE INDEX prevention_sessions_expert ON prevention_sessions (expert_id, held_on);
CREATE INDEX prevention_sessions_project ON prevention_sessions (project_id, id);
CREATE INDEX prevention_sessions_region ON prevention_sessions (region_code, held_on, id);
CREATE INDEX prevention_targets_region ON prevention_targets (region_code, programme);
CREATE INDEX river_job_kind ON river_job (kind);
CREATE INDEX river_job_prioritized_fetching_index ON river_job (state, queue, priority, scheduled_at, id);
CREATE INDEX river_job_state_and_finalized_at_index ON river_job (state, finalized_at) WHERE finalized_at IS NOT NULL;
CREATE UNIQUE INDEX river_job_unique_idx ON river_job (unique_key)
    WHERE unique_key IS NOT NULL
        AND unique_states IS NOT NULL
        AND CASE state
            WHEN 'available' THEN unique_states & (1 << 0)
            WHEN 'cancelled' THEN unique_states & (1 << 1)
            WHEN 'completed' THEN unique_states & (1 << 2)
            WHEN 'discarded' THEN unique_states & (1 << 3)
            WHEN 'pending'   THEN unique_states & (1 << 4)
            WHEN 'retryable' THEN unique_states & (1 << 5)
            WHEN 'running'   THEN unique_states & (1 << 6)
            WHEN 'scheduled' THEN unique_states & (1 << 7)
            ELSE 0
        END >= 1;
CREATE INDEX river_notification_created_at_idx ON river_notification (created_at);
CREATE INDEX river_notification_topic_id_idx ON river_notification (topic, id);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX settlement_findings_review ON settlement_findings (region_code, review, id);
CREATE INDEX settlement_findings_settlement ON settlement_findings (settlement_id);
CREATE INDEX settlements_institution_day ON settlements (institution_id, setl_day, id);
CREATE UNIQUE INDEX settlements_one_cancel ON settlements (of_id) WHERE kind = 'cancel';
CREATE UNIQUE INDEX settlements_one_valid ON settlements (encounter_id) WHERE kind = 'settle' AND state = 'valid';
CREATE INDEX settlements_region ON settlements (region_code, id);
CREATE INDEX settlements_remote_statement ON settlements (remote_statement_id, id) WHERE remote_statement_id IS NOT NULL;
CREATE INDEX settlements_statement ON settlements (statement_id, id) WHERE statement_id IS NOT NULL;
CREATE INDEX settlements_unstated ON settlements (setl_day, region_code) WHERE kind = 'settle' AND state = 'valid' AND statement_id IS NULL;
CREATE INDEX settlements_worker_region ON settlements (worker_region, id);
CREATE INDEX workers_birth ON workers (birth_date, region_code, id);
CREATE INDEX workers_given1 ON workers (substr(name, 2, 1), name, region_code, id) WHERE length(name) = 2;
CREATE INDEX workers_id_last4 ON workers (id_last4, region_code, id);
CREATE INDEX workers_name ON workers (name, region_code, id);
CREATE INDEX workers_region ON workers (region_code, id);
