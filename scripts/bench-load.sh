#!/usr/bin/env bash
# The load benchmark behind the README's load table: 16 worker threads, 1 study, RANDOM_SEARCH, three runs each of
#   azurite: a fresh in-memory Azurite and a silo storing grain state and membership in it (the Orleans client),
#   memory:  a silo on memory storage,
#   grpc:    the azurite silo again, the workers speaking OSS Vizier's gRPC protocol to the silo's own port.
#   ./scripts/bench-load.sh [TRIALS=10000] [RUNS=3] [WORKERS=16]      (BENCH_CONFIGS="azurite memory grpc" picks some)
#   BENCH_SILO_GC=workstation runs the silo (only) with workstation GC instead of the project's server GC.
# Prints each run, then the median and range of every figure: trials/s, suggest and complete p50/p99, entity writes,
# table write requests (transactions and single writes) and bytes per trial (from the silo's /metrics), and the CPU seconds per 1,000 trials of the silo, Azurite and the
# load generator. Stops what it started. Exits non-zero when a correctness check of any run fails (a trial handed to
# two workers, an acknowledged completion not stored, ids not exactly 1..T). On a shared machine the timings are not
# the service's speed: the script prints the load average next to them; run it under `nice` there and say so.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
trials=${1:-10000}; runs=${2:-3}; workers=${3:-16}
configs=${BENCH_CONFIGS:-azurite memory grpc}
[ -n "${SKIP_BUILD:-}" ] || dotnet build VizierOrleans.sln -c Release -nologo -v q >/dev/null
./scripts/install-azurite.sh >/dev/null
work=$(mktemp -d)
results="$work/results.jsonl"; : >"$results"
source "$root/scripts/bench-common.sh"
pids=()
stop_all() {
  # Azurite keeps nothing on disk here (in memory), so SIGTERM is fine; the silo stops on SIGTERM.
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT
cpu_seconds() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
dev_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

azurite_pid=""
start_azurite() {
  azurite_port=$(free_port)
  "$root/tools/azurite/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$azurite_port" \
    --disableTelemetry --skipApiVersionCheck --silent --inMemoryPersistence >"$work/azurite.log" 2>&1 &
  azurite_pid=$!; pids+=("$azurite_pid")
  wait_port "$azurite_port" || { cat "$work/azurite.log"; exit 1; }
}

# start_silo STORAGE: a silo on free ports; memory storage runs without Azurite (localhost clustering).
start_silo() {
  local storage=$1
  gateway_port=$(free_port); health_port=$(free_port); grpc_port=$(free_port)
  # The default cluster and service ids, which the load generator's client uses too; the ports and Azurite are private.
  local env=(Vizier__SiloPort="$(free_port)"
    Vizier__GatewayPort="$gateway_port" Vizier__HealthPort="$health_port" Vizier__Grpc__Port="$grpc_port"
    Vizier__AdvertisedIPAddress=127.0.0.1 Logging__LogLevel__Default=Warning)
  case "${BENCH_SILO_GC:-server}" in
    server) ;;
    workstation) env+=(DOTNET_gcServer=0) ;;
    *) echo "BENCH_SILO_GC must be server or workstation, was ${BENCH_SILO_GC}" >&2; exit 2 ;;
  esac
  if [ "$storage" = memory ]; then
    env+=(Vizier__Storage=Memory Vizier__Clustering=Localhost)
  else
    env+=(Vizier__Storage=AzureTable Vizier__Clustering=AzureTable
      "Vizier__AzureTables__ConnectionString=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$dev_key;TableEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;")
  fi
  (cd src/Silo && exec env "${env[@]}" dotnet "$root/src/Silo/bin/Release/net10.0/VizierOrleans.Silo.dll") >"$work/silo-$storage.log" 2>&1 &
  silo_pid=$!; pids+=("$silo_pid")
  wait_healthy "$health_port" "$silo_pid" "$work/silo-$storage.log"
}

