#!/usr/bin/env bash
# Instrumentation overhead: throughput of GET and PUT /api/bulb with every
# instrumentation point off and on, against one release server on loopback, side by
# side in one run (rounds alternate off/on; the median of each is reported), measured
# with wrk. Prints a Markdown table for BENCHMARKS.md.
#   scripts/bench-overhead.sh [seconds-per-run, default 5] [rounds, default 3]
# PUTs are queued far faster than the bulb applies them, so the server runs with a
# queue cap of 2,000,000 (--max-queue-length): every PUT is accepted and the number is
# the enqueue throughput, not refusals. The queue drains between runs.
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

DURATION="${1:-5}"
ROUNDS="${2:-3}"
PORT=18099
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"

ensure_wrk

step "Building the server (release)"
cargo build --release -p bulbwatch-server
FACILITATOR="bench-$$-$RANDOM"
RUST_LOG=warn BULBWATCH_FACILITATOR_TOKEN="$FACILITATOR" target/release/bulbwatch serve --addr "127.0.0.1:$PORT" --data-dir "$DATA" --app-dir "$DATA/no-app" --max-queue-length 2000000 >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA" "$LUA"' EXIT
for _ in $(seq 50); do curl -sf "$BASE/api/bulb" >/dev/null && break; sleep 0.1; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
# The facilitator joins (no code needed) and writes as that attendee: the
# facilitator's writes are not rate-limited, so the benchmark measures the server.
TOKEN=$(curl -sf -X POST "$BASE/api/attendees" -H "authorization: Bearer $FACILITATOR" -H 'content-type: application/json' -d '{"name":"bench"}' | json '["token"]')
auth=(-H "authorization: Bearer $FACILITATOR" -H 'content-type: application/json')
# No queue delay, so the worker keeps up with the writers as well as it can.
curl -sf -X PUT "$BASE/api/bulb/queue-delay" "${auth[@]}" -d '{"queue_delay_ms": 0}' >/dev/null
POINTS=$(curl -sf "$BASE/api/instrumentation/points" | python3 -c "import json,sys; print(' '.join(p['id'] for p in json.load(sys.stdin)))")

switch_points() {
  for id in $POINTS; do
    curl -sf -X PUT "$BASE/api/instrumentation/points/$id" "${auth[@]}" -d "{\"on\": $1}" >/dev/null
  done
}

LUA="$(mktemp --suffix=.lua)"
cat > "$LUA" <<LUA
wrk.method = "PUT"
wrk.body = '{"colour":"green"}'
wrk.headers["content-type"] = "application/json"
wrk.headers["cookie"] = "bulbwatch_token=$TOKEN; bulbwatch_facilitator=$FACILITATOR"
LUA

# Requests per second (and non-2xx count) of one wrk run.
measure() {
  local out
  out=$(wrk -t2 -c16 -d"${DURATION}s" "$@" 2>&1)
  local rps errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "${rps:-0} ${errors:-0}"
}

drain() {
  for _ in $(seq 3000); do
    [[ "$(curl -sf "$BASE/api/bulb" | json '["queue_length"]')" == 0 ]] && return
    sleep 0.1
  done
}

declare -A runs
for round in $(seq "$ROUNDS"); do
  for mode in off on; do
    [[ $mode == on ]] && switch_points true || switch_points false
    step "Round $round, all points $mode: GET and PUT /api/bulb"
    read -r rps errors <<<"$(measure "$BASE/api/bulb")"
    runs[get_$mode]+="$rps "; runs[get_err]=$(( ${runs[get_err]:-0} + errors ))
    read -r rps errors <<<"$(measure -s "$LUA" "$BASE/api/bulb")"
    runs[put_$mode]+="$rps "; runs[put_err]=$(( ${runs[put_err]:-0} + errors ))
    drain
  done
done

median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.0f}')" $1; }
ratio() { python3 -c "print(f'{float(\"$1\")/max(float(\"$2\"),1e-9):.2f}')"; }
get_off=$(median "${runs[get_off]}"); get_on=$(median "${runs[get_on]}")
put_off=$(median "${runs[put_off]}"); put_on=$(median "${runs[put_on]}")
echo
echo "| Endpoint | all points off (req/s) | all points on (req/s) | on/off |"
echo "|---|---|---|---|"
echo "| GET /api/bulb | $get_off | $get_on | $(ratio "$get_on" "$get_off") |"
echo "| PUT /api/bulb | $put_off | $put_on | $(ratio "$put_on" "$put_off") |"
echo
echo "(medians of $ROUNDS alternating rounds of wrk -t2 -c16 -d${DURATION}s on loopback;"
echo " all runs GET: off ${runs[get_off]}/ on ${runs[get_on]}; PUT: off ${runs[put_off]}/ on ${runs[put_on]};"
echo " non-2xx answers: GET ${runs[get_err]}, PUT ${runs[put_err]})"
curl -sf "$BASE/api/events/stats" || true
echo
