#!/usr/bin/env bash
# fetch.sh OUTDIR [--offline]
#
# Writes the CustomResourceDefinitions the engine's packages need into OUTDIR,
# one file per row of sources.tsv (e.g. OUTDIR/10-argo-rollouts.yaml, the
# documents joined by `---`), taken only from files shipped inside the
# upstream projects' own Go modules. No CRD is written by hand (the stand-ins
# of unavailable groups, below, are generated and labelled as such).
#
# How: for each row, `go mod download -json MODULE@VERSION` (the Go module
# proxy is the only source), the zip's h1 sum is compared with the row's, and
# crds.py copies the documents of the files matching the row's globs that are
# apiextensions.k8s.io/v1 CRDs of the row's groups (other documents are
# skipped), checks that every listed Kind/version is served, and re-parses
# the written file.
#
# Why no go.mod: pinning by `require` in a go.mod was tried and does not work
# here. Requires pull in each module's own requirements, and some of those the
# proxy refuses (Argo Rollouts requires k8s.io/kubelet v0.0.0, meant for a
# `replace`; Argo CD a gitops-engine pseudo-version; the AWS Karpenter provider
# a sigs.k8s.io/karpenter pseudo-version), so `go list -m all` fails. And a
# required module whose go.mod asks for a newer go than the local toolchain
# (1.26.8) stops every go command in the module. So the pins live in
# sources.tsv (version plus h1 sum, the go.sum part) and each module is
# fetched alone, outside any module. `go mod download` fails on a module
# asking for a newer go there too, so every pinned version asks for
# go <= 1.26.8 (the notes say where a newer release needs more).
#
# Idempotent: re-running rewrites the same files with the same bytes (and
# removes the file of a row now skipped or unavailable). Offline:
# once the module cache (go env GOMODCACHE) holds the pinned versions, no
# network is used; --offline (or GOPROXY=off) makes that a hard rule.
#
# A row whose source is not available (globs "-") gets stand-in CRDs instead
# (crds.py standin: the listed kinds with an open schema, labelled
# cno.test/stand-in=true), so that the guide's commands run past those
# objects; CRDS_NO_STANDINS=1 writes nothing for such rows.
#
# Environment: CRDS_SKIP="51-gke-managed-prometheus.yaml ..." leaves out rows
# by output file name (e.g. to save the 84 MB prometheus-engine download).
# Needs: go, python3 with PyYAML (Debian package python3-yaml).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sources="$here/sources.tsv"

usage() { echo "usage: $0 OUTDIR [--offline]" >&2; exit 2; }
[ $# -ge 1 ] || usage
outdir="$1"; shift
offline=0
for arg in "$@"; do
  case "$arg" in
    --offline) offline=1 ;;
    *) usage ;;
  esac
done

command -v go >/dev/null || { echo "fetch.sh: go not found" >&2; exit 1; }
# PyYAML: the machine's python3 when it has it, else a venv under the git-ignored
# .tools/ with PyYAML from PyPI (pinned).
tools_dir="$(cd "$here/../../.." && pwd)/.tools"
python3() { command "${PYTHON:-python3}" "$@"; }
if ! python3 -c 'import yaml' 2>/dev/null; then
  venv="$tools_dir/venv-crds"
  if [ ! -x "$venv/bin/python3" ] || ! "$venv/bin/python3" -c 'import yaml' 2>/dev/null; then
    echo "fetch.sh: installing PyYAML 6.0.3 into ${venv#"$tools_dir"/../}" >&2
    command python3 -m venv "$venv" >&2 && "$venv/bin/pip" install -q pyyaml==6.0.3 >&2 ||
      { echo "fetch.sh: python3 with PyYAML needed (pip install pyyaml, or Debian's python3-yaml)" >&2; exit 1; }
  fi
  PYTHON="$venv/bin/python3"
fi

mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"

# Run go outside any module or workspace, never switching toolchains.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN=local GOWORK=off GO111MODULE=on
[ "$offline" = 1 ] && export GOPROXY=off

skip=" ${CRDS_SKIP:-} "
written=() unavailable=() skipped=()
while IFS=$'\t' read -r groups module version globs note out kinds sum rest; do
  case "$groups" in ''|'#'*) continue ;; esac
  if [ -z "$sum" ] || [ -n "${rest:-}" ]; then
    echo "fetch.sh: sources.tsv: bad row for $module (need 8 tab-separated columns)" >&2
    exit 1
  fi
  if [ "$globs" = "-" ]; then
    unavailable+=("$out: $groups ($kinds) from $module: $note")
    if [ -n "${CRDS_NO_STANDINS:-}" ]; then
      rm -f "$outdir/$out"
    else
      # Stand-ins (open schema) so that objects of the group can be stored;
      # their fields are not checked by the API server (docs/testing.md).
      python3 "$here/crds.py" standin --kinds "$kinds" \
        --reason "no CRDs from $module (see test/cluster/crds/sources.tsv)" --out "$outdir/$out"
      written+=("$outdir/$out")
    fi
    continue
  fi
  if [[ "$skip" == *" $out "* ]]; then
    skipped+=("$out")
    rm -f "$outdir/$out"  # a file of an earlier run would still be applied
    continue
  fi
  echo "$module@$version -> $out"
  if ! json="$(cd "$work" && go mod download -json "$module@$version")"; then
    echo "$json" >&2
    echo "fetch.sh: go mod download $module@$version failed" >&2
    exit 1
  fi
  read -r dir got <<<"$(python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d.get("Dir", ""), d.get("Sum", ""))' <<<"$json")"
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    echo "$json" >&2
    echo "fetch.sh: no module directory for $module@$version" >&2
    exit 1
  fi
  if [ "$got" != "$sum" ]; then
    echo "fetch.sh: $module@$version: sum $got, sources.tsv says $sum" >&2
    exit 1
  fi
  python3 "$here/crds.py" extract --dir "$dir" --source "$module@$version" \
    --globs "$globs" --groups "$groups" --kinds "$kinds" --out "$outdir/$out"
  written+=("$outdir/$out")
done <"$sources"

[ ${#written[@]} -gt 0 ] || { echo "fetch.sh: nothing written" >&2; exit 1; }
# Every written file must parse as YAML and hold only v1 CRDs.
python3 "$here/crds.py" check "${written[@]}"
echo "wrote ${#written[@]} files to $outdir"
for s in "${skipped[@]}"; do echo "skipped (CRDS_SKIP): $s"; done
if [ ${#unavailable[@]} -gt 0 ]; then
  echo "not available (no CRDs for these groups; stand-ins without schema written unless CRDS_NO_STANDINS=1):"
  for u in "${unavailable[@]}"; do echo "  $u"; done
fi
