#!/usr/bin/env bash
# Runs the benchmark of docs/benchmarks.md with one command on a fresh machine (Debian 12, .NET 10 SDK, root for apt-get and PostgreSQL):
#   bench/run.sh [--sizes 100k,1M,5M] [--runs 3] [--engines postgres,sqlite,mariadb] [--big]
#   bench/run.sh --prepare --sizes 1M --engines postgres   generates that size's databases and leaves them, for measuring by hand
# Starts PostgreSQL (.ci/postgres.sh) and, when --engines names mariadb, MariaDB (.ci/mariadb.sh), installs sqlite3 and time if missing, builds Ferry, then the harness (bench/Ferry.Bench),
# which merges its results into docs/benchmarks.json and rewrites docs/benchmarks.md and docs/benchmarks.svg.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
if ! command -v sqlite3 >/dev/null || [ ! -x /usr/bin/time ] || ! command -v pg_dump >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 time postgresql-client >/dev/null
fi
url=$(.ci/postgres.sh | tail -n 1)
maria=()
case " $* " in *mariadb*) maria=(--mariadb "$(.ci/mariadb.sh | tail -n 1)") ;; esac
./ferry --help >/dev/null
# Every command measured runs this build: an edit of the sources during the run must not make ./ferry rebuild inside a
# timed command (it did, and the build's time and memory were counted as the export's).
export FERRY_NO_REBUILD=1
dotnet build bench/Ferry.Bench/Ferry.Bench.csproj -c Release -o .build/bench -nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet .build/bench/Ferry.Bench.dll --repo "$here" --pg "$url" "${maria[@]}" "$@"
