#!/usr/bin/env bash
# Imports a HubSpot-shaped deals export of 1,000,000 rows (benches/crm_csv.py,
# about 300 MB) with every check, and sets it beside its peers in the same run:
# sqlite3's `.import` into a table without checks, and DuckDB's read_csv into a
# table. Then exports, backs up and restores the imported million on SQLite,
# and imports, backs up and restores it on PostgreSQL.
#   benches/import.sh               # 1,000,000 rows
#   ROWS=100000 benches/import.sh   # a quick check
# Needs: sqlite3 and time (Debian), DuckDB's Python package (PyPI; in /opt/duck
# or importable by python3), PostgreSQL at $DEBRIEF_BENCH_DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DEBRIEF_BENCH_BIN:-}" ]; then cargo build --release -q -p debrief; fi
B=${DEBRIEF_BENCH_BIN:-$PWD/target/release/debrief}
ROWS=${ROWS:-1000000}
W=$(mktemp -d /tmp/debrief-import.XXXX)
trap 'rm -rf "$W"' EXIT
export DEBRIEF_TZ=UTC DEBRIEF_NOW=2026-12-07T12:00:00Z
PG=${DEBRIEF_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
PY=$( [ -x /opt/duck/bin/python ] && echo /opt/duck/bin/python || echo python3 )

python3 benches/crm_csv.py "$ROWS" > "$W/deals.csv"
echo "file: $ROWS rows, $(du -m "$W/deals.csv" | cut -f1) MB, $(head -1 "$W/deals.csv" | tr ',' '\n' | wc -l) columns"

timed() { # label command...: wall seconds and peak memory
  local label=$1 out
  shift
  /usr/bin/time -o "$W/time.txt" -f "%e %M" "$@" > "$W/out.txt" 2> "$W/err.txt" || { cat "$W/err.txt"; exit 1; }
  out=$(tail -1 "$W/time.txt")
  printf '  %-40s %8.2f s  %6d MB max RSS\n' "$label" "${out% *}" $(( ${out#* } / 1024 ))
}

echo "import, three fresh runs each:"
for run in 1 2 3; do
  rm -f "$W"/d.db* "$W"/peer.db "$W"/duck.db
  timed "debrief import (run $run)" "$B" --db "$W/d.db" import "$W/deals.csv"
  # The header names "Associated Company" twice: sqlite3 takes the first row as
  # column names only when they differ, so the table is made first and the header skipped.
  cols=$(head -1 "$W/deals.csv" | tr ',' '\n' | awk '{printf "%sc%d TEXT", (NR>1?", ":""), NR}')
  sqlite3 "$W/peer.db" "CREATE TABLE deals ($cols);"
  timed "sqlite3 .import (run $run)" sqlite3 "$W/peer.db" ".import --csv --skip 1 $W/deals.csv deals"
  timed "duckdb read_csv (run $run)" "$PY" -c "import duckdb; c = duckdb.connect('$W/duck.db'); c.execute(\"CREATE TABLE deals AS SELECT * FROM read_csv('$W/deals.csv', header = true, all_varchar = true)\")"
done
grep -E '^Imported' "$W/out.txt" || true
echo "  stored: $(sqlite3 "$W/d.db" 'select count(*) from contacts') contacts, $(sqlite3 "$W/d.db" 'select count(*) from triage') waiting for triage"

echo "again, the same file (nothing new):"
timed "debrief import (again)" "$B" --db "$W/d.db" import "$W/deals.csv"
grep -E '^Imported' "$W/out.txt" || true

echo "export, backup and restore on SQLite:"
timed "debrief export --format json (Owner 00)" "$B" --db "$W/d.db" --rep "Owner 00" export --format json --output "$W/owner00.json"
timed "debrief backup" "$B" --db "$W/d.db" backup "$W/backup.db"
timed "debrief restore" "$B" --db "$W/restored.db" restore "$W/backup.db"

echo "PostgreSQL:"
schema=bench_import_$$
psql -q "$PG" -c "CREATE SCHEMA $schema" >/dev/null
url="$PG?options=-c%20search_path%3D$schema"
timed "debrief import (PostgreSQL)" "$B" --database-url "$url" import "$W/deals.csv"
timed "debrief backup (PostgreSQL archive)" "$B" --database-url "$url" backup "$W/archive.json"
echo "  archive: $(du -m "$W/archive.json" | cut -f1) MB"
psql -q "$PG" -c "DROP SCHEMA $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
timed "debrief restore (PostgreSQL archive)" "$B" --database-url "$url" restore "$W/archive.json"
psql -q "$PG" -c "DROP SCHEMA $schema CASCADE" >/dev/null
