#!/usr/bin/env bash
# Röd tråd's pages against nginx serving the same bytes, in the same run.
#
# Builds the release binary, loads a data set (the built-in Örebro set, and a generated set of
# region scale), starts `rodtrad serve`, saves the pages as static files, starts nginx on them,
# and loads both with wrk on loopback. Prints requests per second and p99 latency side by side.
#
#   bench/serve.sh                 # both data sets
#   bench/serve.sh orebro          # one of them: orebro | region | national (100,000 activities)
#
# Environment: DURATION (seconds per run, default 10), CONNECTIONS (default 64).
# Installs nginx and wrk from Debian's packages if they are missing.
#
# The servers and wrk are pinned to different cores (one each), so neither steals the other's
# CPU; on a machine with one core they share it.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
SETS=("${@:-orebro region}")
read -r -a SETS <<<"${SETS[*]}"
RODTRAD_PORT=18080
NGINX_PORT=18081

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need() {
    local missing=()
    for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    if [ ${#missing[@]} -gt 0 ]; then
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
need wrk curl
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ "$(nproc)" -ge 2 ]; then
    SERVER_CPUS=0
    LOAD_CPUS=1
else
    SERVER_CPUS=0
    LOAD_CPUS=0
fi

cargo build --release --locked --quiet
BIN=$PWD/target/release/rodtrad

WORK=$(mktemp -d /tmp/rodtrad-bench.XXXXXX)
# nginx's worker drops to an unprivileged user when started as root: it must read the pages.
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() {
    for _ in $(seq 100); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}

# The pages each data set is measured on: name and path.
pages_for() {
    case $1 in
    orebro)
        echo "strategy /"
        echo "focus-area /plans/gemensamma-insatsomraden-2021/goals/god-och-nara-vard"
        echo "overlap /overlap"
        echo "report /follow-ups/uppfoljning-2021"
        echo "round-overview /rounds/uppfoljning-2021/overview"
        ;;
    region)
        echo "strategy /"
        echo "focus-area /plans/syntetisk-plan-01/goals/fokus-1"
        echo "overlap /overlap"
        echo "report /follow-ups/syntetisk-uppfoljning"
        echo "round-overview /rounds/syntetisk-uppfoljning/overview"
        ;;
    national)
        echo "strategy /"
        echo "focus-area /plans/syntetisk-plan-01/goals/fokus-1"
        echo "round-overview /rounds/syntetisk-uppfoljning/overview"
        echo "plan-overview /plans/syntetisk-plan-01/overview"
        ;;
    esac
}

# wrk's requests per second and 99th percentile latency (in ms) for one URL.
load() {
    local out rps p99
    # A short warm-up first, so the first request's work is not in the figures.
    taskset -c "$LOAD_CPUS" wrk -t1 -c"$CONNECTIONS" -d2s "$1" >/dev/null
    out=$(taskset -c "$LOAD_CPUS" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1")
    if grep -q "Non-2xx" <<<"$out"; then
        echo "wrk saw errors for $1:" >&2
        echo "$out" >&2
        return 1
    fi
    rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000} printf "%.2f", v}' <<<"$out")
    echo "$rps $p99"
}

run_set() {
    local set=$1 dir=$WORK/$1
    mkdir -p "$dir/static" "$dir/logs"
    local db="sqlite:$dir/rodtrad.db"
    case $set in
    orebro) "$BIN" --database "$db" demo >/dev/null ;;
    region)
        "$BIN" generate "$dir/data" >/dev/null
        "$BIN" --database "$db" import "$dir/data" >/dev/null
        ;;
    national)
        "$BIN" generate "$dir/data" --organisations 311 --plans 300 --activities 100000 >/dev/null
        "$BIN" --database "$db" import "$dir/data" >/dev/null
        ;;
    *)
        echo "unknown data set: $set (orebro, region or national)" >&2
        exit 2
        ;;
    esac

    RUST_LOG=warn taskset -c "$SERVER_CPUS" "$BIN" --database "$db" serve \
        --bind "127.0.0.1:$RODTRAD_PORT" >"$dir/logs/rodtrad.log" 2>&1 &
    PIDS+=($!)
    local rodtrad_pid=$!
    wait_for "http://127.0.0.1:$RODTRAD_PORT/healthz"

    # The same bytes as static files: each page saved as <path>/index.html. This first request
    # renders the page (later ones are answered from rodtrad's page cache): its time is what a
    # reader waits for the first view after the data changes.
    declare -A first_ms
    while read -r name path; do
        mkdir -p "$dir/static$path"
        first_ms[$name]=$(curl -fs "http://127.0.0.1:$RODTRAD_PORT$path" \
            -o "$dir/static$path/index.html" -w '%{time_total}' | awk '{printf "%.1f", $1 * 1000}')
    done < <(pages_for "$set")

    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    # A well-set nginx, so the reference is a strong one: files sent by the kernel, and their
    # metadata kept instead of looked up on every request. (tcp_nopush is left off: with it,
    # pages over 64 KiB wait for delayed acknowledgements and p99 reaches 40 ms.)
    sendfile on;
    open_file_cache max=1000 inactive=1h;
    open_file_cache_valid 1h;
    keepalive_requests 100000;
    default_type text/html;
    client_body_temp_path $dir/tmp;
    proxy_temp_path $dir/tmp;
    fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp;
    scgi_temp_path $dir/tmp;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $dir/static;
        location / { try_files \$uri/index.html =404; }
    }
}
EOF
    mkdir -p "$dir/tmp"
    taskset -c "$SERVER_CPUS" "$NGINX" -c "$dir/nginx.conf" -e "$dir/logs/nginx-error.log" \
        2>"$dir/logs/nginx-start.log" &
    PIDS+=($!)
    wait_for "http://127.0.0.1:$NGINX_PORT/" || { cat "$dir/logs/"nginx-*.log >&2; exit 1; }

    echo
    echo "### $set ($CONNECTIONS connections, ${DURATION} s per run)"
    echo
    echo "| page | bytes | first view ms | rodtrad req/s | nginx req/s | rodtrad/nginx | rodtrad p99 ms | nginx p99 ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    while read -r name path; do
        local bytes r n
        bytes=$(stat -c %s "$dir/static$path/index.html")
        read -r r_rps r_p99 <<<"$(load "http://127.0.0.1:$RODTRAD_PORT$path")"
        read -r n_rps n_p99 <<<"$(load "http://127.0.0.1:$NGINX_PORT$path")"
        local ratio
        ratio=$(awk -v a="$r_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}')
        echo "| $name | $bytes | ${first_ms[$name]} | $r_rps | $n_rps | $ratio | $r_p99 | $n_p99 |"
    done < <(pages_for "$set")
    local rss
    rss=$(awk '/^VmHWM/ {print $2}' "/proc/$rodtrad_pid/status")
    echo
    echo "rodtrad's peak resident memory: $((rss / 1024)) MiB"

    kill "${PIDS[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    PIDS=()
}

echo "Röd tråd $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
for set in "${SETS[@]}"; do run_set "$set"; done
