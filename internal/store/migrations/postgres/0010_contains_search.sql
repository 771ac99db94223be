-- 0010: the search box finds any part of a name (issue 7).
--
-- Names and credit codes: pg_trgm GIN indexes, which serve
-- `name ILIKE '%…%'` for patterns of three characters or more. The
-- extension needs CREATE on the database (pg_trgm is a trusted extension),
-- or a superuser to have run CREATE EXTENSION pg_trgm beforehand; it goes
-- into public where that schema exists, so that dropping an application
-- schema (as the tests do) never takes the extension, and every other
-- schema's indexes, with it. The transaction-scoped lock keeps two schemas
-- migrating at once from both creating it. Its operator class is named
-- with the extension's schema, which need not be on the search_path.
-- pg_trgm finds trigrams in Chinese only under a UTF-8 LC_CTYPE (C.UTF-8,
-- zh_CN.UTF-8); under C the index holds none and the searches scan.
DO $$
DECLARE
    ns text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('gongshang.pg_trgm'));
    SELECT n.nspname INTO ns FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF ns IS NULL THEN
        ns := CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN 'public' ELSE current_schema() END;
        EXECUTE format('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA %I', ns);
    END IF;
    EXECUTE format('CREATE INDEX employers_name_trgm ON employers USING gin (name %I.gin_trgm_ops)', ns);
    EXECUTE format('CREATE INDEX employers_credit_code_trgm ON employers USING gin (credit_code %I.gin_trgm_ops)', ns);
    EXECUTE format('CREATE INDEX workers_name_trgm ON workers USING gin (name %I.gin_trgm_ops)', ns);
END
$$;

-- A two-character query (a given name: 建国) has no trigram to look up,
-- and a scan of every name in scope measured 40-60 ms at 100,000 workers
-- (docs/benchmarks.md). So each name's pairs of adjacent characters,
-- lower-cased as ILIKE compares ASCII, are indexed as an array (王建国
-- gives {王建,建国}): a GIN expression index, which the engine keeps on
-- every write like any index; the store asks name_bigrams(name) @>
-- ARRAY[q]. One-character queries are a name prefix (store.matchWorkers).
-- The function must stay immutable: the index holds its results.
CREATE FUNCTION name_bigrams(name text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_agg(DISTINCT substr(lower(name COLLATE "C"), i, 2)) FROM generate_series(1, length(name) - 1) AS i
$$;
CREATE INDEX employers_name_bigrams ON employers USING gin (name_bigrams(name));
CREATE INDEX workers_name_bigrams ON workers USING gin (name_bigrams(name));

-- The last four characters of the ID number, which the stored mask shows
-- already (370811********123X): a column the engine computes from
-- id_masked on every insert and update, so no write path can forget it,
-- and an index that serves the suffix match in list order.
ALTER TABLE workers ADD COLUMN id_last4 TEXT GENERATED ALWAYS AS (right(id_masked, 4)) STORED;
CREATE INDEX workers_id_last4 ON workers (id_last4, region_code, id);
