#!/usr/bin/env bash
# Runs every test: format and lints, native tests, wasm tests in headless Chromium,
# the release build of the app, and the attendee's journeys in headless Chromium.
#
# With stage names, runs only those, in the order given:
#   ./scripts/test.sh wasm            the wasm tests alone
#   ./scripts/test.sh lint native     format, lints and native tests
# Stages: lint, native, wasm, build, e2e (the plain command runs all five).
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

STAGES=(lint native wasm build e2e)

stage_lint() {
  step "Format and lints"
  cargo fmt --all --check
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy -p bulbwatch-app -p bulbwatch-explore --target wasm32-unknown-unknown --all-targets -- -D warnings
}

stage_native() {
  ensure_hue_client
  step "Native tests"
  cargo test --workspace --exclude bulbwatch-e2e
}

stage_wasm() {
  ensure_chromium
  step "Wasm tests in headless Chromium"
  # `cargo test --workspace` compiles these to nothing natively: run them for wasm32.
  # ChromeDriver leaves an 85 MB browser profile in $TMPDIR for every test binary it
  # runs; give it a scratch folder that goes away afterwards.
  with_scratch_tmpdir cargo test -p bulbwatch-app -p bulbwatch-explore --target wasm32-unknown-unknown
}

stage_build() {
  build_app
}

stage_e2e() {
  ensure_chromium
  build_app
  step "Browser journeys in headless Chromium"
  with_scratch_tmpdir cargo test -p bulbwatch-e2e
}

if (($# == 0)); then
  set -- "${STAGES[@]}"
fi
for stage in "$@"; do
  [[ " ${STAGES[*]} " == *" $stage "* ]] ||
    die "unknown stage '$stage'; the stages are: ${STAGES[*]} (none runs them all)"
done

ensure_build_tools
for stage in "$@"; do
  "stage_$stage"
done

step "All tests passed ($*)"
