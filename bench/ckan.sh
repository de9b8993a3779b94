#!/usr/bin/env bash
# The JSON-relations benchmark (issue 13): one organisation of the CKAN-like portal of samples/ckan moves
# between two instances, with five profile relations on ids inside activity.data (JSON documents).
# The source holds ORGS organisations of PACKAGES datasets each (12 activities, 3 tags and 2 resources
# per dataset), so the tenant is about 12,750 rows whatever ORGS is; the target already holds people,
# tags, vocabularies and thematic groups that the tenant shares.
#   bench/ckan.sh [--orgs 40] [--packages 675] [--engines postgres,sqlite] [--profile FILE] [--runs 3] [--keep]
# (--keep leaves the PostgreSQL databases ferry_ckan_source, _template and _target for a closer look.)
# Prints, per engine, the median wall time of plan, export and import, the import's "map keys" step, and peak RSS.
# Needs sqlite3, /usr/bin/time and, for PostgreSQL, .ci/postgres.sh (or FERRY_TEST_POSTGRES).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
orgs=40 packages=675 engines=postgres,sqlite runs=3 profile="$here/bench/ckan.yaml" keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --orgs) orgs=$2; shift 2 ;;
    --packages) packages=$2; shift 2 ;;
    --engines) engines=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d /tmp/ferry-ckan.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export FERRY_PASSWORD=bench-password
"$here/ferry" --help >/dev/null

# SQL that generates the source (or the target's shared rows) for engine $1.
gen() { # $1 = sqlite|postgres, $2 = source|target
  local e=$1
  if [ "$e" = sqlite ]; then
    series() { echo "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) SELECT i FROM n)"; }
    id() { echo "printf('%08d-0000-4000-8000-%012d', $1, $2)"; }
    t=1; f=0
  else
    series() { echo "(SELECT generate_series(1, $1) AS i)"; }
    id() { echo "(lpad(($1)::text, 8, '0') || '-0000-4000-8000-' || lpad(($2)::text, 12, '0'))"; }
    t=true; f=false
  fi
  local users=$(( orgs * 100 ))
  local shared_users=$users shared_tags=300
  [ "$2" = target ] && shared_users=60 && shared_tags=150
  cat <<SQL
INSERT INTO vocabulary (id, name) SELECT $(id 3 i), CASE i WHEN 1 THEN 'topics' ELSE 'formats' END FROM $(series 2) s;
INSERT INTO "user" (id, name, email, fullname, state, sysadmin, created)
  SELECT $(id 1 "i + CASE WHEN '$2' = 'target' THEN 900000 ELSE 0 END"), 'user-' || i, 'user-' || i || '@example.org', 'User ' || i, 'active',
         CASE WHEN i % 50 = 0 THEN $t ELSE $f END, '2024-01-01 10:00:00' FROM $(series $shared_users) s;
INSERT INTO tag (id, name, vocabulary_id)
  SELECT $(id 6 "i + CASE WHEN '$2' = 'target' THEN 900000 ELSE 0 END"), CASE WHEN i <= 100 THEN 'tag-' || i ELSE 'topic-' || i END,
         CASE WHEN i <= 100 THEN NULL ELSE $(id 3 "1 + i % 2") END FROM $(series $shared_tags) s;
INSERT INTO "group" (id, name, title, type, is_organization, created)
  SELECT $(id 2 "100000 + i + CASE WHEN '$2' = 'target' THEN 900000 ELSE 0 END"), 'theme-' || i, 'Theme ' || i, 'group', $f, '2024-01-01 10:00:00' FROM $(series 20) s;
SQL
  [ "$2" = target ] && return
  local p=$packages
  cat <<SQL
INSERT INTO "group" (id, name, title, type, is_organization, created)
  SELECT $(id 2 i), 'org-' || i, 'Organisation ' || i, 'organization', $t, '2024-01-01 10:00:00' FROM $(series $orgs) s;
INSERT INTO package (id, name, title, owner_org, creator_user_id, metadata_modified)
  SELECT $(id 4 i), 'pkg-' || i, 'Dataset ' || i, $(id 2 "1 + (i - 1) / $p"), $(id 1 "((i - 1) / $p) * 100 + 1 + i % 100"), '2024-02-01 10:00:00'
  FROM $(series $(( orgs * p ))) s;
INSERT INTO package_tag (id, package_id, tag_id)
  SELECT $(id 5 i), $(id 4 "1 + (i - 1) / 3"), $(id 6 "1 + ((i - 1) / 3 * 7 + (i % 3) * 31) % 300") FROM $(series $(( orgs * p * 3 ))) s;
INSERT INTO resource (id, package_id, url, format, position)
  SELECT $(id 7 i), $(id 4 "1 + (i - 1) / 2"), 'https://example.org/data/' || i || '.csv', 'CSV', i % 2 FROM $(series $(( orgs * p * 2 ))) s;
INSERT INTO member (id, group_id, table_name, table_id, capacity)
  SELECT $(id 8 i), $(id 2 "1 + (i - 1) / 100"), 'user', $(id 1 i), CASE WHEN i % 10 = 0 THEN 'admin' ELSE 'editor' END FROM $(series $users) s;
INSERT INTO member (id, group_id, table_name, table_id, capacity)
  SELECT $(id 8 "1000000 + i"), $(id 2 "100000 + 1 + i % 20"), 'package', $(id 4 i), 'public' FROM $(series $(( orgs * p ))) s WHERE i % 7 = 0;
INSERT INTO activity (id, timestamp, user_id, object_id, activity_type, data)
  SELECT $(id 9 i), '2024-03-01 10:00:00', $(id 1 "((k - 1) / $p) * 100 + 1 + k % 100"), $(id 4 k),
         CASE WHEN i % 12 = 1 THEN 'new package' ELSE 'changed package' END,
         '{"package": {"id": "' || $(id 4 k) || '", "name": "pkg-' || k || '", "owner_org": "' || $(id 2 "1 + (k - 1) / $p") ||
         '", "creator_user_id": "' || $(id 1 "((k - 1) / $p) * 100 + 1 + k % 100") ||
         '", "tags": [{"id": "' || $(id 6 "1 + ((k - 1) * 7 + 31) % 300") || '", "name": "a"}, {"id": "' || $(id 6 "1 + ((k - 1) * 7 + 62) % 300") ||
         '", "name": "b"}, {"id": "' || $(id 6 "1 + (k - 1) * 7 % 300") || '", "name": "c"}], "groups": [' ||
         CASE WHEN k % 7 = 0 THEN '{"id": "' || $(id 2 "100000 + 1 + k % 20") || '", "name": "theme"}' ELSE '' END || '], "tag_ids": ["' ||
         $(id 6 "1 + ((k - 1) * 7 + 31) % 300") || '", "' || $(id 6 "1 + (k - 1) * 7 % 300") || '"], "group_ids": [' ||
         CASE WHEN k % 7 = 0 THEN '"' || $(id 2 "100000 + 1 + k % 20") || '"' ELSE '' END || ']}, "actor": "user-' || k || '"}'
  FROM (SELECT i, 1 + (i - 1) / 12 AS k FROM $(series $(( orgs * p * 12 ))) s) a;
SQL
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # name, command... → appends "seconds rss_kb" to $work/name, keeps stderr in $work/name.log
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/$name.log" || { tail -5 "$work/$name.log" >&2; exit 1; }
  cat "$work/time" >> "$work/$name"
}

