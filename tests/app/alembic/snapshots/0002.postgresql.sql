-- upgrade
CREATE TABLE outbox (
    id BIGSERIAL NOT NULL, 
    topic VARCHAR(100) NOT NULL, 
    key VARCHAR(100) NOT NULL, 
    event_id VARCHAR(36) NOT NULL, 
    payload TEXT NOT NULL, 
    correlation_id VARCHAR(100), 
    created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    published_at TIMESTAMP WITH TIME ZONE, 
    attempts INTEGER NOT NULL, 
    PRIMARY KEY (id), 
    UNIQUE (event_id)
);

CREATE INDEX ix_outbox_pending ON outbox (published_at, id);

CREATE INDEX ix_tasks_search ON tasks USING gin (to_tsvector('english', title || ' ' || description));

-- downgrade
DROP INDEX ix_tasks_search;

DROP INDEX ix_outbox_pending;

DROP TABLE outbox;

