-- A CKAN-like open-data portal (MariaDB/MySQL), made for Ferry's tests: the schema of schema.sql as a MySQL app
-- declares it. Text UUID keys as VARCHAR(36) and names as VARCHAR(100) (InnoDB cannot key a TEXT column without a
-- prefix), TINYINT(1) booleans, DATETIME(6) timestamps, InnoDB foreign keys, utf8mb4 (MariaDB's default collation
-- compares names and e-mails ignoring case). `user` and `group` as table names, organisations and thematic groups
-- in one table, a polymorphic member table, an undeclared package.owner_org, and activity documents (LONGTEXT, as the
-- other forms keep them in text) that embed dataset, user, organisation, group and tag ids (some in arrays of objects).
CREATE TABLE `user` (
    id           VARCHAR(36) NOT NULL,
    name         VARCHAR(100) NOT NULL,
    email        VARCHAR(254),
    fullname     TEXT,
    state        VARCHAR(20) NOT NULL DEFAULT 'active',
    sysadmin     TINYINT(1) NOT NULL DEFAULT 0,
    created      DATETIME(6) NOT NULL,
    -- An e-mail is unique among active accounts only: a deleted account may share it. MariaDB and MySQL have no
    -- partial index (PostgreSQL's and SQLite's UNIQUE ... WHERE state = 'active'), so the key is on a column that holds
    -- the e-mail of an active account and NULL otherwise; NULLs never collide. The database computes it on each side.
    email_active VARCHAR(254) AS (IF(state = 'active', email, NULL)) VIRTUAL,
    PRIMARY KEY (id),
    UNIQUE KEY user_name_key (name),
    UNIQUE KEY user_email_active (email_active)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `group` (
    id              VARCHAR(36) NOT NULL,
    name            VARCHAR(100) NOT NULL,
    title           TEXT,
    type            VARCHAR(100) NOT NULL,
    is_organization TINYINT(1) NOT NULL DEFAULT 0,
    state           VARCHAR(20) NOT NULL DEFAULT 'active',
    created         DATETIME(6),
    PRIMARY KEY (id),
    UNIQUE KEY group_name_key (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE vocabulary (
    id   VARCHAR(36) NOT NULL,
    name VARCHAR(100) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY vocabulary_name_key (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Free tags have no vocabulary; (name, vocabulary_id) is unique, but NULLs never collide.
CREATE TABLE tag (
    id            VARCHAR(36) NOT NULL,
    name          VARCHAR(100) NOT NULL,
    vocabulary_id VARCHAR(36),
    PRIMARY KEY (id),
    UNIQUE KEY tag_name_vocabulary_id_key (name, vocabulary_id),
    CONSTRAINT tag_vocabulary_id_fkey FOREIGN KEY (vocabulary_id) REFERENCES vocabulary (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE package (
    id                VARCHAR(36) NOT NULL,
    name              VARCHAR(100) NOT NULL,
    title             TEXT,
    owner_org         VARCHAR(36),                           -- the organisation: no foreign key
    creator_user_id   VARCHAR(36),
    private           TINYINT(1) NOT NULL DEFAULT 0,
    state             VARCHAR(20) NOT NULL DEFAULT 'active',
    metadata_modified DATETIME(6),
    PRIMARY KEY (id),
    UNIQUE KEY package_name_key (name),
    KEY package_owner_org (owner_org),
    CONSTRAINT package_creator_user_id_fkey FOREIGN KEY (creator_user_id) REFERENCES `user` (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE package_tag (
    id         VARCHAR(36) NOT NULL,
    package_id VARCHAR(36) NOT NULL,
    tag_id     VARCHAR(36) NOT NULL,
    state      VARCHAR(20) NOT NULL DEFAULT 'active',
    PRIMARY KEY (id),
    KEY package_tag_package (package_id),
    CONSTRAINT package_tag_package_id_fkey FOREIGN KEY (package_id) REFERENCES package (id),
    CONSTRAINT package_tag_tag_id_fkey FOREIGN KEY (tag_id) REFERENCES tag (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE resource (
    id         VARCHAR(36) NOT NULL,
    package_id VARCHAR(36) NOT NULL,
    url        TEXT,
    format     VARCHAR(100),
    position   INT NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY resource_package (package_id),
    CONSTRAINT resource_package_id_fkey FOREIGN KEY (package_id) REFERENCES package (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Who and what belongs to a group: table_name says which table table_id points into.
CREATE TABLE member (
    id         VARCHAR(36) NOT NULL,
    group_id   VARCHAR(36) NOT NULL,
    table_name VARCHAR(100) NOT NULL,
    table_id   VARCHAR(36) NOT NULL,
    capacity   VARCHAR(100) NOT NULL,
    state      VARCHAR(20) NOT NULL DEFAULT 'active',
    PRIMARY KEY (id),
    KEY member_group (group_id),
    KEY member_table (table_id),
    CONSTRAINT member_group_id_fkey FOREIGN KEY (group_id) REFERENCES `group` (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE activity (
    id            VARCHAR(36) NOT NULL,
    `timestamp`   DATETIME(6) NOT NULL,
    user_id       VARCHAR(36),
    object_id     VARCHAR(36),
    activity_type VARCHAR(100) NOT NULL,
    data          LONGTEXT,
    PRIMARY KEY (id),
    KEY activity_object (object_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
