#!/usr/bin/env bash
# The judgments of words on text written by others: the sentence model and
# the apology verdict on their dev and held-out parts (with the hand rules
# alone beside them), both reproduced from their training data, and the
# review's score against a coach's ranking of whole e-mails and calls.
#   benches/critique.sh
set -euo pipefail
cd "$(dirname "$0")/.."
run() { cargo test -q -p debrief-core --release --lib -- --ignored "$1" --nocapture 2>&1 | grep -v '^test result\|^running\|^$'; }
run critique::classify::train::sentence_figures
run critique::classify::train::sentence_weights_are_reproducible
run apology::train::apology_figures
run apology::train::apology_weights_are_reproducible
run critique::tests::coach_set::coach_rankings
