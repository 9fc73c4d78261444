#!/usr/bin/env bash
# Install actionlint (built from source with the local Go toolchain) into a
# version-keyed cache directory. Idempotent: exits at once when cached.
#
#   bash scripts/deps/actionlint.sh        # prints the binary path on stdout
#
# Cache: ${TASKFLOW_CACHE:-$HOME/.cache/taskflow}/actionlint-<ver>/actionlint
# Also installs shellcheck from Debian when it is absent (actionlint uses it
# for `run:` blocks, and tests/delivery lints scripts/**/*.sh with it).
set -euo pipefail

ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-1.7.12}"
CACHE_ROOT="${TASKFLOW_CACHE:-$HOME/.cache/taskflow}"
DEST_DIR="${CACHE_ROOT}/actionlint-${ACTIONLINT_VERSION}"
BIN="${DEST_DIR}/actionlint"

log() { printf '[actionlint.sh] %s\n' "$*" >&2; }

install_shellcheck() {
    if command -v shellcheck >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        log "shellcheck absent and cannot apt-get install it (not root or no apt); skipping"
        return 0
    fi
    log "installing shellcheck via apt"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends shellcheck >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1 || true
        apt-get install -y -qq --no-install-recommends shellcheck >/dev/null 2>&1 \
            || log "shellcheck install failed; continuing without it"
    fi
}

if [ -x "${BIN}" ]; then
    install_shellcheck
    printf '%s\n' "${BIN}"
    exit 0
fi

if ! command -v go >/dev/null 2>&1; then
    log "go toolchain not found on PATH; cannot build actionlint"
    exit 1
fi

mkdir -p "${DEST_DIR}"
tmp_bin="$(mktemp -d "${DEST_DIR}/.build.XXXXXX")"
trap 'rm -rf "${tmp_bin}"' EXIT

log "building actionlint v${ACTIONLINT_VERSION} with $(go version)"
GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:--buildvcs=false}" GOBIN="${tmp_bin}" \
    go install "github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION}"

# Move into place atomically so a concurrent or interrupted run never leaves
# a half-written binary at the cached path.
mv -f "${tmp_bin}/actionlint" "${BIN}.tmp"
mv -f "${BIN}.tmp" "${BIN}"
"${BIN}" -version >/dev/null

install_shellcheck
printf '%s\n' "${BIN}"
