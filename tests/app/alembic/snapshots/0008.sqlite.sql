-- upgrade
ALTER TABLE tasks ADD COLUMN deleted_at DATETIME;

CREATE TABLE saved_views (
    id INTEGER NOT NULL, 
    user_id CHAR(32) NOT NULL, 
    name VARCHAR(100) NOT NULL, 
    name_key VARCHAR(100) NOT NULL, 
    filters JSON NOT NULL, 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
    CONSTRAINT uq_saved_views_user_name_key UNIQUE (user_id, name_key)
);

-- downgrade
DROP TABLE saved_views;

DELETE FROM tasks WHERE deleted_at IS NOT NULL;

ALTER TABLE tasks DROP COLUMN deleted_at;

