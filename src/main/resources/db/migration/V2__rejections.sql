-- Why the sanity guard holds an observation back; NULL for one that may be served.
ALTER TABLE observation ADD COLUMN rejected VARCHAR(300);
ALTER TABLE change_log ADD COLUMN rejected VARCHAR(300);
