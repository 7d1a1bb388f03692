#!/bin/bash
# A private PostgreSQL cluster in one folder (stack.sh's DATABASE=postgresql),
# never the system's own cluster:
#
#   tools/postgres.sh start DIR      initdb on first use, start, create the
#                                    database "stratus" (idempotent)
#   tools/postgres.sh stop DIR       stop it (data stays)
#   tools/postgres.sh url DIR        its [database] connection URL
#   tools/postgres.sh sql DIR QUERY  run QUERY on "stratus", values only
#
# The server listens on a unix socket in DIR only (no TCP port), with trust
# authentication: DIR is mode 0700, so only its owner and root get in.
# initdb refuses root: as root the cluster runs as the user postgres that
# the Debian package creates. max_connections: every daemon process keeps
# a reader and a writer pool (up to 20 connections each, stratus/db/api.py).
set -euo pipefail

usage() { sed -n '2,10p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1
dir=$(realpath -m "$2")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] && [ "$cmd" != url ]; then
  echo "postgres.sh: PostgreSQL is not installed (tools/install-deps.sh)" >&2
  exit 1
fi
as=()
[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)

psql_do() {
  psql -h "$dir" -U postgres -X -Atq "$@"
}

case $cmd in
  start)
    mkdir -p "$dir"
    [ ${#as[@]} -eq 0 ] || chown postgres: "$dir"
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      opts="-c listen_addresses='' -c max_connections=300"
      opts="$opts -c unix_socket_directories=$dir"
      "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w \
        -t 60 -o "$opts" start >/dev/null
    fi
    if [ "$(psql_do -d postgres -c \
          "SELECT 1 FROM pg_database WHERE datname = 'stratus'")" != 1 ]; then
      psql_do -d postgres -c 'CREATE DATABASE stratus'
    fi
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null
    fi
    ;;
  url)
    echo "postgresql+psycopg://postgres@/stratus?host=$dir"
    ;;
  sql)
    [ $# -eq 3 ] || usage
    psql_do -d stratus -c "$3"
    ;;
  *) usage ;;
esac
