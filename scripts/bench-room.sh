#!/usr/bin/env bash
# A room of simulated attendees against one release server on loopback: each runs
# the classic check every 5 s (the rehearsal room, `bulbwatch rehearse`, at most 50
# per process), with a shard per 25 attendees (at most 8), for a while with the whole
# room in. Prints one Markdown table for BENCHMARKS.md: runs the attendees recorded vs
# runs the server stored, p99 of every API endpoint (from the server's own request
# spans, via POST /api/query), dropped events, server CPU and memory.
#   scripts/bench-room.sh [attendees, default 200] [seconds with the whole room in, default 120]
# Environment: QUEUE_DELAY_MS (default 100: each shard applies up to 10 changes a
# second, twice what 25 attendees every 5 s ask), INTERVAL_MS (default 5000).
#
# Joins are rate-limited per client address (30 at once, then 60 a minute), and every
# simulated attendee comes from 127.0.0.1, so the room fills at about one a second:
# the processes start one after another, each told to run until about when the last
# one will have joined plus the measured time, so they stop together. The whole room
# is in from the moment the last process has joined everyone ("Running.") until the
# first one stops; CPU is measured over that window, latency over the whole run.
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

ATTENDEES="${1:-200}"
SECONDS_FULL="${2:-120}"
INTERVAL_MS="${INTERVAL_MS:-5000}"
QUEUE_DELAY_MS="${QUEUE_DELAY_MS:-100}"
PER_PROCESS=50
SHARDS=$(( (ATTENDEES + 24) / 25 )); (( SHARDS > 8 )) && SHARDS=8; (( SHARDS < 1 )) && SHARDS=1
PORT=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"
PIDS=()

step "Building the server (release)"
cargo build --release -p bulbwatch-server
BIN="${CARGO_TARGET_DIR:-target}/release/bulbwatch"
FACILITATOR="bench-$$-$RANDOM"
RUST_LOG=warn BULBWATCH_FACILITATOR_TOKEN="$FACILITATOR" "$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$DATA" --app-dir "$DATA/no-app" --max-connections-per-address 100000 >"$DATA/server.log" 2>&1 &
SERVER=$!
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "$BASE/api/bulb" >/dev/null && break; sleep 0.1; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
fac=(-H "authorization: Bearer $FACILITATOR" -H 'content-type: application/json')
curl -sf -X PUT "$BASE/api/room/shards" "${fac[@]}" -d "{\"shards\": $SHARDS}" >/dev/null
curl -sf -X PUT "$BASE/api/bulb/queue-delay" "${fac[@]}" -d "{\"queue_delay_ms\": $QUEUE_DELAY_MS}" >/dev/null
CODE=$(curl -sf "$BASE/api/room/join" "${fac[@]}" | json 'd["code"]')
# The facilitator's own attendee token, to query the server's events afterwards.
TOKEN=$(curl -sf -X POST "$BASE/api/attendees" "${fac[@]}" -d '{"name":"bench"}' | json 'd["token"]')

# utime+stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat,
# counted after the command name, which may hold spaces).
# 0 for a process already gone.
ticks() { { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null || true; } | awk '{t = $12 + $13} END {print t + 0}'; }
now_ms() { date +%s%3N; }
HZ=$(getconf CLK_TCK)

PROCESSES=$(( (ATTENDEES + PER_PROCESS - 1) / PER_PROCESS ))
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START_MS=$(now_ms); START_TICKS=$(ticks "$SERVER")
step "Rehearsing: $ATTENDEES attendees in $PROCESSES processes, every $INTERVAL_MS ms, $SHARDS shards, queue delay $QUEUE_DELAY_MS ms"
left=$ATTENDEES
for p in $(seq "$PROCESSES"); do
  n=$(( left < PER_PROCESS ? left : PER_PROCESS )); left=$(( left - n ))
  # The rest join at about one a second after this process: run that much longer.
  "$BIN" rehearse --url "$BASE/join/$CODE" --attendees "$n" --interval-ms "$INTERVAL_MS" \
    --duration-s $(( SECONDS_FULL + left + 2 )) --seed "$p" >"$DATA/rehearse-$p.log" 2>&1 &
  PIDS+=($!)
  until grep -q '^Running' "$DATA/rehearse-$p.log"; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$DATA/rehearse-$p.log"; die "rehearse $p stopped"; }
    sleep 0.2
  done
  echo "  process $p: $n joined at $(( ($(now_ms) - START_MS) / 1000 )) s"
done
FULL_MS=$(now_ms); FULL_TICKS=$(ticks "$SERVER")
LOAD_TICKS0=0; for pid in "${PIDS[@]}"; do LOAD_TICKS0=$(( LOAD_TICKS0 + $(ticks "$pid") )); done
until grep -q '^Stopping' "$DATA"/rehearse-*.log; do sleep 0.2; done
STOP_MS=$(now_ms); STOP_TICKS=$(ticks "$SERVER")
LOAD_TICKS1=0; for pid in "${PIDS[@]}"; do LOAD_TICKS1=$(( LOAD_TICKS1 + $(ticks "$pid") )); done
for pid in "${PIDS[@]}"; do wait "$pid"; done
PIDS=()
END_MS=$(now_ms); END_TICKS=$(ticks "$SERVER")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
RSS=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"); HWM=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")

