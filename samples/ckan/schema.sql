-- A CKAN-like open-data portal (SQLite; schema.postgres.sql is the same for PostgreSQL, schema.mariadb.sql for MariaDB),
-- made for Ferry's tests and benchmark: text UUID keys, "user" and "group" as table names, organisations and thematic
-- groups in one table, a polymorphic member table, an undeclared package.owner_org, and activity documents that embed
-- dataset, user, organisation, group and tag ids (some in arrays of objects).
CREATE TABLE "user" (
    id       text PRIMARY KEY,
    name     text NOT NULL UNIQUE,
    email    text,
    fullname text,
    state    text NOT NULL DEFAULT 'active',
    sysadmin BOOLEAN NOT NULL DEFAULT 0,
    created  TIMESTAMP NOT NULL
);
-- An e-mail is unique among active accounts only: a deleted account may share it.
CREATE UNIQUE INDEX user_email_active ON "user" (email) WHERE state = 'active';

CREATE TABLE "group" (
    id              text PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    title           text,
    type            text NOT NULL,
    is_organization BOOLEAN NOT NULL DEFAULT 0,
    state           text NOT NULL DEFAULT 'active',
    created         TIMESTAMP
);

CREATE TABLE vocabulary (
    id   text PRIMARY KEY,
    name text NOT NULL UNIQUE
);

-- Free tags have no vocabulary; (name, vocabulary_id) is unique, but NULLs never collide.
CREATE TABLE tag (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    vocabulary_id text REFERENCES vocabulary (id),
    UNIQUE (name, vocabulary_id)
);

CREATE TABLE package (
    id                text PRIMARY KEY,
    name              text NOT NULL UNIQUE,
    title             text,
    owner_org         text,                                -- the organisation: no foreign key
    creator_user_id   text REFERENCES "user" (id),
    private           BOOLEAN NOT NULL DEFAULT 0,
    state             text NOT NULL DEFAULT 'active',
    metadata_modified TIMESTAMP
);
CREATE INDEX package_owner_org ON package (owner_org);

CREATE TABLE package_tag (
    id         text PRIMARY KEY,
    package_id text NOT NULL REFERENCES package (id),
    tag_id     text NOT NULL REFERENCES tag (id),
    state      text NOT NULL DEFAULT 'active'
);
CREATE INDEX package_tag_package ON package_tag (package_id);

CREATE TABLE resource (
    id         text PRIMARY KEY,
    package_id text NOT NULL REFERENCES package (id),
    url        text,
    format     text,
    position   integer NOT NULL DEFAULT 0
);
CREATE INDEX resource_package ON resource (package_id);

-- Who and what belongs to a group: table_name says which table table_id points into.
CREATE TABLE member (
    id         text PRIMARY KEY,
    group_id   text NOT NULL REFERENCES "group" (id),
    table_name text NOT NULL,
    table_id   text NOT NULL,
    capacity   text NOT NULL,
    state      text NOT NULL DEFAULT 'active'
);
CREATE INDEX member_group ON member (group_id);
CREATE INDEX member_table ON member (table_id);

CREATE TABLE activity (
    id            text PRIMARY KEY,
    timestamp     TIMESTAMP NOT NULL,
    user_id       text,
    object_id     text,
    activity_type text NOT NULL,
    data          text
);
CREATE INDEX activity_object ON activity (object_id);
