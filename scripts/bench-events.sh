#!/usr/bin/env bash
# The event store under load, measured from outside against a release server on
# loopback:
#   1. spans dropped: wrk -t2 -c16 on GET /api/bulb with every instrumentation point
#      on, then (once the writer has caught up) GET /api/events/stats: events stored,
#      spans dropped, and their share of all spans offered;
#   2. memory per held event: the server restarted on that data dir (it loads every
#      stored event into memory before it listens) against one started on an empty
#      data dir; (VmRSS loaded − VmRSS empty) / events held.
#   scripts/bench-events.sh [wrk seconds, default 10]
# Prints a Markdown table for BENCHMARKS.md. Builds and runs
# ${CARGO_TARGET_DIR:-target}/release/bulbwatch, or runs $BULBWATCH_BIN as it is (to
# compare two builds).
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

DURATION="${1:-10}"
PORT="${BENCH_PORT:-18183}"
BASE="http://127.0.0.1:$PORT"
# BENCH_DATA_DIR: keep the loaded data dir there (for examples/event_memory.rs).
DATA="${BENCH_DATA_DIR:-$(mktemp -d)}"
mkdir -p "$DATA"
EMPTY="$(mktemp -d)"
BIN="${BULBWATCH_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/bulbwatch}"

ensure_wrk

if [[ -z "${BULBWATCH_BIN:-}" ]]; then
  step "Building the server (release)"
  cargo build --release -p bulbwatch-server
fi

FACILITATOR="bench-$$-$RANDOM"
SERVER=""
start() {
  RUST_LOG=warn BULBWATCH_FACILITATOR_TOKEN="$FACILITATOR" "$BIN" serve --addr "127.0.0.1:$PORT" \
    --data-dir "$1" --app-dir "$1/no-app" >>"$1/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 600); do curl -sf "$BASE/api/bulb" >/dev/null && return; sleep 0.1; done
  die "the server did not start"
}
stop() { kill -TERM "$SERVER"; wait "$SERVER" || true; SERVER=""; }
trap '[[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; [[ -n "${BENCH_DATA_DIR:-}" ]] || rm -rf "$DATA"; rm -rf "$EMPTY"' EXIT
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
stats() { curl -sf "$BASE/api/events/stats" | json "$1"; }

start "$DATA"
auth=(-H "authorization: Bearer $FACILITATOR" -H 'content-type: application/json')
for id in $(curl -sf "$BASE/api/instrumentation/points" | python3 -c "import json,sys; print(' '.join(p['id'] for p in json.load(sys.stdin)))"); do
  curl -sf -X PUT "$BASE/api/instrumentation/points/$id" "${auth[@]}" -d '{"on": true}' >/dev/null
done

step "wrk -t2 -c16 -d${DURATION}s GET /api/bulb, every point on"
before_events=$(stats "['datasets']['bulb']['events']")
before_dropped=$(stats "['datasets']['bulb']['dropped']")
out=$(wrk -t2 -c16 -d"${DURATION}s" "$BASE/api/bulb" 2>&1)
rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
# The writer catches up: wait until the count stops moving (each poll adds its own span).
last=-10
for _ in $(seq 300); do
  now=$(stats "['datasets']['bulb']['events']")
  (( now - last <= 2 )) && break
  last=$now; sleep 0.5
done
stored=$(( $(stats "['datasets']['bulb']['events']") - before_events ))
dropped=$(( $(stats "['datasets']['bulb']['dropped']") - before_dropped ))
share=$(python3 -c "print(f'{100*$dropped/max($stored+$dropped,1):.1f}')")
stop

# Memory is measured on MEMORY_EVENTS spans: the ones wrk made, copied with fresh
# trace and span ids (so ids stay unique, as in a room) and later timestamps.
TARGET="${MEMORY_EVENTS:-1000000}"
step "Copying the stored spans up to $TARGET events"
held=$(python3 - "$DATA/bulbwatch.sqlite3" "$TARGET" <<'PY'
import json, secrets, sqlite3, sys
db, target = sqlite3.connect(sys.argv[1]), int(sys.argv[2])
rows = db.execute("SELECT timestamp_ms, fields FROM events WHERE dataset = 'bulb' ORDER BY seq").fetchall()
have = len(rows)
span = max(r[0] for r in rows) - min(r[0] for r in rows) + 1 if rows else 1
copy = 0
while rows and have < target:
    copy += 1
    ids = {}
    fresh = lambda old, n: ids.setdefault(old, secrets.token_hex(n))
    batch = []
    for ts, text in rows[: target - have]:
        f = json.loads(text)
        for key, n in (("trace.trace_id", 16), ("trace.span_id", 8), ("trace.parent_id", 8)):
            if key in f:
                f[key] = fresh(f[key], n)
        f["timestamp"] = ts + copy * span
        batch.append((ts + copy * span, json.dumps(f, separators=(",", ":")), f.get("trace.trace_id")))
    db.executemany("INSERT INTO events (dataset, timestamp_ms, fields, trace_id) VALUES ('bulb', ?, ?, ?)", batch)
    have += len(batch)
db.commit()
print(db.execute("SELECT COUNT(*) FROM events WHERE dataset = 'bulb'").fetchone()[0])
PY
)

step "Memory: a server on an empty data dir, then one loading $held events"
start "$EMPTY"; sleep 1; rss_empty=$(rss_kb); stop
start "$DATA"; sleep 1; rss_loaded=$(rss_kb); stop
per_event=$(python3 -c "print(f'{($rss_loaded-$rss_empty)*1024/max($held,1):.0f}')")
db_mb=$(du -sm "$DATA" | cut -f1)

echo
echo "| GET /api/bulb (req/s) | spans stored | spans dropped | dropped share | events held | RSS empty → loaded (MB) | bytes per held event | data dir (MB) |"
echo "|---|---|---|---|---|---|---|---|"
echo "| $rps | $stored | $dropped | $share % | $held | $((rss_empty / 1024)) → $((rss_loaded / 1024)) | $per_event | $db_mb |"
echo
echo "(wrk -t2 -c16 -d${DURATION}s on loopback, every instrumentation point on; memory is VmRSS"
echo " of a restarted server, which loads every stored event before it listens; load average"
echo " $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
