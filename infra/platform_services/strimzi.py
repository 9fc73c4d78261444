"""Kafka on Kubernetes via Strimzi: operator, a KRaft cluster with one node pool, the topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from infra import versions
from infra.contracts import ALL_TOPICS
from infra.manifest import KubernetesManifest
from infra.platform_services.helm import helm_release

KAFKA_NAMESPACE = "kafka"
CLUSTER_NAME = "taskflow"
# Strimzi 1.x serves only v1; KRaft with node pools is its only mode (no opt-in annotations).
API_VERSION = "kafka.strimzi.io/v1"
WEEK_MS = 7 * 24 * 3600 * 1000


@dataclass(frozen=True, kw_only=True)
class StrimziKafkaArgs:
    partitions: int
    replicas: int
    # Ephemeral storage on Minikube; a persistent volume per broker in cloud.
    persistent: bool
    storage_size: str = "10Gi"
    # Cloud stacks: `pulumi destroy` or a rename must not drop the brokers, pool or topics.
    protect: bool = False


def _cluster_label() -> dict[str, str]:
    return {"strimzi.io/cluster": CLUSTER_NAME}


def node_pool_manifest(args: StrimziKafkaArgs) -> dict[str, Any]:
    storage: dict[str, Any] = (
        {
            "type": "jbod",
            "volumes": [
                {
                    "id": 0,
                    "type": "persistent-claim",
                    "size": args.storage_size,
                    "deleteClaim": False,
                    "kraftMetadata": "shared",
                }
            ],
        }
        if args.persistent
        else {"type": "ephemeral"}
    )
    return {
        "apiVersion": API_VERSION,
        "kind": "KafkaNodePool",
        "metadata": {"name": "dual-role", "namespace": KAFKA_NAMESPACE, "labels": _cluster_label()},
        "spec": {
            "replicas": args.replicas,
            # Combined controller+broker nodes: fewest pods that still run KRaft.
            "roles": ["controller", "broker"],
            "storage": storage,
            "resources": {
                "requests": {"cpu": "250m", "memory": "1Gi"},
                "limits": {"cpu": "1", "memory": "1536Mi"},
            },
            "jvmOptions": {"-Xms": "512m", "-Xmx": "768m"},
        },
    }


def kafka_manifest(args: StrimziKafkaArgs) -> dict[str, Any]:
    replication = args.replicas
    return {
        "apiVersion": API_VERSION,
        "kind": "Kafka",
        "metadata": {"name": CLUSTER_NAME, "namespace": KAFKA_NAMESPACE},
        "spec": {
            "kafka": {
                "version": versions.KAFKA_VERSION,
                "listeners": [{"name": "plain", "port": 9092, "type": "internal", "tls": False}],
                "config": {
                    "offsets.topic.replication.factor": replication,
                    "transaction.state.log.replication.factor": replication,
                    "transaction.state.log.min.isr": max(1, replication - 1),
                    "default.replication.factor": replication,
                    "min.insync.replicas": max(1, replication - 1),
                    "auto.create.topics.enable": False,
                },
            },
            "entityOperator": {
                "topicOperator": {
                    "resources": {
                        "requests": {"cpu": "50m", "memory": "128Mi"},
                        "limits": {"cpu": "250m", "memory": "256Mi"},
                    }
                },
            },
        },
    }


def topic_manifest(topic: str, args: StrimziKafkaArgs) -> dict[str, Any]:
    dead_letter = topic.endswith("-dlq")
    return {
        "apiVersion": API_VERSION,
        "kind": "KafkaTopic",
        "metadata": {"name": topic, "namespace": KAFKA_NAMESPACE, "labels": _cluster_label()},
        "spec": {
            "partitions": args.partitions,
            "replicas": args.replicas,
            "config": {
                # Dead letters wait longer: someone has to look at them.
                "retention.ms": WEEK_MS * (2 if dead_letter else 1),
                "cleanup.policy": "delete",
            },
        },
    }


class StrimziKafka(pulumi.ComponentResource):
    bootstrap_servers: str

    @staticmethod
    def bootstrap_address() -> str:
        """Known before the cluster exists: Strimzi names the Service after the Kafka CR."""
        return f"{CLUSTER_NAME}-kafka-bootstrap.{KAFKA_NAMESPACE}.svc:9092"

    def __init__(
        self, name: str, args: StrimziKafkaArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:platform:StrimziKafka", name, None, opts)
        operator = helm_release(
            "strimzi",
            versions.STRIMZI,
            namespace=KAFKA_NAMESPACE,
            values={
                "watchAnyNamespace": False,
                "resources": {
                    "requests": {"cpu": "100m", "memory": "256Mi"},
                    "limits": {"cpu": "500m", "memory": "384Mi"},
                },
            },
            parent=self,
        )
        after_operator = pulumi.ResourceOptions(
            parent=self, depends_on=[operator], protect=args.protect
        )
        pool = KubernetesManifest(f"{name}-pool", node_pool_manifest(args), opts=after_operator)
        kafka = KubernetesManifest(
            f"{name}-cluster",
            kafka_manifest(args),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[operator, pool], protect=args.protect
            ),
        )
        for topic in ALL_TOPICS:
            KubernetesManifest(
                f"{name}-topic-{topic}",
                topic_manifest(topic, args),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[kafka], protect=args.protect),
            )
        self.bootstrap_servers = self.bootstrap_address()
        self.register_outputs({"bootstrapServers": self.bootstrap_servers})
