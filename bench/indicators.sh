#!/usr/bin/env bash
# What indicators' values cost (issue 12): a generated set with about 20 million values (1,070
# synthetic indicators, each with a value for every municipality, county and Riket, all, women
# and men, 2005–2024: 18,720) imported into an empty database, timed end to end, on SQLite and on
# a throwaway PostgreSQL server; the space a value takes there; and a goal page with three
# indicators' charts and the county's map served at 64 connections, against nginx serving the
# same bytes in the same run.
#
#   bench/indicators.sh             # 1,070 indicators: 20,030,400 values
#   bench/indicators.sh 100         # another number of indicators
#
# The import and the server run on core 0; PostgreSQL, curl and wrk on core 1. Environment:
# DURATION (seconds per load run, default 10), CONNECTIONS (default 64), PG_PORT (default
# 54353), AGAIN (0: no second import, which writes nothing; default 1), RODTRAD_BIN (a release
# binary built already: not built again). Installs nginx and wrk from Debian's packages if they
# are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

INDICATORS=${1:-1070}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
PG_PORT=${PG_PORT:-54353}
AGAIN=${AGAIN:-1}
RODTRAD_PORT=18092
NGINX_PORT=18093
# The first plan's first sub-goal is measured by the first three generated indicators alone.
PAGE=/plans/syntetisk-plan-01/goals/delmal-1-1
PER_INDICATOR=18720

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need() {
    local missing=()
    for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    if [ ${#missing[@]} -gt 0 ]; then
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
need wrk curl python3
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ -n "${RODTRAD_BIN:-}" ]; then
    BIN=$RODTRAD_BIN
else
    cargo build --release --locked --quiet -p rodtrad
    BIN=$PWD/target/release/rodtrad
fi
WORK=$(mktemp -d /tmp/rodtrad-indicators.XXXXXX)
# nginx's worker drops to an unprivileged user when started as root: it must read the page.
chmod 755 "$WORK"
PIDS=()
# shellcheck source=bench/postgres.sh
. bench/postgres.sh
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    stop_postgres
    rm -rf "$WORK"
}
trap cleanup EXIT
start_postgres "$PG_PORT" taskset -c 1
PSQL=$(command -v psql || echo "$PG_BIN/psql")

c0() { taskset -c 0 "$@"; }
c1() { taskset -c 1 "$@"; }

wait_for() {
    for _ in $(seq 600); do
        c1 curl -fs -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}

# wrk's requests per second and 99th percentile latency (in ms) for one URL, after a 2-second
# warm-up; as in bench/serve.sh.
load() {
    local out rps p99
    c1 wrk -t1 -c"$CONNECTIONS" -d2s "$1" >/dev/null
    out=$(c1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1")
    if grep -q "Non-2xx" <<<"$out"; then
        echo "wrk saw errors for $1:" >&2
        echo "$out" >&2
        return 1
    fi
    rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000} printf "%.2f", v}' <<<"$out")
    echo "$rps $p99"
}

values=$((INDICATORS * PER_INDICATOR))
generated=$(seconds c0 "$BIN" generate "$WORK/data" --indicators "$INDICATORS")
csv_bytes=$(du -cb "$WORK/data/indicators/"*.csv | awk 'END {print $1}')
validated=$(seconds c0 "$BIN" validate "$WORK/data")
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "set: the region-scale set and $INDICATORS indicators, $values values" \
    "($((csv_bytes / 1024 / 1024)) MiB of CSV); generated in $generated s, validated in $validated s"
echo

urls=("sqlite:$WORK/rodtrad.db")
if [ -n "$PG_BIN" ]; then
    "$PSQL" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE bench_indicators" >/dev/null
    urls+=("postgres://postgres@127.0.0.1:$PG_PORT/bench_indicators")
fi

# The database's bytes for indicator_value (its table and index) and its rows.
stored() {
    case $1 in
    sqlite:*)
        python3 - "${1#sqlite:}" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
try:
    size = db.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE '%indicator_value%'").fetchone()[0]
except sqlite3.OperationalError:
    import os
    size = os.path.getsize(sys.argv[1])
print(size, db.execute("SELECT COUNT(*) FROM indicator_value").fetchone()[0])
EOF
        ;;
    postgres:*)
        "$PSQL" -qAt -F ' ' "$1" -c "VACUUM ANALYZE indicator_value" \
            -c "SELECT pg_total_relation_size('indicator_value'), COUNT(*) FROM indicator_value"
        ;;
    esac
}

declare -A FIRST
printf '| %-10s | %8s | %12s | %9s | %10s | %6s |\n' database "import s" "values/s" "stored MiB" \
    "bytes/value" "again s"
