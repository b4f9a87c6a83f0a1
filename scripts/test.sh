#!/usr/bin/env bash
# Runs the whole test suite: type check, lint, prettier check, the unit tests
# of every package and the end-to-end smoke test in Debian Chromium.
# Ends with a line "N passed, N failed" summing every test it ran.
#
#   scripts/test.sh            everything
#   SKIP_E2E=1 scripts/test.sh everything but the browser tests
#   SKIP_INSTALL=1 scripts/test.sh  everything but the install tests (scripts/test-install.sh)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
set +e

RESULTS_DIR="$REPO_ROOT/test-results"
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
passed=0
failed=0
failed_steps=()

# A step that is one test: it passes or it fails.
check() {
  local name="$1"
  shift
  log "step: $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failed_steps+=("$name")
  fi
}

# Adds the counts from a JSON report; a missing report counts as one failure.
count_json() {
  local name="$1" file="$2" script="$3"
  local counts
  if [ -s "$file" ] && counts="$(node -e "$script" "$file")"; then
    read -r p f <<<"$counts"
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -gt 0 ] && failed_steps+=("$name")
  else
    failed=$((failed + 1))
    failed_steps+=("$name (no report)")
  fi
}

check "type check (yarn tsc)" yarn tsc
check "lint (yarn lint:all)" yarn lint:all
check "prettier (yarn prettier:check)" yarn prettier:check

log "step: PostgreSQL for the store tests"
if pg_env="$(scripts/ensure-postgres.sh)"; then
  export "${pg_env?}"
else
  failed=$((failed + 1))
  failed_steps+=("PostgreSQL for the store tests")
fi

log "step: unit tests of every package"
CI=1 yarn backstage-cli repo test --json --outputFile="$RESULTS_DIR/unit.json"
count_json "unit tests" "$RESULTS_DIR/unit.json" \
  'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites)'

if [ -z "${SKIP_INSTALL:-}" ]; then
  # Every example and deploy/ installed, upgraded and rolled back on a real control
  # plane (docs/testing.md); each package counts as one test.
  log "step: install tests on a real Kubernetes control plane"
  scripts/test-install.sh 2>&1 | tee "$RESULTS_DIR/install.log"
  summary="$(grep -E '^installed [0-9]+/[0-9]+ packages' "$RESULTS_DIR/install.log" | tail -n 1)"
  if [ -n "$summary" ]; then
    read -r ok total <<<"$(sed -E 's|^installed ([0-9]+)/([0-9]+).*|\1 \2|' <<<"$summary")"
    passed=$((passed + ok))
    failed=$((failed + total - ok))
    [ "$ok" -lt "$total" ] && failed_steps+=("install tests")
  else
    failed=$((failed + 1))
    failed_steps+=("install tests (no summary)")
  fi
fi

if [ -z "${SKIP_E2E:-}" ]; then
  log "step: end-to-end tests in Chromium"
  scripts/ensure-chromium.sh
  CI=1 PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS_DIR/e2e.json" \
    yarn playwright test --reporter=list,json
  count_json "end-to-end tests" "$RESULTS_DIR/e2e.json" \
    'const s=require(process.argv[1]).stats;console.log(s.expected + s.flaky, s.unexpected)'
fi

if [ ${#failed_steps[@]} -gt 0 ]; then
  log "failed: ${failed_steps[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
