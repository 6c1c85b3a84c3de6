#!/usr/bin/env bash
# Review speed: 200 e-mails of about 120 words in one process, against
# proselint (PyPI) and write-good (npm) on the same files, and a one-hour
# call transcript.
#   benches/review.sh
# Needs: hyperfine; proselint and write-good on PATH (or in /opt/jrnl/bin and /opt/wg).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p debrief
B=$PWD/target/release/debrief
W=$(mktemp -d /tmp/debrief-review.XXXX)
trap 'rm -rf "$W"' EXIT
PROSELINT=$(command -v proselint || echo /opt/jrnl/bin/proselint)
WRITEGOOD=$(command -v write-good || echo /opt/wg/node_modules/.bin/write-good)

python3 - "$W" <<'PY'
import os, random, sys
random.seed(7)
w = sys.argv[1]
opening = ["Hi {n},", "Hello {n},", "Dear {n},"]
body = [
    "Thanks for taking the time to talk with me on {d} about your {t} plans.",
    "Our platform includes a scheduling engine, an API and single sign-on.",
    "It cuts the time your team spends on manual {t} reports by about a third, so you can focus on customers.",
    "We have been in the market for fifteen years and we serve more than two hundred clients.",
    "You mentioned that {t} delays cost you two lost orders last quarter.",
    "With our dashboard you see every delay before your customer does, so you avoid those penalties.",
    "The package comes with onboarding, training and a dedicated account manager.",
    "Could we book thirty minutes next {d} to walk through your numbers together?",
    "The introductory price holds until the end of the month.",
    "Let me know if you have any questions.",
]
names = ["Anna", "Ben", "Chloe", "David", "Eva", "Farid", "Grace", "Hugo"]
days = ["Monday", "Tuesday", "Wednesday", "Thursday"]
topics = ["logistics", "billing", "inventory", "staffing", "maintenance"]
for i in range(200):
    n, d, t = random.choice(names), random.choice(days), random.choice(topics)
    lines = [f"Subject: Your {t} follow-up", "", random.choice(opening).format(n=n), ""]
    picked = random.sample(body, 8)
    lines.append(" ".join(s.format(d=d, t=t) for s in picked))
    lines += ["", "Best regards,", "Sam"]
    open(os.path.join(w, f"mail{i:03}.txt"), "w").write("\n".join(lines) + "\n")
# A one-hour call: two speakers, 4-8 s cues, about 9,000 words.
with open(os.path.join(w, "hour.vtt"), "w") as f:
    f.write("WEBVTT\n\n")
    t = 0.0
    i = 0
    while t < 3600:
        d = random.uniform(4, 8)
        who = "Sam" if i % 2 == 0 else "Alex"
        words = " ".join(random.choice(["we", "can", "your", "team", "save", "time", "with", "the", "report", "so", "you", "avoid", "delays", "um", "question", "next", "week"]) for _ in range(int(d * 2.6)))
        f.write(f"{int(t//3600):02}:{int(t%3600//60):02}:{t%60:06.3f} --> {int((t+d)//3600):02}:{int((t+d)%3600//60):02}:{(t+d)%60:06.3f}\n<v {who}>{words.capitalize()}.\n\n")
        t += d
        i += 1
PY
echo "words per e-mail: $(cat "$W"/mail*.txt | wc -w | awk '{print int($1/200)}'), transcript words: $(wc -w < "$W/hour.vtt")"
hyperfine -N -i --warmup 2 --runs 10 --export-json "$W/r.json" \
  "$B review $(echo "$W"/mail*.txt)" \
  "$PROSELINT check $(echo "$W"/mail*.txt)" \
  "$WRITEGOOD $(echo "$W"/mail*.txt)" \
  "$B review --me Sam $W/hour.vtt" 2>&1 | grep -E 'Time|Benchmark' | sed "s|$W/||g" | cut -c1-150
python3 - "$W/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
names = ["debrief review (200 e-mails)", "proselint (200 e-mails)", "write-good (200 e-mails)", "debrief review (1-hour transcript)"]
m = [x["median"] for x in r]
for n, v in zip(names, m):
    print(f"  median {v*1000:8.1f} ms  {n}")
print(f"  proselint / debrief = {m[1]/m[0]:.0f}x, write-good / debrief = {m[2]/m[0]:.0f}x")
PY
