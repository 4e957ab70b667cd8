//! The engine against DuckDB, side by side in one run: the benchmark's synthetic events
//! (see `synthetic`) at each size asked, in the engine's table and, through a CSV
//! file, in DuckDB (`scripts/bench_duckdb.py`); the three queries on 1 and 2 threads
//! (DuckDB: `SET threads=1` / `=2`), engine and DuckDB runs alternating; medians, one
//! table, and the answers of both compared value by value.
//!
//! `scripts/bench-duckdb.sh [EVENTS,...] [RUNS]` (it makes the Python venv with DuckDB
//! and runs this with `cargo bench -p bulbwatch-query --bench duckdb -- EVENTS RUNS`).
//! Environment: `BENCH_PYTHON` (the venv's python), `BENCH_DUCKDB_SCRIPT`,
//! `BENCH_SCRATCH` (a folder for the CSV files, removed after each size).

mod synthetic;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use bulbwatch_api::{QueryResult, Scalar};
use bulbwatch_query::{ExecuteOptions, execute_with};
use serde_json::Value;
use synthetic::{GRANULARITY_S, NOW_MS, Queries, SPAN_MS, START_MS};

/// The three queries' keys in the DuckDB script's answer, in the table's order.
const KEYS: [&str; 3] = ["group_by", "heatmap", "filtered"];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let sizes: Vec<usize> = args
        .first()
        .map_or("1000000,10000000", String::as_str)
        .split(',')
        .map(|s| {
            s.replace('_', "")
                .parse()
                .expect("EVENTS: numbers, comma-separated")
        })
        .collect();
    let runs: usize = args
        .get(1)
        .map_or(7, |r| r.parse().expect("RUNS: a number"));
    let python = std::env::var("BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = std::env::var("BENCH_DUCKDB_SCRIPT").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/bench_duckdb.py").into()
    });
    let scratch = PathBuf::from(std::env::var("BENCH_SCRATCH").unwrap_or_else(|_| "/tmp".into()));
    std::fs::create_dir_all(&scratch).expect("the scratch folder");

    let queries = Queries::new();
    let mut report = String::new();
    for &n in &sizes {
        eprintln!("{n} events: generating…");
        let rss_before = rss_bytes();
        let started = Instant::now();
        let table = synthetic::table(n);
        let generated = started.elapsed();
        let rss_delta = rss_bytes().saturating_sub(rss_before);
        let heap = table.heap_bytes();

        eprintln!("{n} events: writing CSV, DuckDB loading…");
        let csv = scratch.join(format!("bulbwatch-events-{n}.csv"));
        write_csv(&csv, n);
        let mut duckdb = DuckDb::start(&python, &script, &csv);
        let duck = duckdb.reply();
        let _ = std::fs::remove_file(&csv);
        assert_eq!(
            duck["rows"].as_u64(),
            Some(n as u64),
            "DuckDB loaded every event"
        );

        // Each query on 1 then 2 threads, engine and DuckDB runs alternating (after a
        // warm-up of each), so that a busy moment on the machine falls on both. The
        // engine must answer alike, bit for bit, on 1 and 2 threads.
        eprintln!("{n} events: querying…");
        let mut engine: Vec<[f64; 2]> = Vec::new();
        let mut duck_ms: Vec<[f64; 2]> = Vec::new();
        let mut answers: Vec<QueryResult> = Vec::new();
        for ((name, spec), key) in queries.all().into_iter().zip(KEYS) {
            let (mut e_medians, mut d_medians) = ([0.0; 2], [0.0; 2]);
            let mut first: Option<String> = None;
            for (i, threads) in [1, 2].into_iter().enumerate() {
                let options = ExecuteOptions::threads(threads);
                let mut result = execute_with(&table, spec, NOW_MS, options).unwrap();
                duckdb.run(key, threads);
                let (mut e_times, mut d_times) = (Vec::new(), Vec::new());
                for _ in 0..runs {
                    let t = Instant::now();
                    result = execute_with(&table, spec, NOW_MS, options).unwrap();
                    e_times.push(t.elapsed().as_secs_f64() * 1000.0);
                    d_times.push(duckdb.run(key, threads));
                }
                e_medians[i] = median(&mut e_times);
                d_medians[i] = median(&mut d_times);
                let json = serde_json::to_string(&result).unwrap();
                match &first {
                    None => {
                        first = Some(json);
                        answers.push(result);
                    }
                    Some(one) => assert!(
                        *one == json,
                        "{name}: 1 and {threads} threads answer differently"
                    ),
                }
            }
            engine.push(e_medians);
            duck_ms.push(d_medians);
        }
        let duck_answers: Vec<Vec<Value>> = KEYS.iter().map(|k| duckdb.answer(k)).collect();

        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let load = load.split_whitespace().next().unwrap_or("?").to_owned();
        let _ = writeln!(
            report,
            "\n{n} events (generated in {:.1} s; DuckDB {} loaded the CSV in {:.1} s); median of {runs} runs, ms; load average {load} at the end\n",
            generated.as_secs_f64(),
            duck["version"].as_str().unwrap_or("?"),
            duck["load_s"].as_f64().unwrap_or(0.0),
        );
        let _ = writeln!(
            report,
            "| Query | engine, 1 thread | DuckDB, 1 thread | engine, 2 threads | DuckDB, 2 threads |"
        );
        let _ = writeln!(report, "|---|---:|---:|---:|---:|");
        for (((name, _), e), d) in queries.all().iter().zip(&engine).zip(&duck_ms) {
            let mark = |e: f64, d: f64| if e <= d { "" } else { " (slower)" };
            let _ = writeln!(
                report,
                "| {name} | {:.1}{} | {:.1} | {:.1}{} | {:.1} |",
                e[0],
                mark(e[0], d[0]),
                d[0],
                e[1],
                mark(e[1], d[1]),
                d[1],
            );
        }
        let duck_bytes = duck["memory_bytes"].as_f64().unwrap_or(0.0);
        let _ = writeln!(
            report,
            "\nMemory: the engine's EventTable holds {heap} bytes ({:.1} per event; the process grew by {:.1} per event while generating it); DuckDB's in-memory table {:.1} per event.",
            heap as f64 / n as f64,
            rss_delta as f64 / n as f64,
            duck_bytes / n as f64,
        );
        let _ = writeln!(report, "\nSame answers (every value compared):");
        for ((key, result), rows) in KEYS.iter().zip(&answers).zip(&duck_answers) {
            let line = if *key == "heatmap" {
                compare_heatmap(result, rows)
            } else {
                compare_group_by(result, rows)
            };
            let _ = writeln!(report, "- {key}: {line}");
        }
        let _ = writeln!(
            report,
            "\nSpot check, the first three groups (engine | DuckDB):"
        );
        let duck_totals: HashMap<String, (f64, f64)> = totals(&duck_answers[0]);
        for g in answers[0].totals.iter().take(3) {
            let name = key_name(&g.group);
            let d = duck_totals
                .get(&name)
                .copied()
                .unwrap_or((f64::NAN, f64::NAN));
            let _ = writeln!(
                report,
                "- {name}: COUNT {} | {}, P95 {} | {}",
                g.values[0].unwrap_or(f64::NAN),
                d.0,
                g.values[1].unwrap_or(f64::NAN),
                d.1
            );
        }
        eprint!("{report}");
        drop(table);
    }
    println!("{report}");
}

