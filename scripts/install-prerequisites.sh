#!/usr/bin/env bash
# Installs what builds and tests need on a fresh machine of this project's kind (the .NET 10 SDK is part of it):
# Node.js (Debian packages, only if missing), the pinned Azurite from npm, and the NuGet packages.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet on PATH)."; exit 1; }
if ! command -v npm >/dev/null; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
./scripts/install-azurite.sh
dotnet restore VizierOrleans.sln -nologo
