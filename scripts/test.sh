#!/usr/bin/env bash
# Runs the whole test suite: unit tests, and integration tests on in-process Orleans test clusters.
# Ends with one summary line "N passed, N failed, N skipped" over every test project.
set -uo pipefail
cd "$(dirname "$0")/.."
# A fresh machine has none of what the tests need (Debian grpcio for the Python tests, Azurite, NuGet packages):
# install whatever is missing first; on a machine that has it all this takes seconds.
./scripts/install-prerequisites.sh >/dev/null || { echo "scripts/install-prerequisites.sh failed"; exit 1; }
results=$(mktemp -d)
dotnet test VizierOrleans.sln -c Release -nologo --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@"
status=$?
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
rm -rf "$results"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
