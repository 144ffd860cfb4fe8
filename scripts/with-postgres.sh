#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then stop and delete it,
# whatever the command's exit status:  scripts/with-postgres.sh pytest -q
set -euo pipefail

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [ ! -x "$PG_BIN/initdb" ]; then
    echo "with-postgres: PostgreSQL server binaries not found; run scripts/system-deps.sh" >&2
    exit 1
fi

WORK="$(mktemp -d /tmp/phaen-pg.XXXXXX)"
PORT="${PHAEN_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root.
    chown postgres "$WORK"
    AS_PG=(runuser -u postgres --)
fi

stop_cluster() {
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

"${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -o \
    "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/phaen"
"$@"
