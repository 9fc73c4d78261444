"""Google Kubernetes Engine fallback: zonal cluster with Dataplane V2 and one node pool."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

_KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: {name}
  cluster:
    certificate-authority-data: {ca}
    server: https://{endpoint}
contexts:
- name: {name}
  context: {{cluster: {name}, user: {name}}}
current-context: {name}
users:
- name: {name}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
      provideClusterInfo: true
"""


@dataclass(frozen=True, kw_only=True)
class GkeClusterArgs:
    project: pulumi.Input[str]
    # A zone, not a region: a regional cluster triples the nodes.
    location: pulumi.Input[str]
    machine_type: str = "e2-standard-2"
    node_count: int = 2


class GkeCluster(pulumi.ComponentResource):
    provider: k8s.Provider
    kubeconfig: pulumi.Output[str]

    def __init__(
        self, name: str, args: GkeClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:clusters:GkeCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        cluster = gcp.container.Cluster(
            f"{name}-gke",
            project=args.project,
            location=args.location,
            remove_default_node_pool=True,
            initial_node_count=1,
            deletion_protection=False,
            # Dataplane V2 enforces NetworkPolicies without a separate Calico install.
            datapath_provider="ADVANCED_DATAPATH",
            opts=child,
        )
        pool = gcp.container.NodePool(
            f"{name}-pool",
            project=args.project,
            location=args.location,
            cluster=cluster.name,
            node_count=args.node_count,
            node_config={
                "machine_type": args.machine_type,
                "disk_size_gb": 50,
                "oauth_scopes": ["https://www.googleapis.com/auth/cloud-platform"],
            },
            opts=child,
        )
        self.kubeconfig = pulumi.Output.secret(
            pulumi.Output.all(
                cluster.name, cluster.endpoint, cluster.master_auth.cluster_ca_certificate
            ).apply(lambda v: _KUBECONFIG.format(name=v[0], endpoint=v[1], ca=v[2]))
        )
        self.provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            enable_server_side_apply=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[pool]),
        )
        self.register_outputs({"kubeconfig": self.kubeconfig})
