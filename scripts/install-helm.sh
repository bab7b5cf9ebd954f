#!/usr/bin/env bash
# Builds helm (v3, pinned) for the Helm end-to-end tests with `go install` through the Go module proxy
# (no prebuilt binary can be downloaded here). Same layout as the other Go test tools: the binary in
# $FLY_TOOLS_CACHE/go/bin/helm@<version>/helm, linked from $FLY_TOOLS_CACHE/bin/helm where the tests find
# it, Go's module and build caches in $FLY_TOOLS_CACHE/go/{mod,build}. The build takes minutes on 2 cores;
# an installed pin is never rebuilt, and the script prints nothing when helm is there.
set -euo pipefail
version="v3.19.0"
if [ -z "${FLY_TOOLS_CACHE:-}" ]; then
  if [ "$(id -u)" = 0 ]; then FLY_TOOLS_CACHE=/var/cache/fly-registry; else FLY_TOOLS_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/fly-registry"; fi
fi
bin="$FLY_TOOLS_CACHE/go/bin/helm@$version/helm"
installed() { [ -x "$bin" ] && [ "$(readlink "$FLY_TOOLS_CACHE/bin/helm")" = "$bin" ]; }
installed && exit 0
mkdir -p "$FLY_TOOLS_CACHE"
# Two test files may ask at once: one builds, the other waits and then finds it there.
exec 9>"$FLY_TOOLS_CACHE/.helm.lock"
flock 9
installed && exit 0
command -v go >/dev/null 2>&1 || { echo "Go is needed to build helm for the Helm tests" >&2; exit 1; }
echo "Building helm $version into ${bin%/*}"
mkdir -p "${bin%/*}" "$FLY_TOOLS_CACHE/bin"
GOBIN="${bin%/*}" GOMODCACHE="$FLY_TOOLS_CACHE/go/mod" GOCACHE="$FLY_TOOLS_CACHE/go/build" \
  GOFLAGS="-modcacherw -buildvcs=false" CGO_ENABLED=0 go install "helm.sh/helm/v3/cmd/helm@$version"
ln -sfn "$bin" "$FLY_TOOLS_CACHE/bin/helm"
