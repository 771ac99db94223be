-- 0018: monthly clearing and daily reconciliation for the back office.
-- The statements list by region and by paying region; the month's
-- settlements not yet in a statement, and each statement's settlements,
-- are index ranges. Every 3201/3202 an institution sends is recorded with
-- what it declared and what we had at that moment, in the transaction that
-- answers it, so the reconciliation view needs no sealed archive.
CREATE INDEX clearing_statements_region ON clearing_statements (region_code, month, id);
CREATE INDEX clearing_statements_payer ON clearing_statements (payer_region, month, id);
CREATE INDEX settlements_unstated ON settlements (setl_day, region_code) WHERE kind = 'settle' AND state = 'valid' AND statement_id IS NULL;
CREATE INDEX settlements_statement ON settlements (statement_id, id) WHERE statement_id IS NOT NULL;
CREATE INDEX settlements_remote_statement ON settlements (remote_statement_id, id) WHERE remote_statement_id IS NOT NULL;

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
CREATE INDEX his_reconciliations_institution ON his_reconciliations (institution_id, begin_day, id);
CREATE INDEX his_reconciliations_region ON his_reconciliations (region_code, begin_day, id);
