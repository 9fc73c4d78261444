-- upgrade
CREATE TABLE user_session (
    id UUID NOT NULL, 
    user_id UUID NOT NULL, 
    token_hash VARCHAR(64) NOT NULL, 
    created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    last_used_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL, 
    revoked_at TIMESTAMP WITH TIME ZONE, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_user_session_user_id ON user_session (user_id);

ALTER TABLE users ADD COLUMN token_epoch INTEGER DEFAULT '0' NOT NULL;

-- downgrade
ALTER TABLE users DROP COLUMN token_epoch;

DROP INDEX ix_user_session_user_id;

DROP TABLE user_session;

