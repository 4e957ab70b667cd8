//! `bulbwatch-fanout`: how fast a bulb change reaches every open page. Opens N live
//! streams (`GET /api/bulb/events`, one connection each, as N browser tabs would),
//! waits until every one has its first events, then makes M bulb changes as the
//! facilitator, one at a time, and times each change to each page: from the bulb's
//! apply (its `applied_at_ms`, the server's clock, which is this machine's) and from
//! the PUT's 202 answer. A page not shown a change within `--wait-ms` missed it.
//! Loopback only; a bench tool, not a test.

mod cpu;
mod latency;
mod page;
mod room;

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::time::timeout_at;

use latency::Summary;
use page::{PageNews, Shown};
use room::{Change, Facilitator};

/// Open files the tool keeps for itself besides its pages.
const SPARE_FILES: u64 = 64;

/// The colours the changes cycle through.
const COLOURS: [&str; 4] = ["red", "green", "blue", "yellow"];

#[derive(Parser, Debug)]
#[command(
    name = "bulbwatch-fanout",
    about = "Times a bulb change to every one of N open live pages"
)]
struct Args {
    /// The server, on loopback: http://127.0.0.1:PORT.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// The facilitator's secret (the changes are theirs, so not rate-limited).
    #[arg(long, env = "BULBWATCH_FACILITATOR_TOKEN", hide_env_values = true)]
    facilitator_token: String,
    /// Live pages to open.
    #[arg(long, default_value_t = 500)]
    pages: usize,
    /// Bulb changes to make, one at a time.
    #[arg(long, default_value_t = 20)]
    changes: usize,
    /// The queue delay to set first (ms): 0 applies each change at once.
    #[arg(long, default_value_t = 0)]
    queue_delay_ms: u32,
    /// Pages opening at once.
    #[arg(long, default_value_t = 200)]
    opening_at_once: usize,
    /// How long a change may take to reach every page; later, it is missed (ms).
    #[arg(long, default_value_t = 5000)]
    wait_ms: u64,
    /// Pause between one change reaching every page and the next change (ms).
    #[arg(long, default_value_t = 200)]
    gap_ms: u64,
    /// The server's process id, to report its CPU time per change beside this tool's.
    #[arg(long)]
    server_pid: Option<u32>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("bulbwatch-fanout: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(&args)) {
        Ok(report) => {
            report.print(&args);
            if report.missed() == 0 && report.unopened == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(message) => {
            eprintln!("bulbwatch-fanout: {message}");
            ExitCode::from(2)
        }
    }
}

/// `127.0.0.1:PORT` of `http://127.0.0.1:PORT[/]`; anything but loopback is refused.
fn loopback_addr(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("--url must be http://127.0.0.1:PORT, got {url:?}"))?;
    let addr = rest.trim_end_matches('/');
    let host = addr.rsplit_once(':').map_or(addr, |(host, _)| host);
    if host != "127.0.0.1" && host != "localhost" {
        return Err(format!(
            "a load tool stays on loopback: --url must be http://127.0.0.1:PORT, got {url:?}"
        ));
    }
    Ok(addr.to_string())
}

/// Raises the soft open-file limit to the hard one; answers the limit now in force.
fn raise_open_files() -> Result<u64, String> {
    rlimit::increase_nofile_limit(u64::MAX)
        .map_err(|e| format!("cannot raise the open-file limit: {e}"))
}

/// What the pages said, and when each change was accepted.
struct Report {
    open: usize,
    unopened: usize,
    opening: Duration,
    closed: Vec<(usize, String)>,
    changes: Vec<Change>,
    /// Per change (by request id), the first time each page was shown it.
    shown: HashMap<String, HashMap<usize, Shown>>,
    /// CPU time over the changes (pauses included), ms: the server's, this tool's.
    cpu: (Option<f64>, Option<f64>),
}

