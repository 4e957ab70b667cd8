#!/usr/bin/env bash
# The query engine against DuckDB, side by side in one run, on this machine's cores:
# the synthetic events of query/benches (200 attendees, 10 colours, 4 shards,
# log-normal durations over 2 hours) at each size, the three benchmark queries on 1 and
# 2 threads in the engine and in DuckDB (SET threads=1 / =2, the same events loaded
# from CSV), medians, one Markdown table per size, the answers compared value by value,
# and memory per event. Prints the tables for BENCHMARKS.md.
#   scripts/bench-duckdb.sh [events, comma-separated; default 1000000,10000000] [runs; default 7]
# DuckDB comes from PyPI (duckdb==$DUCKDB_VERSION) into a venv under the cargo target
# folder, made the first time. The CSV of 10M events (about 600 MB) is written to the
# target folder and removed after use.
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

DUCKDB_VERSION=2.0.1
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="$TARGET/duckdb-venv"
if ! "$VENV/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
  step "Installing DuckDB $DUCKDB_VERSION from PyPI into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "duckdb==$DUCKDB_VERSION"
fi

step "Engine and DuckDB, side by side (release build)"
BENCH_PYTHON="$VENV/bin/python" \
BENCH_DUCKDB_SCRIPT="$ROOT/scripts/bench_duckdb.py" \
BENCH_SCRATCH="$TARGET/bench-duckdb" \
  cargo bench -p bulbwatch-query --bench duckdb -- "${1:-1000000,10000000}" "${2:-7}"
