#!/usr/bin/env bash
# Ensure a PostgreSQL server (initdb, pg_ctl) is installed from Debian's packages.
# The test suite starts its own throw-away cluster with these binaries.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "postgres.sh: PostgreSQL is missing; run as root or: apt-get install postgresql" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq postgresql >/dev/null 2>&1 || {
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
}
# Debian's package starts a system cluster; the tests use their own, so stop it.
service postgresql stop >/dev/null 2>&1 || true
