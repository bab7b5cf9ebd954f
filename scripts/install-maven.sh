#!/usr/bin/env bash
# Installs Maven (Debian's package, with its JDK) when missing, and fills a cache of the Maven Central
# plugins the Maven tests' builds use (compile, jar, install, deploy). The tests resolve "central" from
# that cache as a file:// repository, so each test's empty local repository (-Dmaven.repo.local) gets its
# plugins without a download, and only the artifacts under test come from the registry.
# Safe to run again: it does nothing when Maven and the cache are there.
set -euo pipefail

CACHE=${FLY_MAVEN_CENTRAL_CACHE:-/var/cache/fly-registry/maven-central}

if ! command -v mvn >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Maven (mvn) is missing: install it with your package manager" >&2
    exit 1
  fi
  echo "Installing Maven"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null
fi

# The marker is written last: an interrupted warm-up runs again.
if [ -f "$CACHE/.warmed-v1" ] && [ -d "$CACHE/org/apache/maven/plugins" ]; then
  exit 0
fi
mkdir -p "$CACHE"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/main/java/warm" "$work/src/test/java/warm"
cat >"$work/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>fly.warm</groupId>
  <artifactId>warm</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.source>17</maven.compiler.source>
    <maven.compiler.target>17</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
</project>
POM
echo 'package warm; public class Warm {}' >"$work/src/main/java/warm/Warm.java"
echo "Filling the Maven plugin cache in $CACHE from Maven Central"
mvn -B -q -f "$work/pom.xml" -Dmaven.repo.local="$CACHE" \
  -DaltDeploymentRepository="warm::default::file://$work/deployed" deploy
# The warm-up's own artifact is not a plugin: keep the cache to what came from Central.
rm -rf "$CACHE/fly"
touch "$CACHE/.warmed-v1"