run_engine() { # engine source-url target-setup-command
  local engine=$1 source=$2 fresh=$3
  rm -f "$work"/plan "$work"/export "$work"/import "$work"/mapkeys
  mkdir -p /tmp/ferry-ckan-logs
  for _ in $(seq 1 "$runs"); do
    measure plan "$here/ferry" plan --from "$source" --profile "$profile" --ids "00000002-0000-4000-8000-000000000001"
    measure export "$here/ferry" export --from "$source" --profile "$profile" --ids "00000002-0000-4000-8000-000000000001" -o "$work/a.tar.gpg" --force
    local target; target=$($fresh)
    measure import "$here/ferry" import "$work/a.tar.gpg" --to "$target" --profile "$profile"
    sed -n 's/^map keys: .* in \([0-9.]*\) s$/\1/p' "$work/import.log" >> "$work/mapkeys"
  done
  local rows; rows=$(grep -Eo 'Export complete: [0-9,]+ rows' "$work/export.log" | grep -Eo '[0-9,]+' | tr -d ,)
  printf '%-9s tenant %6s rows | plan %6.2f s | export %6.2f s | import %6.2f s (map keys %s s) | peak RSS plan/export/import %d/%d/%d MB\n' \
    "$engine" "$rows" "$(cut -d' ' -f1 "$work/plan" | median)" "$(cut -d' ' -f1 "$work/export" | median)" "$(cut -d' ' -f1 "$work/import" | median)" \
    "$(median < "$work/mapkeys")" $(( $(cut -d' ' -f2 "$work/plan" | median) / 1024 )) $(( $(cut -d' ' -f2 "$work/export" | median) / 1024 )) \
    $(( $(cut -d' ' -f2 "$work/import" | median) / 1024 ))
  cp "$work"/*.log /tmp/ferry-ckan-logs/ 2>/dev/null || true
}

if [[ ",$engines," == *,sqlite,* ]]; then
  sqlite3 "$work/source.db" < "$here/samples/ckan/schema.sql"
  { echo "BEGIN;"; gen sqlite source; echo "COMMIT; ANALYZE;"; } | sqlite3 "$work/source.db"
  sqlite3 "$work/template.db" < "$here/samples/ckan/schema.sql"
  { echo "BEGIN;"; gen sqlite target; echo "COMMIT;"; } | sqlite3 "$work/template.db"
  sqlite_fresh() { cp "$work/template.db" "$work/target.db"; sync; echo "sqlite:$work/target.db"; }
  run_engine sqlite "sqlite:$work/source.db" sqlite_fresh
fi

if [[ ",$engines," == *,postgres,* ]]; then
  url=${FERRY_TEST_POSTGRES:-$("$here/.ci/postgres.sh" | tail -n 1)}
  base=${url%/*}
  for db in ferry_ckan_source ferry_ckan_template; do
    psql -q "$url" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    psql -q "$base/$db" -f "$here/samples/ckan/schema.postgres.sql" >/dev/null
  done
  { echo "BEGIN;"; gen postgres source; echo "COMMIT; ANALYZE;"; } | psql -q -v ON_ERROR_STOP=1 "$base/ferry_ckan_source" >/dev/null
  { echo "BEGIN;"; gen postgres target; echo "COMMIT; ANALYZE;"; } | psql -q -v ON_ERROR_STOP=1 "$base/ferry_ckan_template" >/dev/null
  pg_fresh() {
    psql -q "$url" -c "DROP DATABASE IF EXISTS ferry_ckan_target" -c "CREATE DATABASE ferry_ckan_target TEMPLATE ferry_ckan_template STRATEGY FILE_COPY" >/dev/null
    psql -q "$url" -c "CHECKPOINT" >/dev/null
    echo "$base/ferry_ckan_target"
  }
  run_engine postgres "$base/ferry_ckan_source" pg_fresh
  [ -n "$keep" ] || for db in ferry_ckan_source ferry_ckan_template ferry_ckan_target; do psql -q "$url" -c "DROP DATABASE IF EXISTS $db" >/dev/null; done
fi
