#!/usr/bin/env bash
# Measures Ferry's memory on hostile archives (docs/security.md, "Measured"): decompression bombs made by
# bench/Ferry.Hostile, each refused by import (SQLite and PostgreSQL targets) and by serve, with the peak RSS of
# each command (/usr/bin/time) and serve's resident memory after each refused push.
#   bench/hostile.sh [DIR]     (DIR: where the archives are written, default a temporary directory)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
url=$(.ci/postgres.sh | tail -n 1)
dir="${1:-$(mktemp -d /tmp/ferry-hostile.XXXXXX)}"
mkdir -p "$dir"
./ferry --version >/dev/null
dotnet build bench/Ferry.Hostile/Ferry.Hostile.csproj -c Release -o .build/hostile -nologo -v quiet -clp:ErrorsOnly >&2
dotnet .build/hostile/Ferry.Hostile.dll "$dir" >&2
export FERRY_PASSWORD="hostile archive password"
pg="${url%/postgres}/ferry_hostile"
psql -q "$url" -c "DROP DATABASE IF EXISTS ferry_hostile" -c "CREATE DATABASE ferry_hostile" >/dev/null
psql -q "$pg" -c "CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL)" >/dev/null
rm -f "$dir/target.db" && sqlite3 "$dir/target.db" "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
archives="member-bomb manifest-bomb pax-bomb wide-rows"
echo "| archive | size | import into SQLite: peak RSS | import into PostgreSQL: peak RSS | refused with |"
echo "| --- | ---: | ---: | ---: | --- |"
for a in $archives; do
  line="| $a | $(stat -c %s "$dir/$a.ferry" | numfmt --to=iec) |"
  for target in "sqlite:$dir/target.db" "$pg"; do
    /usr/bin/time -f "%M" -o "$dir/rss" ./ferry import "$dir/$a.ferry" --to "$target" 2>"$dir/err" >/dev/null || true
    line="$line $(( $(tail -n 1 "$dir/rss") / 1024 )) MB |"
  done
  echo "$line $(grep '^error:' "$dir/err" | cut -c1-90) |"
done
# serve: one long-lived process, each bomb pushed in turn; its resident memory after each refused import.
head -c 32 /dev/urandom | base64 > "$dir/token"
port=$((20000 + RANDOM % 20000))
./ferry serve --to "sqlite:$dir/target.db" --listen 127.0.0.1:$port --token-file "$dir/token" --allow 127.0.0.1/32 \
  --state-dir "$dir/state" --max-size 64M >"$dir/serve.log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$dir/serve.log" && break; sleep 0.2; done
pid=$(pgrep -P $serve -f Ferry.Cli.dll || echo $serve)
fingerprint=$(grep -o 'fingerprint: .*' "$dir/serve.log" | cut -d' ' -f2)
rss() { awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status; }
hwm() { awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status; }
echo
echo "| serve, after pushing | resident now | peak so far |"
echo "| --- | ---: | ---: |"
echo "| (started) | $(rss) MB | $(hwm) MB |"
for a in $archives; do
  ./ferry push "$dir/$a.ferry" --url "https://127.0.0.1:$port" --token-file "$dir/token" --pin "$fingerprint" >/dev/null 2>&1 || true
  sleep 1
  echo "| $a | $(rss) MB | $(hwm) MB |"
done
