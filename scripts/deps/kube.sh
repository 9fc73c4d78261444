#!/usr/bin/env bash
# Build the binaries of a local Kubernetes control plane from Go modules, into a cache
# outside the repo: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and
# kwok (fake nodes whose pods become Running/Ready without a container runtime), plus kwok's
# own stage definitions (bin/kwok-stages/*.yaml, from its module) that make it do so.
#
#   bash scripts/deps/kube.sh              # prints the bin directory on stdout
#   bash scripts/deps/kube.sh --installed  # the same if built, else exit 1 (no build)
#
# Cache: ${TASKFLOW_CACHE:-$HOME/.cache/taskflow}/kube-<kubernetes version>/bin/
# Idempotent: exits at once when bin/ holds every binary of the pinned versions (bin/ is
# moved into place last; bin/VERSIONS names them). Finished parts wait in .parts/, so a
# rerun after a failure rebuilds only what is missing. Logs and build times go to stderr
# and to kube-<version>/build.log.
#
# Routes (all through the go command and the Go module proxy; nothing else is fetched):
# - etcd: go.etcd.io/etcd/server/v3. Its go.mod replaces its sibling modules by relative
#   paths, so `go install` is refused; a wrapper module with a main that calls
#   etcdmain.Main (scripts/deps/kube/etcd.main.go) resolves the siblings at their served
#   versions instead.
# - kube-apiserver, kube-controller-manager, kube-scheduler, kubectl: k8s.io/kubernetes, whose
#   go.mod points each staging module (k8s.io/api, k8s.io/apiserver, ...) at ./staging.
#   The wrapper requires k8s.io/kubernetes and replaces every staging module with its
#   published twin k8s.io/<name> v0.<minor>.<patch>. The version is stamped with -ldflags
#   as upstream's hack/lib/version.sh does; without it the server reports v0.0.0-master
#   and charts with a kubeVersion constraint refuse it.
# - kwok: sigs.k8s.io/kwok/cmd/kwok (no replaces; `go install` would do) is built in the same
#   wrapper module as Kubernetes: kwok v0.8.0 requires the k8s.io/* v0.36.1 libraries that
#   Kubernetes 1.36.1 publishes, so one module graph compiles them once, not twice (on two
#   shared cores that halves the cold build). Run standalone (not through kwokctl), kwok needs its Stages in --config: the "fast"
#   node, pod and volume stages of its module's kustomize/stage/ are copied beside it.
set -euo pipefail

KUBE_VERSION="1.36.1"
ETCD_VERSION="3.6.16"
KWOK_VERSION="0.8.0"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/deps/kube/gomod.sh
source "${here}/kube/gomod.sh"
cache_root="${TASKFLOW_CACHE:-${HOME}/.cache/taskflow}"
dest="${cache_root}/kube-${KUBE_VERSION}"
bin="${dest}/bin"
parts="${dest}/.parts"
names=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)
stamp="kubernetes ${KUBE_VERSION} etcd ${ETCD_VERSION} kwok ${KWOK_VERSION}"

complete() {
  local n
  for n in "${names[@]}"; do [[ -x "${bin}/${n}" ]] || return 1; done
  [[ -d "${bin}/kwok-stages" ]] || return 1
  [[ "$(cat "${bin}/VERSIONS" 2>/dev/null)" == "${stamp}" ]]
}

if complete; then
  echo "${bin}"
  exit 0
fi
# --installed: only say whether it is built (exit 1 when not); never build.
[[ "${1:-}" != --installed ]] || exit 1

mkdir -p "${dest}"
log() { printf '[kube.sh] %s\n' "$*" | tee -a "${dest}/build.log" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "go toolchain not found on PATH; cannot build the Kubernetes binaries"
  exit 1
fi

# Serialise concurrent runs sharing a cache; re-check after taking the lock.
exec 9>"${cache_root}/.kube-${KUBE_VERSION}.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if complete; then
  echo "${bin}"
  exit 0
fi

export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0
# A stale part (other pinned version) is rebuilt: the parts directory is keyed by stamp.
if [[ "$(cat "${parts}/VERSIONS" 2>/dev/null)" != "${stamp}" ]]; then
  rm -rf "${parts}"
  mkdir -p "${parts}"
  echo "${stamp}" >"${parts}/VERSIONS"
  # A bin/ of the same versions that lacks a newer part: keep what it has.
  if [[ "$(cat "${bin}/VERSIONS" 2>/dev/null)" == "${stamp}" ]]; then
    cp -r "${bin}/." "${parts}/"
  fi
fi
work="$(mktemp -d "${cache_root}/.kube-build.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
total_start="$(date +%s)"
log "building ${stamp} with $(go version)"

build_etcd() {
  [[ -x "${parts}/etcd" ]] && return 0
  local start w="${work}/etcd"
  start="$(date +%s)"
  mkdir -p "${w}"
  cat >"${w}/go.mod" <<MOD
module taskflow.local/etcd

go 1.24

require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}
MOD
  cp "${here}/kube/etcd.main.go" "${w}/main.go"
  (
    cd "${w}"
    go mod tidy >&2
    nice -n 10 go build -trimpath -ldflags "-s -w" -o "${w}/etcd" . >&2
  )
  "${w}/etcd" --version >&2
  mv -f "${w}/etcd" "${parts}/etcd"
  log "built etcd v${ETCD_VERSION} in $(($(date +%s) - start))s"
}

