#!/usr/bin/env bash
# Install promtool from Debian's `prometheus` package into a version-keyed
# cache directory. Idempotent: exits at once when cached.
#
#   bash scripts/deps/promtool.sh          # prints the binary path on stdout
#
# Cache: ${TASKFLOW_CACHE:-$HOME/.cache/taskflow}/promtool-<ver>/promtool
# <ver> is PROMTOOL_VERSION, the upstream version Debian ships (bookworm:
# 2.42.0). The exact Debian version installed is recorded in `VERSION` beside
# the binary; a mismatch with PROMTOOL_VERSION is reported, not fatal.
set -euo pipefail

PROMTOOL_VERSION="${PROMTOOL_VERSION:-2.42.0}"
CACHE_ROOT="${TASKFLOW_CACHE:-$HOME/.cache/taskflow}"
DEST_DIR="${CACHE_ROOT}/promtool-${PROMTOOL_VERSION}"
BIN="${DEST_DIR}/promtool"

log() { printf '[promtool.sh] %s\n' "$*" >&2; }

if [ -x "${BIN}" ]; then
    printf '%s\n' "${BIN}"
    exit 0
fi

for tool in apt-get dpkg-deb; do
    if ! command -v "${tool}" >/dev/null 2>&1; then
        log "${tool} not found; promtool comes from Debian's prometheus package"
        exit 1
    fi
done

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

download() {
    (cd "${work}" && apt-get download -qq prometheus >/dev/null 2>&1)
}

if ! download; then
    log "apt-get download failed; running apt-get update once and retrying"
    apt-get update -qq >/dev/null 2>&1 || log "apt-get update failed"
    download || { log "could not download Debian's prometheus package"; exit 1; }
fi

deb="$(find "${work}" -maxdepth 1 -name 'prometheus_*.deb' -print -quit)"
dpkg-deb -x "${deb}" "${work}/root"
mkdir -p "${DEST_DIR}"
cp "${work}/root/usr/bin/promtool" "${BIN}.tmp"
chmod 0755 "${BIN}.tmp"
mv -f "${BIN}.tmp" "${BIN}"
deb_version="$(dpkg-deb -f "${deb}" Version)"
printf '%s\n' "${deb_version}" >"${DEST_DIR}/VERSION"
case "${deb_version}" in
    "${PROMTOOL_VERSION}"*) ;;
    *) log "note: apt served prometheus ${deb_version}, cache key is ${PROMTOOL_VERSION}" ;;
esac
"${BIN}" --version >/dev/null 2>&1
log "promtool ${deb_version} installed"
printf '%s\n' "${BIN}"
