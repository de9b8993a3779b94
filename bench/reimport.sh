#!/usr/bin/env bash
# Measures issue 16's repeated imports with the demo schema (the tenant of bench/core.sh: about 9.2*SCALE rows):
# the first import (which writes the ledger: its own step "record ledger" is shown), the same tenant again with
# --update when nothing changed, and again after 1% of its activities and messages were edited at the source; then
# --update --sync after 1% of its activities (with their participants) were deleted at the source, and once more.
# For "mariadb" the tenant comes from the SQLite source (edited there) and goes into a MariaDB target.
#   bench/reimport.sh [SCALE=30000] [ENGINES="sqlite postgres"]   (ENGINES may also name mariadb)
# FERRY=path/to/ferry-launcher-or-Ferry.Cli.dll measures another build (A/B runs); default: ./ferry.
# Needs sqlite3, /usr/bin/time and, for PostgreSQL and MariaDB, .ci/postgres.sh and .ci/mariadb.sh (root).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale=${1:-30000}
engines=${2:-sqlite postgres}
groups=1
work="$(mktemp -d /tmp/ferry-reimport.XXXXXX)"
trap 'cp "$work/log" /tmp/ferry-reimport-last.log 2>/dev/null; rm -rf "$work"' EXIT
export FERRY_PASSWORD=bench-password
ferry=${FERRY:-$here/ferry}
if [[ $ferry == *.dll ]]; then ferry=(dotnet "$ferry"); else ferry=("$ferry"); fi
"${ferry[@]}" --help >/dev/null
# The data generator of bench/core.sh, so that both measure the same tenant.
eval "$(sed -n '/^gen() {/,/^}/p' "$here/bench/core.sh")"

step() { # label, command... → "label: seconds, peak RSS" and the ledger step of the import's --verbose log
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
  read -r s m u k < "$work/time"
  printf '  %-34s %6.2f s %6.2f s CPU %5d MB RSS  %s\n' "$label" "$s" "$(echo "$u + $k" | bc)" $((m / 1024)) "$(grep -E "record ledger|compare rows" "$work/log" | tr -s " " | paste -sd ";" - || true)"
  grep -E 'rows inserted|Nothing changed' "$work/log" | sed 's/^/    /' || true
}

run() { # engine source target
  local sql
  step "export" "${ferry[@]}" export --from "$2" --root groups --ids 1 -o "$work/a.tar.gpg" --force
  step "first import (records the ledger)" "${ferry[@]}" import "$work/a.tar.gpg" --to "$3" --verbose
  step "--update, nothing changed" "${ferry[@]}" import "$work/a.tar.gpg" --to "$3" --update --verbose
  sql="UPDATE activities SET title = title || ' (edited)' WHERE id % 100 = 0; UPDATE messages SET body = body || ' (edited)' WHERE id % 100 = 0;"
  if [ "$1" = sqlite ]; then sqlite3 "${2#sqlite:}" "$sql"; else psql -q "$2" -c "$sql" >/dev/null; fi
  step "export after 1% edits" "${ferry[@]}" export --from "$2" --root groups --ids 1 -o "$work/a.tar.gpg" --force
  step "--update, 1% of rows changed" "${ferry[@]}" import "$work/a.tar.gpg" --to "$3" --update --verbose
  step "--update again, nothing changed" "${ferry[@]}" import "$work/a.tar.gpg" --to "$3" --update --verbose
  sql="DELETE FROM activity_participants WHERE activity_id % 100 = 7; DELETE FROM activities WHERE id % 100 = 7;"
  if [ "$1" = sqlite ]; then sqlite3 "${2#sqlite:}" "$sql"; else psql -q "$2" -c "$sql" >/dev/null; fi
  step "export after 1% of activities deleted" "${ferry[@]}" export --from "$2" --root groups --ids 1 -o "$work/a.tar.gpg" --force
  step "--update --sync, 1% deleted" "${ferry[@]}" import "$work/a.tar.gpg" --to "$3" --update --sync --verbose
  step "--update --sync again, nothing" "${ferry[@]}" import "$work/a.tar.gpg" --to "$3" --update --sync --verbose
}

for engine in $engines; do
  echo "$engine (SCALE=$scale)"
  if [ "$engine" = sqlite ]; then
    sqlite3 "$work/source.db" < "$here/samples/community/schema.sql"
    sqlite3 "$work/target.db" < "$here/samples/community/schema.sql"
    { echo "BEGIN;"; gen sqlite; echo "COMMIT;"; } | sqlite3 "$work/source.db"
    run sqlite "sqlite:$work/source.db" "sqlite:$work/target.db"
  elif [ "$engine" = mariadb ]; then
    murl=${FERRY_TEST_MARIADB:-$("$here/.ci/mariadb.sh" | tail -n 1)}
    sqlite3 "$work/source.db" < "$here/samples/community/schema.sql"
    { echo "BEGIN;"; gen sqlite; echo "COMMIT;"; } | sqlite3 "$work/source.db"
    mariadb -e "DROP DATABASE IF EXISTS ferry_reimport_target; CREATE DATABASE ferry_reimport_target CHARACTER SET utf8mb4"
    mariadb ferry_reimport_target < "$here/samples/community/schema.mariadb.sql"
    run sqlite "sqlite:$work/source.db" "${murl%/*}/ferry_reimport_target"
    mariadb -e "DROP DATABASE ferry_reimport_target"
  else
    url=${FERRY_TEST_POSTGRES:-$("$here/.ci/postgres.sh" | tail -n 1)}
    base=${url%/*}
    for db in ferry_reimport_source_$$ ferry_reimport_target_$$; do
      psql -q "$url" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
      psql -q "$base/$db" -f "$here/samples/community/schema.postgres.sql" >/dev/null
    done
    { echo "BEGIN;"; gen postgres; echo "COMMIT; ANALYZE;"; } | psql -q -v ON_ERROR_STOP=1 "$base/ferry_reimport_source_$$" >/dev/null
    run postgres "$base/ferry_reimport_source_$$" "$base/ferry_reimport_target_$$"
    for db in ferry_reimport_source_$$ ferry_reimport_target_$$; do psql -q "$url" -c "DROP DATABASE $db" >/dev/null; done
  fi
done
