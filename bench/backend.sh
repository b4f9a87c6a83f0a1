#!/usr/bin/env bash
# Runs the portal's backend for the benchmarks that need one (P3, P4, P6,
# P7), WITHOUT the file watcher of `yarn start` / `backstage-cli package
# start`: that one restarts the backend whenever a source file of a plugin
# changes, which wipes the in-memory catalog and turns a load test into a
# series of ECONNREFUSED / 503 / 404. This starts the same entry point
# (packages/backend/src/index.ts through Backstage's node transform), once.
#
#   bench/backend.sh start     start in the background, wait until ready
#   bench/backend.sh stop      stop the backend this script started
#   bench/backend.sh token     print a guest user token (Authorization: Bearer)
#   bench/backend.sh status    readiness of the backend on the port
#
# Environment:
#   BENCH_BACKEND_PORT     listen port (default 7007); baseUrl follows it
#   BENCH_BACKEND_CONFIG   extra config files, space-separated, applied after
#                          app-config.yaml (e.g. bench/app-config.bench.yaml)
#   BENCH_BACKEND_LOG      log file (default $TMPDIR/cno-bench-backend-<port>.log)
#   BENCH_BACKEND_TIMEOUT  seconds to wait for readiness (default 180)
# Any other variable the config files reference (e.g. CNO_BENCH_PG_CONNECTION
# for app-config.bench.yaml) is passed through.
#
# Example (P3 and P4 on SQLite in memory, the default app-config.yaml):
#   bench/backend.sh start
#   BACKSTAGE_TOKEN=$(bench/backend.sh token) bench/run.sh p3 p4
#   bench/backend.sh stop
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh" # Node, Yarn, deps; cd to the repo root

PORT="${BENCH_BACKEND_PORT:-7007}"
URL="http://localhost:$PORT"
RUN_DIR="${TMPDIR:-/tmp}"
PID_FILE="$RUN_DIR/cno-bench-backend-$PORT.pid"
LOG_FILE="${BENCH_BACKEND_LOG:-$RUN_DIR/cno-bench-backend-$PORT.log}"
TIMEOUT="${BENCH_BACKEND_TIMEOUT:-180}"

ready() { curl -sf "$URL/.backstage/health/v1/readiness" >/dev/null 2>&1; }

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

start() {
  if pid="$(running_pid)"; then
    echo "backend already running (pid $pid, $URL)" >&2
    return 0
  fi
  if ready; then
    echo "something else already answers on $URL; stop it first or set BENCH_BACKEND_PORT" >&2
    return 1
  fi
  local args=(--config "$REPO_ROOT/app-config.yaml")
  for file in ${BENCH_BACKEND_CONFIG:-}; do
    args+=(--config "$(cd "$(dirname "$file")" && pwd)/$(basename "$file")")
  done
  echo "starting the backend on $URL (log: $LOG_FILE; config: ${args[*]})" >&2
  (
    cd "$REPO_ROOT/packages/backend"
    # setsid: own process group, so `stop` ends the backend and its children
    # (helm / kubectl spawned by a dry-run) and nothing else
    NODE_ENV="${NODE_ENV:-development}" \
      APP_CONFIG_backend_listen_port="$PORT" \
      APP_CONFIG_backend_baseUrl="$URL" \
      exec setsid node --enable-source-maps \
      --require "$REPO_ROOT/node_modules/@backstage/cli-node/config/nodeTransform.cjs" \
      src/index "${args[@]}"
  ) >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  local waited=0
  until ready; do
    if ! running_pid >/dev/null; then
      echo "the backend exited during start-up; last lines of $LOG_FILE:" >&2
      tail -n 30 "$LOG_FILE" >&2
      return 1
    fi
    if [ "$waited" -ge "$TIMEOUT" ]; then
      echo "the backend is not ready after $TIMEOUT s; see $LOG_FILE" >&2
      return 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
  echo "backend ready on $URL after ~${waited} s (pid $(cat "$PID_FILE"))" >&2
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "no backend started by this script on port $PORT" >&2
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null
  rm -f "$PID_FILE"
  echo "backend on $URL stopped" >&2
}

token() {
  curl -sf -X POST "$URL/api/auth/guest/refresh" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).backstageIdentity.token+"\n"))'
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  token) token ;;
  status)
    if ready; then echo "ready: $URL"; else
      echo "not ready: $URL"
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 start|stop|token|status" >&2
    exit 2
    ;;
esac
