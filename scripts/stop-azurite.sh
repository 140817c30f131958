#!/usr/bin/env bash
# Stops the Azurite that scripts/start-azurite.sh started.
set -euo pipefail
pidfile="$(cd "$(dirname "$0")/.." && pwd)/.azurite/azurite.pid"
if [ -f "$pidfile" ]; then
  # SIGINT, not SIGTERM: on SIGINT Azurite saves its data before it exits.
  kill -INT "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
fi
