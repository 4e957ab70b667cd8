#!/usr/bin/env bash
# Instrumentation overhead: throughput of GET and PUT /api/bulb with every
# instrumentation point off, then on, against one release server on loopback, side by
# side in one run, measured with wrk. Prints a Markdown table for BENCHMARKS.md.
#   scripts/bench-overhead.sh [seconds-per-run, default 10]
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

DURATION="${1:-10}"
PORT=18099
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"

if ! command -v wrk >/dev/null; then
  step "Installing wrk (Debian package)"
  sudo=""; [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get install -y wrk || { $sudo apt-get update && $sudo apt-get install -y wrk; }
fi

step "Building the server (release)"
cargo build --release -p bulbwatch-server
RUST_LOG=warn target/release/bulbwatch serve --addr "127.0.0.1:$PORT" --data-dir "$DATA" --app-dir "$DATA/no-app" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA" "$LUA"' EXIT
for _ in $(seq 50); do curl -sf "$BASE/api/bulb" >/dev/null && break; sleep 0.1; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
TOKEN=$(curl -sf -X POST "$BASE/api/attendees" -H 'content-type: application/json' -d '{"name":"bench"}' | json '["token"]')
auth=(-H "authorization: Bearer $TOKEN" -H 'content-type: application/json')
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
wrk.headers["authorization"] = "Bearer $TOKEN"
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
  for _ in $(seq 600); do
    [[ "$(curl -sf "$BASE/api/bulb" | json '["queue_length"]')" == 0 ]] && return
    sleep 0.1
  done
}

declare -A result
for round in off on; do
  [[ $round == on ]] && switch_points true || switch_points false
  step "All points $round: GET /api/bulb"
  result[get_$round]=$(measure "$BASE/api/bulb")
  step "All points $round: PUT /api/bulb"
  result[put_$round]=$(measure -s "$LUA" "$BASE/api/bulb")
  drain
done

ratio() { python3 -c "print(f'{float(\"$1\")/max(float(\"$2\"),1e-9):.2f}')"; }
read -r get_off get_off_err <<<"${result[get_off]}"
read -r get_on get_on_err <<<"${result[get_on]}"
read -r put_off put_off_err <<<"${result[put_off]}"
read -r put_on put_on_err <<<"${result[put_on]}"
echo
echo "| Endpoint | all points off (req/s) | all points on (req/s) | on/off |"
echo "|---|---|---|---|"
echo "| GET /api/bulb | $get_off | $get_on | $(ratio "$get_on" "$get_off") |"
echo "| PUT /api/bulb | $put_off | $put_on | $(ratio "$put_on" "$put_off") |"
echo
echo "(wrk -t2 -c16 -d${DURATION}s on loopback; non-2xx answers: GET $get_off_err/$get_on_err, PUT $put_off_err/$put_on_err)"
curl -sf "$BASE/api/events/stats" || true
echo
