# Sourced by scripts/run.sh and scripts/test.sh: installs what is missing, at the
# versions that are known to work offline here (see README "Toolchain"), and puts
# the tools on PATH. Every step is skipped when its tool is already there.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${BULBWATCH_TOOLS_DIR:-$HOME/.cache/bulbwatch-tools}"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/binaryen/node_modules/.bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
    step "Installing Trunk $TRUNK_VERSION (about 11 minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

# wasm-bindgen-cli must match the library version Cargo.lock resolved.
ensure_wasm_bindgen() {
  local want
  want="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
  [[ -n "$want" ]] || die "cannot find wasm-bindgen's version in Cargo.lock"
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]] ||
     ! command -v wasm-bindgen-test-runner >/dev/null; then
    step "Installing wasm-bindgen-cli $want (about 4 minutes, once)"
    # Not --locked: its lockfile wants a webpki-roots the registry lacks.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# Debian's binaryen (108) silently breaks the page; the npm build of 132 works.
ensure_wasm_opt() {
  if ! wasm-opt --version 2>/dev/null | grep -q "version 132"; then
    step "Installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
    command -v npm >/dev/null || die "npm is needed to install wasm-opt (binaryen@$BINARYEN_VERSION)"
    mkdir -p "$TOOLS_DIR/binaryen"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/binaryen" "binaryen@$BINARYEN_VERSION"
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    step "Installing Chromium and ChromeDriver (Debian packages)"
    local sudo=""
    [[ "$(id -u)" == 0 ]] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y chromium chromium-driver ||
      { $sudo apt-get update && $sudo apt-get install -y chromium chromium-driver; }
  fi
}

# Runs a command with TMPDIR set to a fresh folder, removed when it ends, so what
# the command's browsers leave behind does not pile up on the disk. The command's
# status is the only status: cleaning up never fails a test run.
with_scratch_tmpdir() {
  local scratch status=0
  scratch="$(mktemp -d "${TMPDIR:-/tmp}/bulbwatch-test.XXXXXX")"
  TMPDIR="$scratch" "$@" || status=$?
  remove_scratch "$scratch"
  return "$status"
}

# A browser that outlived its ChromeDriver (it happens) still runs on a profile in
# the scratch folder and writes there while it exits: ask it to stop, wait for it
# (bounded), kill what is left, then remove the folder. A folder that still cannot be
# removed is reported, not fatal.
remove_scratch() {
  local scratch="$1" pattern="--user-data-dir=$1/"
  if pgrep -f -- "$pattern" >/dev/null; then
    echo "Stopping $(pgrep -f -- "$pattern" | wc -l) browser process(es) that outlived their ChromeDriver"
    pkill -TERM -f -- "$pattern" || true
    wait_for_exit "$pattern" 100 || { pkill -KILL -f -- "$pattern" || true; wait_for_exit "$pattern" 50 || true; }
  fi
  local attempt
  for attempt in 1 2 3 4 5; do
    rm -rf "$scratch" 2>/dev/null && return 0
    sleep 0.2
  done
  printf '\033[33mwarning:\033[0m could not remove the scratch folder %s (left for you to delete)\n' "$scratch" >&2
  return 0
}

# Waits until no process matches the pattern, polling every 0.1 s at most N times.
wait_for_exit() {
  local pattern="$1" tries="$2"
  while pgrep -f -- "$pattern" >/dev/null; do
    ((tries-- > 0)) || return 1
    sleep 0.1
  done
}

# Everything that building the app needs.
ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_opt
}

# Builds the page into dist/ and Explore (a wasm of its own) into dist/explore/, in
# release mode, unless dist/ is newer than every input. The page goes first: Trunk
# empties its dist directory, which holds Explore's. Then compresses what it built.
build_app() {
  local stamp="$ROOT/dist/.bulbwatch-build"
  if [[ -f "$stamp" ]] && [[ -z "$(cd "$ROOT" && find app explore charts api checks style public Trunk.toml Cargo.toml Cargo.lock -newer "$stamp" -type f -print -quit)" ]]; then
    echo "The app in dist/ is up to date."
  else
    step "Building the page (trunk build --release)"
    (cd "$ROOT" && trunk build --release --cargo-profile wasm-release)
    step "Building Explore (trunk build --release explore/index.html)"
    (cd "$ROOT" && trunk build --release --cargo-profile wasm-release --dist dist/explore --public-url /explore/ explore/index.html)
    touch "$stamp"
  fi
  precompress_app
  report_sizes
}

