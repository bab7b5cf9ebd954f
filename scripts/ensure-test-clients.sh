#!/usr/bin/env bash
# Installs the real clients the end-to-end tests drive when they are missing: skopeo, twine, Chromium and
# Gradle from Debian's packages; the OCI conformance suite, crane, oras and regctl built with Go
# (scripts/install-go-tools.sh); uv, poetry, pdm and build in a venv of the project's
# (scripts/install-python-tools.sh). Then makes sure the local PostgreSQL answers (scripts/ensure-postgres.sh
# installs and starts it). Safe to run again: it does nothing when all is there.
set -euo pipefail

missing=()
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
command -v twine >/dev/null 2>&1 || missing+=(twine)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Debian's Gradle (4.4.1) resolves from Maven repositories over HTTP (test/maven/gradle.test.ts).
command -v gradle >/dev/null 2>&1 || missing+=(gradle)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing test clients: ${missing[*]} (install them with your package manager)" >&2
    exit 1
  fi
  echo "Installing test clients: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

bash "$(dirname "$0")/install-go-tools.sh"
bash "$(dirname "$0")/install-python-tools.sh"
bash "$(dirname "$0")/install-podman.sh"
bash "$(dirname "$0")/install-js-clients.sh"
bash "$(dirname "$0")/ensure-postgres.sh"
bash "$(dirname "$0")/install-maven.sh"
bash "$(dirname "$0")/install-helm.sh"
