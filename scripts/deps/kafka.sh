#!/usr/bin/env bash
# Fetch the Apache Kafka broker (KRaft) jars from Maven Central into a cache outside the repo.
#
#   bash scripts/deps/kafka.sh        # prints the cache dir, e.g. ~/.cache/taskflow/kafka-4.4.0
#
# Layout: <cache>/kafka-<version>/{lib/*.jar, log4j2.properties, .complete}
# Idempotent: if the .complete marker exists it exits at once.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(tr -d '[:space:]' <"${here}/kafka.version")"
cache_root="${TASKFLOW_CACHE:-${HOME}/.cache/taskflow}"
dest="${cache_root}/kafka-${version}"
marker="${dest}/.complete"

if [[ -f "${marker}" ]]; then
  echo "${dest}"
  exit 0
fi

for tool in java mvn; do
  if ! command -v "${tool}" >/dev/null 2>&1; then
    echo "kafka.sh: '${tool}' not found (need Java 17+ and Maven)" >&2
    exit 1
  fi
done

mkdir -p "${cache_root}"
# Serialise concurrent runs (e.g. parallel CI jobs sharing a cache); re-check after the lock.
exec 9>"${cache_root}/.kafka-${version}.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [[ -f "${marker}" ]]; then
  echo "${dest}"
  exit 0
fi

work="$(mktemp -d "${cache_root}/.kafka-build.XXXXXX")"
trap 'rm -rf "${work}"' EXIT

plugin="org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies"

write_pom() { # $1 = extra <dependency> elements
  cat >"${work}/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>taskflow.deps</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${version}</version>
    </dependency>
$1
  </dependencies>
</project>
POM
}

copy_deps() {
  if ! (cd "${work}" && mvn -B -q "${plugin}" -DoutputDirectory=lib -DincludeScope=runtime \
    >"${work}/mvn.log" 2>&1); then
    cat "${work}/mvn.log" >&2
    echo "kafka.sh: maven failed resolving kafka_2.13:${version}" >&2
    exit 1
  fi
}

jar_version() { # $1 = artifact id; prints the version of lib/<id>-<version>.jar
  local f
  f="$(find "${work}/lib" -maxdepth 1 -name "$1-[0-9]*.jar" -print -quit)"
  [[ -n "${f}" ]] || return 1
  f="$(basename "${f}" .jar)"
  echo "${f#"$1"-}"
}

# Pass 1: the broker alone, to learn which log4j-api and slf4j-api it resolves.
write_pom ""
copy_deps
log4j_version="$(jar_version log4j-api)" || {
  echo "kafka.sh: kafka_2.13:${version} did not bring log4j-api" >&2
  exit 1
}
slf4j_version="$(jar_version slf4j-api)" || slf4j_version="2"
# slf4j 1.x binds through log4j-slf4j-impl, slf4j 2.x through log4j-slf4j2-impl.
if [[ "${slf4j_version}" == 1.* ]]; then binding="log4j-slf4j-impl"; else binding="log4j-slf4j2-impl"; fi

# Pass 2: add log4j-core and the slf4j binding at the resolved log4j-api version.
write_pom "    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>${log4j_version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>${binding}</artifactId>
      <version>${log4j_version}</version>
    </dependency>"
rm -rf "${work:?}/lib"
copy_deps

listing="$(unzip -l "${work}/lib/kafka_2.13-${version}.jar")"
for cls in kafka/Kafka.class kafka/tools/StorageTool.class; do
  if ! grep -q " ${cls}\$" <<<"${listing}"; then
    echo "kafka.sh: ${cls} missing from kafka_2.13-${version}.jar" >&2
    exit 1
  fi
done

# Broker logging: WARN and above to ${kafka.logs.dir}/server.log (a system property the
# test harness sets to the broker's data dir), nothing on stdout. Properties format: no
# extra parser jars needed.
cat >"${work}/log4j2.properties" <<'PROPS'
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:kafka.logs.dir:-.}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.file.ref = file
PROPS

rm -rf "${dest}"
mkdir -p "${dest}"
mv "${work}/lib" "${dest}/lib"
mv "${work}/log4j2.properties" "${dest}/log4j2.properties"
echo "kafka_2.13=${version} log4j=${log4j_version} binding=${binding}" >"${marker}"
echo "${dest}"
