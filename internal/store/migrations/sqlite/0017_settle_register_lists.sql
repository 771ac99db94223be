-- 0017: the sorts of the direct-settlement register lists (协议机构,
-- 工伤目录, 异地就医备案), each served by an index ending in a unique
-- column, so a sorted page and the export's keyset batches read the
-- index in order (store.institutionSorts, catalogueSorts, filingSorts).
-- The region and code orders use the indexes of 0016.
CREATE INDEX institutions_name ON institutions (name, region_code, id);
CREATE INDEX institutions_level ON institutions (level, region_code, id);
CREATE INDEX institutions_agreement_to ON institutions (agreement_to, region_code, id);
CREATE INDEX catalogue_entries_code ON catalogue_entries (code, id);
CREATE INDEX catalogue_entries_name ON catalogue_entries (name, id);
CREATE INDEX catalogue_entries_valid_from ON catalogue_entries (valid_from, id);
CREATE INDEX filings_valid_to ON filings (valid_to, region_code, id);
