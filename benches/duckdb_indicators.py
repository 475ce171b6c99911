#!/usr/bin/env python3
"""The indicators of issue 7 computed by DuckDB with a full scan of the dossiers.

Loads the files of `motcua generate` (dossiers.csv, units.csv) and the offerings written by
`motcua-bench indicators --out DIR` into an in-memory DuckDB database, then runs
benches/indicators_groupby.sql (the same query PostgreSQL and SQLite run in `motcua-bench`)
for the province and the commune of DIR/province.json and DIR/commune.json, N times each.
Prints the load time apart, then p50/p99 of the query per scope as a Markdown row, and checks
every count, summed over the scope's units, against the figures motcua served (the `counts`
and `previous` of the JSON files). Exits non-zero on any mismatch.

    pip install duckdb
    python3 benches/duckdb_indicators.py --data /tmp/gen-1m --bench /tmp/bench-sqlite \
        --bench /tmp/bench-pg --runs 20
"""

import argparse
import json
import pathlib
import sys
import time

import duckdb

HERE = pathlib.Path(__file__).resolve().parent
TEMPLATE = (HERE / "indicators_groupby.sql").read_text(encoding="utf-8")

# The columns of dossiers.csv (motcua_core::interchange::DOSSIER_COLUMNS) with DuckDB types;
# timestamps are RFC 3339 text and become microseconds since the epoch, as motcua stores them.
DOSSIER_TYPES = {
    "code": "VARCHAR",
    "procedure_code": "VARCHAR",
    "unit_code": "VARCHAR",
    "channel": "VARCHAR",
    "online_level": "VARCHAR",
    "received_at": "TIMESTAMPTZ",
    "due_at": "TIMESTAMPTZ",
    "resolved_at": "TIMESTAMPTZ",
    "outcome": "VARCHAR",
    "returned_at": "TIMESTAMPTZ",
    "components_total": "BIGINT",
    "components_digitized": "BIGINT",
    "result_digitized": "BOOLEAN",
    "fee_vnd": "BIGINT",
    "payment_channel": "VARCHAR",
    "paid_at": "TIMESTAMPTZ",
    "e_receipt": "BOOLEAN",
    "source_system": "VARCHAR",
}
TIMESTAMPS = {name for name, t in DOSSIER_TYPES.items() if t == "TIMESTAMPTZ"}


def sql_text(value):
    return "'" + str(value).replace("'", "''") + "'"


def load(con, data, bench):
    columns = "{" + ", ".join(f"{sql_text(k)}: {sql_text(v)}" for k, v in DOSSIER_TYPES.items()) + "}"
    select = ", ".join(
        f"epoch_us({name}) AS {name}" if name in TIMESTAMPS else name for name in DOSSIER_TYPES
    )
    con.execute(
        f"CREATE TABLE dossiers AS SELECT {select} FROM read_csv({sql_text(data / 'dossiers.csv')}, "
        f"header = true, columns = {columns})"
    )
    con.execute(
        f"CREATE TABLE units AS SELECT * FROM read_csv({sql_text(data / 'units.csv')}, "
        "header = true, all_varchar = true)"
    )
    con.execute(
        f"CREATE TABLE offerings AS SELECT unit, procedure_code FROM read_csv("
        f"{sql_text(bench / 'offerings.csv')}, header = true, all_varchar = true)"
    )


def query(scope):
    units = ", ".join(sql_text(u) for u in scope["units"])
    return (
        TEMPLATE.replace("{units}", units)
        .replace("{S}", str(int(scope["start"])))
        .replace("{E}", str(int(scope["end"])))
        .replace("{P}", str(int(scope["previous_start"])))
    )


def totals(cursor):
    """The counts summed over the units: {k: {field: n}} (k = 0 the month, 1 the previous)."""
    names = [d[0] for d in cursor.description]
    out = {0: {}, 1: {}}
    for row in cursor.fetchall():
        k = int(row[1])
        for name, value in zip(names[2:], row[2:]):
            out[k][name] = out[k].get(name, 0) + int(value)
    return out


def mismatches(scope, got):
    wrong = []
    for k, key in ((0, "counts"), (1, "previous")):
        for field, want in scope[key].items():
            have = got[k].get(field, 0)
            if have != want:
                wrong.append(f"{scope['unit']} {key}.{field}: DuckDB {have} ≠ motcua {want}")
    return wrong


def percentile(times, q):
    times = sorted(times)
    return times[min(len(times) * q // 100, len(times) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=pathlib.Path, required=True, help="folder of `motcua generate`")
    parser.add_argument(
        "--bench",
        type=pathlib.Path,
        required=True,
        action="append",
        help="folder of `motcua-bench --out` (repeat it for the runs on several databases: "
        "the first gives the scopes and offerings, each is checked and compared)",
    )
    parser.add_argument("--runs", type=int, default=20, help="timed queries per scope")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    args = parser.parse_args()

    con = duckdb.connect(":memory:")
    if args.threads:
        con.execute(f"SET threads = {int(args.threads)}")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    started = time.perf_counter()
    load(con, args.data, args.bench[0])
    loaded = time.perf_counter() - started
    n = con.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    print(f"<!-- DuckDB {duckdb.__version__}, {threads} threads: loaded {n} dossiers in {loaded:.1f} s -->")

    rows, wrong = [], []
    for name in ("province", "commune"):
        scopes = [json.loads((b / f"{name}.json").read_text(encoding="utf-8")) for b in args.bench]
        scope = scopes[0]
        sql = query(scope)
        first = totals(con.execute(sql))
        for s in scopes:
            wrong += mismatches(s, first)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            got = totals(con.execute(sql))
            times.append((time.perf_counter() - t) * 1000.0)
            wrong += mismatches(scope, got)
        p50, p99 = percentile(times, 50), percentile(times, 99)
        ratios = []
        for b, s in zip(args.bench, scopes):
            in_process = s.get("in_process_ms", {}).get("p50")
            if in_process:
                ratios.append(f"{p50 / in_process:.0f}× ({b.name})")
        rows.append(
            f"| DuckDB | {name} ({len(scope['units'])} units) | {p50:.1f} / {p99:.1f} | "
            f"{', '.join(ratios)} |"
        )
    print("| engine | scope | full scan p50 / p99 (ms) | ÷ motcua in process p50 (run) |")
    print("|---|---|---|---|")
    for r in rows:
        print(r)
    if wrong:
        for w in sorted(set(wrong)):
            print(w, file=sys.stderr)
        print(f"{len(set(wrong))} counts differ from motcua's", file=sys.stderr)
        return 1
    print("<!-- every count equals motcua's -->")
    return 0


if __name__ == "__main__":
    sys.exit(main())
