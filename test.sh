#!/usr/bin/env bash
# Runs every test: unit, integration (real SQLite, PostgreSQL and MariaDB) and end-to-end through the CLI.
# Starts PostgreSQL and MariaDB first (installing them from Debian's packages when missing), so it works on a
# fresh machine. Ends with one line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -z "${FERRY_TEST_POSTGRES:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    FERRY_TEST_POSTGRES="$(.ci/postgres.sh | tail -n 1)" || { echo "error: could not start PostgreSQL (.ci/postgres.sh)" >&2; echo "0 passed, 1 failed"; exit 1; }
    export FERRY_TEST_POSTGRES
  else
    echo "note: not root, so PostgreSQL is not started here; set FERRY_TEST_POSTGRES or run .ci/postgres.sh as root" >&2
  fi
fi
if [ -z "${FERRY_TEST_MARIADB:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    FERRY_TEST_MARIADB="$(.ci/mariadb.sh | tail -n 1)" || { echo "error: could not start MariaDB (.ci/mariadb.sh)" >&2; echo "0 passed, 1 failed"; exit 1; }
    export FERRY_TEST_MARIADB
  else
    echo "note: not root, so MariaDB is not started here; set FERRY_TEST_MARIADB or run .ci/mariadb.sh as root" >&2
  fi
fi
for tool in gpg tar sqlite3; do
  command -v "$tool" >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnupg sqlite3 >/dev/null 2>&1; }
done
log="$(mktemp)"
dotnet test Ferry.slnx -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ]