copy_kwok_stages() {
  [[ -d "${parts}/kwok-stages" ]] && return 0
  local kdir f
  kdir="$(gomod_field Dir "$(go mod download -json "sigs.k8s.io/kwok@v${KWOK_VERSION}")")"
  mkdir -p "${work}/kwok-stages"
  for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
    pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete \
    volume/fast/storage-class volume/fast/pv-bind volume/fast/pv-delete \
    volume/fast/pvc-provision volume/fast/pvc-delete; do
    cp "${kdir}/kustomize/stage/${f}.yaml" "${work}/kwok-stages/${f##*/}.yaml"
  done
  mv "${work}/kwok-stages" "${parts}/kwok-stages"
}

build_kubernetes() {
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubectl) c missing=0
  for c in "${cmds[@]}" kwok; do [[ -x "${parts}/${c}" ]] || missing=1; done
  [[ "${missing}" == 0 ]] && return 0
  local start info kmod commit minor w="${work}/kubernetes"
  start="$(date +%s)"
  info="$(go mod download -json "k8s.io/kubernetes@v${KUBE_VERSION}")" || {
    log "go mod download k8s.io/kubernetes@v${KUBE_VERSION} failed"
    return 1
  }
  kmod="$(gomod_field GoMod "${info}")"
  commit="$(gomod_field Hash "${info}")"
  minor="${KUBE_VERSION#*.}"
  minor="${minor%%.*}"
  mkdir -p "${w}"
  {
    printf 'module taskflow.local/kubernetes\n\ngo %s\n\n' "$(gomod_go_version "${kmod}")"
    printf 'require (\n\tk8s.io/kubernetes v%s\n\tsigs.k8s.io/kwok v%s\n)\n\n' \
      "${KUBE_VERSION}" "${KWOK_VERSION}"
    for c in "${cmds[@]}"; do printf 'tool k8s.io/kubernetes/cmd/%s\n' "${c}"; done
    printf 'tool sigs.k8s.io/kwok/cmd/kwok\n' 
    printf '\n'
    # Each `k8s.io/<name> => ./staging/src/k8s.io/<name>` becomes the published module.
    gomod_replaces "${kmod}" | awk -v v="v0.${KUBE_VERSION#*.}" '
      $4 ~ /^\.\/staging\/src\// { print "replace " $2 " => " $2 " " v; next }
      $4 !~ /^\./ { print }
    '
  } >"${w}/go.mod"
  log "wrapper go.mod: $(grep -c '^replace' "${w}/go.mod") replaces"
  local pkg="k8s.io/component-base/version" cgo="k8s.io/client-go/pkg/version" ld="-s -w" p
  for p in "${pkg}" "${cgo}"; do
    ld+=" -X ${p}.gitVersion=v${KUBE_VERSION} -X ${p}.gitMajor=1 -X ${p}.gitMinor=${minor}"
    ld+=" -X ${p}.gitCommit=${commit} -X ${p}.gitTreeState=clean"
    ld+=" -X ${p}.buildDate=1970-01-01T00:00:00Z"
  done
  (
    cd "${w}"
    log "go mod tidy (kubernetes)"
    go mod tidy >&2
    mkdir -p out
    for c in "${cmds[@]}"; do
      log "go build ${c} ($(($(date +%s) - start))s so far)"
      nice -n 10 go build -trimpath -ldflags "${ld}" -o "out/${c}" "k8s.io/kubernetes/cmd/${c}" >&2
    done
    log "go build kwok ($(($(date +%s) - start))s so far)"
    nice -n 10 go build -trimpath -ldflags "-s -w" -o out/kwok sigs.k8s.io/kwok/cmd/kwok >&2
  )
  "${w}/out/kube-apiserver" --version >&2
  for c in "${cmds[@]}" kwok; do mv -f "${w}/out/${c}" "${parts}/${c}"; done
  log "built ${cmds[*]} v${KUBE_VERSION} and kwok v${KWOK_VERSION} in $(($(date +%s) - start))s"
}

build_etcd
copy_kwok_stages
build_kubernetes

rm -rf "${dest}/bin.tmp"
mkdir -p "${dest}/bin.tmp"
for n in "${names[@]}"; do cp "${parts}/${n}" "${dest}/bin.tmp/${n}"; done
cp -r "${parts}/kwok-stages" "${dest}/bin.tmp/kwok-stages"
echo "${stamp}" >"${dest}/bin.tmp/VERSIONS"
rm -rf "${bin}"
mv "${dest}/bin.tmp" "${bin}"
rm -rf "${parts}"
log "complete in $(($(date +%s) - total_start))s: ${bin}"
echo "${bin}"
