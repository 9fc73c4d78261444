#!/usr/bin/env bash
# Tear down the minikube stack and, with --delete, the Minikube profile. Safe to run twice.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROFILE="${MINIKUBE_PROFILE:-minikube}"
STACK="minikube"
STATE_DIR="${TASKFLOW_STATE_DIR:-$HOME/.cache/taskflow/pulumi-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-taskflow-local}"

cd "$ROOT"
log() { printf '==> %s\n' "$*"; }

if [ -d "$STATE_DIR" ]; then
  pulumi login "file://$STATE_DIR" >/dev/null
  if pulumi stack select "$STACK" >/dev/null 2>&1; then
    if minikube status --profile "$PROFILE" >/dev/null 2>&1; then
      log "pulumi destroy --stack $STACK"
      pulumi destroy --stack "$STACK" --yes --skip-preview
    else
      # Without a cluster there is nothing to delete; forget the resources instead.
      log "cluster gone; removing the stack's state"
      pulumi stack rm "$STACK" --yes --force
    fi
  else
    log "no $STACK stack; nothing to destroy"
  fi
fi

if [ "${1:-}" = "--delete" ] && minikube status --profile "$PROFILE" >/dev/null 2>&1; then
  log "deleting minikube profile $PROFILE"
  minikube delete --profile "$PROFILE"
fi
log "done"
