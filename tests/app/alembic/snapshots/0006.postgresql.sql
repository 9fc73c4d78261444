-- upgrade
ALTER TABLE outbox ADD COLUMN traceparent VARCHAR(100);

-- downgrade
ALTER TABLE outbox DROP COLUMN traceparent;

