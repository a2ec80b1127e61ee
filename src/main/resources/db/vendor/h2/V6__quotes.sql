-- A bank's whole table: its currency against every quote it publishes, not only USD (the quote of every earlier row).
-- Changing the primary key is the one step whose SQL differs between H2 and PostgreSQL.
ALTER TABLE observation ADD COLUMN quote VARCHAR(3) DEFAULT 'USD' NOT NULL;
ALTER TABLE change_log ADD COLUMN quote VARCHAR(3) DEFAULT 'USD' NOT NULL;
ALTER TABLE observation DROP PRIMARY KEY;
ALTER TABLE observation ADD PRIMARY KEY (currency, quote, as_of, source);
DROP INDEX change_log_key;
CREATE INDEX change_log_key ON change_log (currency, quote, as_of, source, seq);
