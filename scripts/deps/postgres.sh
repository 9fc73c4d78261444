#!/usr/bin/env bash
# Ensure a PostgreSQL server (initdb, pg_ctl) is installed from Debian's packages.
# The test suite starts its own throw-away cluster with these binaries.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
# shellcheck source=scripts/lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt.sh"
apt_install postgres.sh postgresql
# Debian's package starts a system cluster; the tests use their own, so stop it.
service postgresql stop >/dev/null 2>&1 || true
