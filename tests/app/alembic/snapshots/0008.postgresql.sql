-- upgrade
ALTER TABLE tasks ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;

CREATE TABLE saved_views (
    id SERIAL NOT NULL, 
    user_id UUID NOT NULL, 
    name VARCHAR(100) NOT NULL, 
    name_key VARCHAR(100) NOT NULL, 
    filters JSON NOT NULL, 
    created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
    CONSTRAINT uq_saved_views_user_name_key UNIQUE (user_id, name_key)
);

-- downgrade
DROP TABLE saved_views;

DELETE FROM tasks WHERE deleted_at IS NOT NULL;

ALTER TABLE tasks DROP COLUMN deleted_at;

