#!/usr/bin/env bash
# Build the Pulumi CLI and the Kubernetes resource provider from Go modules, into a cache
# outside the repo.
#
#   bash scripts/deps/pulumi.sh              # prints the bin directory on stdout
#   bash scripts/deps/pulumi.sh --installed  # the same if built, else exit 1 (no build)
#
# Cache: ${TASKFLOW_CACHE:-$HOME/.cache/taskflow}/pulumi-<version>/bin/
#          pulumi  pulumi-resource-kubernetes
# Idempotent: exits at once when bin/ is complete (bin/ is moved into place last). Finished
# parts are kept in pulumi-<version>/.parts/, so a rerun after a failure rebuilds only what
# is missing. Logs (and build times) go to stderr and to pulumi-<version>/build.log.
#
# No Python language host is built: its Go module is not served by the proxy at any
# version, and the program runs through the Automation API with an inline program instead
# (python -m infra.deploy; docs/adr/0701-deploy-through-the-automation-api.md), where the
# CLI talks to a language runtime inside the Python process.
#
# Routes (what the Go module proxy serves here; every version below was checked):
# - CLI: package github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at v3.274.1 (pkg v3.272.0, the
#   PyPI `pulumi` of uv.lock, is not served). `go install` is refused (pkg's go.mod has
#   replace directives), so a throw-away wrapper module (scripts/deps/pulumi/cli.go.mod)
#   requires pkg and sdk and copies pkg's clipboard replace. The version is stamped with
#   -ldflags (the Python automation API reads it).
# - Kubernetes provider: github.com/pulumi/pulumi-kubernetes/provider/v4 is served only
#   as v4.0.0-20260115033456-f47bc2d6f199, the commit tagged v4.25.0 (v4.32.0's commit and
#   v4.34.2 are refused), so PyPI pulumi-kubernetes is pinned to 4.25.0 in pyproject.toml.
#   Its cmd/pulumi-resource-kubernetes embeds
#   schema-embed.json and terraform-mapping-embed.json, which `go generate` writes and the
#   module zip lacks; we generate them from schema.json / terraform-mapping.json (the
#   schema's version set, as upstream's generate.go does) and serve them with our own
#   main.go (scripts/deps/pulumi/kubernetes.main.go). The provider's `replace sdk/v4 =>
#   ../sdk` points into its repository; a served sdk/v4 old enough to keep the provider's
#   own pkg/sdk v3.215.0 stands in (v4.22.2; v4.29.0 pulls sdk v3.226.0, which pkg v3.215.0
#   does not compile against).
#
# Build times: see docs/adr/0701-deploy-through-the-automation-api.md.
set -euo pipefail

PULUMI_VERSION="3.274.1"
K8S_PROVIDER_MODULE="github.com/pulumi/pulumi-kubernetes/provider/v4"
K8S_PROVIDER_PSEUDO="v4.0.0-20260115033456-f47bc2d6f199"
K8S_PROVIDER_VERSION="4.25.0"
K8S_SDK_STAND_IN="v4.22.2"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
templates="${here}/pulumi"
# shellcheck source=scripts/deps/kube/gomod.sh
source "${here}/kube/gomod.sh"
cache_root="${TASKFLOW_CACHE:-${HOME}/.cache/taskflow}"
dest="${cache_root}/pulumi-${PULUMI_VERSION}"
bin="${dest}/bin"
parts="${dest}/.parts"
names=(pulumi pulumi-resource-kubernetes)

complete() {
  local n
  for n in "${names[@]}"; do [[ -x "${bin}/${n}" ]] || return 1; done
}

if complete; then
  echo "${bin}"
  exit 0
fi
# --installed: only say whether it is built (exit 1 when not); never build.
[[ "${1:-}" != --installed ]] || exit 1