impl Report {
    fn deliveries(&self) -> usize {
        self.changes
            .iter()
            .map(|c| self.shown.get(&c.request_id).map_or(0, HashMap::len))
            .sum()
    }

    fn expected(&self) -> usize {
        self.open * self.changes.len()
    }

    fn missed(&self) -> usize {
        self.expected().saturating_sub(self.deliveries())
    }

    /// Latencies in ms: from the apply (server clock), and from the 202 (client clock,
    /// with how many arrived before the 202 did: those count as 0).
    fn latencies(&self) -> (Vec<f64>, Vec<f64>, usize) {
        let (mut from_apply, mut from_accept, mut ahead) = (Vec::new(), Vec::new(), 0);
        for change in &self.changes {
            let Some(pages) = self.shown.get(&change.request_id) else {
                continue;
            };
            for shown in pages.values() {
                if let Some(applied) = shown.applied_at_ms {
                    from_apply.push((shown.at_wall_us - applied * 1000) as f64 / 1000.0);
                }
                match shown.at.checked_duration_since(change.accepted) {
                    Some(d) => from_accept.push(d.as_secs_f64() * 1000.0),
                    None => {
                        ahead += 1;
                        from_accept.push(0.0);
                    }
                }
            }
        }
        (from_apply, from_accept, ahead)
    }

    fn print(&self, args: &Args) {
        let (from_apply, from_accept, ahead) = self.latencies();
        let enqueue: Vec<f64> = self
            .changes
            .iter()
            .map(|c| (c.accepted - c.sent).as_secs_f64() * 1000.0)
            .collect();
        println!(
            "{} of {} pages open in {:.1} s ({} could not open); {} changes, queue delay {} ms",
            self.open,
            args.pages,
            self.opening.as_secs_f64(),
            self.unopened,
            self.changes.len(),
            args.queue_delay_ms
        );
        println!(
            "deliveries: {} of {} ({} missed); pages whose stream ended during the run: {}",
            self.deliveries(),
            self.expected(),
            self.missed(),
            self.closed.len()
        );
        for (page, why) in self.closed.iter().take(5) {
            println!("  page {page}: {why}");
        }
        println!();
        println!("| a change to each open page, from | deliveries | p50 | p95 | p99 | max |");
        println!("|---|---:|---:|---:|---:|---:|");
        row("the bulb's apply (`applied_at_ms`, ms clock)", from_apply);
        row(
            &format!("the PUT's 202 answer ({ahead} before it: 0)"),
            from_accept,
        );
        row("(the PUT itself: send to 202, per change)", enqueue);
        println!();
        let per_change = |ms: Option<f64>| {
            ms.map_or("–".to_string(), |ms| {
                format!("{:.1} ms", ms / self.changes.len().max(1) as f64)
            })
        };
        println!(
            "CPU per change (over the changes and their pauses): server {}, this tool {}",
            per_change(self.cpu.0),
            per_change(self.cpu.1)
        );
        let (p99, max) =
            Summary::of(self.latencies().0).map_or((f64::NAN, f64::NAN), |s| (s.p99, s.max));
        println!(
            "summary: pages={} changes={} deliveries={}/{} missed={} p99_from_apply_ms={p99:.1} max_ms={max:.1}",
            self.open,
            self.changes.len(),
            self.deliveries(),
            self.expected(),
            self.missed()
        );
    }
}

fn row(label: &str, ms: Vec<f64>) {
    match Summary::of(ms) {
        Some(s) => println!(
            "| {label} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
            s.count, s.p50, s.p95, s.p99, s.max
        ),
        None => println!("| {label} | 0 | – | – | – | – |"),
    }
}

/// Everything the pages said so far, sorted as it arrives.
struct Pages {
    news: UnboundedReceiver<PageNews>,
    open: usize,
    settled: usize,
    closed: Vec<(usize, String)>,
    shown: HashMap<String, HashMap<usize, Shown>>,
}

