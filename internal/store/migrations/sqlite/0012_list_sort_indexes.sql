-- 0012: the list toolkit's sorts, each served by an index ending in the
-- region and the id (store.employerSorts, store.workerSorts), so a sorted
-- page and the export's keyset batches read the index in order. The
-- industry index also serves the industry filter, the risk-class index
-- the risk-class filter. Sorting by name, region, credit code and
-- registration order use the indexes of 0001, 0003 and 0004.
CREATE INDEX employers_industry ON employers (industry, region_code, id);
CREATE INDEX employers_risk_class ON employers (risk_class, region_code, id);
CREATE INDEX workers_birth ON workers (birth_date, region_code, id);
