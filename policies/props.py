"""Typed, defensive accessors over the property bags CrossGuard hands to validators.

Pulumi passes resource inputs to a policy as read-only ``Mapping``/``Sequence`` proxies (not
``dict``/``list``), in the provider's camelCase names, with any field possibly missing. Every
validator reads props through these helpers so that a missing or oddly typed field never raises
anything but the SDK's own ``UnknownValueError`` (which the SDK turns into a preview warning).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

ReportViolation = Callable[[str, str | None], None]
"""Same shape as ``pulumi_policy.ReportViolation``: a message and an optional URN."""


class ResourceArgs(Protocol):
    """The part of ``pulumi_policy.ResourceValidationArgs`` that validators read."""

    @property
    def resource_type(self) -> str: ...

    @property
    def props(self) -> Mapping[str, Any]: ...


class StackArgs(Protocol):
    """The part of ``pulumi_policy.StackValidationArgs`` that stack validators read."""

    @property
    def resources(self) -> Sequence[ResourceArgs]: ...


def as_mapping(value: object) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: object) -> list[Any]:
    """``value`` as a list if it is a non-string sequence, else an empty list."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    return []


def get_path(value: object, *keys: str) -> Any:
    """Follow ``keys`` through nested mappings; ``None`` as soon as one is missing."""
    current: Any = value
    for key in keys:
        if not isinstance(current, Mapping):
            return None
        current = current.get(key)
    return current


def as_number(value: object) -> float | None:
    """A real number from an int, float or numeric string; ``None`` otherwise (bools excluded)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True, kw_only=True)
class KubernetesType:
    """A parsed Pulumi Kubernetes type token such as ``kubernetes:apps/v1:Deployment``."""

    group: str
    version: str
    kind: str


def parse_kubernetes_type(resource_type: str) -> KubernetesType | None:
    """Split ``kubernetes:<group>/<version>:<Kind>``; ``None`` for other providers."""
    parts = resource_type.split(":")
    if len(parts) != 3 or parts[0] != "kubernetes" or "/" not in parts[1]:
        return None
    group, _, version = parts[1].rpartition("/")
    return KubernetesType(group=group, version=version, kind=parts[2])


def kind_of(args: ResourceArgs) -> str | None:
    """The Kubernetes kind of ``args``, or ``None`` when it is not a Kubernetes resource."""
    parsed = parse_kubernetes_type(args.resource_type)
    return parsed.kind if parsed else None


def display_name(args: ResourceArgs) -> str:
    """``Kind namespace/name`` for messages, falling back to the Pulumi resource name."""
    kind = kind_of(args) or args.resource_type
    metadata = as_mapping(args.props.get("metadata"))
    name = metadata.get("name") or getattr(args, "name", None) or "<unnamed>"
    namespace = metadata.get("namespace")
    return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


def object_annotations(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """``metadata.annotations`` of an object (empty when missing)."""
    return as_mapping(get_path(props, "metadata", "annotations"))


# Workload kinds and where their pod template lives (group, kind) -> path to the pod template.
_POD_TEMPLATE_PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("core", "Pod"): (),
    ("core", "ReplicationController"): ("spec", "template"),
    ("apps", "Deployment"): ("spec", "template"),
    ("apps", "StatefulSet"): ("spec", "template"),
    ("apps", "DaemonSet"): ("spec", "template"),
    ("apps", "ReplicaSet"): ("spec", "template"),
    ("extensions", "Deployment"): ("spec", "template"),
    ("extensions", "DaemonSet"): ("spec", "template"),
    ("batch", "Job"): ("spec", "template"),
    ("batch", "CronJob"): ("spec", "jobTemplate", "spec", "template"),
}


def pod_template(args: ResourceArgs) -> Mapping[str, Any] | None:
    """The pod (metadata + spec) a workload runs, or ``None`` when ``args`` is not a workload."""
    parsed = parse_kubernetes_type(args.resource_type)
    if parsed is None:
        return None
    path = _POD_TEMPLATE_PATHS.get((parsed.group, parsed.kind))
    if path is None:
        return None
    return as_mapping(get_path(args.props, *path)) if path else args.props


@dataclass(frozen=True, kw_only=True)
class Container:
    """One container of a pod, with the section it came from (``containers``, ...)."""

    section: str
    name: str
    spec: Mapping[str, Any]


def containers(
    pod_spec: Mapping[str, Any],
    sections: tuple[str, ...] = ("initContainers", "containers"),
) -> Iterator[Container]:
    """Every container of ``pod_spec`` in the given sections."""
    for section in sections:
        for index, raw in enumerate(as_list(pod_spec.get(section))):
            spec = as_mapping(raw)
            name = spec.get("name")
            yield Container(
                section=section,
                name=name if isinstance(name, str) and name else f"#{index}",
                spec=spec,
            )


def workload_pod(args: ResourceArgs) -> tuple[Mapping[str, Any], str] | None:
    """(pod spec, display name) when ``args`` is a workload, else ``None``."""
    template = pod_template(args)
    if template is None:
        return None
    return as_mapping(template.get("spec")), display_name(args)