mkdir -p "${dest}"
log() { printf '[pulumi.sh] %s\n' "$*" | tee -a "${dest}/build.log" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "go toolchain not found on PATH; cannot build pulumi"
  exit 1
fi

# Serialise concurrent runs sharing a cache; re-check after taking the lock.
exec 9>"${cache_root}/.pulumi-${PULUMI_VERSION}.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if complete; then
  echo "${bin}"
  exit 0
fi

export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0
mkdir -p "${parts}"
work="$(mktemp -d "${cache_root}/.pulumi-build.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
total_start="$(date +%s)"
log "building pulumi v${PULUMI_VERSION} + kubernetes provider v${K8S_PROVIDER_VERSION} with $(go version)"

# --- CLI ---------------------------------------------------------------------------------
build_cli() {
  [[ -x "${parts}/pulumi" ]] && return 0
  local start w="${work}/pulumi"
  start="$(date +%s)"
  mkdir -p "${w}"
  sed "s/@PULUMI_VERSION@/${PULUMI_VERSION}/g" "${templates}/cli.go.mod" >"${w}/go.mod"
  cp "${templates}/tools.go" "${w}/tools.go"
  (
    cd "${w}"
    log "go mod tidy (CLI)"
    go mod tidy >&2
    log "go build pulumi ($(($(date +%s) - start))s so far)"
    nice -n 10 go build -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}" \
      -o "${w}/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  )
  "${w}/pulumi" version >/dev/null
  cp "${w}/go.mod" "${w}/go.sum" "${dest}/" 2>/dev/null || true
  mv -f "${w}/pulumi" "${parts}/pulumi"
  log "built CLI in $(($(date +%s) - start))s"
}

# --- Kubernetes provider -----------------------------------------------------------------
build_kubernetes() {
  if [[ -x "${parts}/pulumi-resource-kubernetes" ]]; then
    return 0
  fi
  local start info pdir pmod go_version replaces w="${work}/kubernetes"
  start="$(date +%s)"
  info="$(go mod download -json "${K8S_PROVIDER_MODULE}@${K8S_PROVIDER_PSEUDO}")" || {
    log "go mod download ${K8S_PROVIDER_MODULE}@${K8S_PROVIDER_PSEUDO} failed"
    return 1
  }
  pdir="$(gomod_field Dir "${info}")"
  pmod="$(gomod_field GoMod "${info}")"
  go_version="$(gomod_go_version "${pmod}")"
  # The provider's replace directives, minus the ones pointing into its own repository.
  replaces="$(gomod_replaces "${pmod}" | grep -v '=> *\.' || true)"
  mkdir -p "${w}"
  cat >"${w}/go.mod" <<MOD
module taskflow.local/pulumi-resource-kubernetes

go ${go_version}

require ${K8S_PROVIDER_MODULE} ${K8S_PROVIDER_PSEUDO}

replace github.com/pulumi/pulumi-kubernetes/sdk/v4 => github.com/pulumi/pulumi-kubernetes/sdk/v4 ${K8S_SDK_STAND_IN}

${replaces}
MOD
  cp "${templates}/kubernetes.main.go" "${w}/main.go"
  cp "${templates}/kubernetes.gen.go" "${w}/gen.go"
  (
    cd "${w}"
    log "generating the provider's embed files"
    # generate.go's job: the schema with its version set, both files re-serialised.
    VERSION="${K8S_PROVIDER_VERSION}" go run ./gen.go \
      "${pdir}/cmd/pulumi-resource-kubernetes/schema.json" \
      "${pdir}/cmd/pulumi-resource-kubernetes/terraform-mapping.json" >&2
    rm -f gen.go
    go mod tidy >&2
    log "go build pulumi-resource-kubernetes"
    nice -n 10 go build -trimpath \
      -ldflags "-s -w -X ${K8S_PROVIDER_MODULE}/pkg/version.Version=${K8S_PROVIDER_VERSION}" \
      -o "${w}/pulumi-resource-kubernetes" . >&2
  )
  mkdir -p "${dest}/kubernetes"
  cp "${w}/go.mod" "${w}/go.sum" "${dest}/kubernetes/" 2>/dev/null || true
  mv -f "${w}/pulumi-resource-kubernetes" "${parts}/pulumi-resource-kubernetes"
  log "built kubernetes provider in $(($(date +%s) - start))s"
}

build_cli
build_kubernetes

# Everything is built: assemble bin/ aside and move it into place last.
rm -rf "${dest}/bin.tmp"
mkdir -p "${dest}/bin.tmp"
for n in "${names[@]}"; do cp "${parts}/${n}" "${dest}/bin.tmp/${n}"; done
rm -rf "${bin}"
mv "${dest}/bin.tmp" "${bin}"
rm -rf "${parts}"
log "complete in $(($(date +%s) - total_start))s: ${bin}"
echo "${bin}"
