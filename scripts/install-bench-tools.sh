#!/usr/bin/env bash
# Installs what `npm run bench` measures against, outside the repository (none is a project dependency):
# wrk (the load generator), distribution (Debian's docker-registry), pypiserver (in a venv from PyPI) and
# Verdaccio (scripts/install-verdaccio.sh). Re-running does nothing for what is already there; the bench
# skips a peer that is missing.
set -euo pipefail
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package starts its own registry on :5000; the bench starts its own instance instead.
  systemctl disable --now docker-registry >/dev/null 2>&1 || service docker-registry stop >/dev/null 2>&1 || true
fi
venv="${FLY_BENCH_PYPISERVER_DIR:-/var/cache/fly-registry-bench/pypiserver-2.4.1}"
if [ ! -x "$venv/bin/pypi-server" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'pypiserver==2.4.1'
fi
bash "$(dirname "$0")/install-verdaccio.sh" >/dev/null
echo "bench tools installed (wrk, docker-registry, pypiserver in $venv, Verdaccio)"
