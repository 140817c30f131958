#!/usr/bin/env bash
# Starts Azurite's table service on 127.0.0.1 (port $AZURITE_TABLE_PORT, default 10002) in the background, with
# telemetry off and data under .azurite/ (or in memory with AZURITE_IN_MEMORY=1). Waits until it answers.
# Writes its PID to .azurite/azurite.pid; scripts/stop-azurite.sh stops it. Does nothing if it is already running.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${AZURITE_TABLE_PORT:-10002}"
data="$root/.azurite"
mkdir -p "$data"
if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "Azurite (or something) already listens on 127.0.0.1:$port"
  exit 0
fi
"$root/scripts/install-azurite.sh"
args=(--tableHost 127.0.0.1 --tablePort "$port" --disableTelemetry --skipApiVersionCheck --silent)
if [ "${AZURITE_IN_MEMORY:-0}" = "1" ]; then args+=(--inMemoryPersistence); else args+=(--location "$data"); fi
nohup "$root/tools/azurite/node_modules/.bin/azurite-table" "${args[@]}" >"$data/azurite.log" 2>&1 &
echo $! >"$data/azurite.pid"
for _ in $(seq 1 100); do
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Azurite table service on 127.0.0.1:$port (pid $(cat "$data/azurite.pid"), data in $data)"
    exit 0
  fi
  sleep 0.1
done
echo "Azurite did not start:"; cat "$data/azurite.log"; exit 1
