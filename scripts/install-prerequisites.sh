#!/usr/bin/env bash
# Installs what builds and tests need on a fresh machine of this project's kind (the .NET 10 SDK is part of it):
# Debian packages that are missing (Node.js and npm for Azurite, iproute2 for the network-namespace test, curl for
# the quick start's health check, bc and time for the benchmark scripts, Debian's python3-grpcio and python3-grpc-tools for the Python conformance test of the
# gRPC front door, python3-optuna and python3-scipy (Optuna's QMC sampler needs it) for the benchmarks' Optuna peers,
# Debian's chromium for the dashboard's browser tests), the pinned Azurite from npm, the NuGet packages (the Bicep CLI is
# restored by scripts/bicep-build.sh when the deployment tests run). The dashboard's web front end (src/Dashboard/web,
# pinned in its package-lock.json) is installed with npm ci and built by its project's build.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet on PATH)."; exit 1; }
missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v ip >/dev/null || missing+=(iproute2)
command -v curl >/dev/null || missing+=(curl)
# The benchmark scripts time with bc and /usr/bin/time.
command -v bc >/dev/null || missing+=(bc)
[ -x /usr/bin/time ] || missing+=(time)
# Playwright drives this binary (never a downloaded browser).
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import grpc, grpc_tools" 2>/dev/null || missing+=(python3-grpcio python3-grpc-tools)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import optuna, scipy.stats.qmc" 2>/dev/null || missing+=(python3-optuna python3-scipy)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive  # no prompt on a machine without a terminal (CI)
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
fi
./scripts/install-azurite.sh
dotnet restore VizierOrleans.sln -nologo
