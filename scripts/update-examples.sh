#!/usr/bin/env bash
# Regenerates the golden packages under examples/<name>/package from each
# example's architecture.yaml. Review the diff before committing.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
status=0
for spec in examples/*/architecture.yaml deploy/architecture.yaml; do
  dir="$(dirname "$spec")"
  echo "== $dir" >&2
  yarn cno generate "$spec" --out "$dir/package" --force || status=$?
done
exit $status
