#!/usr/bin/env bash
# Reason matching: figures on the labeled corpus (train, dev, the holdouts,
# and every text of wide.tsv judged by a model that never read its writer),
# the learned model reproduced from wide.tsv and the three small models from
# train.tsv and those judgements, and the time to judge one text against a 5,000-reason vocabulary.
#   benches/reasons.sh
set -euo pipefail
cd "$(dirname "$0")/.."
run() { cargo test -q -p debrief-core --release --lib -- --ignored "$1" --nocapture 2>&1 | grep -v '^test result\|^running\|^$'; }
run matching::corpus::corpus_report
run matching::train::unseen_voices_report
run matching::train::weights_are_reproducible
run matching::train::learned_weights_are_reproducible
run matching::speed::match_speed
