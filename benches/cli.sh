#!/usr/bin/env bash
# Measures the CLI's per-use cost on a small and a large history, `demo`
# speed and size on SQLite and PostgreSQL, and jrnl as the peer.
#   benches/cli.sh            # 1,000,000 and 10,000 contacts
#   SIZE=small benches/cli.sh # 10,000 only (quick check)
#   DEBRIEF_BENCH_BIN=/path/to/debrief benches/cli.sh  # another build (an older one, for ratios)
# Needs: hyperfine and sqlite3 (Debian), jrnl (PyPI, in /opt/jrnl or on PATH), PostgreSQL
# at $DEBRIEF_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DEBRIEF_BENCH_BIN:-}" ]; then cargo build --release -q -p debrief; fi
B=${DEBRIEF_BENCH_BIN:-$PWD/target/release/debrief}
W=$(mktemp -d /tmp/debrief-bench.XXXX)
trap 'rm -rf "$W"' EXIT
export DEBRIEF_TZ=UTC DEBRIEF_NOW=2026-11-20T17:30:00Z
PG=${DEBRIEF_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
JRNL=$(command -v jrnl || echo /opt/jrnl/bin/jrnl)

size_of() { du -b "$1"* | awk '{s+=$1} END {print s}'; }

demo() { # name reps: three fresh runs (the machine is noisy), the median, and the file kept from the last
  local db=$W/$1.db rates=() secs=()
  for run in 1 2 3; do
    rm -f "$db" "$db-wal" "$db-shm"
    out=$(/usr/bin/time -f "%e s, %M KB max RSS" "$B" --db "$db" demo --reps "$2" --weeks 52 --per-week 48 --seed 1 --json 2>&1)
    rates+=("$(echo "$out" | sed -n 's/.*"contacts_per_second": \([0-9]*\).*/\1/p')")
    secs+=("$(echo "$out" | sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p')")
    echo "  run $run: $(echo "$out" | grep -E '"contacts"' | tr -d ' ,') $(echo "$out" | tail -1) ${rates[-1]} contacts/s"
  done
  echo "  median: $(printf '%s\n' "${rates[@]}" | sort -n | sed -n 2p) contacts/s"
  echo "  sqlite file: $(( $(size_of "$db") / 1024 / 1024 )) MiB"
  floor "$db"
  local demo_s
  demo_s=$(printf '%s\n' "${secs[@]}" | sort -n | sed -n 2p)
  echo "  demo median $demo_s s = $(awk "BEGIN {printf \"%.2f\", $demo_s / $FLOOR}")x the sqlite3 copy"
}

floor() { # db: SQLite alone writing the same rows, three times, as the peer of `demo`:
  # the sqlite3 shell copies them from the demo file into an empty one with the
  # same schema (INSERT ... SELECT, each with a WHERE so SQLite decodes and
  # re-encodes every row: no binding, no generation), one transaction, the same
  # journal (the write-ahead log), foreign keys (on), synchronous and cache
  # settings as the load.
  local src=$1 dst=$W/floor.db times=()
  for run in 1 2 3; do
    rm -f "$dst" "$dst-journal" "$dst-wal" "$dst-shm"
    sqlite3 "$src" .schema | sed '/^CREATE TABLE _sqlx_migrations/,/);/d' | sqlite3 "$dst"
    times+=("$( { /usr/bin/time -f %e sqlite3 "$dst" >/dev/null <<SQL ; } 2>&1
PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA foreign_keys = ON;
ATTACH '$src' AS d;
BEGIN;
INSERT INTO reps SELECT * FROM d.reps WHERE id > 0;
INSERT INTO reasons SELECT * FROM d.reasons WHERE id > 0;
INSERT INTO reason_texts SELECT * FROM d.reason_texts WHERE reason_id > 0;
INSERT INTO clients SELECT * FROM d.clients WHERE id > 0;
INSERT INTO contacts SELECT * FROM d.contacts WHERE id > 0;
INSERT INTO contact_reasons SELECT * FROM d.contact_reasons WHERE position >= 0;
INSERT INTO ownership SELECT * FROM d.ownership WHERE id > 0;
INSERT INTO follow_ups SELECT * FROM d.follow_ups WHERE id > 0;
INSERT INTO focus SELECT * FROM d.focus WHERE id > 0;
COMMIT;
SQL
)")
  done
  FLOOR=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  echo "  peer, sqlite3 copying the same rows: $(printf '%s\n' "${times[@]}" | tr '\n' ' ')s, median $FLOOR s"
}

per_use() { # name rep
  local db=$W/$1.db
  hyperfine -N --warmup 5 --runs 60 --export-json "$W/$1.json" \
    "$B --db $db log Acme lost --rep $2 --reason 'talked features, not benefits' --json" \
    "$B --db $db week --rep $2 --json" \
    "$B --db $db due --rep $2 --json" \
    "$B --db $db own --rep $2 --json" 2>&1 | grep -E 'Benchmark|Time'
  python3 - "$W/$1.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'  median {r["median"]*1000:.1f} ms  {r["command"].split(" --db")[1].split(" ", 2)[2][:60]}')
PY
}

echo "== 10,000 contacts (4 reps x 52 weeks x 48)"; demo small 4; per_use small rep-003
if [ "${SIZE:-}" != small ]; then
  echo "== 1,000,000 contacts (400 reps x 52 weeks x 48)"; demo big 400; per_use big rep-300
  echo "== PostgreSQL demo, 1,000,000 contacts"
  schema=bench_$$
  psql "$PG" -qc "create schema $schema"
  url="$PG?options=-c%20search_path%3D$schema"
  /usr/bin/time -f "%e s" "$B" --database-url "$url" demo --reps 400 --weeks 52 --seed 1 --json | grep contacts_per_second
  psql "$PG" -qAtc "select 'postgres size: ' || pg_size_pretty(sum(pg_total_relation_size(c.oid))) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '$schema' and c.relkind = 'r'"
  psql "$PG" -qc "drop schema $schema cascade"
fi

if ! [ -x "$JRNL" ]; then echo "== jrnl not found: peer skipped"; exit 0; fi
echo "== jrnl with 10,000 entries (peer)"
export XDG_CONFIG_HOME=$W/jrnl-config XDG_DATA_HOME=$W/jrnl-data
mkdir -p "$XDG_CONFIG_HOME/jrnl"
python3 - "$W/journal.txt" <<'PY'
import sys, datetime
t = datetime.datetime(2025, 1, 1, 9, 0)
with open(sys.argv[1], "w") as f:
    for i in range(10000):
        f.write(f"[{(t + datetime.timedelta(hours=i)).strftime('%Y-%m-%d %H:%M')}] Call with client {i}: lost, talked features not benefits.\nNext time lead with their problem.\n\n")
PY
cat > "$XDG_CONFIG_HOME/jrnl/jrnl.yaml" <<YAML
colors: {body: none, date: none, tags: none, title: none}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals: {default: {journal: $W/journal.txt}}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.2
YAML
hyperfine -N --warmup 3 --runs 30 --export-json "$W/jrnl.json" \
  "$JRNL Call with Acme: lost, talked features not benefits." 2>&1 | grep -E 'Benchmark|Time'
python3 -c "import json; r=json.load(open('$W/jrnl.json'))['results'][0]; print(f'  median {r[\"median\"]*1000:.1f} ms  jrnl add')"
