"""A deliberately bad program run through the same route as the real one (infra.deploy):
a privileged container without limits on an unpinned image. Its `up` must fail in the
policy pack, before anything reaches the cluster.

    python -m tests.infra.bad_program --work-dir DIR --backend URL
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pulumi
import pulumi_kubernetes as k8s
from pulumi import automation as auto

from infra.deploy import Request, execute
from infra.deploy.workspace import ROOT

NAME = "policy-bait"


def bad_program() -> None:
    provider = k8s.Provider("dev-cluster", context="taskflow-dev")
    labels = {"app": NAME}
    k8s.apps.v1.Deployment(
        NAME,
        metadata={"name": NAME, "namespace": "default", "labels": labels},
        spec={
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": NAME,
                            "image": "nginx:latest",
                            "securityContext": {"privileged": True},
                        }
                    ]
                },
            },
        },
        opts=pulumi.ResourceOptions(provider=provider),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--backend", required=True)
    args = parser.parse_args()
    request = Request(
        operation="up",
        stack="minikube",
        work_dir=args.work_dir,
        backend=args.backend,
        policy_packs=[ROOT / "policies"],
        program=bad_program,
        on_output=lambda line: print(line, end="" if line.endswith("\n") else "\n"),
    )
    try:
        execute(request)
    except auto.CommandError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
