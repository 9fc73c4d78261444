#!/usr/bin/env bash
# Build the Pulumi CLI, its Python language host and the Kubernetes resource provider from
# Go modules, into a cache outside the repo.
#
#   bash scripts/deps/pulumi.sh        # prints the bin directory on stdout
#
# Cache: ${TASKFLOW_CACHE:-$HOME/.cache/taskflow}/pulumi-<version>/bin/
#          pulumi  pulumi-language-python  pulumi-language-python-exec
#          pulumi-resource-kubernetes
# Idempotent: exits at once when bin/ is complete (bin/ is moved into place last). Finished
# parts are kept in pulumi-<version>/.parts/, so a rerun after a failure rebuilds only what
# is missing. Logs (and build times) go to stderr and to pulumi-<version>/build.log.
#
# Routes (what the Go module proxy serves here; every version below was checked):
# - CLI: package github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at v3.274.1 (pkg v3.272.0, the
#   PyPI `pulumi` of uv.lock, is not served). `go install` is refused (pkg's go.mod has
#   replace directives), so a throw-away wrapper module (scripts/deps/pulumi/cli.go.mod)
#   requires pkg and sdk and copies pkg's clipboard replace. The version is stamped with
#   -ldflags (the Python automation API reads it).
# - Python language host: its module (github.com/pulumi/pulumi/sdk/python/cmd/
#   pulumi-language-python/v3) is not served by the proxy at any version, so its single
#   non-test source file, main.go, is taken from a git clone of the pulumi repository
#   (PULUMI_GIT_DIR, default: the mirror at /work/.mirror/pulumi+pulumi/repo) at a pinned
#   commit and compiled inside the same wrapper module, against pkg/sdk v3.274.1.
#   pulumi-language-python-exec is a Python script shipped in the sdk module
#   (python/cmd/); it is copied next to the host binary, where the host looks for it.
# - Kubernetes provider: github.com/pulumi/pulumi-kubernetes/provider/v4 is served only
#   as v4.0.0-20260115033456-f47bc2d6f199, the commit tagged v4.25.0 (v4.34.2, the PyPI
#   pulumi-kubernetes of uv.lock, is not). Its cmd/pulumi-resource-kubernetes embeds
#   schema-embed.json and terraform-mapping-embed.json, which `go generate` writes and the
#   module zip lacks; we generate them from schema.json / terraform-mapping.json (the
#   schema's version set, as upstream's generate.go does) and serve them with our own
#   main.go (scripts/deps/pulumi/kubernetes.main.go). The provider's `replace sdk/v4 =>
#   ../sdk` points into its repository; a served sdk/v4 old enough to keep the provider's
#   own pkg/sdk v3.215.0 stands in (v4.22.2; v4.29.0 pulls sdk v3.226.0, which pkg v3.215.0
#   does not compile against).
#
# Cold build times here (2 shared cores, empty module cache): CLI + language host 606 s
# (module download + tidy about 60 s of it), Kubernetes provider about 8-14 min (479 s with
# part of its dependencies already compiled). Sizes: pulumi 117 MiB, pulumi-language-python
# 35 MiB, pulumi-resource-kubernetes 155 MiB (stripped).
set -euo pipefail

PULUMI_VERSION="3.274.1"
# Commit of github.com/pulumi/pulumi whose sdk/python/cmd/pulumi-language-python/main.go
# is built (the newest one in the mirror; it compiles against pkg/sdk v3.274.1).
LANGUAGE_PYTHON_COMMIT="1b5949891b3cefcb9974752b24a5ecef0acc86c8"
K8S_PROVIDER_MODULE="github.com/pulumi/pulumi-kubernetes/provider/v4"
K8S_PROVIDER_PSEUDO="v4.0.0-20260115033456-f47bc2d6f199"
K8S_PROVIDER_VERSION="4.25.0"
K8S_SDK_STAND_IN="v4.22.2"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
templates="${here}/pulumi"
cache_root="${TASKFLOW_CACHE:-${HOME}/.cache/taskflow}"
dest="${cache_root}/pulumi-${PULUMI_VERSION}"
bin="${dest}/bin"
parts="${dest}/.parts"
names=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-kubernetes)

