"""A deliberately bad program run through the same route as the real one (infra.deploy):
a privileged container without limits on an unpinned image, in a pod on the host's network,
PID namespace and root filesystem, with a host port and SYS_ADMIN (the workload issue 12
found passing with 0 violations). Its `preview` and its `up` must fail in the policy pack,
before anything reaches the cluster.

    python -m tests.infra.bad_program {preview,up} --work-dir DIR --backend URL
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
                    "hostNetwork": True,
                    "hostPID": True,
                    "volumes": [{"name": "host", "hostPath": {"path": "/"}}],
                    "containers": [
                        {
                            "name": NAME,
                            "image": "nginx:latest",
                            "ports": [{"containerPort": 80, "hostPort": 80}],
                            "volumeMounts": [{"name": "host", "mountPath": "/host"}],
                            "securityContext": {
                                "privileged": True,
                                "capabilities": {"add": ["SYS_ADMIN"]},
                            },
                        }
                    ],
                },
            },
        },
        opts=pulumi.ResourceOptions(provider=provider),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("operation", choices=("preview", "up"))
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--backend", required=True)
    args = parser.parse_args()
    request = Request(
        operation=args.operation,
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
