#!/usr/bin/env bash
# Installs on first use, then starts the gateway's main job on its embedded simulator.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash gateway/scripts/ensure-installed.sh
exec node gateway/bin/monad-gateway.js sim "$@"
