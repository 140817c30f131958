#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests on in-process Orleans test clusters.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test VizierOrleans.sln -c Release -nologo --logger "console;verbosity=normal" "$@"
