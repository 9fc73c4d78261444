#!/usr/bin/env bash
# Start Minikube, build the images into its Docker, deploy the minikube stack, smoke test.
# Idempotent: every step checks or converges, so a second run only re-applies.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROFILE="${MINIKUBE_PROFILE:-minikube}"
MEMORY="${MINIKUBE_MEMORY:-8192}"
CPUS="${MINIKUBE_CPUS:-4}"
STACK="minikube"
HOST="taskflow.local"
REGISTRY="taskflow.local"
STATE_DIR="${TASKFLOW_STATE_DIR:-$HOME/.cache/taskflow/pulumi-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-taskflow-local}"

cd "$ROOT"
TAG="$(git rev-parse --short=12 HEAD)"

log() { printf '==> %s\n' "$*"; }

if ! minikube status --profile "$PROFILE" >/dev/null 2>&1; then
  log "starting minikube ($MEMORY MB, $CPUS CPUs, Calico so NetworkPolicies are enforced)"
  minikube start --profile "$PROFILE" --memory "$MEMORY" --cpus "$CPUS" --cni calico
else
  log "minikube already running"
fi
minikube addons enable metrics-server --profile "$PROFILE" >/dev/null

log "building images $REGISTRY/taskflow-{api,web}:$TAG inside minikube's Docker"
eval "$(minikube docker-env --profile "$PROFILE")"
docker build -q -f docker/Dockerfile --target api -t "$REGISTRY/taskflow-api:$TAG" .
docker build -q -f docker/Dockerfile --target web -t "$REGISTRY/taskflow-web:$TAG" .
eval "$(minikube docker-env --profile "$PROFILE" --unset)"

log "selecting the $STACK stack on a local file backend ($STATE_DIR)"
mkdir -p "$STATE_DIR"
pulumi login "file://$STATE_DIR" >/dev/null
pulumi stack select --create "$STACK" >/dev/null

# Generated once and kept in the stack's encrypted config, so re-runs keep the same values.
ensure_secret() {
  local key="$1"
  if ! pulumi config get "taskflow:$key" --stack "$STACK" >/dev/null 2>&1; then
    pulumi config set --secret "taskflow:$key" "$(openssl rand -hex 24)" --stack "$STACK"
  fi
}
ensure_secret jwtSecret
ensure_secret postgresPassword
pulumi config set "taskflow:imageTag" "$TAG" --stack "$STACK"
pulumi config set "taskflow:kubeContext" "$PROFILE" --stack "$STACK"

log "pulumi up --stack $STACK"
pulumi up --stack "$STACK" --yes --skip-preview

log "waiting for the app"
kubectl --context "$PROFILE" -n taskflow wait deployment --all --for=condition=Available --timeout=600s

IP="$(minikube ip --profile "$PROFILE")"
BASE="https://$HOST:30443"
CURL=(curl --silent --show-error --fail --insecure --resolve "$HOST:30443:$IP")
EMAIL="smoke-$(date +%s)@example.com"
json_field() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

log "smoke test through the ingress at $BASE"
SIGNUP="$("${CURL[@]}" -X POST "$BASE/api/auth/signup" -H 'content-type: application/json' \
  -d "{\"email\": \"$EMAIL\", \"name\": \"Smoke\", \"password\": \"smoke-test-pass\"}")"
TOKEN="$(json_field "['access_token']" <<<"$SIGNUP")"
USER_ID="$(json_field "['user']['id']" <<<"$SIGNUP")"
AUTH=(-H "authorization: Bearer $TOKEN")
TASK_ID="$("${CURL[@]}" "${AUTH[@]}" -X POST "$BASE/api/$USER_ID/tasks" \
  -H 'content-type: application/json' -d '{"title": "smoke test task"}' | json_field "['id']")"

# The audit consumer records the event asynchronously; poll until it shows up.
for _ in $(seq 1 30); do
  if "${CURL[@]}" "${AUTH[@]}" "$BASE/api/$USER_ID/activity" | grep -q "$TASK_ID"; then
    log "audit record found: Taskflow is up at $BASE (resolve $HOST to $IP)"
    exit 0
  fi
  sleep 2
done
echo "smoke test failed: no activity record for the created task" >&2
exit 1
