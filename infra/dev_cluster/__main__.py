"""`up` of one stack onto the local dev cluster; what `scripts/dev-cluster deploy` runs.

    python -m infra.dev_cluster STACK --work-dir DIR --backend file:///abs/dir

The kubeconfig comes from KUBECONFIG (context taskflow-dev), the passphrase from
PULUMI_CONFIG_PASSPHRASE, the local secrets from TASKFLOW_JWT_SECRET,
TASKFLOW_POSTGRES_PASSWORD (minikube) and TASKFLOW_DATABASE_URL (cloud stacks: a URL of a
database that need not exist, as nothing on the fake nodes connects). Helm charts come
from stand-in repositories (infra.dev_cluster.charts); the policy pack runs in the `up`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from pulumi import automation as auto

from infra.deploy import Request, execute
from infra.deploy.workspace import ROOT
from infra.dev_cluster.charts import stand_in_charts

CONTEXT = "taskflow-dev"
SECRET_ENV = {
    "jwtSecret": "TASKFLOW_JWT_SECRET",
    "postgresPassword": "TASKFLOW_POSTGRES_PASSWORD",
    "databaseUrl": "TASKFLOW_DATABASE_URL",
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.dev_cluster")
    parser.add_argument("stack")
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--summary-json", type=Path)
    args = parser.parse_args()
    secrets = {key: os.environ[var] for key, var in SECRET_ENV.items() if var in os.environ}
    with (
        tempfile.TemporaryDirectory(prefix="taskflow-charts-") as tmp,
        stand_in_charts(Path(tmp)) as charts,
    ):
        request = Request(
            operation="up",
            stack=args.stack,
            work_dir=args.work_dir.resolve(),
            backend=args.backend,
            secrets=secrets,
            policy_packs=[ROOT / "policies"],
            onto_context=CONTEXT,
            env=charts.env(),
            on_output=lambda line: print(line, end="", flush=True),
        )
        try:
            outcome = execute(request)
        except auto.CommandError as error:
            print(error, file=sys.stderr)
            return 1
    print(f"changes: {dict(outcome.changes)}")
    if args.summary_json is not None:
        args.summary_json.write_text(outcome.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
