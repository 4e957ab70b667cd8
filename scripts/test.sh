#!/usr/bin/env bash
# Runs every test: format and lints, native tests, wasm tests in headless Chromium,
# the release build of the app, and the attendee's journey in headless Chromium.
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

ensure_build_tools
ensure_chromium

step "Format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p bulbwatch-app -p bulbwatch-explore --target wasm32-unknown-unknown --all-targets -- -D warnings

step "Native tests"
cargo test --workspace --exclude bulbwatch-e2e

step "Wasm tests in headless Chromium"
# `cargo test --workspace` compiles these to nothing natively: run them for wasm32.
# ChromeDriver leaves an 85 MB browser profile in $TMPDIR for every test binary it
# runs; give it a scratch folder that goes away afterwards.
with_scratch_tmpdir cargo test -p bulbwatch-app -p bulbwatch-explore --target wasm32-unknown-unknown

build_app

step "Browser journeys in headless Chromium"
cargo test -p bulbwatch-e2e

step "All tests passed"
