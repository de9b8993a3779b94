-- Agora 2 on PostgreSQL: the same app; tag ids in a bigint[] and the activity payload in jsonb.
-- Agora 2 changes: users.display_name is now full_name; groups.visibility is new (NOT NULL, no default);
-- events.legacy_flag is gone. The profile's transforms bridge the two versions.
CREATE TABLE schema_info (revision integer NOT NULL);
CREATE TABLE schema_migrations (version text PRIMARY KEY);

CREATE TABLE users (
    id           bigserial PRIMARY KEY,
    email        text NOT NULL UNIQUE,
    full_name text NOT NULL,
    is_superuser boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL
);

CREATE TABLE groups (
    id       bigserial PRIMARY KEY,
    slug     text NOT NULL UNIQUE,
    name     text NOT NULL,
    owner_id bigint NOT NULL,
    visibility text NOT NULL
);

CREATE TABLE memberships (
    id       bigserial PRIMARY KEY,
    group_id bigint NOT NULL REFERENCES groups (id),
    user_id  bigint NOT NULL REFERENCES users (id),
    role     text NOT NULL DEFAULT 'member',
    UNIQUE (group_id, user_id)
);

CREATE TABLE tags (
    id    bigserial PRIMARY KEY,
    slug  text NOT NULL UNIQUE,
    label text NOT NULL
);

CREATE TABLE places (
    id       bigserial PRIMARY KEY,
    group_id bigint NOT NULL,
    name     text NOT NULL,
    photo    text
);

CREATE TABLE events (
    id          bigserial PRIMARY KEY,
    group_id    bigint NOT NULL,
    place_id    bigint,
    title       text NOT NULL,
    tag_ids     bigint[] NOT NULL DEFAULT '{}',
    starts_at   timestamptz NOT NULL
);

CREATE TABLE comments (
    id               bigserial PRIMARY KEY,
    commentable_type text NOT NULL,
    commentable_id   bigint NOT NULL,
    author_id        bigint NOT NULL REFERENCES users (id),
    body             text NOT NULL
);

CREATE TABLE activity (
    id       bigserial PRIMARY KEY,
    group_id bigint NOT NULL REFERENCES groups (id),
    kind     text NOT NULL,
    payload  jsonb NOT NULL
);

CREATE TABLE sessions (
    id      bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    token   text NOT NULL UNIQUE
);

CREATE INDEX places_group ON places (group_id);
CREATE INDEX events_group ON events (group_id);
CREATE INDEX comments_target ON comments (commentable_type, commentable_id);
CREATE INDEX activity_group ON activity (group_id);
