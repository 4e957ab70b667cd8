//! `bulbwatch rehearse --url JOIN_LINK --attendees N`: the rehearsal room from a
//! terminal, against any deployment. Joins N simulated attendees (waiting out the
//! join rate limit), runs them until `--duration-s` or Ctrl+C, and prints how the
//! runs go every 10 s.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bulbwatch_api::{ApiError, Joined};

use super::{Simulation, simulated_name};
use crate::check_cli::split_join_url;
use crate::check_cli::transport::client;
use crate::config::RehearseArgs;

/// Runs the rehearsal; exit 0 when it ran, 2 when it could not start.
pub fn run(args: &RehearseArgs) -> ExitCode {
    match run_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bulbwatch rehearse: {message}");
            ExitCode::from(2)
        }
    }
}

fn run_inner(args: &RehearseArgs) -> Result<(), String> {
    let (base, code_in_url) = split_join_url(&args.url);
    let code = args.code.clone().or(code_in_url).ok_or_else(|| {
        "the room's join code is needed: give the join link as --url (http://HOST:PORT/join/CODE), or pass --code CODE".to_string()
    })?;
    let http = client()?;
    let seed = args.seed.unwrap_or_else(|| {
        let mut bytes = [0u8; 8];
        let _ = getrandom::fill(&mut bytes);
        u64::from_le_bytes(bytes) % 1_000_000
    });
    println!(
        "Rehearsing at {base}: {} simulated attendees, each every {} ms (seed {seed}).",
        args.attendees, args.interval_ms
    );
    let interval_ms = Arc::new(AtomicU32::new(args.interval_ms));
    let runs = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for index in 0..args.attendees {
        let name = simulated_name(index);
        let joined = join(&http, &base, &name, &code)?;
        println!("  joined {name}, {} of {}", index + 1, args.attendees);
        let simulation = Simulation {
            base: base.clone(),
            token: joined.token,
            index,
            seed,
            interval_ms: Arc::clone(&interval_ms),
            runs: Arc::clone(&runs),
        };
        let flag = Arc::clone(&stop);
        threads.push(
            std::thread::Builder::new()
                .name(format!("rehearsal-{index}"))
                .spawn(move || simulation.run(|| flag.load(Ordering::Relaxed)))
                .map_err(|e| format!("cannot start a simulated attendee: {e}"))?,
        );
    }
    println!(
        "Running. Stop with Ctrl+C; remove them afterwards with \"Remove simulated attendees\" on the console."
    );
    let started = Instant::now();
    let until = args.duration_s.map(|s| started + Duration::from_secs(s));
    let mut next_report = started + Duration::from_secs(10);
    loop {
        let now = Instant::now();
        if until.is_some_and(|until| now >= until) {
            break;
        }
        if now >= next_report {
            println!(
                "  {} s: {} runs recorded",
                started.elapsed().as_secs(),
                runs.load(Ordering::Relaxed)
            );
            next_report += Duration::from_secs(10);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, Ordering::Relaxed);
    println!("Stopping: each finishes its run first…");
    for thread in threads {
        let _ = thread.join();
    }
    println!(
        "Done: {} runs recorded by {} simulated attendees.",
        runs.load(Ordering::Relaxed),
        args.attendees
    );
    Ok(())
}

/// Joins as a simulated attendee, waiting out the join rate limit (429).
fn join(
    http: &reqwest::blocking::Client,
    base: &str,
    name: &str,
    code: &str,
) -> Result<Joined, String> {
    let url = format!("{base}/api/attendees");
    for _ in 0..30 {
        let res = http
            .post(&url)
            .json(&serde_json::json!({ "name": name, "code": code, "simulated": true }))
            .send()
            .map_err(|e| format!("cannot reach {url}: {e}"))?;
        if res.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
            let wait = res
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(1u64);
            println!("  the server limits joins: waiting {wait} s");
            std::thread::sleep(Duration::from_secs(wait));
            continue;
        }
        let status = res.status();
        let text = res.text().map_err(|e| e.to_string())?;
        if status.is_success() {
            return serde_json::from_str(&text).map_err(|e| format!("unexpected answer: {e}"));
        }
        let message = serde_json::from_str::<ApiError>(&text)
            .map(|e| e.error.message)
            .unwrap_or(text);
        return Err(format!(
            "cannot join {base} as {name:?}: {status}: {message}"
        ));
    }
    Err(format!("cannot join {base}: the join limit did not clear"))
}
