#!/usr/bin/env bash
# Installs (from Debian) and starts a PostgreSQL server for the tests, on 127.0.0.1:55432 (its own cluster, beside any Debian one),
# with a superuser ferry/ferry. Idempotent: safe to run when it is already up.
# Prints the connection URL for FERRY_TEST_POSTGRES on its last line.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
data=/var/lib/ferry-ci/pgdata
if ! su postgres -c "$bin/pg_isready -h 127.0.0.1 -p 55432 -q" 2>/dev/null; then
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    chown -R postgres:postgres /var/lib/ferry-ci
    su postgres -c "$bin/initdb -D $data -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8" >&2
    cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = 55432
unix_socket_directories = '/tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 512MB
CONF
  fi
  su postgres -c "$bin/pg_ctl -D $data -l /var/lib/ferry-ci/postgres.log -w -t 60 start" >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "$bin/pg_isready -h 127.0.0.1 -p 55432 -q" && break
  sleep 1
done
su postgres -c "psql -h 127.0.0.1 -p 55432 -U postgres -tAc \"SELECT 1 FROM pg_roles WHERE rolname='ferry'\"" | grep -q 1 ||
  su postgres -c "psql -h 127.0.0.1 -p 55432 -U postgres -c \"CREATE ROLE ferry LOGIN SUPERUSER PASSWORD 'ferry'\"" >&2
# Members of ferry_password_required must give a password (SCRAM), over TCP and over the Unix socket in /tmp:
# the tests of PGPASSWORD, ~/.pgpass, services and FERRY_*_PASSWORD log in as such roles (everyone else: trust).
if ! grep -q '+ferry_password_required' "$data/pg_hba.conf"; then
  { printf 'local all +ferry_password_required scram-sha-256\nhost all +ferry_password_required 127.0.0.1/32 scram-sha-256\n'; cat "$data/pg_hba.conf"; } > "$data/pg_hba.conf.new"
  chown postgres:postgres "$data/pg_hba.conf.new"
  mv "$data/pg_hba.conf.new" "$data/pg_hba.conf"
  su postgres -c "$bin/pg_ctl -D $data reload" >&2
fi
su postgres -c "psql -h 127.0.0.1 -p 55432 -U postgres -tAc \"SELECT 1 FROM pg_roles WHERE rolname='ferry_password_required'\"" | grep -q 1 ||
  su postgres -c "psql -h 127.0.0.1 -p 55432 -U postgres -c \"CREATE ROLE ferry_password_required NOLOGIN\"" >&2
echo "postgres://ferry:ferry@127.0.0.1:55432/postgres"
