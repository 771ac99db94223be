-- 0003: lists are ordered by region, newest first (store.listOrder);
-- employers get the same (region_code, id) index workers have.
CREATE INDEX employers_region_id ON employers (region_code, id);
