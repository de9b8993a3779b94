-- Healthchecks (https://github.com/healthchecks/healthchecks, commit 29b5ec25), a Django app: the tables
-- its migrations create on MySQL/MariaDB (hc/settings.py's DB=mysql) with Django 5 (what `manage.py
-- sqlmigrate` prints there), written by hand from hc/accounts/models.py, hc/api/models.py and their
-- migrations, with Django's own auth and contenttypes tables. Django's style on MySQL (its
-- backends/mysql/base.py data_types): AUTO_INCREMENT keys, `bool` (TINYINT(1)), `datetime(6)` in UTC,
-- UUIDs as char(32), durations as microseconds in a bigint, GenericIPAddressField as char(39),
-- BinaryField as longblob, TextField as longtext, foreign keys added by ALTER TABLE and not deferrable
-- (InnoDB checks them row by row and indexes them itself, so Django adds no index of its own), and no
-- partial indexes (Django skips an index with a condition on MySQL: api_check_aa_not_down and
-- api_flip_not_processed do not exist here).
-- Healthchecks: Copyright (c) 2015, Pēteris Caune and other contributors, BSD 3-Clause licence.
-- Django: Copyright (c) Django Software Foundation and individual contributors, BSD 3-Clause licence.
-- Only the schema is here; the tests generate their own data (RealSchemas/HealthchecksData.cs).

CREATE TABLE `django_migrations` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `app` varchar(255) NOT NULL, `name` varchar(255) NOT NULL,
    `applied` datetime(6) NOT NULL);
CREATE TABLE `django_content_type` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `app_label` varchar(100) NOT NULL, `model` varchar(100) NOT NULL);
ALTER TABLE `django_content_type` ADD CONSTRAINT `django_content_type_app_label_model_76bd3d3b_uniq` UNIQUE (`app_label`, `model`);

CREATE TABLE `auth_permission` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(255) NOT NULL, `content_type_id` integer NOT NULL,
    `codename` varchar(100) NOT NULL);
ALTER TABLE `auth_permission` ADD CONSTRAINT `auth_permission_content_type_id_codename_01ab375a_uniq` UNIQUE (`content_type_id`, `codename`);
ALTER TABLE `auth_permission` ADD CONSTRAINT `auth_permission_content_type_id_2f476e4b_fk_django_co` FOREIGN KEY (`content_type_id`)
    REFERENCES `django_content_type` (`id`);
CREATE TABLE `auth_group` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(150) NOT NULL UNIQUE);
CREATE TABLE `auth_group_permissions` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `group_id` integer NOT NULL, `permission_id` integer NOT NULL);
ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `auth_group_permissions_group_id_permission_id_0cd325b0_uniq` UNIQUE (`group_id`, `permission_id`);
ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `auth_group_permissions_group_id_b120cbf9_fk_auth_group_id` FOREIGN KEY (`group_id`)
    REFERENCES `auth_group` (`id`);
ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `auth_group_permissio_permission_id_84c5c92e_fk_auth_perm` FOREIGN KEY (`permission_id`)
    REFERENCES `auth_permission` (`id`);
CREATE TABLE `auth_user` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `password` varchar(128) NOT NULL, `last_login` datetime(6) NULL,
    `is_superuser` bool NOT NULL, `username` varchar(150) NOT NULL UNIQUE, `first_name` varchar(150) NOT NULL, `last_name` varchar(150) NOT NULL,
    `email` varchar(254) NOT NULL, `is_staff` bool NOT NULL, `is_active` bool NOT NULL, `date_joined` datetime(6) NOT NULL);
CREATE TABLE `auth_user_groups` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `user_id` integer NOT NULL, `group_id` integer NOT NULL);
ALTER TABLE `auth_user_groups` ADD CONSTRAINT `auth_user_groups_user_id_group_id_94350c0c_uniq` UNIQUE (`user_id`, `group_id`);
ALTER TABLE `auth_user_groups` ADD CONSTRAINT `auth_user_groups_user_id_6a12ed8b_fk_auth_user_id` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `auth_user_groups` ADD CONSTRAINT `auth_user_groups_group_id_97559544_fk_auth_group_id` FOREIGN KEY (`group_id`) REFERENCES `auth_group` (`id`);
CREATE TABLE `django_admin_log` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `action_time` datetime(6) NOT NULL, `object_id` longtext NULL,
    `object_repr` varchar(200) NOT NULL, `action_flag` smallint UNSIGNED NOT NULL CHECK (`action_flag` >= 0), `change_message` longtext NOT NULL,
    `content_type_id` integer NULL, `user_id` integer NOT NULL);
ALTER TABLE `django_admin_log` ADD CONSTRAINT `django_admin_log_content_type_id_c4bce8eb_fk_django_co` FOREIGN KEY (`content_type_id`)
    REFERENCES `django_content_type` (`id`);
ALTER TABLE `django_admin_log` ADD CONSTRAINT `django_admin_log_user_id_c564eba6_fk_auth_user_id` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);

CREATE TABLE `accounts_profile` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `next_report_date` datetime(6) NULL, `reports` varchar(10) NOT NULL,
    `nag_period` bigint NOT NULL, `next_nag_date` datetime(6) NULL, `ping_log_limit` integer NOT NULL, `check_limit` integer NOT NULL,
    `token` varchar(128) NOT NULL, `last_sms_date` datetime(6) NULL, `sms_limit` integer NOT NULL, `sms_sent` integer NOT NULL,
    `last_call_date` datetime(6) NULL, `call_limit` integer NOT NULL, `calls_sent` integer NOT NULL, `sort` varchar(20) NOT NULL,
    `deletion_notice_date` datetime(6) NULL, `last_active_date` datetime(6) NULL, `tz` varchar(36) NOT NULL, `theme` varchar(10) NULL,
    `totp` varchar(32) NULL, `totp_created` datetime(6) NULL, `user_id` integer NOT NULL UNIQUE);
ALTER TABLE `accounts_profile` ADD CONSTRAINT `accounts_profile_user_id_49a85d32_fk_auth_user_id` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
CREATE TABLE `accounts_project` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `code` char(32) NOT NULL UNIQUE, `name` varchar(200) NOT NULL,
    `api_key` varchar(128) NOT NULL, `api_key_readonly` varchar(128) NOT NULL, `badge_key` varchar(150) NOT NULL UNIQUE,
    `ping_key` varchar(128) NULL UNIQUE, `show_slugs` bool NOT NULL, `owner_id` integer NOT NULL);
ALTER TABLE `accounts_project` ADD CONSTRAINT `accounts_project_owner_id_a3ee9cf6_fk_auth_user_id` FOREIGN KEY (`owner_id`) REFERENCES `auth_user` (`id`);
CREATE INDEX `accounts_project_api_key_bd7ebdd9` ON `accounts_project` (`api_key`);
CREATE TABLE `accounts_member` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `transfer_request_date` datetime(6) NULL, `role` varchar(1) NOT NULL,
    `project_id` integer NOT NULL, `user_id` integer NOT NULL);
ALTER TABLE `accounts_member` ADD CONSTRAINT `accounts_member_no_duplicates` UNIQUE (`user_id`, `project_id`);
ALTER TABLE `accounts_member` ADD CONSTRAINT `accounts_member_project_id_0abbf3b4_fk_accounts_project_id` FOREIGN KEY (`project_id`)
    REFERENCES `accounts_project` (`id`);
ALTER TABLE `accounts_member` ADD CONSTRAINT `accounts_member_user_id_e6c1a7e3_fk_auth_user_id` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);

CREATE TABLE `api_check` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(100) NOT NULL, `slug` varchar(100) NOT NULL,
    `tags` varchar(500) NOT NULL, `code` char(32) NOT NULL UNIQUE, `desc` longtext NOT NULL, `created` datetime(6) NOT NULL, `kind` varchar(10) NOT NULL,
    `timeout` bigint NOT NULL, `grace` bigint NOT NULL, `schedule` varchar(100) NOT NULL, `tz` varchar(36) NOT NULL,
    `filter_subject` bool NOT NULL, `filter_body` bool NOT NULL, `start_kw` varchar(200) NOT NULL, `success_kw` varchar(200) NOT NULL,
    `failure_kw` varchar(200) NOT NULL, `methods` varchar(30) NOT NULL, `manual_resume` bool NOT NULL, `badge_key` char(32) NOT NULL UNIQUE,
    `n_pings` integer NOT NULL, `last_ping` datetime(6) NULL, `last_start` datetime(6) NULL, `last_start_rid` char(32) NULL, `last_duration` bigint NULL,
    `has_confirmation_link` bool NOT NULL, `alert_after` datetime(6) NULL, `status` varchar(6) NOT NULL, `project_id` integer NOT NULL);
ALTER TABLE `api_check` ADD CONSTRAINT `api_check_project_id_2dc4a5e4_fk_accounts_project_id` FOREIGN KEY (`project_id`)
    REFERENCES `accounts_project` (`id`);
CREATE INDEX `api_check_project_slug` ON `api_check` (`project_id`, `slug`);
CREATE TABLE `api_ping` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `n` integer NULL, `created` datetime(6) NOT NULL, `kind` varchar(6) NULL,
    `scheme` varchar(10) NOT NULL, `remote_addr` char(39) NULL, `method` varchar(10) NOT NULL, `ua` varchar(200) NOT NULL, `body_raw` longblob NULL,
    `object_size` integer NULL, `exitstatus` smallint NULL, `rid` char(32) NULL, `owner_id` integer NOT NULL);
ALTER TABLE `api_ping` ADD CONSTRAINT `api_ping_owner_id_3bd6e9e3_fk_api_check_id` FOREIGN KEY (`owner_id`) REFERENCES `api_check` (`id`);
CREATE TABLE `api_channel` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(100) NOT NULL, `code` char(32) NOT NULL UNIQUE,
    `created` datetime(6) NOT NULL, `kind` varchar(20) NOT NULL, `value` longtext NOT NULL, `email_verified` bool NOT NULL, `disabled` bool NOT NULL,
    `last_notify` datetime(6) NULL, `last_notify_duration` bigint NULL, `last_error` varchar(200) NOT NULL, `project_id` integer NOT NULL);
ALTER TABLE `api_channel` ADD CONSTRAINT `api_channel_project_id_b0d3b1b5_fk_accounts_project_id` FOREIGN KEY (`project_id`)
    REFERENCES `accounts_project` (`id`);
CREATE TABLE `api_channel_checks` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `channel_id` integer NOT NULL, `check_id` integer NOT NULL);
ALTER TABLE `api_channel_checks` ADD CONSTRAINT `api_channel_checks_channel_id_check_id_4ee0b6d9_uniq` UNIQUE (`channel_id`, `check_id`);
ALTER TABLE `api_channel_checks` ADD CONSTRAINT `api_channel_checks_channel_id_7e5ad5a8_fk_api_channel_id` FOREIGN KEY (`channel_id`)
    REFERENCES `api_channel` (`id`);
ALTER TABLE `api_channel_checks` ADD CONSTRAINT `api_channel_checks_check_id_1c4ee4b3_fk_api_check_id` FOREIGN KEY (`check_id`) REFERENCES `api_check` (`id`);
CREATE TABLE `api_notification` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `code` char(32) NOT NULL UNIQUE, `check_status` varchar(6) NOT NULL,
    `created` datetime(6) NOT NULL, `error` varchar(200) NOT NULL, `channel_id` integer NOT NULL, `owner_id` integer NULL);
ALTER TABLE `api_notification` ADD CONSTRAINT `api_notification_channel_id_13bb5d77_fk_api_channel_id` FOREIGN KEY (`channel_id`)
    REFERENCES `api_channel` (`id`);
ALTER TABLE `api_notification` ADD CONSTRAINT `api_notification_owner_id_8a0a7ec2_fk_api_check_id` FOREIGN KEY (`owner_id`) REFERENCES `api_check` (`id`);
CREATE TABLE `api_flip` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `created` datetime(6) NOT NULL, `processed` datetime(6) NULL,
    `old_status` varchar(8) NOT NULL, `new_status` varchar(8) NOT NULL, `reason` varchar(8) NOT NULL, `owner_id` integer NOT NULL);
ALTER TABLE `api_flip` ADD CONSTRAINT `api_flip_owner_id_5f2b4f1e_fk_api_check_id` FOREIGN KEY (`owner_id`) REFERENCES `api_check` (`id`);
CREATE INDEX `api_flip_owner_created` ON `api_flip` (`owner_id`, `created`);
CREATE TABLE `api_tokenbucket` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `value` varchar(80) NOT NULL UNIQUE, `tokens` double precision NOT NULL,
    `updated` datetime(6) NOT NULL);
CREATE TABLE `logs_record` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `created` datetime(6) NOT NULL, `host` varchar(50) NOT NULL,
    `name` varchar(100) NOT NULL, `level` smallint UNSIGNED NOT NULL CHECK (`level` >= 0), `message` longtext NOT NULL, `traceback` longtext NOT NULL);
