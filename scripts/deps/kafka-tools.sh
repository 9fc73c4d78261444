#!/usr/bin/env bash
# Fetch kafka-tools (the broker's own command-line tools, e.g. EndToEndLatency) from Maven
# Central, at the version of scripts/deps/kafka.version. The benchmark runs it on the broker's
# classpath (scripts/deps/kafka.sh) to measure the broker's end-to-end latency floor.
#
#   bash scripts/deps/kafka-tools.sh   # prints the jar, e.g. ~/.cache/taskflow/kafka-tools-4.4.0/kafka-tools-4.4.0.jar
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(tr -d '[:space:]' <"${here}/kafka.version")"
dest="${TASKFLOW_CACHE:-${HOME}/.cache/taskflow}/kafka-tools-${version}"
jar="${dest}/kafka-tools-${version}.jar"

if [[ ! -f "${jar}" ]]; then
  mkdir -p "${dest}"
  work="$(mktemp -d "${dest}/.fetch.XXXXXX")"
  trap 'rm -rf "${work}"' EXIT
  (cd "${work}" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    "-Dartifact=org.apache.kafka:kafka-tools:${version}" -DoutputDirectory="${work}" >"${work}/mvn.log" 2>&1) || {
    cat "${work}/mvn.log" >&2
    echo "kafka-tools.sh: maven failed fetching kafka-tools:${version}" >&2
    exit 1
  }
  mv "${work}/kafka-tools-${version}.jar" "${jar}"
fi
echo "${jar}"
