#!/bin/sh
# BENCHMARKS.md's long lists (issue 16) at N dossiers: generate → import into SQLite and
# PostgreSQL → `motcua-bench lists` on both (the first page of the worklist and of the
# dossiers behind "received" and "pending", for the largest province and its busiest commune,
# in process and over HTTP, p50 / p95).
#
#   benches/lists_1m.sh [N] [MONTH]          # defaults: 1000000 2025-06
#
# Environment: WORK (default /tmp/motcua-lists-N), PGURL (default
# postgres://postgres@127.0.0.1:5432), PGDB (created and dropped, default motcua_lists_N),
# RUNS (default 200), KEEP=1 to keep the data and the databases. Run from the repository's root.
set -eu

N=${1:-1000000}
MONTH=${2:-2025-06}
WORK=${WORK:-/tmp/motcua-lists-$N}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
PGDB=${PGDB:-motcua_lists_$N}
RUNS=${RUNS:-200}
BIN=${CARGO_TARGET_DIR:-target}/release

step() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

step "build"
cargo build --release -p motcua-cli -p motcua-bench
mkdir -p "$WORK"

step "generate $N dossiers"
[ -f "$WORK/gen/dossiers.csv" ] || "$BIN/motcua" generate --out "$WORK/gen" --dossiers "$N"

step "import into SQLite"
rm -f "$WORK/motcua.db" "$WORK/motcua.db-wal" "$WORK/motcua.db-shm"
/usr/bin/time -f "import SQLite: %e s, %M KB peak" \
    "$BIN/motcua" --database "sqlite://$WORK/motcua.db" import "$WORK/gen"

step "import into PostgreSQL ($PGURL/$PGDB)"
psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB"
/usr/bin/time -f "import PostgreSQL: %e s, %M KB peak" \
    "$BIN/motcua" --database "$PGURL/$PGDB" import "$WORK/gen"

step "motcua-bench lists on SQLite"
"$BIN/motcua-bench" --database "sqlite://$WORK/motcua.db" lists --month "$MONTH" --runs "$RUNS"

step "motcua-bench lists on PostgreSQL"
"$BIN/motcua-bench" --database "$PGURL/$PGDB" lists --month "$MONTH" --runs "$RUNS"

if [ "${KEEP:-0}" != 1 ]; then
    step "clean up"
    psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $PGDB"
    rm -rf "$WORK"
fi
