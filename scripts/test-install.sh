#!/usr/bin/env bash
# The install tests: every example and deploy/ installed, upgraded and rolled back on
# a real control plane (scripts/cluster.sh), by the package's own docs/DEPLOYMENT.md.
# See docs/testing.md. Arguments go to test/install/run.mjs (e.g. --only shop-eks-t2).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
# every cluster the run may have started (one per parallel worker: .cache/cluster-<n>)
stop_all() {
  local dir
  for dir in "$REPO_ROOT"/.cache/cluster "$REPO_ROOT"/.cache/cluster-*; do
    [ -d "$dir" ] && CNO_CLUSTER_DIR="$dir" scripts/cluster.sh stop >/dev/null 2>&1 || true
  done
}
trap stop_all EXIT
scripts/cluster.sh build
node test/install/run.mjs "$@"
