-- Agora 1 source data on MySQL/MariaDB (times in UTC): three groups; the demo and the tests move "hillside" (id 2).
INSERT INTO schema_info (revision) VALUES (1);
INSERT INTO schema_migrations (version) VALUES ('20240101000000'), ('20240301000000');
INSERT INTO users (id, email, display_name, is_superuser, created_at) VALUES
    (1, 'ann@example.org', 'Ann', 0, '2024-01-05 09:00:00'),
    (2, 'bob@example.org', 'Bob', 0, '2024-01-06 09:00:00'),
    (3, 'cat@example.org', 'Cat', 1, '2024-01-07 09:00:00'),
    (4, 'dan@example.org', 'Dan', 0, '2024-01-08 09:00:00'),
    (5, 'eve@example.org', 'Eve', 0, '2024-01-09 09:00:00');
INSERT INTO `groups` (id, slug, name, owner_id) VALUES
    (1, 'riverside', 'Riverside', 1),
    (2, 'hillside', 'Hillside', 3),
    (3, 'private-old-town', 'Old Town', 4);
INSERT INTO memberships (id, group_id, user_id, role) VALUES
    (1, 1, 1, 'owner'), (2, 1, 2, 'member'), (3, 2, 3, 'owner'), (4, 2, 2, 'member'), (5, 2, 5, 'member'), (6, 3, 4, 'owner');
INSERT INTO tags (id, slug, label) VALUES (1, 'music', 'Music'), (2, 'sports', 'Sports'), (3, 'garden', 'Garden');
INSERT INTO places (id, group_id, name, photo) VALUES
    (1, 1, 'River bank', 'places/river.jpg'),
    (2, 2, 'Community garden', 'places/garden.jpg'),
    (3, 2, 'Hill hall', 'places/hall.jpg'),
    (4, 2, 'Garden shed', 'places/shed.jpg'),
    (5, 3, 'Old square', NULL);
INSERT INTO events (id, group_id, place_id, title, tag_ids, starts_at, legacy_flag) VALUES
    (1, 1, 1, 'Clean-up', '[2]', '2024-05-01 10:00:00', NULL),
    (2, 2, 2, 'Planting day', '[3,1]', '2024-05-04 09:30:00', 1),
    (3, 2, 3, 'Concert', '[1]', '2024-06-21 19:00:00', NULL),
    (4, 2, 1, 'Walk to the river', '[]', '2024-07-01 08:00:00', NULL);
INSERT INTO comments (id, commentable_type, commentable_id, author_id, body) VALUES
    (1, 'Event', 2, 5, 'Count me in'),
    (2, 'Place', 3, 2, 'Lovely hall'),
    (3, 'Event', 1, 1, 'Bring gloves'),
    (4, 'Event', 3, 3, 'Bring chairs');
INSERT INTO activity (id, group_id, kind, payload) VALUES
    (1, 2, 'event.created', '{"event_id": 2, "user_ids": [3]}'),
    (2, 2, 'event.joined', '{"event_id": 3, "user_ids": [2, 5, 1]}'),
    (3, 1, 'event.created', '{"event_id": 1, "user_ids": [1]}');
INSERT INTO sessions (id, user_id, token) VALUES (1, 3, 'session-cat'), (2, 2, 'session-bob');
