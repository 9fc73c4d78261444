"""Edge: ingress-nginx, cert-manager and the ClusterIssuer that signs the app's certificate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi

from infra import versions
from infra.manifest import KubernetesManifest
from infra.platform_services.helm import helm_release

INGRESS_NAMESPACE = "ingress-nginx"
CERT_MANAGER_NAMESPACE = "cert-manager"
INGRESS_CLASS = "nginx"
LETSENCRYPT = {
    "letsencrypt-prod": "https://acme-v02.api.letsencrypt.org/directory",
    "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
}


@dataclass(frozen=True, kw_only=True)
class EdgeArgs:
    issuer: Literal["letsencrypt-prod", "letsencrypt-staging", "selfsigned"]
    acme_email: str
    # NodePort on Minikube (reached via `minikube ip`), a cloud load balancer elsewhere.
    service_type: Literal["LoadBalancer", "NodePort"] = "LoadBalancer"
    # Cloud-specific load balancer settings (e.g. the OCI shape) on the controller Service.
    service_annotations: Mapping[str, str] = field(default_factory=dict)


def cluster_issuer(issuer: str, acme_email: str) -> dict[str, Any]:
    """The ClusterIssuer manifest: ACME HTTP-01 through nginx, or self-signed for laptops."""
    if issuer == "selfsigned":
        spec: dict[str, Any] = {"selfSigned": {}}
    else:
        spec = {
            "acme": {
                "server": LETSENCRYPT[issuer],
                "email": acme_email,
                "privateKeySecretRef": {"name": f"{issuer}-account-key"},
                "solvers": [{"http01": {"ingress": {"ingressClassName": INGRESS_CLASS}}}],
            }
        }
    return {
        "apiVersion": "cert-manager.io/v1",
        "kind": "ClusterIssuer",
        "metadata": {"name": issuer},
        "spec": spec,
    }


def ingress_nginx_values(
    service_type: str, service_annotations: Mapping[str, str] | None = None
) -> dict[str, Any]:
    service: dict[str, Any] = {"type": service_type}
    if service_annotations:
        service["annotations"] = dict(service_annotations)
    if service_type == "NodePort":
        service["nodePorts"] = {"http": 30080, "https": 30443}
    return {
        "controller": {
            "ingressClassResource": {"name": INGRESS_CLASS, "default": True},
            "service": service,
            # Every Ingress redirects HTTP to HTTPS unless it opts out.
            "config": {"ssl-redirect": "true", "use-forwarded-headers": "true"},
            "metrics": {"enabled": True, "serviceMonitor": {"enabled": False}},
            "resources": {
                "requests": {"cpu": "100m", "memory": "128Mi"},
                "limits": {"cpu": "500m", "memory": "256Mi"},
            },
        }
    }


class Edge(pulumi.ComponentResource):
    issuer_name: str

    def __init__(
        self, name: str, args: EdgeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:platform:Edge", name, None, opts)
        helm_release(
            "ingress-nginx",
            versions.INGRESS_NGINX,
            namespace=INGRESS_NAMESPACE,
            values=ingress_nginx_values(args.service_type, args.service_annotations),
            parent=self,
        )
        cert_manager = helm_release(
            "cert-manager",
            versions.CERT_MANAGER,
            namespace=CERT_MANAGER_NAMESPACE,
            values={"crds": {"enabled": True}, "prometheus": {"enabled": True}},
            parent=self,
        )
        KubernetesManifest(
            f"{name}-issuer",
            cluster_issuer(args.issuer, args.acme_email),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[cert_manager]),
        )
        self.issuer_name = args.issuer
        self.register_outputs({"issuer": args.issuer})
