#!/usr/bin/env bash
# Installs the Python packaging tools the PyPI tests drive, at pinned versions, into a virtual environment
# of the project's own: $FLY_TOOLS_CACHE/python/venv-<hash of the pins> (default cache /var/cache/fly-registry
# as root, else ~/.cache/fly-registry), linked from $FLY_TOOLS_CACHE/python/venv where the tests find it.
# The system Python is never changed. uv, poetry and pdm are the clients; build and hatchling make wheels
# with a real build backend (`python -m build --no-isolation`, so the tests never reach the Python package
# index). pip's download cache sits beside the venv.
# Does nothing when that venv is complete. Needs python3 (3.9 or newer) with venv and pip reaching PyPI.
set -euo pipefail
# shellcheck source=tools-cache.sh
source "$(dirname "$0")/tools-cache.sh"

# hishel: pdm 2.29.4 asks for >=1.4.0 but fails with 2.0.0 (its own `pdm[locked]` pins 1.4.0, and conflicts with poetry).
PINS="uv==0.13.9 build==1.6.1 hatchling==1.33.0 poetry==2.5.1 pdm==2.29.4 hishel==1.4.0"
venv="$FLY_TOOLS_CACHE/python/venv-$(printf '%s' "$PINS" | sha256sum | cut -c1-12)"
link="$FLY_TOOLS_CACHE/python/venv"
ready() { [ -f "$venv/.complete" ] && [ "$(readlink "$link")" = "$venv" ]; }
ready && exit 0
# Two test files may ask at once: one installs, the other waits and then finds the venv ready.
mkdir -p "$FLY_TOOLS_CACHE/python"
exec 9>"$FLY_TOOLS_CACHE/python/.lock"
flock 9
ready && exit 0
if [ -f "$venv/.complete" ]; then ln -sfn "$venv" "$link"; exit 0; fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 is needed for the PyPI test tools ($PINS)." >&2
  exit 1
fi
echo "Installing $PINS into $venv"
rm -rf "$venv"
if ! python3 -m venv "$venv" >/dev/null 2>&1; then
  # Debian's python3 keeps venv (with ensurepip) in a package of its own.
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "python3 -m venv does not work here: install your distribution's venv package (python3-venv)." >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  rm -rf "$venv"
  python3 -m venv "$venv"
fi
# shellcheck disable=SC2086  # PINS is a list of requirements
PIP_CACHE_DIR="$FLY_TOOLS_CACHE/python/pip-cache" PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$venv/bin/python" -m pip install --quiet --no-input $PINS
# Written last: a half-done install (interrupted, failed) is started again next time.
printf '%s\n' "$PINS" > "$venv/.complete"
ln -sfn "$venv" "$link"
# Venvs of earlier pins are no longer used.
find "$FLY_TOOLS_CACHE/python" -mindepth 1 -maxdepth 1 -name 'venv-*' ! -path "$venv" -exec rm -rf {} +
