-- Agora 2 on MySQL/MariaDB: the same app as Rails writes it there (see schema.mariadb.sql).
-- Agora 2 changes: users.display_name is now full_name; groups.visibility is new (NOT NULL, no default);
-- events.legacy_flag is gone. The profile's transforms bridge the two versions.
CREATE TABLE schema_info (revision int NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE schema_migrations (version varchar(255) NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE users (
    id           bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email        varchar(255) NOT NULL UNIQUE,
    full_name varchar(255) NOT NULL,
    is_superuser tinyint(1) NOT NULL DEFAULT 0,
    created_at   datetime(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `groups` (
    id       bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    slug     varchar(255) NOT NULL UNIQUE,
    name     varchar(255) NOT NULL,
    owner_id bigint NOT NULL,
    visibility varchar(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE memberships (
    id       bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    group_id bigint NOT NULL,
    user_id  bigint NOT NULL,
    role     varchar(255) NOT NULL DEFAULT 'member',
    UNIQUE (group_id, user_id),
    FOREIGN KEY (group_id) REFERENCES `groups` (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE tags (
    id    bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    slug  varchar(255) NOT NULL UNIQUE,
    label varchar(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE places (
    id       bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    group_id bigint NOT NULL,
    name     varchar(255) NOT NULL,
    photo    varchar(255)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE events (
    id          bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    group_id    bigint NOT NULL,
    place_id    bigint,
    title       varchar(255) NOT NULL,
    tag_ids     json NOT NULL DEFAULT '[]',
    starts_at   datetime(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE comments (
    id               bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    commentable_type varchar(255) NOT NULL,
    commentable_id   bigint NOT NULL,
    author_id        bigint NOT NULL,
    body             text NOT NULL,
    FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE activity (
    id       bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    group_id bigint NOT NULL,
    kind     varchar(255) NOT NULL,
    payload  json NOT NULL,
    FOREIGN KEY (group_id) REFERENCES `groups` (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sessions (
    id      bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id bigint NOT NULL,
    token   varchar(255) NOT NULL UNIQUE,
    FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX places_group ON places (group_id);
CREATE INDEX events_group ON events (group_id);
CREATE INDEX comments_target ON comments (commentable_type, commentable_id);
CREATE INDEX activity_group ON activity (group_id);