/// The DuckDB script, loaded and waiting for commands (see `scripts/bench_duckdb.py`).
struct DuckDb {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl DuckDb {
    fn start(python: &str, script: &str, csv: &Path) -> Self {
        let mut child = Command::new(python)
            .arg(script)
            .arg(csv)
            .args([
                START_MS.to_string(),
                (START_MS + SPAN_MS).to_string(),
                (GRANULARITY_S * 1000).to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting the DuckDB script");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        DuckDb {
            child,
            stdin,
            stdout,
        }
    }

    fn reply(&mut self) -> Value {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| {
            panic!("the DuckDB script answered {line:?} ({e}); its error is above")
        })
    }

    fn command(&mut self, line: &str) -> Value {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
        self.reply()
    }

    /// One run's milliseconds.
    fn run(&mut self, query: &str, threads: usize) -> f64 {
        self.command(&format!("run {query} {threads}"))
            .as_f64()
            .unwrap_or(f64::NAN)
    }

    /// The answer's rows.
    fn answer(&mut self, query: &str) -> Vec<Value> {
        match self.command(&format!("answer {query}")) {
            Value::Array(rows) => rows,
            _ => Vec::new(),
        }
    }
}

impl Drop for DuckDb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The process's resident memory, bytes (0 where /proc is not there).
fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// The `n` synthetic events as CSV, one column per field.
fn write_csv(path: &Path, n: usize) {
    let file = std::fs::File::create(path).expect("the CSV file");
    let mut w = BufWriter::with_capacity(1 << 20, file);
    writeln!(
        w,
        "ts,attendee,colour,shard,duration_ms,queue_length,http_route,status,succeeded"
    )
    .unwrap();
    for e in synthetic::events(n) {
        writeln!(
            w,
            "{},attendee-{:03},{},{},{},{},{},{},{}",
            e.ts,
            e.attendee,
            e.colour,
            e.shard,
            e.duration_ms,
            e.queue_length,
            e.route,
            e.status,
            e.succeeded
        )
        .unwrap();
    }
    w.flush().unwrap();
}

fn key_name(group: &[Option<Scalar>]) -> String {
    match group.first() {
        Some(Some(Scalar::String(s))) => s.clone(),
        other => format!("{other:?}"),
    }
}

/// DuckDB's totals rows (bucket null): attendee → (count, p95).
fn totals(rows: &[Value]) -> HashMap<String, (f64, f64)> {
    rows.iter()
        .filter(|r| r[1].is_null())
        .map(|r| {
            (
                r[0].as_str().unwrap_or("").to_owned(),
                (
                    r[2].as_f64().unwrap_or(f64::NAN),
                    r[3].as_f64().unwrap_or(f64::NAN),
                ),
            )
        })
        .collect()
}

/// Totals (groups, in order) and every series point against DuckDB's rows.
fn compare_group_by(result: &QueryResult, rows: &[Value]) -> String {
    let duck_order: Vec<String> = rows
        .iter()
        .filter(|r| r[1].is_null())
        .map(|r| r[0].as_str().unwrap_or("").to_owned())
        .collect();
    let engine_order: Vec<String> = result.totals.iter().map(|g| key_name(&g.group)).collect();
    let mut cells: HashMap<(String, i64), (f64, Option<f64>)> = HashMap::new();
    for r in rows {
        let bucket = r[1].as_i64().unwrap_or(-1);
        cells.insert(
            (r[0].as_str().unwrap_or("").to_owned(), bucket),
            (r[2].as_f64().unwrap_or(f64::NAN), r[3].as_f64()),
        );
    }
    let (mut same, mut all) = (0usize, 0usize);
    let mut first_difference = None;
    for g in &result.totals {
        let name = key_name(&g.group);
        all += 2;
        let want = cells.get(&(name.clone(), -1)).copied();
        let got = (g.values[0].unwrap_or(f64::NAN), g.values[1]);
        if want == Some(got) {
            same += 2;
        } else {
            first_difference.get_or_insert(format!("{name} totals: {got:?} vs {want:?}"));
        }
    }
    for s in &result.series {
        let name = key_name(&s.group);
        for (t, p) in s.points.iter().enumerate() {
            all += 2;
            let got = (p.values[0].unwrap_or(f64::NAN), p.values[1]);
            let want = cells
                .get(&(name.clone(), t as i64))
                .copied()
                .unwrap_or((0.0, None));
            if want == got {
                same += 2;
            } else {
                first_difference.get_or_insert(format!("{name} bucket {t}: {got:?} vs {want:?}"));
            }
        }
    }
    format!(
        "groups in the same order: {}; {same} of {all} values (COUNT and P95, totals and series) identical{}",
        if duck_order == engine_order {
            "yes"
        } else {
            "NO"
        },
        first_difference.map_or(String::new(), |d| format!("; first difference: {d}")),
    )
}

/// Every heatmap cell against DuckDB's (time bucket, value bucket, count) rows.
fn compare_heatmap(result: &QueryResult, rows: &[Value]) -> String {
    let Some(h) = result.heatmaps.first() else {
        return "the engine answered no heatmap".into();
    };
    let mut cells: HashMap<(i64, i64), u64> = HashMap::new();
    for r in rows {
        cells.insert(
            (r[0].as_i64().unwrap_or(-1), r[1].as_i64().unwrap_or(-1)),
            r[2].as_u64().unwrap_or(0),
        );
    }
    let (mut same, mut all, mut moved) = (0usize, 0usize, 0u64);
    for (t, row) in h.rows.iter().enumerate() {
        for (v, &count) in row.counts.iter().enumerate() {
            all += 1;
            let want = cells.get(&(t as i64, v as i64)).copied().unwrap_or(0);
            if want == u64::from(count) {
                same += 1;
            } else {
                moved += want.abs_diff(u64::from(count));
            }
        }
    }
    format!(
        "{:?} axis, {same} of {all} cells identical ({moved} events counted in a different cell)",
        h.scale
    )
}
