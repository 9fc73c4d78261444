#!/usr/bin/env bash
# Build the Dapr sidecar (daprd) from the github.com/dapr/dapr Go module, with only the
# components Taskflow uses, into a cache outside the repo.
#
#   bash scripts/deps/daprd.sh        # prints the binary path on stdout
#
# Cache: ${TASKFLOW_CACHE:-$HOME/.cache/taskflow}/daprd-<version>/daprd
# Idempotent: exits at once when the binary is there (it is written last).
#
# `go install github.com/dapr/dapr/cmd/daprd@...` is refused (dapr's go.mod has replace
# directives) and upstream's main compiles every component behind build tags. So a
# throw-away wrapper module is assembled in a temp dir: scripts/deps/daprd/main.go (ours:
# the runtime plus the components we register) and a go.mod requiring dapr at the pinned
# version with dapr's own replace directives copied from its go.mod. MVS then resolves the
# dependency versions dapr itself was tested with. Logs go to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(tr -d '[:space:]' <"${here}/daprd.version")"
cache_root="${TASKFLOW_CACHE:-${HOME}/.cache/taskflow}"
dest="${cache_root}/daprd-${version}"
bin="${dest}/daprd"

if [[ -x "${bin}" ]]; then
  echo "${bin}"
  exit 0
fi

log() { printf '[daprd.sh] %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  log "go toolchain not found on PATH; cannot build daprd"
  exit 1
fi

mkdir -p "${cache_root}"
# Serialise concurrent runs sharing a cache; re-check after taking the lock.
exec 9>"${cache_root}/.daprd-${version}.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [[ -x "${bin}" ]]; then
  echo "${bin}"
  exit 0
fi

export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0
work="$(mktemp -d "${cache_root}/.daprd-build.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
start="$(date +%s)"

log "building daprd v${version} with $(go version)"
module="github.com/dapr/dapr@v${version}"
info="$(go mod download -json "${module}")" || {
  log "go mod download ${module} failed"
  exit 1
}
dapr_mod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p' <<<"${info}")"
commit="$(sed -n 's/^[[:space:]]*"Hash": "\(.*\)",\{0,1\}$/\1/p' <<<"${info}")"
[[ -f "${dapr_mod}" ]] || {
  log "no go.mod for ${module}"
  exit 1
}
go_version="$(awk '$1 == "go" { print $2; exit }' "${dapr_mod}")"

# Every replace directive of dapr's go.mod, in block or single-line form, comments dropped.
replaces="$(awk '
  /^replace[[:space:]]*\(/ { inblock = 1; next }
  inblock && /^\)/ { inblock = 0; next }
  inblock { sub(/\/\/.*/, ""); if ($0 ~ /=>/) print "replace " $0; next }
  /^replace[[:space:]]/ { sub(/\/\/.*/, ""); print }
' "${dapr_mod}" | sed 's/[[:space:]]\+/ /g; s/^ //; s/ $//')"
count="$(grep -c '=>' <<<"${replaces}" || true)"
log "copied ${count} replace directives from dapr's go.mod"

# dapr v1.18.3 pins github.com/dapr/durabletask-go v0.12.4, which the module proxy refuses
# ("403 This module version is not available", as are v0.12.2-v0.12.6 zips). Use the
# commit dapr v1.18.2 was released with; the 1.18 runtime compiles against it and
# Taskflow uses no workflows. Override with DAPRD_EXTRA_REPLACES (go.mod lines).
default_pins="replace github.com/dapr/durabletask-go => github.com/dapr/durabletask-go v0.12.2-0.20260720132056-79042da5fe61"
bumps="${DAPRD_EXTRA_REPLACES:-${default_pins}}"

cat >"${work}/go.mod" <<MOD
module taskflow.local/daprd

go ${go_version}

require github.com/dapr/dapr v${version}

${bumps}

${replaces}
MOD
cp "${here}/daprd/main.go" "${work}/main.go"

pkg="github.com/dapr/dapr/pkg/buildinfo"
ldflags="-s -w -X ${pkg}.version=${version} -X ${pkg}.gitversion=v${version} -X ${pkg}.gitcommit=${commit}"
(
  cd "${work}"
  nice -n 10 go build -trimpath -ldflags "${ldflags}" -o "${work}/daprd" . >&2
)

"${work}/daprd" --version >/dev/null || {
  log "built binary does not run"
  exit 1
}

mkdir -p "${dest}"
cp "${work}/go.mod" "${work}/go.sum" "${dest}/" 2>/dev/null || true
mv -f "${work}/daprd" "${bin}.tmp"
mv -f "${bin}.tmp" "${bin}"
log "built ${bin} in $(($(date +%s) - start))s"
echo "${bin}"
