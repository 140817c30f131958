#!/usr/bin/env bash
# Stops the Azurite that scripts/start-azurite.sh started.
set -euo pipefail
pidfile="$(cd "$(dirname "$0")/.." && pwd)/.azurite/azurite.pid"
if [ -f "$pidfile" ]; then
  kill "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
fi
