-- Healthchecks (https://github.com/healthchecks/healthchecks, commit 29b5ec25), a Django app: the tables
-- its migrations create on SQLite, its default database, with Django 5 (what `manage.py sqlmigrate`
-- prints), written by hand from hc/accounts/models.py, hc/api/models.py and their migrations, with
-- Django's own auth and contenttypes tables. Django's style on SQLite: AUTOINCREMENT keys, foreign keys
-- DEFERRABLE INITIALLY DEFERRED in the column, UUIDs as char(32), durations as microseconds in a bigint.
-- Healthchecks: Copyright (c) 2015, Pēteris Caune and other contributors, BSD 3-Clause licence.
-- Django: Copyright (c) Django Software Foundation and individual contributors, BSD 3-Clause licence.
-- Only the schema is here; the tests generate their own data (RealSchemas/HealthchecksData.cs).

CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL,
    "applied" datetime NOT NULL);
CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL);
CREATE UNIQUE INDEX "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model");
CREATE TABLE "auth_permission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "codename" varchar(100) NOT NULL,
    "name" varchar(255) NOT NULL);
CREATE UNIQUE INDEX "auth_permission_content_type_id_codename_01ab375a_uniq" ON "auth_permission" ("content_type_id", "codename");
CREATE INDEX "auth_permission_content_type_id_2f476e4b" ON "auth_permission" ("content_type_id");
CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE);
CREATE TABLE "auth_group_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED,
    "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE UNIQUE INDEX "auth_group_permissions_group_id_permission_id_0cd325b0_uniq" ON "auth_group_permissions" ("group_id", "permission_id");
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL,
    "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL,
    "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);
CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED,
    "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE UNIQUE INDEX "auth_user_groups_user_id_group_id_94350c0c_uniq" ON "auth_user_groups" ("user_id", "group_id");
CREATE TABLE "django_admin_log" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "object_id" text NULL, "object_repr" varchar(200) NOT NULL,
    "action_flag" smallint unsigned NOT NULL CHECK ("action_flag" >= 0), "change_message" text NOT NULL,
    "content_type_id" integer NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED,
    "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "action_time" datetime NOT NULL);

CREATE TABLE "accounts_profile" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "next_report_date" datetime NULL, "reports" varchar(10) NOT NULL,
    "nag_period" bigint NOT NULL, "next_nag_date" datetime NULL, "ping_log_limit" integer NOT NULL, "check_limit" integer NOT NULL,
    "token" varchar(128) NOT NULL, "last_sms_date" datetime NULL, "sms_limit" integer NOT NULL, "sms_sent" integer NOT NULL,
    "last_call_date" datetime NULL, "call_limit" integer NOT NULL, "calls_sent" integer NOT NULL, "sort" varchar(20) NOT NULL,
    "deletion_notice_date" datetime NULL, "last_active_date" datetime NULL, "tz" varchar(36) NOT NULL, "theme" varchar(10) NULL,
    "totp" varchar(32) NULL, "totp_created" datetime NULL,
    "user_id" integer NOT NULL UNIQUE REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "accounts_project" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "code" char(32) NOT NULL UNIQUE, "name" varchar(200) NOT NULL,
    "api_key" varchar(128) NOT NULL, "api_key_readonly" varchar(128) NOT NULL, "badge_key" varchar(150) NOT NULL UNIQUE,
    "ping_key" varchar(128) NULL UNIQUE, "show_slugs" bool NOT NULL,
    "owner_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "accounts_project_owner_id_a3ee9cf6" ON "accounts_project" ("owner_id");
CREATE INDEX "accounts_project_api_key_bd7ebdd9" ON "accounts_project" ("api_key");
CREATE TABLE "accounts_member" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "project_id" integer NOT NULL REFERENCES "accounts_project" ("id") DEFERRABLE INITIALLY DEFERRED,
    "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "transfer_request_date" datetime NULL,
    "role" varchar(1) NOT NULL, CONSTRAINT "accounts_member_no_duplicates" UNIQUE ("user_id", "project_id"));
CREATE INDEX "accounts_member_project_id_0abbf3b4" ON "accounts_member" ("project_id");
CREATE INDEX "accounts_member_user_id_e6c1a7e3" ON "accounts_member" ("user_id");

