-- upgrade
DROP INDEX IF EXISTS ix_tasks_search;

ALTER TABLE tasks ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || description)) STORED;

CREATE INDEX ix_tasks_search ON tasks USING gin (search_vector);

-- downgrade
DROP INDEX IF EXISTS ix_tasks_search;

ALTER TABLE tasks DROP COLUMN search_vector;

CREATE INDEX ix_tasks_search ON tasks USING gin (to_tsvector('english', title || ' ' || description));

