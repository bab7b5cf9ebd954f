#!/usr/bin/env bash
# Builds the Go programs the OCI tests drive, at pinned versions, with `go install` through the Go module
# proxy: the OCI distribution-spec conformance suite, crane, oras and regctl.
#
# Each lands in $FLY_TOOLS_CACHE/go/bin/<name>@<version>/<name> (default cache /var/cache/fly-registry as
# root, else ~/.cache/fly-registry), linked from $FLY_TOOLS_CACHE/bin/<name> where the tests find it; the
# version in the path means a new pin builds again and an installed one is never rebuilt. Go's module and
# build caches live beside them ($FLY_TOOLS_CACHE/go/mod, /go/build), so later builds on the same machine
# are quick; nothing requires them. Prints nothing and does nothing when every tool is there.
# Needs `go` on PATH: 1.26, or 1.21+ which fetches the toolchain a module asks for through the proxy.
set -euo pipefail
# shellcheck source=tools-cache.sh
source "$(dirname "$0")/tools-cache.sh"

# name  package@version  (test/helpers/tools.ts knows the names)
TOOLS=(
  "conformance github.com/opencontainers/distribution-spec/conformance@v0.0.0-20260831232431-97274622c111"
  "crane github.com/google/go-containerregistry/cmd/crane@v0.22.1"
  "oras oras.land/oras/cmd/oras@v1.3.6"
  "regctl github.com/regclient/regclient/cmd/regctl@v0.11.7"
)

binary() { echo "$FLY_TOOLS_CACHE/go/bin/$1@${2##*@}/$1"; }
linked() { [ -x "$(binary "$1" "$2")" ] && [ "$(readlink "$FLY_TOOLS_CACHE/bin/$1")" = "$(binary "$1" "$2")" ]; }
missing() {
  missing=()
  for tool in "${TOOLS[@]}"; do
    read -r name pkg <<<"$tool"
    linked "$name" "$pkg" || missing+=("$tool")
  done
  [ ${#missing[@]} -gt 0 ]
}
missing || exit 0
# Two test files may ask at once: one builds, the other waits and then finds everything there.
exec 9>"$FLY_TOOLS_CACHE/.go-tools.lock"
flock 9
missing || exit 0

if ! command -v go >/dev/null 2>&1; then
  echo "Go is needed to build the OCI test tools (${missing[*]}): install Go 1.26 (or 1.21+)." >&2
  exit 1
fi

export GOMODCACHE="$FLY_TOOLS_CACHE/go/mod" GOCACHE="$FLY_TOOLS_CACHE/go/build"
# Module cache files are made writable so that deleting the cache directory just works.
export GOFLAGS="-modcacherw -buildvcs=false" CGO_ENABLED=0
for tool in "${missing[@]}"; do
  read -r name pkg <<<"$tool"
  bin=$(binary "$name" "$pkg")
  if [ ! -x "$bin" ]; then
    echo "Building $name ($pkg) into ${bin%/*}"
    mkdir -p "${bin%/*}"
    GOBIN="${bin%/*}" go install "$pkg"
  fi
  mkdir -p "$FLY_TOOLS_CACHE/bin"
  ln -sfn "$bin" "$FLY_TOOLS_CACHE/bin/$name"
done