complete() {
  local n
  for n in "${names[@]}"; do [[ -x "${bin}/${n}" ]] || return 1; done
}

if complete; then
  echo "${bin}"
  exit 0
fi

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

mod_field() { # mod_field FIELD <json>: a string field of `go mod download -json`
  sed -n "s/^[[:space:]]*\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" <<<"$2"
}

# --- CLI and Python language host: one wrapper module, one shared build cache ----------
build_pulumi_and_host() {
  if [[ -x "${parts}/pulumi" && -x "${parts}/pulumi-language-python" \
    && -x "${parts}/pulumi-language-python-exec" ]]; then
    return 0
  fi
  local git_dir="${PULUMI_GIT_DIR:-/work/.mirror/pulumi+pulumi/repo}" start sdk_info sdk_dir
  if ! git --git-dir="${git_dir}" cat-file -e \
    "${LANGUAGE_PYTHON_COMMIT}:sdk/python/cmd/pulumi-language-python/main.go" 2>/dev/null; then
    log "no pulumi git repository with commit ${LANGUAGE_PYTHON_COMMIT} at ${git_dir}"
    log "(the language host's Go module is not served by the proxy; set PULUMI_GIT_DIR)"
    return 1
  fi
  start="$(date +%s)"
  local w="${work}/pulumi"
  mkdir -p "${w}/langhost"
  sed "s/@PULUMI_VERSION@/${PULUMI_VERSION}/g" "${templates}/cli.go.mod" >"${w}/go.mod"
  cp "${templates}/tools.go" "${w}/tools.go"
  git --git-dir="${git_dir}" show \
    "${LANGUAGE_PYTHON_COMMIT}:sdk/python/cmd/pulumi-language-python/main.go" \
    >"${w}/langhost/main.go"
  local ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}"
  (
    cd "${w}"
    log "go mod tidy (CLI + language host)"
    go mod tidy >&2
    log "go build pulumi"
    nice -n 10 go build -trimpath -ldflags "${ldflags}" -o "${w}/pulumi" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
    log "go build pulumi-language-python ($(($(date +%s) - start))s so far)"
    nice -n 10 go build -trimpath -ldflags "${ldflags}" -o "${w}/pulumi-language-python" \
      ./langhost >&2
  )
  sdk_info="$(go mod download -json "github.com/pulumi/pulumi/sdk/v3@v${PULUMI_VERSION}")"
  sdk_dir="$(mod_field Dir "${sdk_info}")"
  install -m 0755 "${sdk_dir}/python/cmd/pulumi-language-python-exec" \
    "${w}/pulumi-language-python-exec"
  "${w}/pulumi" version >/dev/null
  cp "${w}/go.mod" "${w}/go.sum" "${dest}/" 2>/dev/null || true
  local n
  for n in pulumi pulumi-language-python-exec pulumi-language-python; do
    mv -f "${w}/${n}" "${parts}/${n}"
  done
  log "built CLI + language host in $(($(date +%s) - start))s"
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
  pdir="$(mod_field Dir "${info}")"
  pmod="$(mod_field GoMod "${info}")"
  go_version="$(awk '$1 == "go" { print $2; exit }' "${pmod}")"
  # The provider's replace directives, minus the ones pointing into its own repository.
  replaces="$(awk '
    /^replace[[:space:]]*\(/ { inblock = 1; next }
    inblock && /^\)/ { inblock = 0; next }
    inblock { sub(/\/\/.*/, ""); if ($0 ~ /=>/) print "replace " $0; next }
    /^replace[[:space:]]/ { sub(/\/\/.*/, ""); print }
  ' "${pmod}" | grep -v '=> *\.' || true)"
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

build_pulumi_and_host
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
