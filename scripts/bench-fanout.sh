#!/usr/bin/env bash
# Live fan-out: how fast a bulb change reaches every open page. One release server on
# loopback; `bulbwatch-fanout` (loadtest/) opens N live streams (GET /api/bulb/events,
# a connection each, as N open tabs), waits until all have their first events, then
# the facilitator makes M bulb changes one at a time and each is timed to each page,
# from the bulb's apply and from the PUT's 202. Prints a Markdown table per size.
#   scripts/bench-fanout.sh [pages, default "500 2000"] [changes per size, default 20]
# Every page comes from 127.0.0.1: the per-address connection cap is raised for it.
# Server and load share the machine's cores. Both raise their soft open-file limit to
# the hard one (the server on its own once it does; the shell does it here for it).
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

SIZES="${1:-500 2000}"
CHANGES="${2:-20}"
# The server's default queue delay: each change's enqueue is announced to every page
# (its queue_length) 400 ms before its apply is. QUEUE_DELAY_MS=0 puts the two
# fan-outs back to back.
QUEUE_DELAY_MS="${QUEUE_DELAY_MS:-400}"
PORT=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"

step "Building the server and the fan-out tool (release)"
cargo build --release -p bulbwatch-server
cargo build --release -p bulbwatch-loadtest
BIN="${CARGO_TARGET_DIR:-target}/release"
FACILITATOR="bench-$$-$RANDOM"
ulimit -n "$(ulimit -Hn)"
RUST_LOG=warn BULBWATCH_FACILITATOR_TOKEN="$FACILITATOR" "$BIN/bulbwatch" serve --addr "127.0.0.1:$PORT" --data-dir "$DATA" --app-dir "$DATA/no-app" --max-connections-per-address 100000 >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -sf "$BASE/api/bulb" >/dev/null && break; sleep 0.1; done

status=0
for pages in $SIZES; do
  step "$pages open pages, $CHANGES changes (load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
  BULBWATCH_FACILITATOR_TOKEN="$FACILITATOR" "$BIN/bulbwatch-fanout" --url "$BASE" \
    --pages "$pages" --changes "$CHANGES" --server-pid "$SERVER" \
    --queue-delay-ms "$QUEUE_DELAY_MS" || status=$?
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); server: $(awk '/VmRSS|VmHWM/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$SERVER/status")"
done
grep -iE 'warn|error' "$DATA/server.log" | head -5 || true
exit "$status"
