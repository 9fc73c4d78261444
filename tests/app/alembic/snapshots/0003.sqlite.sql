-- upgrade
CREATE TABLE dead_letters (
    id INTEGER NOT NULL, 
    topic VARCHAR(100) NOT NULL, 
    consumer VARCHAR(50) NOT NULL, 
    "key" VARCHAR(100), 
    payload TEXT NOT NULL, 
    error TEXT NOT NULL, 
    failed_at DATETIME NOT NULL, 
    replayed_at DATETIME, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_dead_letters_topic ON dead_letters (topic);

CREATE TABLE processed_events (
    consumer VARCHAR(50) NOT NULL, 
    event_id VARCHAR(36) NOT NULL, 
    processed_at DATETIME NOT NULL, 
    PRIMARY KEY (consumer, event_id)
);

CREATE TABLE activity (
    id INTEGER NOT NULL, 
    event_id VARCHAR(36) NOT NULL, 
    user_id CHAR(32) NOT NULL, 
    task_id INTEGER NOT NULL, 
    topic VARCHAR(100) NOT NULL, 
    event_type VARCHAR(50) NOT NULL, 
    changes TEXT NOT NULL, 
    occurred_at DATETIME NOT NULL, 
    recorded_at DATETIME NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
    UNIQUE (event_id)
);

CREATE INDEX ix_activity_user_occurred ON activity (user_id, occurred_at, id);

CREATE TABLE notifications (
    id INTEGER NOT NULL, 
    event_id VARCHAR(36) NOT NULL, 
    user_id CHAR(32) NOT NULL, 
    task_id INTEGER NOT NULL, 
    title VARCHAR(500) NOT NULL, 
    message VARCHAR(1000) NOT NULL, 
    due_at DATETIME, 
    created_at DATETIME NOT NULL, 
    read_at DATETIME, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
    UNIQUE (event_id)
);

CREATE INDEX ix_notifications_user_created ON notifications (user_id, created_at, id);

-- downgrade
DROP INDEX ix_notifications_user_created;

DROP TABLE notifications;

DROP INDEX ix_activity_user_occurred;

DROP TABLE activity;

DROP TABLE processed_events;

DROP INDEX ix_dead_letters_topic;

DROP TABLE dead_letters;

