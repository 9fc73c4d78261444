"""How traffic reaches the cluster: no NodePorts, no raw proxy configuration from app authors.

NodePort Services open a port on every node, around the ingress, its TLS and the
NetworkPolicies. Configuration snippets (``nginx.ingress.kubernetes.io/configuration-snippet``
and friends) paste text into the proxy's configuration of the whole controller: with them any
namespace that may create an Ingress can read other tenants' traffic or the controller's
secrets (CVE-2021-25742, CVE-2025-1974). Gateway implementations have the same escape hatch as
objects (NGINX Gateway Fabric's ``SnippetsFilter``, Envoy Gateway's ``EnvoyPatchPolicy``).
"""

from __future__ import annotations

from policies.props import (
    ReportViolation,
    ResourceArgs,
    display_name,
    get_path,
    kind_of,
    object_annotations,
    parse_kubernetes_type,
)

NO_NODE_PORT_SERVICES = "no-node-port-services"
NO_CONFIGURATION_SNIPPETS = "no-configuration-snippets"

# Objects that carry routing annotations a controller reads.
ROUTING_KINDS = frozenset(
    {"Ingress", "Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "Service"}
)
# (API group, kind) of Gateway API extensions whose whole purpose is raw proxy configuration.
SNIPPET_KINDS = frozenset(
    {
        ("gateway.nginx.org", "SnippetsFilter"),
        ("gateway.envoyproxy.io", "EnvoyPatchPolicy"),
    }
)
# The ingress-nginx controller's ConfigMap switch that lets Ingress authors use snippets.
ALLOW_SNIPPETS_KEY = "allow-snippet-annotations"


def is_snippet_annotation(key: str) -> bool:
    """``...configuration-snippet``, ``...server-snippet``, ``nginx.org/location-snippets``..."""
    name = key.rsplit("/", 1)[-1].lower()
    return name.endswith(("-snippet", "-snippets")) or name == "snippet"


def no_node_port_services_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """No Service of type NodePort: traffic enters through the ingress or gateway only."""
    if kind_of(args) != "Service" or get_path(args.props, "spec", "type") != "NodePort":
        return
    report_violation(
        f"{display_name(args)}: type NodePort opens a port on every node, bypassing the "
        "ingress; use ClusterIP behind the ingress or gateway.",
        None,
    )


def no_configuration_snippets_validator(
    args: ResourceArgs, report_violation: ReportViolation
) -> None:
    """No snippet annotations on routing objects, no snippet objects, snippets switched off."""
    parsed = parse_kubernetes_type(args.resource_type)
    if parsed is None:
        return
    who = display_name(args)
    if (parsed.group, parsed.kind) in SNIPPET_KINDS:
        report_violation(
            f"{who}: a {parsed.kind} injects raw proxy configuration; express the route with "
            "standard Gateway API fields.",
            None,
        )
        return
    if parsed.kind in ROUTING_KINDS:
        for key in sorted(object_annotations(args.props)):
            if isinstance(key, str) and is_snippet_annotation(key):
                report_violation(
                    f"{who}: annotation {key} injects raw proxy configuration into the "
                    "shared controller.",
                    None,
                )
    if parsed.kind == "ConfigMap":
        value = get_path(args.props, "data", ALLOW_SNIPPETS_KEY)
        if isinstance(value, str) and value.strip().lower() == "true":
            report_violation(
                f'{who}: {ALLOW_SNIPPETS_KEY}: "true" lets every Ingress author inject '
                "controller configuration.",
                None,
            )
