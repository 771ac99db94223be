-- 0010: the search box finds any part of a name (issue 7).
--
-- Names and credit codes: FTS5 tables with the trigram tokenizer over the
-- registry tables (external content: the index only, no second copy of
-- the text), kept in step by triggers, so every write path (the forms, the
-- API, the imports and the demo's bulk load) indexes what it writes. The
-- trigram tokenizer folds case, so a credit-code fragment is found in any
-- case. A query shorter than three characters has no trigram to look up:
-- the store scans for those (store.contains). columnsize=0: no per-row
-- size record, which only ranking would read.
CREATE VIRTUAL TABLE employers_fts USING fts5(name, credit_code, content='employers', content_rowid='id', columnsize=0, tokenize='trigram');
INSERT INTO employers_fts(employers_fts) VALUES ('rebuild');
CREATE TRIGGER employers_fts_insert AFTER INSERT ON employers BEGIN
    INSERT INTO employers_fts(rowid, name, credit_code) VALUES (new.id, new.name, new.credit_code);
END;
CREATE TRIGGER employers_fts_delete AFTER DELETE ON employers BEGIN
    INSERT INTO employers_fts(employers_fts, rowid, name, credit_code) VALUES ('delete', old.id, old.name, old.credit_code);
END;
CREATE TRIGGER employers_fts_update AFTER UPDATE OF name, credit_code ON employers BEGIN
    INSERT INTO employers_fts(employers_fts, rowid, name, credit_code) VALUES ('delete', old.id, old.name, old.credit_code);
    INSERT INTO employers_fts(rowid, name, credit_code) VALUES (new.id, new.name, new.credit_code);
END;

CREATE VIRTUAL TABLE workers_fts USING fts5(name, content='workers', content_rowid='id', columnsize=0, tokenize='trigram');
INSERT INTO workers_fts(workers_fts) VALUES ('rebuild');
CREATE TRIGGER workers_fts_insert AFTER INSERT ON workers BEGIN
    INSERT INTO workers_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER workers_fts_delete AFTER DELETE ON workers BEGIN
    INSERT INTO workers_fts(workers_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER workers_fts_update AFTER UPDATE OF name ON workers BEGIN
    INSERT INTO workers_fts(workers_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO workers_fts(rowid, name) VALUES (new.id, new.name);
END;

-- The last four characters of the ID number, which the stored mask shows
-- already (370811********123X): a column the engine computes from
-- id_masked on every insert and update, so no write path can forget it,
-- and an index that serves the suffix match in list order.
ALTER TABLE workers ADD COLUMN id_last4 TEXT GENERATED ALWAYS AS (substr(id_masked, -4)) VIRTUAL;
CREATE INDEX workers_id_last4 ON workers (id_last4, region_code, id);
