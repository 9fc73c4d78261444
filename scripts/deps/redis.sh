#!/usr/bin/env bash
# Ensure redis-server is installed from Debian's packages (for the Dapr pubsub.redis and
# state.redis tests, which start their own throw-away server on a random loopback port).
# Prints nothing on stdout; idempotent.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "redis.sh: redis-server is missing; run as root or: apt-get install redis-server" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 || {
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
}
# Debian's package may start a system instance on 6379; the tests use their own.
service redis-server stop >/dev/null 2>&1 || true
