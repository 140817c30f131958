#!/usr/bin/env bash
# Times `vizier export` and `vizier import` on a large study against a silo process (memory storage, one silo).
#   ./scripts/bench-cli.sh [TRIALS=100000] [EXPORT_RUNS=3] [IMPORT_RUNS=3] [PARALLEL=16]
# Makes a TRIALS-trial study by importing a generated jsonl file (timed: the first import), exports it EXPORT_RUNS
# times, and imports the export into IMPORT_RUNS new studies with --parallel PARALLEL; checks every copy exports the
# same number of trials; prints each time and the median. Run it under `nice` on a shared machine, and say the machine was shared next to the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
trials=${1:-100000}; export_runs=${2:-3}; import_runs=${3:-3}; parallel=${4:-16}
dotnet build VizierOrleans.sln -c Release -nologo -v q >/dev/null
work=$(mktemp -d)
source "$root/scripts/bench-common.sh"
silo_port=$(free_port); gateway_port=$(free_port); health_port=$(free_port); grpc_port=$(free_port)
(cd src/Silo && Vizier__Clustering=Localhost Vizier__Storage=Memory Vizier__ClusterId=bench-cli Vizier__ServiceId=bench-cli \
  Vizier__SiloPort=$silo_port Vizier__GatewayPort=$gateway_port Vizier__HealthPort=$health_port Vizier__Grpc__Port=$grpc_port \
  Vizier__AdvertisedIPAddress=127.0.0.1 Logging__LogLevel__Default=Warning \
  exec dotnet "$root/src/Silo/bin/Release/net10.0/VizierOrleans.Silo.dll") >"$work/silo.log" 2>&1 &
silo_pid=$!
trap 'kill "$silo_pid" 2>/dev/null; wait "$silo_pid" 2>/dev/null; rm -rf "$work"' EXIT
wait_healthy "$health_port" "$silo_pid" "$work/silo.log"
export VIZIER_ENDPOINT=127.0.0.1:$grpc_port
vizier() { dotnet "$root/src/Cli/bin/Release/net10.0/VizierOrleans.Cli.dll" "$@"; }
seconds() { local start=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $start" | bc; }

python3 - "$trials" > "$work/generated.jsonl" <<'PY'
import json, random, sys
n = int(sys.argv[1]); rng = random.Random(1)
spec = {"algorithm": "RANDOM_SEARCH", "metrics": [{"metric_id": "loss", "goal": "MINIMIZE"}], "parameters": [
    {"parameter_id": "x", "double_value_spec": {"min_value": 0, "max_value": 1}},
    {"parameter_id": "layers", "integer_value_spec": {"min_value": "1", "max_value": "8"}},
    {"parameter_id": "opt", "categorical_value_spec": {"values": ["adam", "sgd"]}}]}
print(json.dumps({"study": {"display_name": "source", "study_spec": spec}}))
for i in range(1, n + 1):
    x = rng.random()
    state = "INFEASIBLE" if i % 50 == 0 else "SUCCEEDED"
    trial = {"id": str(i), "state": state, "parameters": [
        {"parameter_id": "layers", "value": rng.randint(1, 8)}, {"parameter_id": "opt", "value": rng.choice(["adam", "sgd"])},
        {"parameter_id": "x", "value": x}], "client_id": "worker-%d" % (i % 16),
        "start_time": "2026-11-30T10:00:00Z", "end_time": "2026-11-30T10:00:01.500Z"}
    if state == "SUCCEEDED":
        trial["final_measurement"] = {"step_count": "10", "elapsed_duration": "1.500s", "metrics": [{"metric_id": "loss", "value": (x - 0.3) ** 2}]}
    else:
        trial["infeasible_reason"] = "diverged"
    print(json.dumps(trial))
PY
first=$(seconds vizier import bench/source "$work/generated.jsonl" --parallel "$parallel")
echo "import 0 (the generated file into bench/source): $first s"
exports=(); imports=("$first")
for run in $(seq 1 "$export_runs"); do
  e=$(seconds vizier export bench/source -o "$work/export-$run.jsonl")
  echo "export $run: $e s"
  exports+=("$e")
done
for run in $(seq 1 "$import_runs"); do
  i=$(seconds vizier import "bench/copy-$run" "$work/export-1.jsonl" --parallel "$parallel")
  lines=$(vizier export "bench/copy-$run" | wc -l)
  [ "$lines" -eq $((trials + 1)) ] || { echo "bench/copy-$run exported $lines lines, not $((trials + 1))"; exit 1; }
  echo "import $run (the export into bench/copy-$run): $i s"
  imports+=("$i")
done
echo "export of $trials trials: median $(median "${exports[@]}") s (runs: ${exports[*]})"
echo "import of $trials trials (--parallel $parallel): median $(median "${imports[@]}") s (runs: ${imports[*]})"