# Writes FILE.br (brotli 11) and FILE.gz (gzip 9) next to every compressible file of
# the built app, for the server to send to browsers that ask for them; skipped when
# they are newer than the build and the tool.
precompress_app() {
  local stamp="$ROOT/dist/.bulbwatch-precompressed"
  if [[ -f "$stamp" ]] && [[ -z "$(cd "$ROOT" && find dist/.bulbwatch-build precompress Cargo.lock -newer "$stamp" -type f -print -quit)" ]]; then
    return
  fi
  step "Compressing the app (brotli and gzip next to each file)"
  (cd "$ROOT" && cargo run --release --quiet -p bulbwatch-precompress -- dist)
  touch "$stamp"
}

# phue, a Hue client library from PyPI (pure Python, unmodified), for the Hue API's
# client test (server/tests/hue_client.rs): a venv under the cargo target folder, made
# once; BULBWATCH_HUE_PYTHON tells the test where it is.
PHUE_VERSION="1.1"
ensure_hue_client() {
  local venv="${CARGO_TARGET_DIR:-$ROOT/target}/hue-client-venv"
  if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('phue') != '$PHUE_VERSION')" 2>/dev/null; then
    step "Installing phue $PHUE_VERSION from PyPI into $venv"
    if ! python3 -m venv --clear "$venv"; then
      local sudo=""; [[ "$(id -u)" == 0 ]] || sudo="sudo"
      export DEBIAN_FRONTEND=noninteractive
      $sudo apt-get install -y python3-venv || { $sudo apt-get update && $sudo apt-get install -y python3-venv; }
      python3 -m venv --clear "$venv"
    fi
    "$venv/bin/pip" install --quiet "phue==$PHUE_VERSION"
  fi
  export BULBWATCH_HUE_PYTHON="$venv/bin/python"
}

# wrk, the HTTP load generator of the benchmarks (Debian's package).
ensure_wrk() {
  command -v wrk >/dev/null && return
  step "Installing wrk (Debian package)"
  local sudo=""; [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get install -y wrk || { $sudo apt-get update && $sudo apt-get install -y wrk; }
}

# The bundles' budgets, KB of gzip (what the room's laptops get over plain HTTP; KB =
# 1,000 bytes). The build fails when a bundle is over its budget (BENCHMARKS.md). The
# page's goal is 250; its budget is what it weighed after issue 12's trimming (259.4)
# plus the bulb's on/off switch (issue 13: 0.9 KB), so it cannot grow while the last
# 10 KB are found.
BUDGET_PAGE_KB=261
BUDGET_WORKER_KB=400
BUDGET_EXPLORE_KB=600
BUDGET_FIRST_LOAD_KB=450

# What a browser downloads, raw, gzip (what browsers ask for over plain HTTP on the
# room's network) and brotli (on localhost and HTTPS): the page; the check worker
# apart (it loads when the attendee turns to a check); Explore (the history frame and
# /explore); and the play page's first load. Fails when one is over its budget.
report_sizes() {
  local d="$ROOT/dist" over=0
  echo "Sizes (raw / gzip / brotli, KB; budget in gzip):"
  size_line "page (wasm + js)" "$BUDGET_PAGE_KB" "$d"/bulbwatch-app-*.js "$d"/bulbwatch-app-*_bg.wasm || over=1
  size_line "check worker (wasm + js + loader)" "$BUDGET_WORKER_KB" "$d"/check_worker*.js "$d"/check_worker_bg.wasm || over=1
  size_line "Explore (wasm + js)" "$BUDGET_EXPLORE_KB" "$d"/explore/bulbwatch-explore-*.js "$d"/explore/bulbwatch-explore-*_bg.wasm || over=1
  size_line "play page's first load (page + css + html)" "$BUDGET_FIRST_LOAD_KB" "$d"/bulbwatch-app-*.js "$d"/bulbwatch-app-*_bg.wasm "$d"/main-*.css "$d"/index.html || over=1
  if ((over)); then
    echo "error: a bundle is over its budget (above); make it smaller, or change its budget in scripts/setup.sh and BENCHMARKS.md with the reason" >&2
    return 1
  fi
}

# One line of report_sizes: the files' raw, gzip and brotli totals, each file counted
# as the server sends it (a file without a variant goes as it is); fails when the gzip
# total is over the budget (KB).
size_line() {
  local label="$1" budget="$2" raw=0 gz=0 br=0 f size verdict
  shift 2
  for f in "$@"; do
    size=$(wc -c <"$f")
    raw=$((raw + size))
    if [[ -f "$f.gz" ]]; then gz=$((gz + $(wc -c <"$f.gz"))); else gz=$((gz + size)); fi
    if [[ -f "$f.br" ]]; then br=$((br + $(wc -c <"$f.br"))); else br=$((br + size)); fi
  done
  if ((gz > budget * 1000)); then verdict="OVER budget $budget"; else verdict="budget $budget"; fi
  printf '  %-44s %7s / %6s / %6s   %s\n' "$label" "$(kb "$raw")" "$(kb "$gz")" "$(kb "$br")" "$verdict"
  ((gz <= budget * 1000))
}

kb() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
