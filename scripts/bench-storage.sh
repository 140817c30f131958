#!/usr/bin/env bash
# Compares this project's Azure Table grain storage with Orleans' own (Microsoft.Orleans.Persistence.AzureStorage) in
# one run, each provider in turn on a fresh in-memory Azurite:
#   ./scripts/bench-storage.sh [RUNS=3] [TRIALS=10000] [WORKERS=16] [OPERATIONS=2000]
# Per run and provider: the `storage` benchmark (the provider alone, OPERATIONS inserts, replaces and reads by 16
# writers), then a TRIALS-trial load run (WORKERS worker threads, one study) through one silo with
# Vizier__Storage=AzureTable or OrleansAzureTable, then a new silo on the same Azurite and the time of the first call
# to that study (its activation, which loads its trials). Prints every table and, at the end, the load runs' trials/s
# and the first calls' milliseconds per provider (median and range) and the load runs' ratio. Run it under `nice` on a shared machine and give the load average
# (printed before and after) next to the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-3}; trials=${2:-10000}; workers=${3:-16}; operations=${4:-2000}
dotnet build VizierOrleans.sln -c Release -nologo -v q >/dev/null
"$root/scripts/install-azurite.sh" >/dev/null
work=$(mktemp -d)
source "$root/scripts/bench-common.sh"
azurite_pid=""; silo_pid=""
stop() {
  [ -n "$silo_pid" ] && { kill "$silo_pid" 2>/dev/null || true; wait "$silo_pid" 2>/dev/null || true; }
  [ -n "$azurite_pid" ] && { kill -INT "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; }
  silo_pid=""; azurite_pid=""
}
trap 'stop; rm -rf "$work"' EXIT

start_azurite() {
  azurite_port=$(free_port)
  "$root/tools/azurite/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$azurite_port" \
    --inMemoryPersistence --disableTelemetry --skipApiVersionCheck --silent >"$work/azurite.log" 2>&1 &
  azurite_pid=$!
  wait_port "$azurite_port" || { cat "$work/azurite.log"; exit 1; }
  # Azurite's well-known development account (public, documented by Microsoft; not a secret).
  connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"
}

load() { Vizier__ClusterId=bench-storage Vizier__ServiceId=bench-storage dotnet "$root/tests/VizierOrleans.LoadGenerator/bin/Release/net10.0/VizierOrleans.LoadGenerator.dll" "$@"; }

start_silo() {
  silo_port=$(free_port); gateway_port=$(free_port); health_port=$(free_port); grpc_port=$(free_port)
  Vizier__Clustering=Localhost Vizier__Storage=$1 Vizier__AzureTables__ConnectionString="$connection" \
    Vizier__ClusterId=bench-storage Vizier__ServiceId=bench-storage Vizier__SiloPort=$silo_port Vizier__GatewayPort=$gateway_port \
    Vizier__HealthPort=$health_port Vizier__Grpc__Port=$grpc_port Vizier__AdvertisedIPAddress=127.0.0.1 Logging__LogLevel__Default=Warning \
    dotnet "$root/src/Silo/bin/Release/net10.0/VizierOrleans.Silo.dll" >"$work/silo.log" 2>&1 &
  silo_pid=$!
  wait_healthy "$health_port" "$silo_pid" "$work/silo.log"
}

declare -A rates firsts
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  for provider in AzureTable OrleansAzureTable; do
    bench=$([ "$provider" = AzureTable ] && echo "vizier vizier-batched" || echo orleans)
    echo "== run $run, $provider =="
    start_azurite
    load storage --connection-string "$connection" --operations "$operations" --writers 16 --provider $bench
    stop
    start_azurite
    start_silo "$provider"
    load --workers "$workers" --trials "$trials" --gateway "127.0.0.1:$gateway_port" --output "$work/load" --prefix "bench-$run" | tee "$work/load.md"
    rate=$(awk -F'|' '/^\| threads/ { gsub(/ /, "", $6); print $6 }' "$work/load.md")
    [ -n "$rate" ] || { echo "no trials/s in the load report"; cat "$work/silo.log"; exit 1; }
    # A new silo on the same Azurite: the study activates and loads its trials from storage.
    kill "$silo_pid"; wait "$silo_pid" 2>/dev/null || true
    start_silo "$provider"
    load reactivate --study "owners/load/studies/bench-$run-0" --gateway "127.0.0.1:$gateway_port" | tee "$work/reactivate.txt" || true
    first=$(sed -n 's/.*first call \([0-9]*\) ms.*/\1/p; s/.*first call failed after \([0-9]*\) ms.*/failed-after-\1/p' "$work/reactivate.txt")
    firsts[$provider]="${firsts[$provider]:-} $first"
    rates[$provider]="${rates[$provider]:-} $rate"
    stop
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for provider in AzureTable OrleansAzureTable; do
  # shellcheck disable=SC2086
  set -- ${rates[$provider]}
  echo "load run, $trials trials, $workers workers, Vizier__Storage=$provider: median $(median "$@") trials/s (runs: $*)"
  # shellcheck disable=SC2086
  set -- ${firsts[$provider]}
  echo "first call to the $trials-trial study after a silo restart, Vizier__Storage=$provider: median $(median "$@") ms (runs: $*)"
done
# shellcheck disable=SC2086
ours=$(median ${rates[AzureTable]}); theirs=$(median ${rates[OrleansAzureTable]})
echo "ratio of medians (AzureTable / OrleansAzureTable): $(echo "scale=2; $ours / $theirs" | bc)"
