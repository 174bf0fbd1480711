#!/usr/bin/env bash
# What a save costs: an activity's edit form sent again and again by a signed-in administrator,
# each save timed end to end over HTTP (the form read, the edit checked by the format's rules,
# the write with its record, the read models brought up to date), with the activity's page read
# in the same run as the reference; the server's memory after it started and after the saves;
# and the time the data set took to import. On SQLite and on a throwaway PostgreSQL server.
#
#   bench/edit.sh                        # every set: orebro region town national
#   bench/edit.sh region national        # some of them
#
# The sets: the built-in Örebro set; generated sets of 2,000 activities (15 organisations,
# 12 plans), 10,000 (100, 60) and 100,000 (311, 300). The server runs on core 0, curl on core 1.
# Environment: SAVES (per set and database, default 100), PG_PORT (default 54351).
set -euo pipefail
cd "$(dirname "$0")/.."

SAVES=${SAVES:-100}
SETS=("${@:-orebro region town national}")
read -r -a SETS <<<"${SETS[*]}"
PORT=18090
PG_PORT=${PG_PORT:-54351}
PASSWORD="ett långt lösenord för mätningen"

cargo build --release --locked --quiet -p rodtrad
BIN=$PWD/target/release/rodtrad
WORK=$(mktemp -d /tmp/rodtrad-edit.XXXXXX)
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
# PostgreSQL on core 1 with curl, so that the server alone has core 0.
start_postgres "$PG_PORT" taskset -c 1

# The value of a cookie in a response's headers.
cookie() { grep -i "^set-cookie: $1=" | head -1 | sed -E "s/^[^=]*=([^;]*).*/\1/I" | tr -d '\r'; }
# The value of a form field in a page.
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" | head -1 | sed -E 's/.*value="([^"]*)"/\1/'; }
# The median and the 90th percentile of numbers, one per line, in milliseconds.
stats() { sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f", a[int((NR+1)/2)]*1000, a[int(NR*0.9+0.5)]*1000}'; }
# A process's resident memory, in MiB.
rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
c1() { taskset -c 1 "$@"; }

echo "commit $(git rev-parse --short HEAD), $(nproc) cores, $SAVES saves per row"
printf '%-9s %-8s %10s %9s %10s %10s %10s %10s %9s %9s\n' set database activities "import s" \
    "save med" "save p90" "read med" "read p90" "MiB start" "MiB after"
n=0
for set in "${SETS[@]}"; do
    dir=$WORK/$set
    mkdir -p "$dir"
    case $set in
    orebro) size= ;;
    region) size="--organisations 15 --plans 12 --activities 2000" ;;
    town) size="--organisations 100 --plans 60 --activities 10000" ;;
    national) size="--organisations 311 --plans 300 --activities 100000" ;;
    *) echo "unknown set $set" >&2; exit 1 ;;
    esac
    if [ -n "$size" ]; then
        # shellcheck disable=SC2086
        "$BIN" generate "$dir/data" $size >/dev/null
        activity=aktivitet-0001
        lead=$(grep -m1 '^lead' "$dir/data/activities.toml" | cut -d'"' -f2)
        count=$(grep -c '^\[\[activity\]\]' "$dir/data/activities.toml")
    else
        activity=brukarinflytandesamordnare-bisam
        lead=psykiatrin
        count=54
    fi
    urls=("sqlite:$dir/rodtrad.db")
    if [ -n "$PG_BIN" ]; then
        n=$((n + 1))
        db="bench_$n"
        "$(command -v psql || echo "$PG_BIN/psql")" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $db" >/dev/null
        urls+=("postgres://postgres@127.0.0.1:$PG_PORT/$db")
    fi
    for url in "${urls[@]}"; do
        if [ -n "$size" ]; then
            took=$(seconds "$BIN" --database "$url" import "$dir/data")
        else
            took=$(seconds "$BIN" --database "$url" demo)
        fi
        echo "$PASSWORD" | "$BIN" --database "$url" user add --admin admin@bench.se >/dev/null
        RUST_LOG=warn taskset -c 0 "$BIN" --database "$url" serve --bind "127.0.0.1:$PORT" \
            >"$dir/serve.log" 2>&1 &
        PID=$!
        for _ in $(seq 300); do c1 curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
        base=http://127.0.0.1:$PORT
        login=$(c1 curl -s -D - -o /dev/null "$base/login")
        anon=$(cookie rodtrad_csrf <<<"$login")
        session=$(c1 curl -s -D - -o /dev/null -H "Cookie: rodtrad_csrf=$anon" \
            --data-urlencode "csrf=$anon" --data-urlencode "email=admin@bench.se" \
            --data-urlencode "password=$PASSWORD" --data-urlencode "next=/" "$base/login" |
            cookie rodtrad_session)
        jar="Cookie: rodtrad_session=$session"
        csrf=$(c1 curl -s -H "$jar" "$base/edit/activity/$activity" | field csrf)
        c1 curl -s -o /dev/null "$base/activities/$activity"
        start_mib=$(rss "$PID")
        : >"$dir/saves"
        : >"$dir/answers"
        : >"$dir/reads"
        for i in $(seq "$SAVES"); do
            revision=$(c1 curl -s -H "$jar" "$base/edit/activity/$activity" | field revision)
            c1 curl -s -o "$dir/answer.html" -w '%{http_code} %{time_total} %{redirect_url}\n' -H "$jar" \
                --data-urlencode "csrf=$csrf" --data-urlencode "revision=$revision" \
                --data-urlencode "title=Mätning $i" --data-urlencode "lead=$lead" \
                "$base/edit/activity/$activity" >>"$dir/answers"
            tail -1 "$dir/answers" | grep -q "^303 .*/activities/$activity\$" || {
                echo "save $i answered $(tail -1 "$dir/answers") ($set, ${url%%:*}):" >&2
                sed -e 's/<[^>]*>/ /g' "$dir/answer.html" | tr -s ' \n' | head -c 2000 >&2
                tail -5 "$dir/serve.log" >&2
                exit 1
            }
            tail -1 "$dir/answers" | cut -d' ' -f2 >>"$dir/saves"
            c1 curl -s -o "$dir/page.html" -w '%{time_total}\n' "$base/activities/$activity" >>"$dir/reads"
            # Each save is on the page read right after it.
            grep -q "Mätning $i<" "$dir/page.html" || {
                echo "save $i did not show ($set, ${url%%:*}): $(grep -o '<h1[^<]*<' "$dir/page.html")" >&2
                tail -5 "$dir/serve.log" >&2
                exit 1
            }
        done
        after_mib=$(rss "$PID")
        printf '%-9s %-8s %10s %9s %10s %10s %10s %10s %9s %9s\n' "$set" "${url%%:*}" "$count" \
            "$took" $(stats <"$dir/saves") $(stats <"$dir/reads") "$start_mib" "$after_mib"
        kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
    done
done
