"""Run the Taskflow Pulumi program through the Automation API, with an inline program.

    python -m infra.deploy {preview,up,destroy,refresh} --stack STACK [options]

The CLI (`pulumi`, v3.274+) and the resource plugins must be on PATH; no Python language
host is needed: the program (infra.stack_program.run, the same function infra/__main__.py
calls for `pulumi up`) runs inside this process. See docs/adr/0701.

Options (stable: CI workflows call this):
  --stack STACK          stack name; Pulumi.<STACK>.yaml of the repo supplies its config
  --work-dir DIR         project directory the CLI works in (default: the repo root). Any
                         other directory gets a copy of Pulumi.yaml and the stack file, so
                         the repo's files stay untouched (salt and secrets are kept there)
  --backend URL          state backend, e.g. file:///abs/dir (default: the CLI's login or
                         PULUMI_BACKEND_URL)
  --config KEY=VALUE     plain config set on the stack first (KEY without a namespace
                         means taskflow:KEY); repeatable
  --secret-env KEY=VAR   secret config taken from environment variable VAR; repeatable
  --policy-pack DIR      run the Python policy pack in DIR (e.g. policies); repeatable
  --onto-context CTX     put the stack's Kubernetes objects into the existing kubeconfig
                         context CTX instead of the stack's own cluster (none is created);
                         for dev clusters and the tests
  --diff                 rich diff (preview, up)
  --expect-no-changes    fail if preview/up/refresh would change anything
  --yes                  required for up and destroy (they change the cluster)
  --summary-json PATH    write {"changes": {op: count}, "steps": [...], "violations":
                         [...], "outputs": {...}} to PATH

Exit status: 0 on success, 1 when the operation failed (the CLI's output says why, policy
violations included), 2 on a usage error. The passphrase of a passphrase-encrypted stack
comes from PULUMI_CONFIG_PASSPHRASE as with the CLI.
"""

from __future__ import annotations

from infra.deploy.runner import OPERATIONS, Operation, Outcome, Request, Step, execute

__all__ = ["OPERATIONS", "Operation", "Outcome", "Request", "Step", "execute"]
