-- upgrade
CREATE TABLE user_session (
    id CHAR(32) NOT NULL, 
    user_id CHAR(32) NOT NULL, 
    token_hash VARCHAR(64) NOT NULL, 
    created_at DATETIME NOT NULL, 
    last_used_at DATETIME NOT NULL, 
    expires_at DATETIME NOT NULL, 
    revoked_at DATETIME, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_user_session_user_id ON user_session (user_id);

ALTER TABLE users ADD COLUMN token_epoch INTEGER DEFAULT '0' NOT NULL;

-- downgrade
-- needs a live database (a SQLite batch rebuild reflects the table)