CREATE TABLE "api_check" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL, "slug" varchar(100) NOT NULL,
    "tags" varchar(500) NOT NULL, "code" char(32) NOT NULL UNIQUE, "desc" text NOT NULL, "created" datetime NOT NULL, "kind" varchar(10) NOT NULL,
    "timeout" bigint NOT NULL, "grace" bigint NOT NULL, "schedule" varchar(100) NOT NULL, "tz" varchar(36) NOT NULL,
    "filter_subject" bool NOT NULL, "filter_body" bool NOT NULL, "start_kw" varchar(200) NOT NULL, "success_kw" varchar(200) NOT NULL,
    "failure_kw" varchar(200) NOT NULL, "methods" varchar(30) NOT NULL, "manual_resume" bool NOT NULL, "badge_key" char(32) NOT NULL UNIQUE,
    "n_pings" integer NOT NULL, "last_ping" datetime NULL, "last_start" datetime NULL, "last_start_rid" char(32) NULL, "last_duration" bigint NULL,
    "has_confirmation_link" bool NOT NULL, "alert_after" datetime NULL, "status" varchar(6) NOT NULL,
    "project_id" integer NOT NULL REFERENCES "accounts_project" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "api_check_project_id_2dc4a5e4" ON "api_check" ("project_id");
CREATE INDEX "api_check_aa_not_down" ON "api_check" ("alert_after") WHERE NOT ("status" = 'down');
CREATE INDEX "api_check_project_slug" ON "api_check" ("project_id", "slug");
CREATE TABLE "api_ping" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "n" integer NULL, "created" datetime NOT NULL, "kind" varchar(6) NULL,
    "scheme" varchar(10) NOT NULL, "remote_addr" char(39) NULL, "method" varchar(10) NOT NULL, "ua" varchar(200) NOT NULL, "body_raw" BLOB NULL,
    "object_size" integer NULL, "exitstatus" smallint NULL, "rid" char(32) NULL,
    "owner_id" integer NOT NULL REFERENCES "api_check" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "api_ping_owner_id_3bd6e9e3" ON "api_ping" ("owner_id");
CREATE TABLE "api_channel" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL, "code" char(32) NOT NULL UNIQUE,
    "created" datetime NOT NULL, "kind" varchar(20) NOT NULL, "value" text NOT NULL, "email_verified" bool NOT NULL, "disabled" bool NOT NULL,
    "last_notify" datetime NULL, "last_notify_duration" bigint NULL, "last_error" varchar(200) NOT NULL,
    "project_id" integer NOT NULL REFERENCES "accounts_project" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "api_channel_project_id_b0d3b1b5" ON "api_channel" ("project_id");
CREATE TABLE "api_channel_checks" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel_id" integer NOT NULL REFERENCES "api_channel" ("id") DEFERRABLE INITIALLY DEFERRED,
    "check_id" integer NOT NULL REFERENCES "api_check" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE UNIQUE INDEX "api_channel_checks_channel_id_check_id_4ee0b6d9_uniq" ON "api_channel_checks" ("channel_id", "check_id");
CREATE INDEX "api_channel_checks_check_id_1c4ee4b3" ON "api_channel_checks" ("check_id");
CREATE TABLE "api_notification" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "code" char(32) NOT NULL UNIQUE, "check_status" varchar(6) NOT NULL,
    "created" datetime NOT NULL, "error" varchar(200) NOT NULL,
    "channel_id" integer NOT NULL REFERENCES "api_channel" ("id") DEFERRABLE INITIALLY DEFERRED,
    "owner_id" integer NULL REFERENCES "api_check" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "api_notification_channel_id_13bb5d77" ON "api_notification" ("channel_id");
CREATE INDEX "api_notification_owner_id_8a0a7ec2" ON "api_notification" ("owner_id");
CREATE TABLE "api_flip" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "created" datetime NOT NULL, "processed" datetime NULL,
    "old_status" varchar(8) NOT NULL, "new_status" varchar(8) NOT NULL, "reason" varchar(8) NOT NULL,
    "owner_id" integer NOT NULL REFERENCES "api_check" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "api_flip_not_processed" ON "api_flip" ("processed") WHERE "processed" IS NULL;
CREATE INDEX "api_flip_owner_created" ON "api_flip" ("owner_id", "created");
CREATE TABLE "api_tokenbucket" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "value" varchar(80) NOT NULL UNIQUE, "tokens" real NOT NULL,
    "updated" datetime NOT NULL);
CREATE TABLE "logs_record" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "created" datetime NOT NULL, "host" varchar(50) NOT NULL,
    "name" varchar(100) NOT NULL, "level" smallint unsigned NOT NULL CHECK ("level" >= 0), "message" text NOT NULL, "traceback" text NOT NULL);
