#!/usr/bin/env bash
# Web server throughput and latency on a 1,000,000-contact demo database:
# the week page, GET /api/v1/week and POST /api/v1/contacts at 64 concurrent
# connections on loopback (wrk), with the same server's static stylesheet as
# the ceiling, and the server's resident memory sampled under load.
#   benches/web.sh                 # 1,000,000 contacts (400 reps x 52 weeks x 48)
#   REPS=4 DURATION=5s benches/web.sh   # quick check on 10,000 contacts
#   KEEP_DB=/tmp/web-1m.db benches/web.sh  # also keep a copy of the fresh demo database
#   DB=/tmp/web-1m.db benches/web.sh       # start from a copy of that database instead
#   BIN=/tmp/old/debrief DB=… benches/web.sh  # measure another build (before/after)
# Needs: wrk (Debian), curl, python3, top; sqlite3 for the contact count.
# The load generator and the server share the machine's cores: the figures
# measure both, not the server alone.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then cargo build --release -q -p debrief; fi
B=${BIN:-$PWD/target/release/debrief}
W=$(mktemp -d /tmp/debrief-web-bench.XXXX)
export DEBRIEF_TZ=UTC DEBRIEF_NOW=${DEBRIEF_NOW:-2026-11-20T17:30:00Z}
unset DEBRIEF_DATABASE_URL DEBRIEF_CONFIG
REPS=${REPS:-400}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
REP=${REP:-rep-$(printf '%03d' $((REPS * 3 / 4)))}

pid=
stop() {
  if [ -n "$pid" ]; then kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$W"
}
trap stop EXIT

# The load average, and what else is using the CPU right now (other builds skew every figure).
load() {
  local busy
  busy=$(top -bn2 -d0.5 -w 200 | awk '/^top -/{n++; p=0} n==2 && p && $9+0 >= 10 {printf "%s %s%%, ", $12, $9} $1=="PID"{p=1}')
  echo "load $(cut -d' ' -f1-3 /proc/loadavg); busy now: ${busy:-nothing above 10%}"
}

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(load)"
if [ -n "${DB:-}" ]; then
  echo "== a copy of $DB"
  cp "$DB" "$W/debrief.db"
else
  echo "== demo: $REPS reps x 52 weeks x 48 contacts"
  /usr/bin/time -f "   %e s" "$B" --db "$W/debrief.db" demo --reps "$REPS" --weeks 52 --per-week 48 --seed 1 >/dev/null
  if [ -n "${KEEP_DB:-}" ]; then cp "$W/debrief.db" "$KEEP_DB"; fi
fi
DB=$W/debrief.db
echo "   $(du -bc "$DB"* | tail -1 | awk '{printf "%d MiB", $1 / 1048576}') on disk, $(sqlite3 "$DB" 'select count(*) from contacts' 2>/dev/null || echo '?') contacts"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
"$B" --db "$DB" --rep "$REP" serve --addr "127.0.0.1:$port" >"$W/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "$base/" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$base/" || { cat "$W/server.log" >&2; echo "the server never answered" >&2; exit 1; }
style=$(curl -fsS "$base/" | grep -o '/assets/style\.[0-9a-f]*\.css' | head -1)
echo "== server pid $pid on $base for $REP; RSS idle: $(ps -o rss= -p "$pid" | awk '{printf "%.1f MB", $1 / 1024}')"

cat >"$W/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"client":"Bench %d","outcome":"lost","reasons":[{"text":"talked features, not benefits","do_differently":"ask first"}]}',
    n % 500)
  return wrk.format(nil, nil, nil, body)
end
LUA

# Samples the server's RSS every 0.1 s until killed; the largest value is the answer.
sample_rss() {
  local max=0 rss
  while rss=$(ps -o rss= -p "$pid" 2>/dev/null); do
    rss=${rss// /}
    [ "$rss" -gt "$max" ] && max=$rss && echo "$max" >"$W/rss.$1"
    sleep 0.1
  done
}

# run NAME PATH [wrk args…]: a 2 s warm-up, then the measured run.
run() {
  local name=$1 path=$2
  shift 2
  wrk -t2 -c"$CONNECTIONS" -d2s -H "Host: 127.0.0.1:$port" "$@" "$base$path" >/dev/null
  echo 0 >"$W/rss.$name"
  sample_rss "$name" &
  local sampler=$!
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Host: 127.0.0.1:$port" "$@" "$base$path" >"$W/wrk.$name"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
}

echo "== wrk -t2 -c$CONNECTIONS -d$DURATION --latency; before: $(load)"
run stylesheet "$style"
# The week page once per week for 40 different weeks, one request at a time:
# what a first visit costs (every one is computed, none comes from the cache).
for w in $(seq -w 1 40); do
  curl -fsS -o /dev/null -w '%{time_total}\n' "$base/?week=2026-W$w"
done >"$W/cold"
run week_page "/"
# As a browser asks for it: the page gzipped (the same page, compressed per request).
run week_page_gzip "/" -H "Accept-Encoding: gzip"
run api_week "/api/v1/week"
# Last: every request logs a contact in this week, which the reads above would then see.
run post_contact "/api/v1/contacts" -s "$W/post.lua"
echo "   after: $(load)"

python3 - "$W" <<'PY'
import re, sys
w = sys.argv[1]
def ms(text):
    v, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rows = {}
for name in ["stylesheet", "week_page", "week_page_gzip", "api_week", "post_contact"]:
    out = open(f"{w}/wrk.{name}").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    rss = int(open(f"{w}/rss.{name}").read()) / 1024
    rows[name] = (rps, p50, p99, rss, int(bad.group(1)) if bad else 0, errors.group(1) if errors else "")
ceiling = rows["stylesheet"][0]
print(f"{'':14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'of ceiling':>10} {'max RSS MB':>10}  non-2xx")
for name, (rps, p50, p99, rss, bad, errors) in rows.items():
    print(f"{name:14} {rps:9.0f} {p50:8.2f} {p99:8.2f} {rps / ceiling:10.1%} {rss:10.1f}  {bad}{'  ' + errors if errors else ''}")
cold = sorted(float(t) * 1000 for t in open(f"{w}/cold"))
print(f"week page, 40 different weeks one at a time (nothing cached): median {cold[len(cold) // 2]:.1f} ms, "
      f"p90 {cold[int(len(cold) * 0.9)]:.1f} ms")
week = rows["week_page"]
print(f"targets: week page >= 20% of the ceiling: {week[0] / ceiling:.1%} ({'met' if week[0] >= 0.2 * ceiling else 'MISSED'}); "
      f"p99 <= 25 ms: {week[2]:.1f} ms ({'met' if week[2] <= 25 else 'MISSED'}); "
      f"RSS <= 100 MB: {max(r[3] for r in rows.values()):.1f} MB ({'met' if max(r[3] for r in rows.values()) <= 100 else 'MISSED'})")
PY
