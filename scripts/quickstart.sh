#!/usr/bin/env bash
# The main job on local defaults: build, start Azurite (local Azure Table Storage: grain state and cluster membership),
# start a silo, run workers that tune kernel ridge regression through it, print the best trial, stop the silo. Extra arguments go to the worker sample (for example --workers 8 --mode processes).
# The study dashboard is at http://127.0.0.1:8080/ while the workers run. --keep (or an interactive terminal, until Enter)
# keeps the silo up afterwards so the finished study can be explored; --keep waits for Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
keep=0
worker_args=()
for arg in "$@"; do
  if [ "$arg" = "--keep" ]; then keep=1; else worker_args+=("$arg"); fi
done
work=$(mktemp -d)
started_azurite=0
cleanup() {
  kill "${silo_pid:-0}" 2>/dev/null || true
  wait "${silo_pid:-0}" 2>/dev/null || true
  [ "$started_azurite" = 1 ] && ./scripts/stop-azurite.sh
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build VizierOrleans.sln -c Release -nologo -v q
if ! (echo >/dev/tcp/127.0.0.1/10002) 2>/dev/null; then started_azurite=1; fi
./scripts/start-azurite.sh

echo "Starting the silo (log: $work/silo.log)"
(cd src/Silo && exec dotnet "$root/src/Silo/bin/Release/net10.0/VizierOrleans.Silo.dll") >"$work/silo.log" 2>&1 &
silo_pid=$!
for _ in $(seq 1 120); do
  if curl -sf http://127.0.0.1:8080/healthz >/dev/null 2>&1; then break; fi
  if ! kill -0 "$silo_pid" 2>/dev/null; then echo "The silo exited:"; cat "$work/silo.log"; exit 1; fi
  sleep 0.5
done
curl -sf http://127.0.0.1:8080/healthz >/dev/null || { echo "The silo did not become healthy:"; cat "$work/silo.log"; exit 1; }
echo "Silo is healthy; starting workers"
echo "Dashboard: http://127.0.0.1:8080/  (studies, trials and plots, live)"

dotnet "$root/samples/Worker/bin/Release/net10.0/VizierOrleans.Worker.dll" ${worker_args[@]+"${worker_args[@]}"}

if [ "$keep" = 1 ]; then
  echo "The silo stays up: explore the study at http://127.0.0.1:8080/ (Ctrl-C stops it)"
  wait "$silo_pid" || true
elif [ -t 0 ] && [ -t 1 ]; then
  read -r -p "The silo stays up: explore the study at http://127.0.0.1:8080/ -- press Enter to stop it. " _ || true
fi
