#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 and lets the `postgres` role in without a
# password, as the tests expect (FLY_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
#
# - Already answering that way (a developer's own server, or an earlier run): nothing to do.
# - Otherwise, as root: installs PostgreSQL from Debian's packages when it is missing, and runs a
#   test-only cluster of its own in $FLY_TEST_PG_DIR (default /var/lib/postgresql/fly-registry-test):
#   trust auth, TCP on loopback only, no fsync (its data is scratch: every test file creates and drops
#   its own database). A Debian "main" cluster that this script's install started is stopped and set to
#   manual, so it never holds the port; a server that the script did not start is never touched.
set -euo pipefail

PORT=5432
DATA_DIR=${FLY_TEST_PG_DIR:-/var/lib/postgresql/fly-registry-test}

answers() { PGCONNECT_TIMEOUT=3 psql "postgres://postgres@127.0.0.1:$PORT/postgres" -Atqc 'select 1' >/dev/null 2>&1; }
port_taken() { pg_isready -q -h 127.0.0.1 -p "$PORT" >/dev/null 2>&1; }

if command -v psql >/dev/null 2>&1 && answers; then
  exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL does not answer on 127.0.0.1:$PORT for postgres without a password." >&2
  echo "Start one (trust auth for 127.0.0.1), or run the tests as root on Debian to have it installed," >&2
  echo "or point FLY_TEST_PG_URL at a server where the tests may create databases." >&2
  exit 1
fi

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

installed_now=false
if [ -z "$(bin_dir)" ] || [ ! -x "$(bin_dir)/initdb" ]; then
  echo "Installing PostgreSQL (Debian's packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  installed_now=true
fi
BIN=$(bin_dir)

# Debian's package may have created and started its own cluster on our port (scram auth, which the
# tests can't use). Only one that this run installed is stopped; anything else is the owner's.
if $installed_now && command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters --no-header 2>/dev/null | while read -r version name port status _; do
    if [ "$port" = "$PORT" ]; then
      echo "Stopping Debian's PostgreSQL cluster $version/$name (installed just now) to free port $PORT"
      [ "$status" = online ] && pg_ctlcluster --skip-systemctl-redirect "$version" "$name" stop || true
      echo manual > "/etc/postgresql/$version/$name/start.conf"
    fi
  done
fi

if port_taken && ! answers; then
  echo "Something on 127.0.0.1:$PORT is not a PostgreSQL that lets postgres in without a password." >&2
  echo "Stop it, or set FLY_TEST_PG_URL to a server the tests may use." >&2
  exit 1
fi

if [ ! -s "$DATA_DIR/PG_VERSION" ]; then
  echo "Creating the test PostgreSQL cluster in $DATA_DIR"
  mkdir -p "$DATA_DIR"
  chown postgres:postgres "$DATA_DIR"
  chmod 700 "$DATA_DIR"
  runuser -u postgres -- "$BIN/initdb" -D "$DATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

echo "Starting the test PostgreSQL on 127.0.0.1:$PORT"
runuser -u postgres -- "$BIN/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories='' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null

for _ in $(seq 1 30); do
  answers && exit 0
  sleep 1
done
echo "The test PostgreSQL did not answer; its log: $DATA_DIR/server.log" >&2
tail -n 20 "$DATA_DIR/server.log" >&2 || true
exit 1
