"""Pod Security Standards ("baseline" and "restricted") as CrossGuard validators.

The levels follow https://kubernetes.io/docs/concepts/security/pod-security-standards/:
baseline forbids host namespaces, hostPath volumes, host ports and capabilities beyond a short
default list; restricted also requires dropping ALL capabilities (adding back at most
NET_BIND_SERVICE) and a RuntimeDefault or Localhost seccomp profile. ``runAsNonRoot`` and
``allowPrivilegeEscalation: false`` (restricted too) are checked by ``k8s_rules``. Same contract
as the other rule modules: pure ``<rule>_validator(args, report_violation)`` functions.
"""

from __future__ import annotations

from policies.props import (
    ReportViolation,
    ResourceArgs,
    as_list,
    as_mapping,
    containers,
    get_path,
    workload_pod,
)

HOST_NAMESPACES = "no-host-namespaces"
HOST_PATH_VOLUMES = "no-host-path-volumes"
HOST_PORTS = "no-host-ports"
RESTRICTED_CAPABILITIES = "restricted-capabilities"
SECCOMP_RUNTIME_DEFAULT = "seccomp-runtime-default"

HOST_NAMESPACE_FIELDS = ("hostNetwork", "hostPID", "hostIPC")
# Pod Security "baseline": the only capabilities a container may add.
BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)
# Pod Security "restricted": after dropping ALL, only this one may come back.
RESTRICTED_ADDABLE = frozenset({"NET_BIND_SERVICE"})
ALLOWED_SECCOMP_TYPES = frozenset({"RuntimeDefault", "Localhost"})
ALL_CONTAINER_SECTIONS = ("initContainers", "containers", "ephemeralContainers")


def _capability_names(value: object) -> set[str]:
    """Capability names, upper-cased, without the optional ``CAP_`` prefix."""
    names = {str(name).upper() for name in as_list(value)}
    return {name.removeprefix("CAP_") for name in names}


def host_namespaces_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """No pod shares the node's network, PID or IPC namespace."""
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    for field in HOST_NAMESPACE_FIELDS:
        if pod_spec.get(field) is True:
            report_violation(f"{who}: {field}: true shares the node's namespace.", None)


def host_path_volumes_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """No pod mounts a hostPath volume (any path: ``/`` is the whole node)."""
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    for raw in as_list(pod_spec.get("volumes")):
        volume = as_mapping(raw)
        if "hostPath" in volume:
            path = get_path(volume, "hostPath", "path")
            report_violation(
                f"{who}: volume '{volume.get('name', '?')}' mounts hostPath {path!r} of the node.",
                None,
            )


def host_ports_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """No container binds a port on the node (``ports[].hostPort``)."""
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    for container in containers(pod_spec, ALL_CONTAINER_SECTIONS):
        for raw in as_list(container.spec.get("ports")):
            host_port = as_mapping(raw).get("hostPort")
            if host_port not in (None, 0, "0", ""):
                report_violation(
                    f"{who}: container '{container.name}' binds hostPort {host_port}.", None
                )


def restricted_capabilities_validator(
    args: ResourceArgs, report_violation: ReportViolation
) -> None:
    """Containers drop ALL capabilities and add back at most NET_BIND_SERVICE.

    A capability outside the baseline list (SYS_ADMIN, NET_ADMIN, ...) is named as such, since
    it breaks even the weaker profile.
    """
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    for container in containers(pod_spec, ALL_CONTAINER_SECTIONS):
        capabilities = as_mapping(get_path(container.spec, "securityContext", "capabilities"))
        added = _capability_names(capabilities.get("add"))
        beyond_baseline = sorted(added - BASELINE_CAPABILITIES)
        if beyond_baseline:
            report_violation(
                f"{who}: container '{container.name}' adds {', '.join(beyond_baseline)}, "
                "beyond the Pod Security baseline.",
                None,
            )
        beyond_restricted = sorted((added & BASELINE_CAPABILITIES) - RESTRICTED_ADDABLE)
        if beyond_restricted:
            report_violation(
                f"{who}: container '{container.name}' adds {', '.join(beyond_restricted)}; "
                "restricted allows only NET_BIND_SERVICE.",
                None,
            )
        if "ALL" not in _capability_names(capabilities.get("drop")):
            report_violation(
                f"{who}: container '{container.name}' must drop ALL capabilities "
                "(securityContext.capabilities.drop: [ALL]).",
                None,
            )


def seccomp_runtime_default_validator(
    args: ResourceArgs, report_violation: ReportViolation
) -> None:
    """Every container runs under a RuntimeDefault (or Localhost) seccomp profile.

    The container's own ``securityContext.seccompProfile`` wins over the pod's.
    """
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    pod_type = get_path(pod_spec, "securityContext", "seccompProfile", "type")
    for container in containers(pod_spec, ALL_CONTAINER_SECTIONS):
        own_type = get_path(container.spec, "securityContext", "seccompProfile", "type")
        effective = own_type if own_type is not None else pod_type
        if effective not in ALLOWED_SECCOMP_TYPES:
            shown = "none" if effective is None else repr(effective)
            report_violation(
                f"{who}: container '{container.name}' seccomp profile is {shown}; set "
                "securityContext.seccompProfile.type: RuntimeDefault (pod or container).",
                None,
            )
