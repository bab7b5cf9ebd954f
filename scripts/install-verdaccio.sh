#!/usr/bin/env bash
# Installs Verdaccio 6.8.0 outside the repository (not a project dependency) for the npm benchmark's
# comparison. On Node 20 it needs node-fetch pinned to 2.7.0. Re-running does nothing when it is there.
set -euo pipefail
dir="${FLY_BENCH_VERDACCIO_DIR:-${TMPDIR:-/tmp}/flyreg-verdaccio-6.8.0}"
if [ -x "$dir/node_modules/verdaccio/bin/verdaccio" ]; then echo "Verdaccio is installed in $dir"; exit 0; fi
mkdir -p "$dir"
cat > "$dir/package.json" <<'JSON'
{
  "name": "flyreg-bench-verdaccio",
  "private": true,
  "dependencies": { "verdaccio": "6.8.0" },
  "overrides": { "node-fetch": "2.7.0" }
}
JSON
(cd "$dir" && npm install --no-audit --no-fund --userconfig /dev/null)
echo "Verdaccio installed in $dir"
