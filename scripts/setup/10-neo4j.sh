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
mvn -B -q -f scripts/neo4j/pom.xml dependency:resolve -o >/dev/null 2>&1 || mvn -B -q -f scripts/neo4j/pom.xml dependency:resolve
echo "neo4j artifacts: ready"
