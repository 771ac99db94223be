-- 0010: the search box finds any part of a name (issue 7).
--
-- Names and credit codes: FTS5 tables with the trigram tokenizer over the
-- registry tables (external content: the index only, no second copy of
-- the text), kept in step by triggers, so every write path (the forms, the
-- API, the imports and the demo's bulk load) indexes what it writes. The
-- trigram tokenizer folds case, so a credit-code fragment is found in any
-- case. columnsize=0: no per-row size record, which only ranking reads.
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

-- A two-character query (a given name: 建国) has no trigram to look up,
-- and a scan of every name in scope measured 40-60 ms at 100,000 workers
-- (docs/benchmarks.md). So every pair of adjacent characters of a name,
-- lower-cased as LIKE compares ASCII, goes into a table of bigrams, kept by
-- triggers like the FTS5 tables: 王建国 gives 王建 and 建国. One-character
-- queries are a name prefix (store.matchWorkers). gram_positions numbers
-- the characters of a name (names are at most 100 characters; it has 500).
-- A large bulk load suspends the insert triggers and indexes its rows in
-- one statement each instead (store.bulkIndex).
CREATE TABLE gram_positions (n INTEGER PRIMARY KEY);
INSERT INTO gram_positions (n) WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 500) SELECT n FROM c;

CREATE TABLE employer_name_bigrams (gram TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (gram, id)) WITHOUT ROWID;
INSERT OR IGNORE INTO employer_name_bigrams (gram, id)
    SELECT substr(lower(e.name), p.n, 2), e.id FROM employers e JOIN gram_positions p ON p.n < length(e.name) ORDER BY 1, 2;
CREATE TRIGGER employer_name_bigrams_insert AFTER INSERT ON employers BEGIN
    INSERT OR IGNORE INTO employer_name_bigrams (gram, id) SELECT substr(lower(new.name), n, 2), new.id FROM gram_positions WHERE n < length(new.name);
END;
CREATE TRIGGER employer_name_bigrams_delete AFTER DELETE ON employers BEGIN
    DELETE FROM employer_name_bigrams WHERE id = old.id
        AND gram IN (SELECT substr(lower(old.name), n, 2) FROM gram_positions WHERE n < length(old.name));
END;
CREATE TRIGGER employer_name_bigrams_update AFTER UPDATE OF name ON employers BEGIN
    DELETE FROM employer_name_bigrams WHERE id = old.id
        AND gram IN (SELECT substr(lower(old.name), n, 2) FROM gram_positions WHERE n < length(old.name));
    INSERT OR IGNORE INTO employer_name_bigrams (gram, id) SELECT substr(lower(new.name), n, 2), new.id FROM gram_positions WHERE n < length(new.name);
END;

CREATE TABLE worker_name_bigrams (gram TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (gram, id)) WITHOUT ROWID;
INSERT OR IGNORE INTO worker_name_bigrams (gram, id)
    SELECT substr(lower(w.name), p.n, 2), w.id FROM workers w JOIN gram_positions p ON p.n < length(w.name) ORDER BY 1, 2;
CREATE TRIGGER worker_name_bigrams_insert AFTER INSERT ON workers BEGIN
    INSERT OR IGNORE INTO worker_name_bigrams (gram, id) SELECT substr(lower(new.name), n, 2), new.id FROM gram_positions WHERE n < length(new.name);
END;
CREATE TRIGGER worker_name_bigrams_delete AFTER DELETE ON workers BEGIN
    DELETE FROM worker_name_bigrams WHERE id = old.id
        AND gram IN (SELECT substr(lower(old.name), n, 2) FROM gram_positions WHERE n < length(old.name));
END;
CREATE TRIGGER worker_name_bigrams_update AFTER UPDATE OF name ON workers BEGIN
    DELETE FROM worker_name_bigrams WHERE id = old.id
        AND gram IN (SELECT substr(lower(old.name), n, 2) FROM gram_positions WHERE n < length(old.name));
    INSERT OR IGNORE INTO worker_name_bigrams (gram, id) SELECT substr(lower(new.name), n, 2), new.id FROM gram_positions WHERE n < length(new.name);
END;

-- The last four characters of the ID number, which the stored mask shows
-- already (370811********123X): a column the engine computes from
-- id_masked on every insert and update, so no write path can forget it,
-- and an index that serves the suffix match in list order.
ALTER TABLE workers ADD COLUMN id_last4 TEXT GENERATED ALWAYS AS (substr(id_masked, -4)) VIRTUAL;
CREATE INDEX workers_id_last4 ON workers (id_last4, region_code, id);