# The silo's storage counters: Azure Table entities and bytes written, and grain-state writes of any provider.
scrape() {
  curl -sf "http://127.0.0.1:$health_port/metrics" | python3 -c '
import sys, re, json
out = {"entities": 0.0, "requests": 0.0, "json_bytes": 0.0, "stored_bytes": 0.0, "writes": 0.0, "by_type": {}}
for line in sys.stdin:
    if line.startswith("#"): continue
    m = re.match(r"([a-zA-Z_:]+)(\{[^}]*\})?\s+([0-9.eE+-]+)", line)
    if not m: continue
    name, labels, value = m.group(1), m.group(2) or "", float(m.group(3))
    if name.startswith("vizier_storage_table_entities"):
        out["entities"] += value
        t = re.search(r"grain_type=\"([^\"]*)\"", labels)
        if t: out["by_type"][t.group(1)] = out["by_type"].get(t.group(1), 0) + value
    elif name.startswith("vizier_storage_table_requests"): out["requests"] += value
    elif name.startswith("vizier_storage_table_json"): out["json_bytes"] += value
    elif name.startswith("vizier_storage_table_stored"): out["stored_bytes"] += value
    elif name.startswith("vizier_storage_duration") and name.endswith("_count") and "operation=\"write\"" in labels: out["writes"] += value
print(json.dumps(out))'
}

# run_load CONFIG N [loadgen args]: one run; appends its figures to the results.
failed=0
run_load() {
  local config=$1 n=$2; shift 2
  local before after silo_cpu0 azurite_cpu0 out status
  before=$(scrape); silo_cpu0=$(cpu_seconds "$silo_pid"); azurite_cpu0=$( [ -n "$azurite_pid" ] && cpu_seconds "$azurite_pid" || echo 0)
  out="$work/$config-$n"
  set +e
  /usr/bin/time -f "%U %S" -o "$out.time" dotnet "$root/tests/VizierOrleans.LoadGenerator/bin/Release/net10.0/VizierOrleans.LoadGenerator.dll" \
    --workers "$workers" --trials "$trials" --gateway "127.0.0.1:$gateway_port" --output "$out" --prefix "bench-$config-$n" "$@" >"$out.log" 2>&1
  status=$?
  set -e
  after=$(scrape)
  local silo_cpu=$(echo "$(cpu_seconds "$silo_pid") - $silo_cpu0" | bc)
  local azurite_cpu=$( [ -n "$azurite_pid" ] && echo "$(cpu_seconds "$azurite_pid") - $azurite_cpu0" | bc || echo 0)
  local loadgen_cpu=$(awk '{ print $1 + $2 }' "$out.time" 2>/dev/null || echo 0)
  if [ "$status" -ne 0 ]; then
    echo "$config run $n: the load generator exited $status (2: a correctness check failed)"; cat "$out.log"; failed=1
  fi
  python3 - "$config" "$n" "$out" "$before" "$after" "$silo_cpu" "$azurite_cpu" "$loadgen_cpu" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results" <<'PY'
import sys, json, glob
config, n, out, before, after, silo, azurite, loadgen, load = sys.argv[1:]
report = json.load(open(sorted(glob.glob(out + "/load-*.json"))[-1]))
b, a = json.loads(before), json.loads(after)
t = max(report["Completed"], 1)
row = {
    "config": config, "run": int(n), "trials": report["Completed"], "seconds": report["Seconds"],
    "trials_per_s": report["Completed"] / report["Seconds"],
    "suggest_p50": report["Suggest"]["P50"], "suggest_p99": report["Suggest"]["P99"],
    "complete_p50": report["Complete"]["P50"], "complete_p99": report["Complete"]["P99"],
    "errors": report["Errors"], "correct": not report["Violations"], "violations": report["Violations"],
    "entity_writes_per_trial": (a["entities"] - b["entities"]) / t if a["entities"] else None,
    "table_requests_per_trial": (a["requests"] - b["requests"]) / t if a["requests"] else None,
    "state_writes_per_trial": (a["writes"] - b["writes"]) / t,
    "json_bytes_per_trial": (a["json_bytes"] - b["json_bytes"]) / t if a["json_bytes"] else None,
    "stored_bytes_per_trial": (a["stored_bytes"] - b["stored_bytes"]) / t if a["stored_bytes"] else None,
    "writes_by_type_per_trial": {k: (v - b["by_type"].get(k, 0)) / t for k, v in a["by_type"].items()},
    "silo_cpu_s_per_1000": float(silo) / t * 1000, "azurite_cpu_s_per_1000": float(azurite) / t * 1000,
    "loadgen_cpu_s_per_1000": float(loadgen) / t * 1000, "load_average": load,
}
print(json.dumps(row))
PY
  tail -n 1 "$results" | python3 -c '
import sys, json
r = json.loads(sys.stdin.read())
checks = "pass" if r["correct"] else "FAIL"
print(f"{r['"'"'config'"'"']} run {r['"'"'run'"'"']}: {r['"'"'trials_per_s'"'"']:.0f} trials/s, suggest p50/p99 {r['"'"'suggest_p50'"'"']:.1f}/{r['"'"'suggest_p99'"'"']:.1f} ms, "
      f"complete p50/p99 {r['"'"'complete_p50'"'"']:.1f}/{r['"'"'complete_p99'"'"']:.1f} ms, checks {checks}, load average {r['"'"'load_average'"'"']}")'
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$workers worker threads, 1 study, $trials trials, RANDOM_SEARCH, $runs runs per configuration"
for config in $configs; do
  case "$config" in
    azurite|grpc)
      start_azurite; start_silo azurite
      for n in $(seq 1 "$runs"); do
        if [ "$config" = grpc ]; then run_load grpc "$n" --grpc "127.0.0.1:$grpc_port"; else run_load azurite "$n"; fi
      done
      stop_all; azurite_pid="" ;;
    memory)
      start_silo memory
      for n in $(seq 1 "$runs"); do run_load memory "$n"; done
      stop_all ;;
    *) echo "unknown configuration $config (azurite, memory, grpc)"; exit 1 ;;
  esac
