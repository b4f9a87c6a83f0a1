#!/usr/bin/env bash
# Runs the engine benchmarks (not part of the test run). Root script:
#   "bench": "bench/run.sh"
#
#   bench/run.sh              P1, P2, P5; P3 and P4 too when BACKEND_URL is set
#   bench/run.sh p1 p5        only these (p1 p2 p3 p4 p5 p6 p7)
#
# P6 (PostgreSQL restart under load) and P7 (UrlReader failures under load)
# start a backend of their own (bench/backend.sh, port 7017) and run only when
# named; P6 restarts the machine's PostgreSQL cluster.
#
# Knobs (environment): BENCH_REPS, BENCH_P2_SMALL/LARGE, BENCH_P5_SECONDS,
# BENCH_P4_SECONDS, BACKEND_URL, BACKSTAGE_TOKEN, BENCH_ENTITY ... (see
# bench/README.md).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh" # Node, Yarn, deps; cd to the repo root

declare -A FILES=(
  [p1]=p1-generate-vs-helm
  [p2]=p2-scale
  [p3]=p3-dry-run
  [p4]=p4-report-api
  [p5]=p5-validation-throughput
  [p6]=p6-db-restart
  [p7]=p7-urlreader-errors
)

selected=("$@")
if [ ${#selected[@]} -eq 0 ]; then
  selected=(p1 p2 p5)
  if [ -n "${BACKEND_URL:-}" ]; then
    selected+=(p3 p4)
  else
    echo "(P3 and P4 need a running backend: set BACKEND_URL and BACKSTAGE_TOKEN to run them)"
  fi
fi

status=0
for bench in "${selected[@]}"; do
  file="${FILES[$bench]:-}"
  if [ -z "$file" ]; then
    echo "unknown benchmark '$bench' (one of: ${!FILES[*]})" >&2
    exit 2
  fi
  echo
  node -r @backstage/cli/config/nodeTransform.cjs "bench/$file.ts" || status=$?
done
exit "$status"
