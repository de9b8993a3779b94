-- Agora 2 target data on MySQL/MariaDB (times in UTC): another instance with its own groups (one also called "hillside"), people and tags.
INSERT INTO schema_info (revision) VALUES (2);
INSERT INTO users (id, email, full_name, is_superuser, created_at) VALUES
    (1, 'BOB@Example.org', 'Robert', 0, '2023-03-01 12:00:00'),
    (2, 'zoe@example.org', 'Zoe', 1, '2023-03-02 12:00:00');
INSERT INTO `groups` (id, slug, name, owner_id, visibility) VALUES
    (1, 'lakeside', 'Lakeside', 2, 'members'),
    (2, 'hillside', 'Hillside (the other one)', 2, 'public');
INSERT INTO memberships (id, group_id, user_id, role) VALUES (1, 1, 2, 'owner'), (2, 2, 1, 'member');
INSERT INTO tags (id, slug, label) VALUES (1, 'garden', 'Garden'), (2, 'music', 'Music'), (3, 'knitting', 'Knitting');
INSERT INTO places (id, group_id, name, photo) VALUES (1, 1, 'Lake', NULL), (2, 2, 'Other hill', 'places/hill.jpg');
INSERT INTO events (id, group_id, place_id, title, tag_ids, starts_at) VALUES
    (1, 1, 1, 'Swim', '[]', '2024-05-02 07:00:00'),
    (2, 2, 2, 'Hike', '[1]', '2024-05-03 07:00:00');
INSERT INTO comments (id, commentable_type, commentable_id, author_id, body) VALUES (1, 'Event', 1, 2, 'Cold water');
INSERT INTO activity (id, group_id, kind, payload) VALUES (1, 1, 'event.created', '{"event_id": 1, "user_ids": [2]}');
