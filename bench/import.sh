#!/usr/bin/env bash
# What an import costs: the national-size generated set (311 organisations, 300 plans, 100,000
# activities: about 550,000 rows) imported into an empty database, then imported again (which
# writes nothing), on SQLite and on a throwaway PostgreSQL server, timed end to end.
#
#   bench/import.sh                 # the national size
#   bench/import.sh 15 12 2000      # another: organisations plans activities
#
# PostgreSQL runs from the first initdb/pg_ctl found (Debian's /usr/lib/postgresql/*/bin),
# as the postgres user when run as root; without one, only SQLite is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

ORGANISATIONS=${1:-311}
PLANS=${2:-300}
ACTIVITIES=${3:-100000}
PG_PORT=${PG_PORT:-54350}

cargo build --release --locked --quiet -p rodtrad
BIN=$PWD/target/release/rodtrad
WORK=$(mktemp -d /tmp/rodtrad-import.XXXXXX)
# shellcheck source=bench/postgres.sh
. bench/postgres.sh
cleanup() {
    stop_postgres
    rm -rf "$WORK"
}
trap cleanup EXIT
start_postgres "$PG_PORT"

"$BIN" generate "$WORK/data" --organisations "$ORGANISATIONS" --plans "$PLANS" \
    --activities "$ACTIVITIES" >/dev/null

echo "set: $ORGANISATIONS organisations, $PLANS plans, $ACTIVITIES activities"
printf '%-10s %12s %12s\n' database "import s" "again s"
urls=("sqlite:$WORK/rodtrad.db")
[ -n "$PG_BIN" ] && urls+=("postgres://postgres@127.0.0.1:$PG_PORT/postgres")
for url in "${urls[@]}"; do
    first=$(seconds "$BIN" --lang sv --database "$url" import "$WORK/data")
    again=$(seconds "$BIN" --lang sv --database "$url" import "$WORK/data")
    grep -q " 0 skapade, 0 ändrade, 0 borttagna" "$WORK/out" ||
        { echo "the second import wrote something: $(cat "$WORK/out")" >&2; exit 1; }
    printf '%-10s %12s %12s\n' "${url%%:*}" "$first" "$again"
done
