#!/usr/bin/env bash
# Every test, from a fresh machine: install what is missing, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash gateway/scripts/ensure-installed.sh --test
npx tsc -p tsconfig.test.json  # tests are typechecked too
exec npx vitest run "$@"
