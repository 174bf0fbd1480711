#!/usr/bin/env bash
# What reporting costs at national scale: a report saved and a report submitted, each timed end
# to end over HTTP one after another (the form checked, the write with its record, the read
# models brought up to date); then 300 reports submitted at the same moment by 300 threads, and
# again 300 others; on SQLite and on a throwaway PostgreSQL server. The round's overview page against nginx is in
# bench/serve.sh (set `national`).
#
#   bench/rounds.sh                 # the national set: 311 organisations, 300 plans, 100,000
#                                   # activities, a published round with 100,000 reports and an
#                                   # open one with 50,000
#   bench/rounds.sh region          # 2,000 activities
#
# The server runs on core 0; curl, the load threads and PostgreSQL on core 1. Environment: SAVES
# (per kind and database, default 100), AT_ONCE (default 300), PG_PORT (default 54352).
set -euo pipefail
cd "$(dirname "$0")/.."

SAVES=${SAVES:-100}
AT_ONCE=${AT_ONCE:-300}
SET=${1:-national}
PORT=18091
PG_PORT=${PG_PORT:-54352}
PASSWORD="ett långt lösenord för mätningen"
ROUND=syntetisk-omgang

cargo build --release --locked --quiet -p rodtrad
BIN=$PWD/target/release/rodtrad
WORK=$(mktemp -d /tmp/rodtrad-rounds.XXXXXX)
PID=
# shellcheck source=bench/postgres.sh
. bench/postgres.sh
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
    wait 2>/dev/null || true
    stop_postgres
    rm -rf "$WORK"
}
trap cleanup EXIT
start_postgres "$PG_PORT" taskset -c 1

cookie() { grep -i "^set-cookie: $1=" | head -1 | sed -E "s/^[^=]*=([^;]*).*/\1/I" | tr -d '\r'; }
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" | head -1 | sed -E 's/.*value="([^"]*)"/\1/'; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f", a[int((NR+1)/2)]*1000, a[int(NR*0.9+0.5)]*1000}'; }
c1() { taskset -c 1 "$@"; }

case $SET in
region) size="--organisations 15 --plans 12 --activities 2000" ;;
national) size="--organisations 311 --plans 300 --activities 100000" ;;
*) echo "unknown set $SET (region or national)" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086
"$BIN" generate "$WORK/data" $size >/dev/null
count=$(grep -c '^\[\[activity\]\]' "$WORK/data/activities.toml")
reports=$(grep -c '^\[\[report\]\]' "$WORK/data/reports/"*.toml | awk -F: '{s += $2} END {print s}')
# The open round has reports of every other activity (aktivitet-0001, -0003, ...): the others,
# -0002, -0004, ..., have none yet, and each is written once here.
unreported() { seq "$1" "$2" | awk '{printf "aktivitet-%04d\n", $1 * 2}'; }

echo "commit $(git rev-parse --short HEAD), $(nproc) cores, set $SET: $count activities, $reports reports"
printf '%-10s %9s %9s %9s %11s %11s %16s %10s %10s\n' database "import s" "save med" "save p90" \
    "submit med" "submit p90" "at once, twice" "1st p99" "2nd p99"
urls=("sqlite:$WORK/rodtrad.db")
if [ -n "$PG_BIN" ]; then
    "$(command -v psql || echo "$PG_BIN/psql")" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE bench_rounds" >/dev/null
    urls+=("postgres://postgres@127.0.0.1:$PG_PORT/bench_rounds")
fi
for url in "${urls[@]}"; do
    took=$(seconds "$BIN" --database "$url" import "$WORK/data")
    echo "$PASSWORD" | "$BIN" --database "$url" user add --admin admin@bench.se >/dev/null
    RUST_LOG=warn taskset -c 0 "$BIN" --database "$url" serve --bind "127.0.0.1:$PORT" \
        >"$WORK/serve.log" 2>&1 &
    PID=$!
    for _ in $(seq 600); do c1 curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
    base=http://127.0.0.1:$PORT
    login=$(c1 curl -s -D - -o /dev/null "$base/login")
    anon=$(cookie rodtrad_csrf <<<"$login")
    session=$(c1 curl -s -D - -o /dev/null -H "Cookie: rodtrad_csrf=$anon" \
        --data-urlencode "csrf=$anon" --data-urlencode "email=admin@bench.se" \
        --data-urlencode "password=$PASSWORD" --data-urlencode "next=/" "$base/login" |
        cookie rodtrad_session)
    jar="Cookie: rodtrad_session=$session"
    csrf=$(c1 curl -s -H "$jar" "$base/account" | field csrf)
    : >"$WORK/saves"
    : >"$WORK/submits"
    # A report saved as a draft, then another submitted, each a new report of its own.
    i=0
    while read -r activity; do
        i=$((i + 1))
        if [ $((i % 2)) = 1 ]; then step=save; out=$WORK/saves; else step=submit; out=$WORK/submits; fi
        answer=$(c1 curl -s -o "$WORK/answer.html" -w '%{http_code} %{time_total}' -H "$jar" \
            --data-urlencode "csrf=$csrf" --data-urlencode "revision=0" \
            --data-urlencode "step=$step" --data-urlencode "status=ongoing" \
            --data-urlencode "done=Mätning $i" "$base/rounds/$ROUND/reports/$activity")
        [ "${answer%% *}" = 303 ] || {
            echo "$step of $activity answered $answer (${url%%:*}):" >&2
            sed -e 's/<[^>]*>/ /g' "$WORK/answer.html" | tr -s ' \n' | head -c 2000 >&2
            tail -5 "$WORK/serve.log" >&2
            exit 1
        }
        echo "${answer#* }" >>"$out"
    done < <(unreported 1 $((SAVES * 2)))
    read -r save_med save_p90 <<<"$(stats <"$WORK/saves")"
    read -r submit_med submit_p90 <<<"$(stats <"$WORK/submits")"
    # All at once, twice: AT_ONCE reports no one has touched yet. The first burst meets the
    # server's connections to the database as the serial saves left them (one or two); the
    # second, the connections the first opened.
    statuses=
    p99s=()
    for burst in 1 2; do
        first=$((SAVES * 2 + (burst - 1) * AT_ONCE + 1))
        mapfile -t at_once < <(unreported "$first" $((first + AT_ONCE - 1)))
        result=$(c1 python3 bench/submit_at_once.py "$base" "rodtrad_session=$session" "$csrf" "$ROUND" "$AT_ONCE" "${at_once[@]}")
        statuses+=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(",".join(f"{k}:{v}" for k,v in sorted(d["statuses"].items())))' "$result")" "
        p99s+=("$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["p99_ms"])' "$result")")
    done
    printf '%-10s %9s %9s %9s %11s %11s %16s %10s %10s\n' "${url%%:*}" "$took" "$save_med" "$save_p90" \
        "$submit_med" "$submit_p90" "${statuses% }" "${p99s[0]}" "${p99s[1]}"
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
