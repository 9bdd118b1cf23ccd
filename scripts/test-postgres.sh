#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: a temporary data folder, a free loopback port, a random password.
#
#   eval "$(scripts/test-postgres.sh start)"   # prints export lines: TEST_DATABASE_URL, TEST_POSTGRES_DIR
#   npm test -- tests/unit/store                # the PostgreSQL suites now run
#   scripts/test-postgres.sh stop               # stops it and removes the folder (reads TEST_POSTGRES_DIR)
#
# Uses Debian's server (apt-get install postgresql); as root, initdb and the server run as the `postgres` user
# (runuser), because PostgreSQL refuses to run as root. Durability is off (fsync=off): the data is thrown away.
set -euo pipefail

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local newest
  newest=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -name initdb -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$newest" ]; then
    echo "test-postgres: no PostgreSQL server found; install it with: apt-get install -y postgresql" >&2
    exit 1
  fi
  dirname "$newest"
}

# Runs a server program as the postgres user when we are root, else as ourselves.
as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local bin dir port password
  bin=$(bindir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pm-advisor-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  password=$(node -e "console.log(require('node:crypto').randomBytes(12).toString('hex'))")
  printf '%s\n' "$password" >"$dir/pwfile"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/pwfile"
  as_server_user "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    --no-sync --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  # A port taken between choosing and binding makes the start fail: choose again a few times.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      >/dev/null; then
      echo "export TEST_POSTGRES_DIR=$dir"
      echo "export TEST_DATABASE_URL=postgres://postgres:$password@127.0.0.1:$port/postgres"
      return
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
}

stop() {
  local dir=${1:-${TEST_POSTGRES_DIR:-}}
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "test-postgres: nothing to stop (give the folder start printed, or set TEST_POSTGRES_DIR)" >&2
    return 0
  fi
  as_server_user "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
*)
  echo "usage: $0 start | stop [folder]" >&2
  exit 2
  ;;
esac
