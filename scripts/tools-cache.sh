# Sourced by the install scripts: where the test tools they build or download are kept between runs on
# this machine. FLY_TOOLS_CACHE wins; otherwise /var/cache/fly-registry as root, else ~/.cache/fly-registry.
if [ -z "${FLY_TOOLS_CACHE:-}" ]; then
  if [ "$(id -u)" = 0 ]; then FLY_TOOLS_CACHE=/var/cache/fly-registry; else FLY_TOOLS_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/fly-registry"; fi
fi
export FLY_TOOLS_CACHE
mkdir -p "$FLY_TOOLS_CACHE"