impl Pages {
    /// Takes news until `until` or `done(self)`; false if the deadline came first.
    async fn take_until(&mut self, until: Instant, done: impl Fn(&Self) -> bool) -> bool {
        while !done(self) {
            match timeout_at(until.into(), self.news.recv()).await {
                Ok(Some(news)) => self.note(news),
                Ok(None) | Err(_) => return done(self),
            }
        }
        true
    }

    fn note(&mut self, news: PageNews) {
        match news {
            PageNews::Open => {
                self.open += 1;
                self.settled += 1;
            }
            PageNews::Closed { page, why } => {
                self.closed.push((page, why));
                self.settled += 1;
            }
            PageNews::Shown(shown) => {
                self.shown
                    .entry(shown.request_id.clone())
                    .or_default()
                    .entry(shown.page)
                    .or_insert(shown);
            }
        }
    }

    fn shown(&self, request_id: &str) -> usize {
        self.shown.get(request_id).map_or(0, HashMap::len)
    }
}

async fn run(args: &Args) -> Result<Report, String> {
    let addr = loopback_addr(&args.url)?;
    let limit = raise_open_files()?;
    let room_for = limit.saturating_sub(SPARE_FILES);
    println!("open-file limit {limit}: room for about {room_for} pages");
    if (args.pages as u64) > room_for {
        return Err(format!(
            "{} pages need about {} open files, and the hard limit is {limit} (raise it with ulimit -Hn as root)",
            args.pages,
            args.pages as u64 + SPARE_FILES
        ));
    }
    let facilitator = Facilitator::join(&args.url, &args.facilitator_token).await?;
    facilitator.set_queue_delay(args.queue_delay_ms).await?;

    let (tx, news) = unbounded_channel();
    let mut pages = Pages {
        news,
        open: 0,
        settled: 0,
        closed: Vec::new(),
        shown: HashMap::new(),
    };
    let started = Instant::now();
    let batch = args.opening_at_once.max(1);
    for first in (0..args.pages).step_by(batch) {
        let last = (first + batch).min(args.pages);
        for page in first..last {
            tokio::spawn(page::open(page, addr.clone(), tx.clone()));
        }
        let until = Instant::now() + Duration::from_secs(30);
        pages.take_until(until, |p| p.settled >= last).await;
    }
    let opening = started.elapsed();
    let (open, unopened) = (pages.open, args.pages - pages.open.min(args.pages));
    for (page, why) in pages.closed.drain(..).take(5) {
        println!("  page {page} could not open: {why}");
    }
    println!("{open} pages open in {:.1} s", opening.as_secs_f64());

    let cpu_now = || {
        (
            args.server_pid.and_then(cpu::cpu_ms),
            cpu::cpu_ms(std::process::id()),
        )
    };
    let cpu_before = cpu_now();
    let mut changes = Vec::new();
    for i in 0..args.changes {
        let change = facilitator.change(COLOURS[i % COLOURS.len()]).await?;
        let until = change.accepted + Duration::from_millis(args.wait_ms);
        let id = change.request_id.clone();
        pages.take_until(until, |p| p.shown(&id) >= open).await;
        changes.push(change);
        let pause = Instant::now() + Duration::from_millis(args.gap_ms);
        pages.take_until(pause, |_| false).await;
    }
    let cpu_after = cpu_now();
    let spent = |before: Option<f64>, after: Option<f64>| Some(after? - before?);
    Ok(Report {
        cpu: (
            spent(cpu_before.0, cpu_after.0),
            spent(cpu_before.1, cpu_after.1),
        ),
        open,
        unopened,
        opening,
        closed: pages.closed,
        changes,
        shown: pages.shown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_driven() {
        assert_eq!(
            loopback_addr("http://127.0.0.1:8080/").unwrap(),
            "127.0.0.1:8080"
        );
        assert!(loopback_addr("http://10.0.0.5:8080").is_err());
        assert!(loopback_addr("https://127.0.0.1:8080").is_err());
    }
}
