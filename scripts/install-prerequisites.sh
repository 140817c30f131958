#!/usr/bin/env bash
# Installs what builds and tests need on a fresh machine of this project's kind (the .NET SDK is part of it):
# NuGet packages (restore).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet on PATH)."; exit 1; }
dotnet restore VizierOrleans.sln -nologo
