#!/usr/bin/env bash
# Installs (from Debian) and starts a MariaDB server for the tests, on 127.0.0.1:3306 (Debian's own service),
# with a user ferry/ferry that may create and drop databases. Idempotent: safe to run when it is already up.
# Prints the connection URL for FERRY_TEST_MARIADB on its last line.
set -euo pipefail
if [ ! -x /usr/sbin/mariadbd ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq mariadb-server >&2
fi
conf=/etc/mysql/mariadb.conf.d/99-ferry-ci.cnf
if [ ! -f "$conf" ]; then
  # Test server only: durability traded for speed, LOAD DATA LOCAL allowed (MySqlBulkCopy needs it).
  cat > "$conf" <<CONF
[mysqld]
bind-address = 127.0.0.1
port = 3306
local_infile = 1
innodb_flush_log_at_trx_commit = 0
innodb_doublewrite = 0
innodb_buffer_pool_size = 256M
max_connections = 300
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
CONF
  service mariadb restart >&2 || true
fi
if ! mariadb-admin ping --silent >/dev/null 2>&1; then
  service mariadb start >&2
fi
for _ in $(seq 1 30); do
  mariadb-admin ping --silent >/dev/null 2>&1 && break
  sleep 1
done
mariadb -e "CREATE USER IF NOT EXISTS 'ferry'@'127.0.0.1' IDENTIFIED BY 'ferry';
CREATE USER IF NOT EXISTS 'ferry'@'localhost' IDENTIFIED BY 'ferry';
GRANT ALL PRIVILEGES ON *.* TO 'ferry'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'ferry'@'localhost' WITH GRANT OPTION;" >&2
echo "mysql://ferry:ferry@127.0.0.1:3306/mysql"
