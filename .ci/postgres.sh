#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests: initdb in a temporary folder, as a
# non-root user, listening on 127.0.0.1 on a free port. Source it:
#   . .ci/postgres.sh && pg_start    # exports ASSAY_TEST_POSTGRES_URL, loads fixtures
#   pg_stop                          # stops the server and removes the folder
# Installs Debian's postgresql when it is missing.
pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$bin"
}

pg_start() {
  local bin user port
  bin=$(pg_bin)
  # initdb refuses to run as root: use the postgres user Debian's package creates, else make one.
  user=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    user=postgres
    id "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user"
  fi
  PG_DIR=$(mktemp -d /tmp/assay-pg.XXXXXX)
  chown "$user" "$PG_DIR"
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  local as=()
  [ "$user" != "$(id -un)" ] && as=(runuser -u "$user" --)
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U assay --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o "-h 127.0.0.1 -p $port -k $PG_DIR" start >/dev/null
  PG_AS=("${as[@]}")
  PG_CTL="$bin/pg_ctl"
  export ASSAY_TEST_POSTGRES_URL="postgres://assay@127.0.0.1:$port/postgres"
  "$bin/psql" -q -v ON_ERROR_STOP=1 "$ASSAY_TEST_POSTGRES_URL" -c 'CREATE DATABASE shop' >/dev/null
  export ASSAY_TEST_POSTGRES_URL="postgres://assay@127.0.0.1:$port/shop"
  PGOPTIONS="-c client_min_messages=warning" "$bin/psql" -q -v ON_ERROR_STOP=1 "$ASSAY_TEST_POSTGRES_URL" -f fixtures/postgres/shop.sql >/dev/null
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_AS[@]}" "$PG_CTL" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
