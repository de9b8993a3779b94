#!/usr/bin/env bash
# Measures one tenant move with the demo schema: export and import time, rows/s, peak RSS and
# archive size, on SQLite and on PostgreSQL; then the SQLite tenant imported into an empty MariaDB database
# (samples/community/schema.mariadb.sql; MARIADB=0 skips it). The tenant (group 1) has about 9.2*SCALE rows (SCALE=12000: 110k) and the
# database holds GROUPS groups of that size.
#   bench/core.sh [SCALE=12000] [GROUPS=3]
# Needs sqlite3, /usr/bin/time (Debian package "time") and, for PostgreSQL and MariaDB, .ci/postgres.sh and .ci/mariadb.sh (root).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale=${1:-12000}
groups=${2:-3}
work="$(mktemp -d /tmp/ferry-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export FERRY_PASSWORD=bench-password
"$here/ferry" --help >/dev/null

# Portable data generation (SQLite recursive CTE / PostgreSQL generate_series) for group g.
gen() { # $1 = sqlite|postgres
  local series
  for g in $(seq 1 "$groups"); do
    if [ "$1" = sqlite ]; then series() { echo "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) SELECT i FROM n)"; }; uuid=""; json=""; pad() { echo "substr('000000000000' || ($1), -12, 12)"; }
    else series() { echo "(SELECT generate_series(1, $1) AS i)"; }; uuid="::uuid"; json="::jsonb"; pad() { echo "lpad(($1)::text, 12, '0')"; }; fi
    local u=$(( (g - 1) * scale ))   # user id offset
    local a=$(( (g - 1) * scale ))   # activity id offset
    local m=$(( (g - 1) * scale * 4 ))
    local p=$(( (g - 1) * scale / 10 ))
    cat <<SQL
INSERT INTO groups (id, slug, name, created_at) VALUES ($g, 'group-$g', 'Group $g', '2024-01-01 10:00:00');
INSERT INTO users (id, email, display_name, current_group_id, created_at) SELECT $u + i, 'user' || ($u + i) || '@example.org', 'User ' || i, $g, '2024-01-01 10:00:00' FROM $(series $scale) s;
INSERT INTO memberships (group_id, user_id, role, joined_at) SELECT $g, $u + i, 'member', '2024-01-02 10:00:00' FROM $(series $scale) s;
INSERT INTO places (id, group_id, name, latitude, longitude) SELECT $p + i, $g, 'Place ' || i, 48.1, 11.5 FROM $(series $(( scale / 10 ))) s;
INSERT INTO activities (id, group_id, place_id, title, starts_at, fee, max_participants) SELECT $a + i, $g, $p + 1 + (i % $(( scale / 10 ))), 'Activity ' || i, '2024-05-01 10:00:00+02:00', 12.5, 20 FROM $(series $scale) s;
INSERT INTO activity_participants (activity_id, user_id, status) SELECT $a + i, $u + i, 'going' FROM $(series $scale) s;
INSERT INTO activity_participants (activity_id, user_id, status) SELECT $a + i, $u + 1 + (i % $(( scale - 1 ))), 'maybe' FROM $(series $scale) s WHERE $u + i <> $u + 1 + (i % $(( scale - 1 )));
INSERT INTO conversations (id, group_id, subject) SELECT ('00000000-0000-4000-8000-' || $(pad "$g * 1000000 + i"))$uuid, $g, 'Conversation ' || i FROM $(series $(( scale / 10 ))) s;
INSERT INTO messages (id, conversation_id, author_id, reply_to_id, body, metadata, sent_at) SELECT $m + i, ('00000000-0000-4000-8000-' || $(pad "$g * 1000000 + 1 + (i % $(( scale / 10 )))"))$uuid, $u + 1 + (i % $scale), CASE WHEN i > $(( scale / 10 )) THEN $m + i - $(( scale / 10 )) END, 'Message body number ' || i || ' with some text 🌱', ('{"n": ' || i || '}')$json, '2024-06-01 10:00:00' FROM $(series $(( scale * 4 ))) s;
SQL
  done
}

measure() { # label, command... → prints "label seconds maxrss_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
  echo "$label $(cat "$work/time")"
}

report() { # engine source target
  local rows
  measure export "$here/ferry" export --from "$2" --root groups --ids 1 -o "$work/a.tar.gpg" --force > "$work/export"
  rows=$(grep -Eo 'Export complete: [0-9,]+ rows' "$work/log" | grep -Eo '[0-9,]+' | tr -d ,)
  measure import "$here/ferry" import "$work/a.tar.gpg" --to "$3" > "$work/import"
  local size; size=$(stat -c %s "$work/a.tar.gpg")
  read -r _ es em < "$work/export"; read -r _ is im < "$work/import"
  printf '%-9s tenant %8d rows | export %6.2f s %9.0f rows/s %4d MB RSS | import %6.2f s %9.0f rows/s %4d MB RSS | archive %5.1f MB\n' \
    "$1" "$rows" "$es" "$(echo "$rows / $es" | bc -l)" $((em / 1024)) "$is" "$(echo "$rows / $is" | bc -l)" $((im / 1024)) "$(echo "$size / 1048576" | bc -l)"
}

# SQLite
sqlite3 "$work/source.db" < "$here/samples/community/schema.sql"
sqlite3 "$work/target.db" < "$here/samples/community/schema.sql"
{ echo "BEGIN;"; gen sqlite; echo "COMMIT;"; } | sqlite3 "$work/source.db"
report sqlite "sqlite:$work/source.db" "sqlite:$work/target.db"

# PostgreSQL
url=${FERRY_TEST_POSTGRES:-$("$here/.ci/postgres.sh" | tail -n 1)}
base=${url%/*}
for db in ferry_bench_source ferry_bench_target; do
  psql -q "$url" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  psql -q "$base/$db" -f "$here/samples/community/schema.postgres.sql" >/dev/null
done
{ echo "BEGIN;"; gen postgres; echo "COMMIT; ANALYZE;"; } | psql -q -v ON_ERROR_STOP=1 "$base/ferry_bench_source" >/dev/null
report postgres "$base/ferry_bench_source" "$base/ferry_bench_target"
for db in ferry_bench_source ferry_bench_target; do psql -q "$url" -c "DROP DATABASE $db" >/dev/null; done

# MariaDB as the target of the SQLite tenant (the archive of the SQLite run, moved again)
if [ "${MARIADB:-1}" != 0 ]; then
  murl=${FERRY_TEST_MARIADB:-$("$here/.ci/mariadb.sh" | tail -n 1)}
  mbase=${murl%/*}
  mariadb -e "DROP DATABASE IF EXISTS ferry_bench_target; CREATE DATABASE ferry_bench_target CHARACTER SET utf8mb4"
  mariadb ferry_bench_target < "$here/samples/community/schema.mariadb.sql"
  "$here/ferry" export --from "sqlite:$work/source.db" --root groups --ids 1 -o "$work/m.tar.gpg" --force >/dev/null 2>&1
  measure import "$here/ferry" import "$work/m.tar.gpg" --to "$mbase/ferry_bench_target" > "$work/import"
  read -r _ is im < "$work/import"
  printf '%-9s import %6.2f s %4d MB RSS (the SQLite tenant)\n' mariadb "$is" $((im / 1024))
  mariadb -e "DROP DATABASE ferry_bench_target"
fi