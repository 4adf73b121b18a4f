#!/usr/bin/env bash
# Exploration: the property tests (files with @given) under the "explore" Hypothesis profile,
# i.e. random examples and 10x each test's max_examples, once per seed.
#   tests/explore.sh              three random seeds
#   tests/explore.sh 12 345       the given seeds (to reproduce a run)
# Extra pytest options can follow a "--", e.g. tests/explore.sh 12 -- -x tests/test_zero_sum.py
# A failure prints its seed and a reproduction blob; add the failing case to the test as an
# @example (and fix the bug it shows).
set -uo pipefail
cd "$(dirname "$0")/.."

seeds=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do seeds+=("$1"); shift; done
[ $# -gt 0 ] && shift
if [ ${#seeds[@]} -eq 0 ]; then seeds=("$RANDOM$RANDOM" "$RANDOM$RANDOM" "$RANDOM$RANDOM"); fi
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(grep -l "@given" tests/test_*.py); fi

status=0
for seed in "${seeds[@]}"; do
    echo "== explore: seed $seed"
    start=$SECONDS
    python -m pytest -q -p no:cacheprovider --hypothesis-profile=explore \
        --hypothesis-seed="$seed" "${targets[@]}" || status=1
    echo "== seed $seed: $((SECONDS - start)) s"
done
exit $status
