#!/usr/bin/env bash
# The install tests: every example and deploy/ installed, upgraded and rolled back on
# a real control plane (scripts/cluster.sh), by the package's own docs/DEPLOYMENT.md.
# See docs/testing.md. Arguments go to test/install/run.mjs (e.g. --only shop-eks-t2).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
trap 'scripts/cluster.sh stop >/dev/null 2>&1 || true' EXIT
scripts/cluster.sh build
exec node test/install/run.mjs "$@"
