#!/usr/bin/env bash
# stop.sh STATE_DIR: stops what start.sh STATE_DIR started (and waits up to 10 s for each).
set -uo pipefail
state=${1:?usage: stop.sh STATE_DIR}
for pidfile in "$state/nginx.pid" "$state/prest.pid"; do
  [[ -f $pidfile ]] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$pidfile"
done
