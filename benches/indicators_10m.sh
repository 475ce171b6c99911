#!/bin/sh
# The whole chain of BENCHMARKS.md's issue 7 indicators at N dossiers, every figure printed:
# generate → import into SQLite → import into PostgreSQL → motcua-bench indicators on both
# → DuckDB's full scan (benches/duckdb_indicators.py) on the same files.
#
#   benches/indicators_10m.sh [N] [MONTH]          # defaults: 10000000 2025-06
#
# Environment: WORK (folder for data and databases, default /tmp/motcua-indicators-N),
# PGURL (server, default postgres://postgres@127.0.0.1:5432), PGDB (database created and
# dropped, default motcua_indicators_N), RUNS (default 1000), GROUPBY_RUNS (default 5),
# DUCKDB_RUNS (default 20), KEEP=1 to keep the data and the databases afterwards, REUSE=1 to
# use those kept.
# Needs psql, python3 with duckdb (pip install duckdb), and disk for about 2 × 400 bytes per
# dossier plus the databases. Run from the repository's root.
set -eu

N=${1:-10000000}
MONTH=${2:-2025-06}
WORK=${WORK:-/tmp/motcua-indicators-$N}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
PGDB=${PGDB:-motcua_indicators_$N}
RUNS=${RUNS:-1000}
GROUPBY_RUNS=${GROUPBY_RUNS:-5}
DUCKDB_RUNS=${DUCKDB_RUNS:-20}
BIN=${CARGO_TARGET_DIR:-target}/release

. benches/common.sh

build_release
generate
import_both

step "motcua-bench indicators on SQLite"
"$BIN/motcua-bench" --database "sqlite://$WORK/motcua.db" indicators --month "$MONTH" \
    --runs "$RUNS" --groupby-runs "$GROUPBY_RUNS" --out "$WORK/bench-sqlite"

step "motcua-bench indicators on PostgreSQL"
"$BIN/motcua-bench" --database "$PGURL/$PGDB" indicators --month "$MONTH" \
    --runs "$RUNS" --groupby-runs "$GROUPBY_RUNS" --out "$WORK/bench-pg"

step "DuckDB full scan (ratios against the in-process figures of both runs)"
python3 benches/duckdb_indicators.py --data "$WORK/gen" --bench "$WORK/bench-sqlite" \
    --bench "$WORK/bench-pg" --runs "$DUCKDB_RUNS"

clean_up