# Runs the simulated attendees had recorded (a 2xx to POST /api/runs), from their summaries.
RECORDED=$(cat "$DATA"/rehearse-*.log | awk '/^Done:/ {s += $2} END {print s + 0}')
# Let the event writer land what it holds, then count what the server stored.
sleep 3
STATS=$(curl -sf "$BASE/api/events/stats")
STORED=$(json 'd["datasets"]["e2e"]["events"]' <<<"$STATS")

query() {
  curl -sf -X POST "$BASE/api/query" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$1"
}
WINDOW="\"start_time\": $(( START_MS / 1000 )), \"end_time\": $(( END_MS / 1000 + 2 ))"
# Every request the server answered, by route: its server span's duration (the time
# in the handler and middleware, not the check's polling between requests).
LATENCY=$(query "{\"dataset\": \"bulb\", $WINDOW, \"filters\": [{\"column\": \"span.kind\", \"op\": \"=\", \"value\": \"server\"}],
  \"breakdowns\": [\"name\"], \"calculations\": [{\"op\": \"COUNT\"}, {\"op\": \"P50\", \"column\": \"duration_ms\"},
  {\"op\": \"P99\", \"column\": \"duration_ms\"}, {\"op\": \"MAX\", \"column\": \"duration_ms\"}]}")
STATUSES=$(query "{\"dataset\": \"bulb\", $WINDOW, \"filters\": [{\"column\": \"span.kind\", \"op\": \"=\", \"value\": \"server\"}],
  \"breakdowns\": [\"http.response.status_code\", \"name\"], \"calculations\": [{\"op\": \"COUNT\"}]}")
PASSED=$(query "{\"dataset\": \"e2e\", $WINDOW, \"breakdowns\": [\"success\"], \"calculations\": [{\"op\": \"COUNT\"}]}")

pct() { python3 -c "print(f'{($2 - $1) / float(\"$HZ\") / (($4 - $3) / 1000) * 100:.0f}')"; }
echo
echo "Room: $ATTENDEES attendees every $INTERVAL_MS ms, $SHARDS shards, queue delay $QUEUE_DELAY_MS ms;"
echo "whole room in for $(( (STOP_MS - FULL_MS) / 1000 )) s of $(( (END_MS - START_MS) / 1000 )) s (joining took $(( (FULL_MS - START_MS) / 1000 )) s);"
echo "machine load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER ($(nproc) cores)."
echo
echo "| Measure | Goal | Measured |"
echo "|---|---|---|"
echo "| Runs recorded by the attendees / stored by the server (e2e events) | equal | $RECORDED / $STORED |"
python3 - "$LATENCY" "$STATUSES" "$PASSED" "$STATS" <<'PY'
import json, sys
latency, statuses, passed, stats = (json.loads(a) for a in sys.argv[1:])
def code(v):
    return str(int(v)) if isinstance(v, (int, float)) else str(v)
counts = sorted((code(t["group"][0]), t["group"][1], int(t["values"][0])) for t in statuses["totals"])
listed = "; ".join(f"{c} `{n}`: {v:,}" for c, n, v in counts)
print(f"| Requests answered, by status | no 5xx; 429 only on joins | {listed} |")
runs = {str(t["group"][0]): int(t["values"][0]) for t in passed["totals"]}
total = sum(runs.values())
print(f"| Checks passed | — | {runs.get('True', 0):,} of {total:,} |")
for t in sorted(latency["totals"], key=lambda t: -t["values"][0]):
    name = t["group"][0]
    count, p50, p99, top = t["values"]
    print(f"| p99 of `{name}` ({int(count):,} requests; p50 {p50:.2f} ms, max {top:.1f} ms) | < 20 ms | {p99:.2f} ms |")
d = stats["datasets"]
print(f"| Events dropped (bulb, e2e) | 0 | {d['bulb']['dropped']}, {d['e2e']['dropped']} (of {d['bulb']['events']:,} and {d['e2e']['events']:,} stored) |")
PY
echo "| Server CPU, whole room in (utime+stime / wall) | — | $(pct "$FULL_TICKS" "$STOP_TICKS" "$FULL_MS" "$STOP_MS") % of one core |"
echo "| Server CPU, the whole run, joining included | — | $(pct "$START_TICKS" "$END_TICKS" "$START_MS" "$END_MS") % of one core |"
echo "| The rehearse processes' CPU, whole room in | — | $(pct "$LOAD_TICKS0" "$LOAD_TICKS1" "$FULL_MS" "$STOP_MS") % of one core |"
echo "| Server memory at the end: VmRSS / VmHWM (peak) | — | $(( RSS / 1024 )) MB / $(( HWM / 1024 )) MB |"
