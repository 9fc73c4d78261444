# shellcheck shell=bash
# Sourced by scripts/deps/*: installs Debian packages, refreshing the index only when needed.
apt_install() {
  local who="$1"
  shift
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "${who}: missing; run as root or: apt-get install $*" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "$@" >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null
    apt-get install -y -qq "$@" >/dev/null
  }
}
