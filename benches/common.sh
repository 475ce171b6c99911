# Shared by the benchmark scripts of benches/ (sourced, not run): the step banner, the release
# build, the generated data and its import into SQLite and PostgreSQL, and the clean-up.
#
# The caller sets N, WORK, PGURL, PGDB and BIN first. REUSE=1 keeps what a previous run with
# KEEP=1 left (the generated files, the SQLite file, the PostgreSQL database) instead of
# generating and importing again.

step() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

build_release() {
    step "build"
    cargo build --release -p motcua-cli -p motcua-bench
    mkdir -p "$WORK"
}

generate() {
    step "generate $N dossiers"
    if [ "${REUSE:-0}" = 1 ] && [ -f "$WORK/gen/dossiers.csv" ]; then
        echo "kept from a previous run"
    else
        /usr/bin/time -f "generate: %e s, %M KB peak" \
            "$BIN/motcua" generate --out "$WORK/gen" --dossiers "$N"
    fi
}

# Imports $WORK/gen into $WORK/motcua.db and into $PGURL/$PGDB (created; dropped first).
import_both() {
    step "import into SQLite"
    if [ "${REUSE:-0}" = 1 ] && [ -f "$WORK/motcua.db" ]; then
        echo "kept from a previous run"
    else
        rm -f "$WORK/motcua.db" "$WORK/motcua.db-wal" "$WORK/motcua.db-shm"
        /usr/bin/time -f "import SQLite: %e s, %M KB peak" \
            "$BIN/motcua" --database "sqlite://$WORK/motcua.db" import "$WORK/gen"
    fi
    step "import into PostgreSQL ($PGURL/$PGDB)"
    if [ "${REUSE:-0}" = 1 ] && psql "$PGURL/$PGDB" -q -c "SELECT 1" >/dev/null 2>&1; then
        echo "kept from a previous run"
    else
        psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB"
        /usr/bin/time -f "import PostgreSQL: %e s, %M KB peak" \
            "$BIN/motcua" --database "$PGURL/$PGDB" import "$WORK/gen"
    fi
}

# Drops the database and the folder unless KEEP=1.
clean_up() {
    if [ "${KEEP:-0}" != 1 ]; then
        step "clean up"
        psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $PGDB"
        rm -rf "$WORK"
    fi
}