echo "|---|---:|---:|---:|---:|---:|"
for url in "${urls[@]}"; do
    db=${url%%:*}
    took=$(seconds c0 "$BIN" --lang sv --database "$url" import "$WORK/data")
    grep -q "^$values nya värden" "$WORK/out" ||
        { echo "the import did not add $values values: $(cat "$WORK/out")" >&2; exit 1; }
    again=-
    if [ "$AGAIN" != 0 ]; then
        again=$(seconds c0 "$BIN" --lang sv --database "$url" import "$WORK/data")
        grep -q "Inget ändrades: alla $values värden" "$WORK/out" ||
            { echo "the second import wrote something: $(cat "$WORK/out")" >&2; exit 1; }
    fi
    read -r bytes rows <<<"$(stored "$url")"
    [ "$rows" = "$values" ] || { echo "$db holds $rows values, not $values" >&2; exit 1; }
    printf '| %-10s | %8s | %12s | %9s | %10s | %6s |\n' "$db" "$took" \
        "$(awk -v n="$values" -v s="$took" 'BEGIN {printf "%.0f", n / s}')" \
        "$((bytes / 1024 / 1024))" "$(awk -v b="$bytes" -v n="$rows" 'BEGIN {printf "%.1f", b / n}')" \
        "$again"
done

# The goal page on each database: its first view (rendered, its values read from the store),
# then under load from the page cache; nginx serves the bytes of the first.
mkdir -p "$WORK/static$PAGE" "$WORK/logs" "$WORK/tmp"
declare -A RPS P99 RSS
for url in "${urls[@]}"; do
    db=${url%%:*}
    # Started by taskset itself, not through c0: $! must be the server, to be read and stopped.
    RUST_LOG=warn taskset -c 0 "$BIN" --database "$url" serve --bind "127.0.0.1:$RODTRAD_PORT" \
        >"$WORK/logs/rodtrad-$db.log" 2>&1 &
    PIDS+=($!)
    pid=$!
    wait_for "http://127.0.0.1:$RODTRAD_PORT/healthz"
    FIRST[$db]=$(c1 curl -fs "http://127.0.0.1:$RODTRAD_PORT$PAGE" -o "$WORK/static$PAGE/index.html" \
        -w '%{time_total}' | awk '{printf "%.1f", $1 * 1000}')
    charts=$(grep -o '<figure class="chart">' "$WORK/static$PAGE/index.html" | wc -l)
    maps=$(grep -o '<figure class="map">' "$WORK/static$PAGE/index.html" | wc -l)
    [ "$charts" = 3 ] && [ "$maps" -ge 1 ] ||
        { echo "$PAGE on $db has $charts charts and $maps maps, not 3 and a map" >&2; exit 1; }
    read -r RPS[$db] P99[$db] <<<"$(load "http://127.0.0.1:$RODTRAD_PORT$PAGE")"
    RSS[$db]=$(awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$pid/status")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
done

cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    # As bench/serve.sh sets it: sendfile, metadata kept, no tcp_nopush.
    sendfile on;
    open_file_cache max=1000 inactive=1h;
    open_file_cache_valid 1h;
    keepalive_requests 100000;
    default_type text/html;
    client_body_temp_path $WORK/tmp;
    proxy_temp_path $WORK/tmp;
    fastcgi_temp_path $WORK/tmp;
    uwsgi_temp_path $WORK/tmp;
    scgi_temp_path $WORK/tmp;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/static;
        location / { try_files \$uri/index.html =404; }
    }
}
EOF
taskset -c 0 "$NGINX" -c "$WORK/nginx.conf" -e "$WORK/logs/nginx-error.log" 2>"$WORK/logs/nginx-start.log" &
PIDS+=($!)
wait_for "http://127.0.0.1:$NGINX_PORT$PAGE" || { cat "$WORK/logs/"nginx-*.log >&2; exit 1; }
read -r n_rps n_p99 <<<"$(load "http://127.0.0.1:$NGINX_PORT$PAGE")"

echo
echo "$PAGE: $(stat -c %s "$WORK/static$PAGE/index.html") bytes, 3 charts;" \
    "$CONNECTIONS connections, ${DURATION} s per run"
echo
echo "| server | first view ms | req/s | p99 ms | of nginx | peak MiB |"
echo "|---|---:|---:|---:|---:|---:|"
for url in "${urls[@]}"; do
    db=${url%%:*}
    echo "| rodtrad, $db | ${FIRST[$db]} | ${RPS[$db]} | ${P99[$db]} |" \
        "$(awk -v a="${RPS[$db]}" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}') | ${RSS[$db]} |"
done
echo "| nginx | | $n_rps | $n_p99 | 1.00 | |"
