#!/usr/bin/env bash
# Runs every test on a fresh machine of this kind (Debian 12, .NET 10 SDK, Python with moto):
# installs what the machine lacks, publishes the Native AOT bootstrap (any trim/AOT warning
# fails), lints template.yaml, runs both test suites and prints the totals as the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
results=$root/artifacts/test-results

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v clang >/dev/null 2>&1; then
  echo "== installing clang (Native AOT links with it)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
fi
if ! command -v chromium >/dev/null 2>&1 || ! command -v npx >/dev/null 2>&1; then
  echo "== installing chromium (approval and report pages in a browser) and npm (asl-validator)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium npm >/dev/null
fi
if ! python3 -c 'import moto.server, cfnlint' 2>/dev/null; then
  echo "Python needs moto 5 and cfn-lint: pip install 'moto[server]==5.2.1' cfn-lint aws-sam-translator" >&2
  exit 1
fi

echo "== Native AOT publish of the Lambda bootstrap"
scripts/publish-bootstrap.sh
export DUOQ_BOOTSTRAP=$root/artifacts/bootstrap/bootstrap

echo "== cfn-lint template.yaml"
cfn-lint template.yaml

echo "== tests"
rm -rf "$results"
status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
done

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
for path in glob.glob(f"{sys.argv[1]}/*.trx"):
    c = ET.parse(path).getroot().find(f"{ns}ResultSummary/{ns}Counters")
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
