-- upgrade
CREATE TABLE users (
    name VARCHAR(100) NOT NULL, 
    timezone VARCHAR(64) NOT NULL, 
    id UUID NOT NULL, 
    email VARCHAR(255) NOT NULL, 
    password_hash VARCHAR(255) NOT NULL, 
    failed_logins INTEGER NOT NULL, 
    locked_until TIMESTAMP WITH TIME ZONE, 
    created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_users_email ON users (email);

CREATE TABLE tags (
    name VARCHAR(50) NOT NULL, 
    id SERIAL NOT NULL, 
    user_id UUID NOT NULL, 
    name_key VARCHAR(50) NOT NULL, 
    created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
    CONSTRAINT uq_tags_user_name_key UNIQUE (user_id, name_key)
);

CREATE TABLE tasks (
    id SERIAL NOT NULL, 
    user_id UUID NOT NULL, 
    title VARCHAR(500) NOT NULL, 
    description TEXT DEFAULT '' NOT NULL, 
    completed BOOLEAN NOT NULL, 
    completed_at TIMESTAMP WITH TIME ZONE, 
    priority VARCHAR(2) NOT NULL, 
    due_at TIMESTAMP WITH TIME ZONE, 
    recurrence VARCHAR(500), 
    remind_before_minutes INTEGER, 
    remind_at TIMESTAMP WITH TIME ZONE, 
    reminder_sent BOOLEAN NOT NULL, 
    previous_occurrence_id INTEGER, 
    created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(previous_occurrence_id) REFERENCES tasks (id) ON DELETE SET NULL, 
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
    UNIQUE (previous_occurrence_id)
);

CREATE INDEX ix_tasks_reminder_due ON tasks (reminder_sent, remind_at);

CREATE INDEX ix_tasks_user_completed_created ON tasks (user_id, completed, created_at);

CREATE INDEX ix_tasks_user_created ON tasks (user_id, created_at);

CREATE INDEX ix_tasks_user_due ON tasks (user_id, due_at);

CREATE INDEX ix_tasks_user_priority_due ON tasks (user_id, priority, due_at);

CREATE INDEX ix_tasks_user_updated ON tasks (user_id, updated_at);

CREATE TABLE task_tags (
    task_id INTEGER NOT NULL, 
    tag_id INTEGER NOT NULL, 
    PRIMARY KEY (task_id, tag_id), 
    FOREIGN KEY(tag_id) REFERENCES tags (id) ON DELETE CASCADE, 
    FOREIGN KEY(task_id) REFERENCES tasks (id) ON DELETE CASCADE
);

CREATE INDEX ix_task_tags_tag_id ON task_tags (tag_id);

-- downgrade
DROP INDEX ix_task_tags_tag_id;

DROP TABLE task_tags;

DROP INDEX ix_tasks_user_updated;

DROP INDEX ix_tasks_user_priority_due;

DROP INDEX ix_tasks_user_due;

DROP INDEX ix_tasks_user_created;

DROP INDEX ix_tasks_user_completed_created;

DROP INDEX ix_tasks_reminder_due;

DROP TABLE tasks;

DROP TABLE tags;

DROP INDEX ix_users_email;

DROP TABLE users;

