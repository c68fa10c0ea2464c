#!/usr/bin/env bash
# Installs what the project needs on a fresh machine, and nothing when it is already there:
# Debian packages the tests use (as root), then npm dependencies (which build the C addon and compile
# the TypeScript). Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/../.."

want_apt=()
if [ "${1:-}" = "--test" ]; then
  command -v zstd >/dev/null 2>&1 || want_apt+=(zstd)
  # The dashboard is tested in a real headless browser.
  command -v chromium >/dev/null 2>&1 || want_apt+=(chromium)
  # The Python client is tested with Debian's python3 and its websockets package (no PyPI here).
  /usr/bin/python3 -c "import websockets" >/dev/null 2>&1 || want_apt+=(python3-websockets)
fi
for tool in python3 make g++; do command -v "$tool" >/dev/null 2>&1 || want_apt+=("$tool"); done
if [ ${#want_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${want_apt[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want_apt[@]}" >/dev/null
  else
    echo "missing tools: ${want_apt[*]} (install them, e.g. apt-get install ${want_apt[*]})" >&2
  fi
fi

# Install when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ ! -f native/build/Release/monad_ring.node ]; then
  # Not `npm ci`: the registry serves only this platform's build of anvil's optional per-platform
  # packages (the others 404), so no lockfile can list them and `npm ci` refuses the lockfile.
  # `npm install` with the lockfile installs the same locked versions.
  npm install --no-audit --no-fund
elif [ -n "$(find native/src native/binding.gyp -newer native/build/Release/monad_ring.node -print -quit)" ]; then
  node native/build.cjs   # the addon's C sources changed since it was built
fi
# Rebuild what changed (tsc is incremental enough at this size; a no-op build takes seconds).
bash gateway/scripts/build.sh
