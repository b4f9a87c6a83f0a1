#!/usr/bin/env bash
# The robustness properties with 10,000 cases each (the default test run uses
# a few hundred): CNO_FUZZ_RUNS=10000 yarn test src/robustness in the engine
# package, with random seeds (a failure prints its seed: replay it with
# CNO_FUZZ_SEED=<seed>).
#
# The engine-heavy properties (one package generation per case, about 0.2-0.5 s
# each) run CNO_FUZZ_ENGINE_RUNS cases: 1,000 by default, about 10-20 minutes
# in all on 2 cores; CNO_FUZZ_ENGINE_RUNS=10000 for the full count (hours).
#
#   bench/fuzz.sh                          # 10,000 parse/path cases, 1,000 engine cases
#   CNO_FUZZ_ENGINE_RUNS=10000 bench/fuzz.sh
#   CNO_FUZZ_RUNS=50000 bench/fuzz.sh pathTraversal   # a subset, by file name
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh" # Node, Yarn, deps; cd to the repo root

export CNO_FUZZ_RUNS="${CNO_FUZZ_RUNS:-10000}"
export CNO_FUZZ_ENGINE_RUNS="${CNO_FUZZ_ENGINE_RUNS:-1000}"
echo "fuzz: CNO_FUZZ_RUNS=$CNO_FUZZ_RUNS CNO_FUZZ_ENGINE_RUNS=$CNO_FUZZ_ENGINE_RUNS${CNO_FUZZ_SEED:+ CNO_FUZZ_SEED=$CNO_FUZZ_SEED}"
cd plugins/cloud-native-node
pattern="src/robustness${1:+/$1}"
started=$(date +%s)
status=0
CI=1 yarn test "$pattern" || status=$?
echo "fuzz: finished in $(($(date +%s) - started)) s (exit $status)"
exit "$status"
