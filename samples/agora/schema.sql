-- Agora 1: a neighbourhood app written the Rails way (SQLite). Most references are not declared,
-- so only a profile (agora.yaml) can tell Ferry what belongs to a group:
--   groups.owner_id, places.group_id, events.group_id, events.place_id: plain ids, no FOREIGN KEY
--   events.tag_ids: a JSON array of tag ids
--   comments.commentable_type + commentable_id: a polymorphic reference (Event or Place)
--   activity.payload: a JSON document with ids inside ($.event_id, $.user_ids[*])
--   places.photo: a path relative to the "uploads" file store
CREATE TABLE schema_info (revision INTEGER NOT NULL);
CREATE TABLE schema_migrations (version TEXT PRIMARY KEY);

CREATE TABLE users (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    email        TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    is_superuser BOOLEAN NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE groups (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    slug     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    owner_id INTEGER NOT NULL
);

CREATE TABLE memberships (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES groups (id),
    user_id  INTEGER NOT NULL REFERENCES users (id),
    role     TEXT NOT NULL DEFAULT 'member',
    UNIQUE (group_id, user_id)
);

CREATE TABLE tags (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    slug  TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL
);

CREATE TABLE places (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL,
    name     TEXT NOT NULL,
    photo    TEXT
);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id    INTEGER NOT NULL,
    place_id    INTEGER,
    title       TEXT NOT NULL,
    tag_ids     TEXT NOT NULL DEFAULT '[]',
    starts_at   TIMESTAMP NOT NULL,
    legacy_flag INTEGER
);

CREATE TABLE comments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    commentable_type TEXT NOT NULL,
    commentable_id   INTEGER NOT NULL,
    author_id        INTEGER NOT NULL REFERENCES users (id),
    body             TEXT NOT NULL
);

CREATE TABLE activity (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES groups (id),
    kind     TEXT NOT NULL,
    payload  TEXT NOT NULL
);

CREATE TABLE sessions (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token   TEXT NOT NULL UNIQUE
);

CREATE INDEX places_group ON places (group_id);
CREATE INDEX events_group ON events (group_id);
CREATE INDEX comments_target ON comments (commentable_type, commentable_id);
CREATE INDEX activity_group ON activity (group_id);
