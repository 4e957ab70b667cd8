#!/usr/bin/env bash
# Builds Bulbwatch (installing missing tools) and runs it on http://127.0.0.1:8080.
# Extra arguments go to `bulbwatch serve`, e.g. scripts/run.sh --addr 0.0.0.0:8080
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

ensure_build_tools
build_app

step "Building the server"
cargo build --release -p bulbwatch-server
exec target/release/bulbwatch serve "$@"
