#!/usr/bin/env bash
# Installs the pinned Azurite (tools/azurite/package-lock.json) with npm ci, unless it is installed already.
set -euo pipefail
cd "$(dirname "$0")/../tools/azurite"
command -v npm >/dev/null || { echo "Node.js 20 and npm are required to run Azurite (apt-get install nodejs npm)."; exit 1; }
if [ ! -x node_modules/.bin/azurite-table ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
