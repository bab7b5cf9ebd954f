#!/usr/bin/env bash
# Installs the JavaScript package managers the npm end-to-end tests drive beside npm (Yarn 1, Yarn 4, pnpm)
# from the npm registry into a cache prefix outside the repository (not project dependencies). Yarn 4 comes
# as its self-contained bundle (@yarnpkg/cli-dist), so no corepack download from GitHub is needed.
# Re-running does nothing when the pinned versions are there.
set -euo pipefail
dir="${FLY_TEST_JS_CLIENTS_DIR:-/var/cache/fly-registry/js-clients}"
stamp="yarn@1.22.22 @yarnpkg/cli-dist@4.18.1 pnpm@10.34.8"
if [ -f "$dir/installed" ] && [ "$(cat "$dir/installed")" = "$stamp" ]; then exit 0; fi
mkdir -p "$dir"
echo "Installing test clients into $dir: $stamp"
# shellcheck disable=SC2086 # the stamp is the package list
npm install --prefix "$dir" --no-audit --no-fund --no-save --userconfig /dev/null $stamp >/dev/null
echo "$stamp" > "$dir/installed"
