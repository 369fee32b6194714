#!/usr/bin/env bash
# Java, Maven and the Neo4j Community artifacts (into the local Maven repository, so starts need no network).
set -euo pipefail
cd "$(dirname "$0")/../.."
pkgs=()
command -v java >/dev/null 2>&1 || pkgs+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
if ((${#pkgs[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"
fi
# Maven takes 20-30 s to confirm an offline repository; a marker keyed by the pom's hash skips that when
# the artifacts it resolved are still in the local repository.
marker="${HOME}/.cache/reachgraph/neo4j-artifacts-$(sha256sum scripts/neo4j/pom.xml | cut -c1-16)"
version=$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' scripts/neo4j/pom.xml)
if [ -f "${marker}" ] && [ -d "${HOME}/.m2/repository/org/neo4j/neo4j/${version}" ]; then
  echo "neo4j artifacts: cached (${version})"
  exit 0
fi
mvn -B -q -f scripts/neo4j/pom.xml dependency:resolve -o >/dev/null 2>&1 || mvn -B -q -f scripts/neo4j/pom.xml dependency:resolve
mkdir -p "$(dirname "${marker}")" && touch "${marker}"
echo "neo4j artifacts: ready (${version})"
