-- The highest change sequence of the write (transaction) a change belongs to: the id its stream events carry, so
-- that every replica groups changes into the same events. Rows written before this column are writes of their own.
ALTER TABLE change_log ADD COLUMN write_seq BIGINT;

-- Resuming a stream from the table asks for each touched key's value as of an older sequence.
CREATE INDEX change_log_key ON change_log (currency, as_of, source, seq);
