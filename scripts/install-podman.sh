#!/usr/bin/env bash
# Installs podman from Debian's packages for the credential-helper test (test/cli/credential-helper.test.ts
# pulls and pushes with it, on vfs storage of its own). Does nothing when podman is already there.
set -euo pipefail

command -v podman >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing test client: podman (install it with your package manager)" >&2
  exit 1
fi
echo "Installing test client: podman"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman >/dev/null
