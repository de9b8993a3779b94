-- Ferry's demo app (samples/community/schema.sql) as a MariaDB application declares it: AUTO_INCREMENT keys,
-- VARCHAR where a key or a unique constraint needs a bounded length, TINYINT(1) booleans, DATETIME and TIMESTAMP,
-- MariaDB's UUID and JSON types, InnoDB foreign keys (the cycle closed by ALTER TABLE). Used by bench/core.sh.
CREATE TABLE `groups` (
    id          BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    slug        VARCHAR(100) NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT,
    is_public   TINYINT(1) NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL
) ENGINE=InnoDB;

CREATE TABLE users (
    id               BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    email            VARCHAR(255) NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    avatar           LONGBLOB,
    current_group_id BIGINT UNSIGNED,
    created_at       DATETIME NOT NULL,
    FOREIGN KEY (current_group_id) REFERENCES `groups` (id)
) ENGINE=InnoDB;

CREATE TABLE memberships (
    group_id  BIGINT UNSIGNED NOT NULL,
    user_id   BIGINT UNSIGNED NOT NULL,
    role      VARCHAR(20) NOT NULL DEFAULT 'member',
    joined_at DATETIME NOT NULL,
    PRIMARY KEY (group_id, user_id),
    FOREIGN KEY (group_id) REFERENCES `groups` (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB;

CREATE TABLE places (
    id        BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    group_id  BIGINT UNSIGNED NOT NULL,
    name      VARCHAR(200) NOT NULL,
    latitude  DOUBLE,
    longitude DOUBLE,
    UNIQUE (group_id, name),
    FOREIGN KEY (group_id) REFERENCES `groups` (id)
) ENGINE=InnoDB;

CREATE TABLE activities (
    id               BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    group_id         BIGINT UNSIGNED NOT NULL,
    place_id         BIGINT UNSIGNED,
    title            TEXT NOT NULL,
    starts_at        TIMESTAMP NOT NULL,
    fee              DECIMAL(10, 2),
    max_participants INT,
    FOREIGN KEY (group_id) REFERENCES `groups` (id),
    FOREIGN KEY (place_id) REFERENCES places (id)
) ENGINE=InnoDB;

CREATE TABLE activity_participants (
    activity_id BIGINT UNSIGNED NOT NULL,
    user_id     BIGINT UNSIGNED NOT NULL,
    status      VARCHAR(20) NOT NULL DEFAULT 'going',
    PRIMARY KEY (activity_id, user_id),
    FOREIGN KEY (activity_id) REFERENCES activities (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB;

CREATE TABLE conversations (
    id                UUID PRIMARY KEY,
    group_id          BIGINT UNSIGNED NOT NULL,
    subject           TEXT NOT NULL,
    latest_message_id BIGINT UNSIGNED,
    FOREIGN KEY (group_id) REFERENCES `groups` (id)
) ENGINE=InnoDB;

CREATE TABLE messages (
    id              BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    conversation_id UUID NOT NULL,
    author_id       BIGINT UNSIGNED NOT NULL,
    reply_to_id     BIGINT UNSIGNED,
    body            TEXT NOT NULL,
    metadata        JSON,
    sent_at         DATETIME NOT NULL,
    FOREIGN KEY (conversation_id) REFERENCES conversations (id),
    FOREIGN KEY (author_id) REFERENCES users (id),
    FOREIGN KEY (reply_to_id) REFERENCES messages (id)
) ENGINE=InnoDB;

ALTER TABLE conversations ADD FOREIGN KEY (latest_message_id) REFERENCES messages (id);
