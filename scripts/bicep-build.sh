#!/usr/bin/env bash
# Compiles and lints deploy/bicep with the Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64, restored by
# tools/bicep). Fails on any error or warning. Writes the ARM templates to $1 (default: artifacts/arm).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/arm}"
mkdir -p "$out"
dotnet restore "$root/tools/bicep/bicep.csproj" -nologo -v q >/dev/null
version=$(sed -n 's/.*Include="Azure.Bicep.CommandLine.linux-x64" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
bicep="$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
[ -f "$bicep" ] || { echo "Bicep CLI not found at $bicep"; exit 1; }
chmod +x "$bicep"
log=$(mktemp)
"$bicep" build "$root/deploy/bicep/main.bicep" --outfile "$out/main.json" 2>&1 | tee "$log"
"$bicep" build-params "$root/deploy/bicep/main.bicepparam" --outfile "$out/main.parameters.json" 2>&1 | tee -a "$log"
"$bicep" lint "$root/deploy/bicep/main.bicep" 2>&1 | tee -a "$log"
if [ -s "$log" ]; then
  echo "Bicep reported errors or warnings (see above)."
  exit 1
fi
echo "Bicep: compiled and linted with no errors or warnings -> $out"
