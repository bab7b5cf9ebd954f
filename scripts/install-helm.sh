#!/usr/bin/env bash
# Installs helm (v3, pinned) for the Helm end-to-end tests by building it from the Go module proxy
# (no prebuilt binary can be downloaded here). The build takes minutes on 2 cores, so the binary and
# Go's build and module caches live under /var/cache/fly-registry and re-running does nothing once it
# is there. Prints nothing else; tests find it at $FLY_HELM or /var/cache/fly-registry/helm-<v>/bin/helm.
set -euo pipefail
version="v3.19.0"
cache="${FLY_CACHE_DIR:-/var/cache/fly-registry}"
bin="$cache/helm-$version/bin"
if [ -x "$bin/helm" ]; then echo "helm $version is installed in $bin"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "go is needed to build helm" >&2; exit 1; }
mkdir -p "$bin" "$cache/go-build" "$cache/go-mod"
GOBIN="$bin" GOCACHE="$cache/go-build" GOMODCACHE="$cache/go-mod" GOFLAGS=-modcacherw CGO_ENABLED=0 \
  go install "helm.sh/helm/v3/cmd/helm@$version"
echo "helm $version installed in $bin"
