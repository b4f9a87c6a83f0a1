#!/usr/bin/env bash
# Makes sure a Chromium for the browser tests exists. Playwright's own browser
# download does not work on machines without internet access, so the tests use
# Debian's chromium package (or CHROMIUM_PATH when set).
set -euo pipefail
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM_PATH" ]; then
  exit 0
fi
echo "[bootstrap] installing Debian's chromium for the browser tests" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get install -y --no-install-recommends chromium >&2 ||
  { $SUDO apt-get update >&2 && $SUDO apt-get install -y --no-install-recommends chromium >&2; }
