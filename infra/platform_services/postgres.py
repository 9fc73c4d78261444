"""A single PostgreSQL for laptop clusters; cloud stacks use a managed database instead."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pulumi
import pulumi_kubernetes as k8s

from infra import versions

POSTGRES_NAMESPACE = "postgres"
DATABASE = "taskflow"
USER = "taskflow"
HOST = f"postgres.{POSTGRES_NAMESPACE}.svc.cluster.local"


@dataclass(frozen=True, kw_only=True)
class InClusterPostgresArgs:
    password: pulumi.Input[str]
    storage_size: str = "2Gi"
    # Protect the StatefulSet (its volume holds the data) from `pulumi destroy`.
    protect: bool = False


class InClusterPostgres(pulumi.ComponentResource):
    database_url: pulumi.Output[str]
    state_connection_string: pulumi.Output[str]

    def __init__(
        self, name: str, args: InClusterPostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:platform:InClusterPostgres", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        labels = {"app.kubernetes.io/name": "postgres"}
        namespace = k8s.core.v1.Namespace(
            f"{name}-ns", metadata={"name": POSTGRES_NAMESPACE}, opts=child
        )
        in_ns = pulumi.ResourceOptions(parent=self, depends_on=[namespace])
        secret = k8s.core.v1.Secret(
            f"{name}-secret",
            metadata={"name": "postgres", "namespace": POSTGRES_NAMESPACE},
            string_data={"POSTGRES_PASSWORD": pulumi.Output.secret(args.password)},
            opts=in_ns,
        )
        k8s.core.v1.Service(
            f"{name}-svc",
            metadata={"name": "postgres", "namespace": POSTGRES_NAMESPACE, "labels": labels},
            spec={"selector": labels, "ports": [{"name": "postgres", "port": 5432}]},
            opts=in_ns,
        )
        spec: k8s.apps.v1.StatefulSetSpecArgsDict = {
            "service_name": "postgres",
            "replicas": 1,
            "selector": {"match_labels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "security_context": {
                        "run_as_non_root": True,
                        # uid 70 is `postgres` in the Alpine image.
                        "run_as_user": 70,
                        "fs_group": 70,
                        "seccomp_profile": {"type": "RuntimeDefault"},
                    },
                    "containers": [
                        {
                            "name": "postgres",
                            "image": versions.POSTGRES_IMAGE,
                            "ports": [{"name": "postgres", "container_port": 5432}],
                            "env": [
                                {"name": "POSTGRES_DB", "value": DATABASE},
                                {"name": "POSTGRES_USER", "value": USER},
                                {"name": "PGDATA", "value": "/var/lib/postgresql/data/pgdata"},
                                {
                                    "name": "POSTGRES_PASSWORD",
                                    "value_from": {
                                        "secret_key_ref": {
                                            "name": secret.metadata.name,
                                            "key": "POSTGRES_PASSWORD",
                                        }
                                    },
                                },
                            ],
                            "readiness_probe": {
                                "exec_": {"command": ["pg_isready", "-U", USER, "-d", DATABASE]},
                                "period_seconds": 10,
                            },
                            # Lenient: a restart must not cut short crash recovery.
                            "liveness_probe": {
                                "exec_": {"command": ["pg_isready", "-U", USER, "-d", DATABASE]},
                                "initial_delay_seconds": 30,
                                "period_seconds": 20,
                                "timeout_seconds": 5,
                                "failure_threshold": 6,
                            },
                            "resources": {
                                "requests": {"cpu": "100m", "memory": "256Mi"},
                                "limits": {"cpu": "1", "memory": "512Mi"},
                            },
                            "security_context": {
                                "allow_privilege_escalation": False,
                                "read_only_root_filesystem": True,
                                "capabilities": {"drop": ["ALL"]},
                            },
                            "volume_mounts": [
                                {"name": "data", "mount_path": "/var/lib/postgresql/data"},
                                {"name": "run", "mount_path": "/var/run/postgresql"},
                                {"name": "tmp", "mount_path": "/tmp"},
                            ],
                        }
                    ],
                    "volumes": [
                        {"name": "run", "empty_dir": {}},
                        {"name": "tmp", "empty_dir": {}},
                    ],
                },
            },
            "volume_claim_templates": [
                {
                    "metadata": {"name": "data"},
                    "spec": {
                        "access_modes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": args.storage_size}},
                    },
                }
            ],
        }
        k8s.apps.v1.StatefulSet(
            f"{name}-sts",
            metadata={"name": "postgres", "namespace": POSTGRES_NAMESPACE, "labels": labels},
            spec=spec,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[namespace], protect=args.protect),
        )
        self.database_url = database_url(args.password)
        self.state_connection_string = state_connection_string(args.password)
        self.register_outputs({"host": HOST})


def database_url(password: pulumi.Input[str]) -> pulumi.Output[str]:
    """The app's SQLAlchemy URL for the in-cluster database."""
    return pulumi.Output.secret(
        pulumi.Output.from_input(password).apply(
            lambda pw: f"postgresql+psycopg://{USER}:{quote(pw, safe='')}@{HOST}:5432/{DATABASE}"
        )
    )


def state_connection_string(password: pulumi.Input[str]) -> pulumi.Output[str]:
    """The keyword/value form Dapr's state.postgresql (pgx) accepts."""
    return pulumi.Output.secret(
        pulumi.Output.from_input(password).apply(
            lambda pw: (
                f"host={HOST} port=5432 user={USER} password={pw} dbname={DATABASE} sslmode=disable"
            )
        )
    )
