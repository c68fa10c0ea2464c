#!/usr/bin/env bash
# Every test, from a fresh machine: install what is missing, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash gateway/scripts/ensure-installed.sh --test
npm run build -w sdk-ts        # the CLI (tail) imports the SDK's build
npx tsc -p tsconfig.json       # CLI tests run the compiled command, as users do
npx tsc -p tsconfig.test.json  # tests are typechecked too
exec npx vitest run "$@"
