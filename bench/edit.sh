#!/usr/bin/env bash
# What a save costs: an activity's edit form sent again and again, timed end to end over HTTP
# (check of the whole data set, write with its record, new read models), with the activity's
# page read in the same run as the reference.
#
#   bench/edit.sh                  # both data sets
#   bench/edit.sh region           # one of them: orebro | region
#
# Environment: SAVES (per data set, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."

SAVES=${SAVES:-30}
SETS=("${@:-orebro region}")
read -r -a SETS <<<"${SETS[*]}"
PORT=18090
PASSWORD="ett långt lösenord för mätningen"

cargo build --release --locked --quiet
BIN=$PWD/target/release/rodtrad
WORK=$(mktemp -d /tmp/rodtrad-edit.XXXXXX)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# The value of a cookie in a response's headers.
cookie() { grep -i "^set-cookie: $1=" | head -1 | sed -E "s/^[^=]*=([^;]*).*/\1/I" | tr -d '\r'; }
# The value of a form field in a page.
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" | head -1 | sed -E 's/.*value="([^"]*)"/\1/'; }
# The median and the 90th percentile of numbers, one per line, in milliseconds.
stats() { sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f", a[int((NR+1)/2)]*1000, a[int(NR*0.9+0.5)]*1000}'; }

printf '%-8s %10s %12s %12s %12s %12s\n' set activities "save med ms" "save p90 ms" "read med ms" "read p90 ms"
for set in "${SETS[@]}"; do
    dir=$WORK/$set
    mkdir -p "$dir"
    db="sqlite:$dir/rodtrad.db"
    case $set in
    orebro) "$BIN" --database "$db" demo >/dev/null; activity=brukarinflytandesamordnare-bisam; lead=psykiatrin ;;
    region)
        "$BIN" generate "$dir/data" >/dev/null
        "$BIN" --database "$db" import "$dir/data" >/dev/null
        activity=aktivitet-0001; lead=$(grep -m1 '^lead' "$dir/data/activities.toml" | cut -d'"' -f2)
        ;;
    esac
    echo "$PASSWORD" | "$BIN" --database "$db" user add --admin admin@bench.se >/dev/null
    RUST_LOG=warn "$BIN" --database "$db" serve --bind "127.0.0.1:$PORT" >"$dir/serve.log" 2>&1 &
    PID=$!
    for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
    base=http://127.0.0.1:$PORT
    login=$(curl -s -D - -o "$dir/login.html" "$base/login")
    anon=$(cookie rodtrad_csrf <<<"$login")
    session=$(curl -s -D - -o /dev/null -H "Cookie: rodtrad_csrf=$anon" \
        --data-urlencode "csrf=$anon" --data-urlencode "email=admin@bench.se" \
        --data-urlencode "password=$PASSWORD" --data-urlencode "next=/" "$base/login" | cookie rodtrad_session)
    jar="Cookie: rodtrad_session=$session"
    csrf=$(curl -s -H "$jar" "$base/edit/activity/$activity" | field csrf)
    : >"$dir/saves"
    : >"$dir/reads"
    for i in $(seq "$SAVES"); do
        revision=$(curl -s -H "$jar" "$base/edit/activity/$activity" | field revision)
        curl -s -o /dev/null -w '%{time_total}\n' -H "$jar" \
            --data-urlencode "csrf=$csrf" --data-urlencode "revision=$revision" \
            --data-urlencode "title=Mätning $i" --data-urlencode "lead=$lead" \
            "$base/edit/activity/$activity" >>"$dir/saves"
        curl -s -o /dev/null -w '%{time_total}\n' "$base/activities/$activity" >>"$dir/reads"
    done
    grep -c "Mätning $SAVES" <(curl -s "$base/activities/$activity") >/dev/null ||
        { echo "the last save did not show" >&2; exit 1; }
    n=$(grep -c '^\[\[activity\]\]' "$dir/data/activities.toml" 2>/dev/null || echo 54)
    printf '%-8s %10s %12s %12s %12s %12s\n' "$set" "$n" $(stats <"$dir/saves") $(stats <"$dir/reads")
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
