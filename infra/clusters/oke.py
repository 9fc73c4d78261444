"""Oracle Kubernetes Engine on the Always Free tier: network, cluster, Ampere node pool."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
import pulumi_oci as oci

VCN_CIDR = "10.0.0.0/16"
ENDPOINT_CIDR = "10.0.0.0/28"
NODE_CIDR = "10.0.10.0/24"
LB_CIDR = "10.0.20.0/24"
ANYWHERE = "0.0.0.0/0"
TCP = "6"
ICMP = "1"


@dataclass(frozen=True, kw_only=True)
class OkeClusterArgs:
    compartment_id: pulumi.Input[str]
    availability_domain: pulumi.Input[str]
    node_image_id: pulumi.Input[str]
    kubernetes_version: pulumi.Input[str]
    # Always Free gives 4 OCPU / 24 GB of A1 in total: 2 nodes x 2 OCPU / 12 GB uses it exactly.
    node_shape: str = "VM.Standard.A1.Flex"
    node_count: int = 2
    node_ocpus: float = 2
    node_memory_gbs: float = 12


def _tcp_in(
    source: str, low: int, high: int | None = None
) -> oci.core.SecurityListIngressSecurityRuleArgsDict:
    return {
        "protocol": TCP,
        "source": source,
        "tcp_options": {"min": low, "max": high or low},
    }


def _all_in(source: str) -> oci.core.SecurityListIngressSecurityRuleArgsDict:
    return {"protocol": "all", "source": source}


def _path_mtu_in(source: str) -> oci.core.SecurityListIngressSecurityRuleArgsDict:
    return {"protocol": ICMP, "source": source, "icmp_options": {"type": 3, "code": 4}}


ALL_OUT: list[oci.core.SecurityListEgressSecurityRuleArgsDict] = [
    {"protocol": "all", "destination": ANYWHERE}
]


class OkeCluster(pulumi.ComponentResource):
    provider: k8s.Provider
    kubeconfig: pulumi.Output[str]
    cluster_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: OkeClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:clusters:OkeCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        compartment = args.compartment_id

        vcn = oci.core.Vcn(
            f"{name}-vcn",
            compartment_id=compartment,
            cidr_blocks=[VCN_CIDR],
            display_name=f"{name}-vcn",
            dns_label="taskflow",
            opts=child,
        )
        igw = oci.core.InternetGateway(
            f"{name}-igw", compartment_id=compartment, vcn_id=vcn.id, enabled=True, opts=child
        )
        routes = oci.core.RouteTable(
            f"{name}-routes",
            compartment_id=compartment,
            vcn_id=vcn.id,
            route_rules=[
                {
                    "network_entity_id": igw.id,
                    "destination": ANYWHERE,
                    "destination_type": "CIDR_BLOCK",
                }
            ],
            opts=child,
        )

        endpoint_rules = oci.core.SecurityList(
            f"{name}-endpoint-sl",
            compartment_id=compartment,
            vcn_id=vcn.id,
            ingress_security_rules=[
                _tcp_in(ANYWHERE, 6443),
                _tcp_in(NODE_CIDR, 12250),
                _path_mtu_in(NODE_CIDR),
            ],
            egress_security_rules=ALL_OUT,
            opts=child,
        )
        node_rules = oci.core.SecurityList(
            f"{name}-node-sl",
            compartment_id=compartment,
            vcn_id=vcn.id,
            ingress_security_rules=[
                _all_in(NODE_CIDR),
                _all_in(ENDPOINT_CIDR),
                _tcp_in(LB_CIDR, 30000, 32767),
                _path_mtu_in(ANYWHERE),
            ],
            egress_security_rules=ALL_OUT,
            opts=child,
        )
        lb_rules = oci.core.SecurityList(
            f"{name}-lb-sl",
            compartment_id=compartment,
            vcn_id=vcn.id,
            ingress_security_rules=[_tcp_in(ANYWHERE, 80), _tcp_in(ANYWHERE, 443)],
            egress_security_rules=ALL_OUT,
            opts=child,
        )

        def subnet(role: str, cidr: str, rules: oci.core.SecurityList) -> oci.core.Subnet:
            return oci.core.Subnet(
                f"{name}-{role}-subnet",
                compartment_id=compartment,
                vcn_id=vcn.id,
                cidr_block=cidr,
                route_table_id=routes.id,
                security_list_ids=[rules.id],
                dns_label=role,
                prohibit_public_ip_on_vnic=False,
                opts=child,
            )

        endpoint_subnet = subnet("endpoint", ENDPOINT_CIDR, endpoint_rules)
        node_subnet = subnet("nodes", NODE_CIDR, node_rules)
        lb_subnet = subnet("lb", LB_CIDR, lb_rules)

        cluster = oci.containerengine.Cluster(
            f"{name}-cluster",
            compartment_id=compartment,
            kubernetes_version=args.kubernetes_version,
            name=name,
            vcn_id=vcn.id,
            type="BASIC_CLUSTER",
            endpoint_config={"subnet_id": endpoint_subnet.id, "is_public_ip_enabled": True},
            options={
                "service_lb_subnet_ids": [lb_subnet.id],
                "kubernetes_network_config": {
                    "pods_cidr": "10.244.0.0/16",
                    "services_cidr": "10.96.0.0/16",
                },
            },
            opts=child,
        )
        node_pool = oci.containerengine.NodePool(
            f"{name}-pool",
            cluster_id=cluster.id,
            compartment_id=compartment,
            kubernetes_version=args.kubernetes_version,
            name=f"{name}-arm64",
            node_shape=args.node_shape,
            node_shape_config={"ocpus": args.node_ocpus, "memory_in_gbs": args.node_memory_gbs},
            node_config_details={
                "size": args.node_count,
                "placement_configs": [
                    {"availability_domain": args.availability_domain, "subnet_id": node_subnet.id}
                ],
            },
            node_source_details={"source_type": "IMAGE", "image_id": args.node_image_id},
            initial_node_labels=[{"key": "taskflow.dev/arch", "value": "arm64"}],
            opts=child,
        )

        kubeconfig = oci.containerengine.get_cluster_kube_config_output(
            cluster_id=cluster.id, token_version="2.0.0", opts=pulumi.InvokeOptions(parent=self)
        ).content
        self.cluster_id = cluster.id
        self.kubeconfig = pulumi.Output.secret(kubeconfig)
        self.provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            enable_server_side_apply=True,
            # Pods need nodes: nothing is applied until the pool exists.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[node_pool]),
        )
        self.register_outputs({"clusterId": self.cluster_id, "kubeconfig": self.kubeconfig})


def flexible_load_balancer(mbps: int) -> dict[str, str]:
    """Annotations that make OCI's cloud controller create a flexible load balancer of a
    fixed bandwidth (min = max); at 10 Mbps it is in the Always Free tier."""
    prefix = "service.beta.kubernetes.io/oci-load-balancer-shape"
    return {prefix: "flexible", f"{prefix}-flex-min": str(mbps), f"{prefix}-flex-max": str(mbps)}
