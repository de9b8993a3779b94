-- Ferry's demo app: a small community platform (SQLite).
-- Groups own places, activities and conversations; users belong to several groups.
-- Shapes worth moving carefully:
--   memberships, activity_participants: composite primary keys
--   conversations.id: a UUID key (kept as is on import)
--   conversations.latest_message_id ↔ messages.conversation_id: a cycle
--   messages.reply_to_id: a self-reference (threads)
--   users.current_group_id: a nullable reference into the tenant that is not followed
CREATE TABLE groups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT,
    is_public   BOOLEAN NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    email            TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    avatar           BLOB,
    current_group_id INTEGER REFERENCES groups (id),
    created_at       TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    group_id  INTEGER NOT NULL REFERENCES groups (id),
    user_id   INTEGER NOT NULL REFERENCES users (id),
    role      TEXT NOT NULL DEFAULT 'member',
    joined_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE places (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id  INTEGER NOT NULL REFERENCES groups (id),
    name      TEXT NOT NULL,
    latitude  REAL,
    longitude REAL,
    UNIQUE (group_id, name)
);

CREATE TABLE activities (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id         INTEGER NOT NULL REFERENCES groups (id),
    place_id         INTEGER REFERENCES places (id),
    title            TEXT NOT NULL,
    starts_at        TIMESTAMPTZ NOT NULL,
    fee              DECIMAL(10, 2),
    max_participants INTEGER
);

CREATE TABLE activity_participants (
    activity_id INTEGER NOT NULL REFERENCES activities (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    status      TEXT NOT NULL DEFAULT 'going',
    PRIMARY KEY (activity_id, user_id)
);

CREATE TABLE conversations (
    id                UUID PRIMARY KEY,
    group_id          INTEGER NOT NULL REFERENCES groups (id),
    subject           TEXT NOT NULL,
    latest_message_id INTEGER REFERENCES messages (id)
);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id UUID NOT NULL REFERENCES conversations (id),
    author_id       INTEGER NOT NULL REFERENCES users (id),
    reply_to_id     INTEGER REFERENCES messages (id),
    body            TEXT NOT NULL,
    metadata        JSON,
    sent_at         TIMESTAMP NOT NULL
);

CREATE INDEX memberships_user ON memberships (user_id);
CREATE INDEX places_group ON places (group_id);
CREATE INDEX activities_group ON activities (group_id);
CREATE INDEX activities_place ON activities (place_id);
CREATE INDEX participants_user ON activity_participants (user_id);
CREATE INDEX conversations_group ON conversations (group_id);
CREATE INDEX messages_conversation ON messages (conversation_id);
CREATE INDEX messages_reply ON messages (reply_to_id);
CREATE INDEX users_current_group ON users (current_group_id);
