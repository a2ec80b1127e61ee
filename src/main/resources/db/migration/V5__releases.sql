-- Who or what released a value the sanity guard had held back (a confirming source, the same source's next
-- publication, an operator), and when; NULL for every other value.
ALTER TABLE observation ADD COLUMN released VARCHAR(300);
ALTER TABLE change_log ADD COLUMN released VARCHAR(300);
