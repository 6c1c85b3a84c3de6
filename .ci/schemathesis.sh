#!/usr/bin/env bash
# Checks the API against its own OpenAPI document with schemathesis: no
# server error, no response that breaks the schema. Starts `debrief serve
# --demo` on a fresh SQLite file, runs schemathesis, stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '.ci/schemathesis: %s\n' "$*" >&2; }

venv=target/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  log "installing schemathesis into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis
fi

cargo build -q -p debrief
unset DEBRIEF_DATABASE_URL DEBRIEF_CONFIG DEBRIEF_NOW
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tmp=$(mktemp -d)
db="$tmp/debrief.db"
target/debug/debrief --db "$db" serve --demo --addr "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
pid=$!
stop() {
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap stop EXIT

url="http://127.0.0.1:$port/api/v1/openapi.json"
for _ in $(seq 120); do
  curl -fsS -o /dev/null "$url" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; log "the server exited"; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "$url" || { cat "$tmp/server.log" >&2; log "the server never answered"; exit 1; }

log "running schemathesis against $url"
"$venv/bin/schemathesis" run "$url" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-50}" \
  --seed 1
