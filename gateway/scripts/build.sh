#!/usr/bin/env bash
# Builds every TypeScript package in dependency order: the SDK (the others import its build), the
# client packages (the CLI loads them on demand), the gateway itself, then the dashboard bundle.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run build -w sdk-ts --silent
npx tsc -p clients/webhook-relay/tsconfig.json
npx tsc -p clients/sla-agent/tsconfig.json
npx tsc -p tsconfig.json
if [ -f gateway/scripts/build-dashboard.mjs ]; then node gateway/scripts/build-dashboard.mjs; fi
