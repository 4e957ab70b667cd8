//! The heatmap redraw benchmark in headless Chromium: starts a server on loopback (a
//! temporary data directory, the built app from `dist/`), opens
//! `/explore/bench/heatmap` at devicePixelRatio 1 and 2, waits for the page to finish
//! its redraws, and prints a Markdown table for BENCHMARKS.md.
//!   cargo run -p bulbwatch-e2e --release --bin bench-heatmap -- [redraws, default 20]
//! `scripts/bench-heatmap.sh` builds the app first and runs this.

use std::time::Duration;

use bulbwatch_e2e::{ChromeDriver, TestServer};

/// Generous: 20 redraws of 100,000 events take seconds, not minutes.
const DONE_WITHIN: Duration = Duration::from_secs(300);
const ROOT: &str = "[data-testid=heatmap-bench]";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let runs: u32 = std::env::args()
        .nth(1)
        .map_or(20, |n| n.parse().expect("the number of redraws, 1–1000"));
    let server = TestServer::start().await;
    let chromedriver = ChromeDriver::start().await;

    println!("| devicePixelRatio | canvas (CSS px) | events | redraws | median (ms) | p95 (ms) |");
    println!("|---:|---|---:|---:|---:|---:|");
    for ratio in [1, 2] {
        let scale = format!("--force-device-scale-factor={ratio}");
        let page = chromedriver.browser_with(&[&scale]).await;
        page.open(&format!(
            "{}explore/bench/heatmap?runs={runs}",
            server.url()
        ))
        .await;
        page.wait_attr(
            ROOT,
            "data-median-ms",
            DONE_WITHIN,
            "the redraws end",
            |v| !v.is_empty(),
        )
        .await;
        let root = page.find(ROOT).await;
        let attr = |name: &'static str| {
            let root = root.clone();
            async move { root.attr(name).await.ok().flatten().unwrap_or_default() }
        };
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            attr("data-ratio").await,
            attr("data-canvas").await.replace('x', "×"),
            attr("data-events").await,
            attr("data-runs").await,
            attr("data-median-ms").await,
            attr("data-p95-ms").await,
        );
        page.close().await;
    }
}
