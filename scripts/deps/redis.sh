#!/usr/bin/env bash
# Ensure redis-server is installed from Debian's packages (for the Dapr pubsub.redis and
# state.redis tests, which start their own throw-away server on a random loopback port).
# Prints nothing on stdout; idempotent.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
# shellcheck source=scripts/lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt.sh"
apt_install redis.sh redis-server
# Debian's package may start a system instance on 6379; the tests use their own.
service redis-server stop >/dev/null 2>&1 || true
