#!/usr/bin/env bash
# Two builds side by side, in the same minutes, on the same 1M-contact
# history: `demo` speed, and `log` (a reason written as its label, and one in
# the rep's own words, which builds the matcher) and `week` per use.
#   benches/compare.sh OLD_BIN NEW_BIN
# OLD_BIN's database is made by OLD_BIN's own `demo`; NEW_BIN opens a copy of
# it (migrating it first, outside the timings). Needs hyperfine (Debian).
set -euo pipefail
OLD=$1 NEW=$2
W=$(mktemp -d /tmp/debrief-compare.XXXX)
trap 'rm -rf "$W"' EXIT
export DEBRIEF_TZ=UTC DEBRIEF_NOW=2026-11-20T17:30:00Z
demo_args=(demo --reps 400 --weeks 52 --per-week 48 --seed 1 --json)

for run in 1 2 3; do
  for which in old new; do
    bin=$OLD; [ "$which" = new ] && bin=$NEW
    rm -f "$W/$which.db"*
    rate=$("$bin" --db "$W/$which.db" "${demo_args[@]}" | sed -n 's/.*"contacts_per_second": \([0-9]*\).*/\1/p')
    echo "demo run $run $which: $rate contacts/s"
  done
done
# Same history for both: the new build opens a copy of the old one's file.
rm -f "$W/new.db"*
"$OLD" --db "$W/old.db" week --json >/dev/null
cp "$W/old.db" "$W/new.db"
"$NEW" --db "$W/new.db" week --json >/dev/null
echo "contacts: $(sqlite3 "$W/old.db" 'select count(*) from contacts')"
rep=rep-300
hyperfine -N --warmup 5 --runs 40 --export-json "$W/r.json" \
  "$OLD --db $W/old.db log Acme lost --rep $rep --reason 'talked features, not benefits' --json" \
  "$NEW --db $W/new.db log Acme lost --rep $rep --reason 'talked features, not benefits' --json" \
  "$OLD --db $W/old.db log Acme lost --rep $rep --reason 'kept going on about the features' --json" \
  "$NEW --db $W/new.db log Acme lost --rep $rep --reason 'kept going on about the features' --json" \
  "$OLD --db $W/old.db week --rep $rep --json" \
  "$NEW --db $W/new.db week --rep $rep --json" >/dev/null
python3 - "$W/r.json" "$OLD" "$NEW" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
for old, new in zip(rs[0::2], rs[1::2]):
    what = old["command"].split(" --db ")[1].split(" ", 1)[1].split(" --rep")[0]
    what += " (" + old["command"].split("--reason ")[1].split(" --json")[0] + ")" if "--reason" in old["command"] else ""
    print(f'{what}: old median {old["median"]*1000:.1f} ms, new {new["median"]*1000:.1f} ms, new/old {new["median"]/old["median"]:.2f}x')
PY
