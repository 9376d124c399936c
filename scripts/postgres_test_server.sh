#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite's server pass (issue 20).
#
#   scripts/postgres_test_server.sh start [FOLDER]   prints the SQLAlchemy URL on stdout
#   scripts/postgres_test_server.sh stop FOLDER      stops the cluster and removes FOLDER
#
# start makes FOLDER (a new temporary folder without one), runs initdb in it and starts the server
# on 127.0.0.1, on the first free port from 5433 (5432 is usually a real server's). The settings
# trade durability for speed: a test database that a crash loses is simply made again. A login role
# with SUPERUSER owns the test databases: tests/server makes owners, clerks and group roles of its
# own, ends other sessions before dropping a database and reads pg_authid, as an office's server
# administrator would (the throwaway cluster listens on 127.0.0.1 only). As root (CI) the cluster runs as the postgres user: the server refuses to run as root.
set -euo pipefail

ROLE=lehrer_test
FIRST_PORT=5433
LAST_PORT=5499

say() { echo "postgres_test_server: $*" >&2; }

server_bin() {
  local dir
  # The newest installed major version: sort -V orders 9.6 < 10 < 15.
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    say "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
    exit 1
  fi
  echo "$dir"
}

# Run a command as the cluster's owner: the postgres user when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local folder=${1:-}
  local bin port password
  bin=$(server_bin)
  if [ -z "$folder" ]; then
    folder=$(mktemp -d "${TMPDIR:-/tmp}/lehrer-pg-XXXXXX")
  else
    mkdir -p "$folder"
  fi
  folder=$(cd "$folder" && pwd)
  if [ "$(id -u)" = "0" ]; then
    if ! id postgres >/dev/null 2>&1; then
      say "running as root needs the postgres user (apt-get install postgresql makes it)"
      exit 1
    fi
    chown postgres: "$folder"
  fi
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  as_owner "$bin/initdb" -D "$folder/data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 || {
    say "initdb failed:"; cat "$folder/initdb.log" >&2; exit 1; }
  # Test settings: no durability (fsync, synchronous commit, full pages), room for two xdist
  # workers' pools plus the concurrency tests' processes, and nothing listening but loopback.
  as_owner tee -a "$folder/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$folder'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 128MB
EOF
  for port in $(seq "$FIRST_PORT" "$LAST_PORT"); do
    port_free "$port" || continue
    if as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
      -o "-p $port" start >/dev/null 2>&1; then
      break
    fi
    # Another program took the port between the probe and the start: the next one.
    port=""
  done
  if [ -z "${port:-}" ]; then
    say "could not start a server on any port $FIRST_PORT-$LAST_PORT; see $folder/server.log"
    exit 1
  fi
  as_owner "$bin/psql" -h "$folder" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$password'" >/dev/null
  echo "$port" >"$folder/port"
  say "cluster in $folder on 127.0.0.1:$port (stop: $0 stop $folder)"
  echo "postgresql+psycopg://$ROLE:$password@127.0.0.1:$port/postgres"
}

stop() {
  local folder=${1:?usage: $0 stop FOLDER}
  local bin
  bin=$(server_bin)
  if [ -f "$folder/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$folder"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start [FOLDER] | stop FOLDER" >&2; exit 2 ;;
esac
