#!/usr/bin/env bash
# Ensure Debian's Chromium (/usr/bin/chromium) is installed: the browser tests in tests/web/
# drive it through Playwright's Python client. Playwright's own browser download is never used.
# Idempotent: does nothing when chromium is already there; apt-get update only when needed.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
# shellcheck source=scripts/lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt.sh"
apt_install chromium.sh chromium
/usr/bin/chromium --version
