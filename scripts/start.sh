#!/usr/bin/env bash
# Starts the portal: frontend on http://localhost:3000, backend on :7007.
# Provides Node 22 and Yarn when the machine lacks them (see scripts/env.sh).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec yarn start "$@"
