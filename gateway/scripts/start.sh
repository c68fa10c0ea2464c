#!/usr/bin/env bash
# Installs on first use, then serves the embedded simulator's chain over WebSocket and REST.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash gateway/scripts/ensure-installed.sh
exec node gateway/bin/monad-gateway.js serve --sim "$@"
