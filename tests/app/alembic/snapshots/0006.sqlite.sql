-- upgrade
ALTER TABLE outbox ADD COLUMN traceparent VARCHAR(100);

-- downgrade
-- needs a live database (a SQLite batch rebuild reflects the table)
