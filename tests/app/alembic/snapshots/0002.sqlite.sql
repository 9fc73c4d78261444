-- upgrade
CREATE TABLE outbox (
    id INTEGER NOT NULL, 
    topic VARCHAR(100) NOT NULL, 
    "key" VARCHAR(100) NOT NULL, 
    event_id VARCHAR(36) NOT NULL, 
    payload TEXT NOT NULL, 
    correlation_id VARCHAR(100), 
    created_at DATETIME NOT NULL, 
    published_at DATETIME, 
    attempts INTEGER NOT NULL, 
    PRIMARY KEY (id), 
    UNIQUE (event_id)
);

CREATE INDEX ix_outbox_pending ON outbox (published_at, id);

-- downgrade
DROP INDEX ix_outbox_pending;

DROP TABLE outbox;

