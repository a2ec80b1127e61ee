-- One row that readiness rewrites after a failed write, to learn when the store takes writes again (a database back,
-- a disk with space again); nothing reads it.
CREATE TABLE store_probe (
    id        INT                      PRIMARY KEY,
    probed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO store_probe (id, probed_at) VALUES (1, CURRENT_TIMESTAMP);
