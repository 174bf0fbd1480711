# What the benchmarks share, sourced by them: a throwaway PostgreSQL server in $WORK, and the
# seconds a command takes.
#
#   start_postgres PORT [PREFIX...]   # sets PG_BIN (empty when no server is found); PREFIX runs
#                                     # the server (for example: taskset -c 1)
#   stop_postgres
#   seconds COMMAND...                # prints the seconds COMMAND took; its output in $WORK/out
#
# PostgreSQL runs from the first initdb/pg_ctl found (Debian's /usr/lib/postgresql/*/bin), as
# the postgres user when run as root, since initdb refuses to run as root.

PG_BIN=
pg() { "$@"; }

start_postgres() {
    local port=$1 dir
    shift
    for dir in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then PG_BIN=$dir; break; fi
    done
    if [ -z "$PG_BIN" ]; then
        echo "no PostgreSQL server found: measuring SQLite only" >&2
        return 0
    fi
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$WORK"
        pg() { runuser -u postgres -- "$@"; }
    fi
    pg "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
    pg "$@" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
        -o "-p $port -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
}

stop_postgres() {
    if [ -n "$PG_BIN" ]; then
        pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
}

seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN {printf "%.1f", e - s}'
}
