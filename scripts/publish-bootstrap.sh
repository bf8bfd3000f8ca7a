#!/usr/bin/env bash
# Publishes the Native AOT Lambda bootstrap to artifacts/bootstrap/bootstrap; any trim/AOT
# warning fails. Used by scripts/test.sh and the benchmarks (bench/run.py).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
publish_log=$root/artifacts/publish.log
mkdir -p "$root/artifacts"
dotnet publish src/DuoQServerless.Functions -c Release -r linux-x64 -o "$root/artifacts/bootstrap" 2>&1 | tee "$publish_log" | grep -E 'warning|error|->' || true
if grep -qiE ': (warning|error) ' "$publish_log"; then
  echo "The AOT publish reported warnings or errors (see $publish_log)" >&2
  exit 1
fi
test -x "$root/artifacts/bootstrap/bootstrap"
