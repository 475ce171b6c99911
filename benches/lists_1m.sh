#!/bin/sh
# BENCHMARKS.md's long lists (issue 16) at N dossiers: generate → import into SQLite and
# PostgreSQL → `motcua-bench lists` on both (the first page of the worklist and of the
# dossiers behind "received" and "pending", for the largest province and its busiest commune,
# in process and over HTTP, p50 / p95; then the reception form's applicant prefill by ID
# number, before and after its index).
#
#   benches/lists_1m.sh [N] [MONTH]          # defaults: 1000000 2025-06
#
# Environment: WORK (default /tmp/motcua-lists-N), PGURL (default
# postgres://postgres@127.0.0.1:5432), PGDB (created and dropped, default motcua_lists_N),
# RUNS (default 200), KEEP=1 to keep the data and the databases, REUSE=1 to use those kept.
# Run from the repository's root.
set -eu

N=${1:-1000000}
MONTH=${2:-2025-06}
WORK=${WORK:-/tmp/motcua-lists-$N}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
PGDB=${PGDB:-motcua_lists_$N}
RUNS=${RUNS:-200}
BIN=${CARGO_TARGET_DIR:-target}/release
. benches/common.sh

build_release
generate
import_both

step "motcua-bench lists on SQLite"
"$BIN/motcua-bench" --database "sqlite://$WORK/motcua.db" lists --month "$MONTH" --runs "$RUNS"

step "motcua-bench lists on PostgreSQL"
"$BIN/motcua-bench" --database "$PGURL/$PGDB" lists --month "$MONTH" --runs "$RUNS"

clean_up
