#!/usr/bin/env bash
# Heatmap redraw time in the browser: bins 100,000 synthetic events into 240 × 40 cells
# and draws them with plotters on a 1100×420 CSS px canvas, N times, in headless
# Chromium at devicePixelRatio 1 and 2 (/explore/bench/heatmap, timed with the
# Performance API). Prints a Markdown table for BENCHMARKS.md.
#   scripts/bench-heatmap.sh [redraws, default 20]
# The server is the release build, in process, on a loopback port with a temporary
# data directory (the e2e harness's TestServer); Chromium and ChromeDriver are
# Debian's, never downloaded.
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

RUNS="${1:-20}"

ensure_build_tools
ensure_chromium
build_app

step "Benchmarking the heatmap redraw ($RUNS redraws)"
cargo run --quiet --release -p bulbwatch-e2e --bin bench-heatmap -- "$RUNS"
