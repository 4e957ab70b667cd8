"""The DuckDB side of `scripts/bench-duckdb.sh` (run by `query/benches/duckdb.rs`).

Loads the benchmark's synthetic events from a CSV file into an in-memory DuckDB table,
times the engine's three queries written in SQL with `SET threads=1` and `=2` (median
of several runs after a warm-up, each query run to its full, materialized answer) and
prints one JSON object: the timings, DuckDB's memory, and the answers, for the
benchmark to compare with the engine's.

    python bench_duckdb.py EVENTS.csv START_MS END_MS BUCKET_MS RUNS
"""

import json
import statistics
import sys
import time

import duckdb


def group_by_sql(where, start, width):
    """COUNT + P95(duration_ms) by attendee (the 100 largest groups, ties by name),
    and their series per time bucket; one statement. Totals come with a null bucket."""
    return f"""
        WITH ev AS (SELECT * FROM events WHERE {where}),
        top AS MATERIALIZED (
            SELECT attendee, count(*) AS n, quantile_disc(duration_ms, 0.95) AS p95
            FROM ev GROUP BY attendee ORDER BY n DESC, attendee LIMIT 100)
        SELECT attendee, NULL::BIGINT AS bucket, n, p95 FROM top
        UNION ALL
        SELECT attendee, (ts - {start}) // {width} AS bucket, count(*),
               quantile_disc(duration_ms, 0.95)
        FROM ev WHERE attendee IN (SELECT attendee FROM top)
        GROUP BY attendee, bucket
    """


def heatmap_sql(where, start, width, n=40):
    """HEATMAP(duration_ms): the engine's value axis (log when all positive and the
    largest is at least 20× the smallest, else linear; 40 buckets), counts per
    (time bucket, value bucket)."""
    return f"""
        WITH ev AS (SELECT ts, duration_ms FROM events
                    WHERE {where} AND duration_ms IS NOT NULL),
        r AS (SELECT min(duration_ms) AS lo, max(duration_ms) AS hi FROM ev)
        SELECT (ts - {start}) // {width} AS bucket,
               CASE WHEN r.lo > 0 AND r.hi >= 20 * r.lo
                    THEN least(floor((ln(duration_ms) - ln(r.lo)) * {n}
                                     / (ln(r.hi) - ln(r.lo))), {n - 1})
                    ELSE least(floor((duration_ms - r.lo) * {n} / (r.hi - r.lo)), {n - 1})
               END::INTEGER AS value_bucket,
               count(*) AS n
        FROM ev, r GROUP BY ALL
    """


def main():
    csv, start, end, width, runs = sys.argv[1:6]
    start, end, width, runs = int(start), int(end), int(width), int(runs)
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
        "group_by": group_by_sql(in_range, start, width),
        "heatmap": heatmap_sql(in_range, start, width),
        "filtered": group_by_sql(filtered, start, width),
    }
    timings = {}
    answers = {}
    for threads in (1, 2):
        con.execute(f"SET threads = {threads}")
        for name, sql in queries.items():
            con.execute(sql).fetchall()  # warm-up
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                con.execute(sql)  # the whole answer, materialized in DuckDB
                times.append((time.perf_counter() - t) * 1000)
                result = con.fetchall()
            timings.setdefault(name, {})[str(threads)] = statistics.median(times)
            answers[name] = [list(r) for r in result]
    print(json.dumps({
        "rows": rows,
        "load_s": load_s,
        "memory_bytes": memory,
        "version": duckdb.__version__,
        "timings_ms": timings,
        "answers": answers,
    }))


if __name__ == "__main__":
    main()
