-- 0008: login attempts counted per source address and time window, so
-- password spraying across accounts is slowed whichever process answers;
-- employer contact phones sealed like workers' phones. SQL cannot encrypt:
-- the store seals the old plain contact_phone values in a Go step after the
-- migrations (Store.sealEmployerPhones, idempotent) and empties the column.
CREATE TABLE login_attempts (
    source       TEXT      NOT NULL,
    window_start TIMESTAMP NOT NULL,
    attempts     INTEGER   NOT NULL,
    PRIMARY KEY (source, window_start)
);
CREATE INDEX login_attempts_window ON login_attempts (window_start);

ALTER TABLE employers ADD COLUMN contact_phone_enc BLOB;
ALTER TABLE employers ADD COLUMN contact_phone_masked TEXT NOT NULL DEFAULT '';
