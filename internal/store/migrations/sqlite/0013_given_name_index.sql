-- 0013: a one-character query finds a surname (the name's start, on the
-- name index) or a one-character given name, which in Chinese is the
-- second character of a two-character name (娜 in 李娜): this partial
-- index reads the second, in name order (store.givenOrSurname).
CREATE INDEX workers_given1 ON workers (substr(name, 2, 1), name, region_code, id) WHERE length(name) = 2;
