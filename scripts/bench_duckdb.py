"""The DuckDB side of `scripts/bench-duckdb.sh` (driven by `query/benches/duckdb.rs`).

Loads the benchmark's synthetic events from a CSV file into an in-memory DuckDB table
and prints a JSON line (rows, load time, DuckDB's memory, version). Then it answers
commands on stdin, one JSON line each: `run QUERY THREADS` runs the engine's query
written in SQL once with `SET threads=THREADS`, to its full, materialized answer, and
answers the milliseconds; `answer QUERY` answers its rows, for the benchmark to compare
with the engine's.

    python bench_duckdb.py EVENTS.csv START_MS END_MS BUCKET_MS
"""

import json
import math
import sys
import time

import duckdb


def group_by(con, where, start, width):
    """COUNT + P95(duration_ms) by attendee (the 100 largest groups, ties by name),
    then their series per time bucket: two statements (faster in DuckDB than one with
    a materialized CTE). Answers a function that runs them, leaving the series in
    `con`, and answers the totals."""
    def run():
        top = con.execute(f"""
            SELECT attendee, NULL::BIGINT AS bucket, count(*) AS n,
                   quantile_disc(duration_ms, 0.95) AS p95
            FROM events WHERE {where}
            GROUP BY attendee ORDER BY n DESC, attendee LIMIT 100""").fetchall()
        names = ", ".join("'" + r[0].replace("'", "''") + "'" for r in top)
        con.execute(f"""
            SELECT attendee, (ts - {start}) // {width} AS bucket, count(*),
                   quantile_disc(duration_ms, 0.95)
            FROM events WHERE {where} AND attendee IN ({names})
            GROUP BY attendee, bucket""")
        return top
    return run


def heatmap(con, where, start, width, n=40):
    """HEATMAP(duration_ms): the range of the numbers, then the counts per (time
    bucket, value bucket) on the engine's value axis (log when all are positive and
    the largest is at least 20× the smallest, else linear; 40 buckets). Two
    statements, the second with the range as constants (faster in DuckDB than one
    statement joining the range)."""
    def run():
        lo, hi = con.execute(f"""
            SELECT min(duration_ms), max(duration_ms) FROM events
            WHERE {where} AND duration_ms IS NOT NULL""").fetchone()
        if lo > 0 and hi >= 20 * lo:
            x, lo_x, hi_x = "ln(duration_ms)", math.log(lo), math.log(hi)
        else:
            x, lo_x, hi_x = "duration_ms", lo, hi
        con.execute(f"""
            SELECT (ts - {start}) // {width} AS bucket,
                   least(floor(({x} - '{lo_x!r}'::DOUBLE) * {n}
                                / '{(hi_x - lo_x)!r}'::DOUBLE), {n - 1})::INTEGER
                       AS value_bucket,
                   count(*) AS n
            FROM events WHERE {where} AND duration_ms IS NOT NULL
            GROUP BY ALL""")
        return []
    return run


def main():
    csv, start, end, width = sys.argv[1:5]
    start, end, width = int(start), int(end), int(width)
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"""
        CREATE TABLE events AS SELECT * FROM read_csv('{csv}', header = true, columns = {{
            'ts': 'BIGINT', 'attendee': 'VARCHAR', 'colour': 'VARCHAR',
            'shard': 'DOUBLE', 'duration_ms': 'DOUBLE', 'queue_length': 'DOUBLE',
            'http_route': 'VARCHAR', 'status': 'DOUBLE', 'succeeded': 'BOOLEAN'}})
    """)
    load_s = time.perf_counter() - t0
    memory = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0]
    rows = con.execute("SELECT count(*) FROM events").fetchone()[0]

    in_range = f"ts >= {start} AND ts < {end}"
    filtered = f"{in_range} AND shard != 3 AND colour != 'red'"
    queries = {
        "group_by": group_by(con, in_range, start, width),
        "heatmap": heatmap(con, in_range, start, width),
        "filtered": group_by(con, filtered, start, width),
    }
    reply({"rows": rows, "load_s": load_s, "memory_bytes": memory,
           "version": duckdb.__version__})
    # Then one command a line, so that the benchmark can alternate engine and DuckDB
    # runs: "run QUERY THREADS" answers the milliseconds of one run, "answer QUERY"
    # the rows of its answer.
    threads = None
    for line in sys.stdin:
        words = line.split()
        if words[0] == "run":
            if threads != words[2]:
                threads = words[2]
                con.execute(f"SET threads = {threads}")
            t = time.perf_counter()
            queries[words[1]]()  # the whole answer, materialized in DuckDB
            ms = (time.perf_counter() - t) * 1000
            con.fetchall()
            reply(ms)
        elif words[0] == "answer":
            first = queries[words[1]]()
            reply([list(r) for r in first + con.fetchall()])


def reply(value):
    print(json.dumps(value), flush=True)


if __name__ == "__main__":
    main()
