-- 0004: a name-prefix search is served from one index: the range on name,
-- the region filter and the count read the index only, and results come
-- in index order (store.nameOrder) with no sort.
DROP INDEX workers_name;
CREATE INDEX workers_name ON workers (name, region_code, id);
DROP INDEX employers_name;
CREATE INDEX employers_name ON employers (name, region_code, id);