done

echo
python3 - "$results" <<'PY'
import sys, json, statistics
rows = [json.loads(l) for l in open(sys.argv[1])]
figures = [("trials/s", "trials_per_s", "{:.0f}"), ("suggest p50 ms", "suggest_p50", "{:.1f}"), ("suggest p99 ms", "suggest_p99", "{:.1f}"),
           ("complete p50 ms", "complete_p50", "{:.1f}"), ("complete p99 ms", "complete_p99", "{:.1f}"),
           ("entity writes / trial", "entity_writes_per_trial", "{:.2f}"), ("table write requests / trial", "table_requests_per_trial", "{:.2f}"),
           ("grain-state writes / trial", "state_writes_per_trial", "{:.2f}"),
           ("JSON bytes / trial", "json_bytes_per_trial", "{:.0f}"), ("stored bytes / trial", "stored_bytes_per_trial", "{:.0f}"),
           ("silo CPU s / 1,000 trials", "silo_cpu_s_per_1000", "{:.2f}"), ("Azurite CPU s / 1,000 trials", "azurite_cpu_s_per_1000", "{:.2f}"),
           ("load generator CPU s / 1,000 trials", "loadgen_cpu_s_per_1000", "{:.2f}")]
configs = list(dict.fromkeys(r["config"] for r in rows))
print("| figure (median, range) | " + " | ".join(f"{c} ({len([r for r in rows if r['config'] == c])} runs)" for c in configs) + " |")
print("|---|" + "---|" * len(configs))
for label, key, fmt in figures:
    cells = []
    for c in configs:
        values = [r[key] for r in rows if r["config"] == c and r[key] is not None]
        cells.append("-" if not values else f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})")
    print(f"| {label} | " + " | ".join(cells) + " |")
print("| checks | " + " | ".join("pass" if all(r["correct"] for r in rows if r["config"] == c) else "FAIL" for c in configs) + " |")
print("| load average (1 min) during the runs | " + " | ".join(", ".join(r["load_average"].split()[0] for r in rows if r["config"] == c) for c in configs) + " |")
by_type = {}
for r in rows:
    for k, v in r["writes_by_type_per_trial"].items():
        by_type.setdefault((r["config"], k), []).append(v)
if by_type:
    print()
    print("Entity writes per trial by grain type (median): " + ", ".join(f"{c}/{k} {statistics.median(v):.2f}" for (c, k), v in sorted(by_type.items())))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$failed"
