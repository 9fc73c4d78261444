#!/usr/bin/env bash
# Ensure Debian's Chromium (/usr/bin/chromium) is installed: the browser tests in tests/web/
# drive it through Playwright's Python client. Playwright's own browser download is never used.
# Idempotent: does nothing when chromium is already there; apt-get update only when needed.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "chromium.sh: /usr/bin/chromium is missing; run as root or: apt-get install chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq chromium >/dev/null 2>&1 || {
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
}
/usr/bin/chromium --version
