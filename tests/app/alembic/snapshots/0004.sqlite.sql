-- upgrade
CREATE TABLE conversations (
    id INTEGER NOT NULL, 
    user_id CHAR(32) NOT NULL, 
    title VARCHAR(200) NOT NULL, 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_conversations_user_updated ON conversations (user_id, updated_at);

CREATE TABLE messages (
    id INTEGER NOT NULL, 
    conversation_id INTEGER NOT NULL, 
    role VARCHAR(20) NOT NULL, 
    content TEXT NOT NULL, 
    tool_calls TEXT NOT NULL, 
    created_at DATETIME NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(conversation_id) REFERENCES conversations (id) ON DELETE CASCADE
);

CREATE INDEX ix_messages_conversation_id ON messages (conversation_id, id);

-- downgrade
DROP INDEX ix_messages_conversation_id;

DROP TABLE messages;

DROP INDEX ix_conversations_user_updated;

DROP TABLE conversations;

