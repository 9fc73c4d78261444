"""Kubernetes validators for the Taskflow policy pack.

Each ``<rule>_validator(args, report_violation)`` is a pure function: it reads
``args.resource_type`` and ``args.props`` (camelCase, as Pulumi passes Kubernetes inputs to
CrossGuard, or as the same object appears in rendered YAML), ignores resource types it does not
govern, and reports one message per problem. Policy names, descriptions and enforcement levels
live in ``policies/pack.py``.
"""

from __future__ import annotations

import re

from policies.props import (
    ReportViolation,
    ResourceArgs,
    as_list,
    as_mapping,
    containers,
    display_name,
    get_path,
    kind_of,
    object_annotations,
    parse_kubernetes_type,
    pod_template,
    workload_pod,
)

# Policy names (kebab-case); pack.py and policies/exemptions.yaml refer to them.
NON_ROOT_CONTAINERS = "containers-run-as-non-root"
NO_PRIVILEGED_CONTAINERS = "no-privileged-containers"
CONTAINER_RESOURCE_LIMITS = "container-resource-limits"
PINNED_IMAGE_TAGS = "no-latest-image-tags"
WORKLOAD_PROBES = "deployment-probes"
DAPR_ANNOTATIONS = "dapr-annotations"
INGRESS_TLS = "ingress-tls"
NO_UNAPPROVED_LOAD_BALANCERS = "no-unapproved-load-balancers"
NO_PLAINTEXT_SECRETS = "no-plaintext-secrets"
READ_ONLY_ROOT_FILESYSTEM = "read-only-root-filesystem"

PART_OF_LABEL = "app.kubernetes.io/part-of"
PART_OF_VALUE = "taskflow"
DAPR_REQUIRED_ANNOTATIONS = ("dapr.io/enabled", "dapr.io/app-id", "dapr.io/app-port")

# Long-running workloads that must answer probes (Jobs and CronJobs finish, so they are exempt).
PROBED_KINDS = frozenset({"Deployment", "StatefulSet"})

SECRET_NAME_PATTERN = re.compile(
    r"password|passwd|secret|token|key|dsn|connection|credential", re.IGNORECASE
)
# A name whose last word is one of these names a reference to a secret, not the secret itself
# (DAPR_SECRET_STORE, JWT_SECRET_NAME, keyPrefix, ACCESS_KEY_ID, TOKEN_URL...).
NON_SECRET_LAST_WORDS = frozenset(
    {"store", "name", "names", "file", "path", "dir", "ref", "prefix", "id", "url", "ttl", "type"}
)
# scheme://user:password@host — credentials inside a URL, whatever the variable is called.
URL_CREDENTIALS_PATTERN = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)


def containers_run_as_non_root_validator(
    args: ResourceArgs, report_violation: ReportViolation
) -> None:
    """Every container runs with ``runAsNonRoot: true`` (own or pod-level) and not as UID 0."""
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    pod_context = as_mapping(pod_spec.get("securityContext"))
    for container in containers(pod_spec):
        context = as_mapping(container.spec.get("securityContext"))
        non_root = context.get("runAsNonRoot", pod_context.get("runAsNonRoot"))
        run_as_user = context.get("runAsUser", pod_context.get("runAsUser"))
        if non_root is not True:
            report_violation(
                f"{who}: container '{container.name}' must set securityContext.runAsNonRoot: true "
                "(on the container or the pod).",
                None,
            )
        if run_as_user == 0:
            report_violation(f"{who}: container '{container.name}' runs as UID 0 (root).", None)


def no_privileged_containers_validator(
    args: ResourceArgs, report_violation: ReportViolation
) -> None:
    """No container is privileged, and each sets ``allowPrivilegeEscalation: false``."""
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    for container in containers(pod_spec):
        context = as_mapping(container.spec.get("securityContext"))
        if context.get("privileged") is True:
            report_violation(f"{who}: container '{container.name}' is privileged.", None)
        if context.get("allowPrivilegeEscalation") is not False:
            report_violation(
                f"{who}: container '{container.name}' must set "
                "securityContext.allowPrivilegeEscalation: false.",
                None,
            )


def container_resource_limits_validator(
    args: ResourceArgs, report_violation: ReportViolation
) -> None:
    """Every container (init containers included) sets CPU and memory limits."""
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    for container in containers(pod_spec):
        limits = as_mapping(get_path(container.spec, "resources", "limits"))
        missing = [name for name in ("cpu", "memory") if limits.get(name) in (None, "", 0)]
        if missing:
            report_violation(
                f"{who}: container '{container.name}' has no {' or '.join(missing)} limit "
                "(resources.limits).",
                None,
            )


def image_problem(image: object) -> str | None:
    """Why ``image`` is not pinned (``None`` when it has a real tag or a digest)."""
    if not isinstance(image, str) or not image.strip():
        return "has no image"
    if "@" in image:  # repo@sha256:... or repo:tag@sha256:... is pinned by digest
        return None
    last_segment = image.rsplit("/", 1)[-1]  # a registry port (host:5000/x) is not a tag
    if ":" not in last_segment:
        return f"uses untagged image '{image}' (that means :latest)"
    tag = last_segment.rsplit(":", 1)[1]
    if not tag or tag.lower() == "latest":
        return f"uses image '{image}'; pin a version or git SHA tag instead of :latest"
    return None


def no_latest_image_tags_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """Every container image has an explicit tag other than ``latest``, or a digest."""
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    for container in containers(pod_spec):
        problem = image_problem(container.spec.get("image"))
        if problem:
            report_violation(f"{who}: container '{container.name}' {problem}.", None)


def deployment_probes_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """Every container of a Deployment or StatefulSet has a readiness and a liveness probe."""
    if kind_of(args) not in PROBED_KINDS:
        return
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    for container in containers(pod_spec, sections=("containers",)):
        missing = [
            probe
            for probe in ("readinessProbe", "livenessProbe")
            if not as_mapping(container.spec.get(probe))
        ]
        if missing:
            report_violation(
                f"{who}: container '{container.name}' has no {' or '.join(missing)}.", None
            )


def is_taskflow_app(args: ResourceArgs) -> bool:
    """A Deployment labelled ``app.kubernetes.io/part-of: taskflow`` (on itself or its pods)."""
    if kind_of(args) != "Deployment":
        return False
    template = pod_template(args) or {}
    labels = [
        as_mapping(get_path(args.props, "metadata", "labels")),
        as_mapping(get_path(template, "metadata", "labels")),
    ]
    return any(label_set.get(PART_OF_LABEL) == PART_OF_VALUE for label_set in labels)


def dapr_annotations_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """Taskflow app pods carry dapr.io/enabled "true", dapr.io/app-id and a numeric app-port."""
    if not is_taskflow_app(args):
        return
    who = display_name(args)
    pod_annotations = as_mapping(get_path(pod_template(args), "metadata", "annotations"))
    problems: list[str] = []
    if pod_annotations.get("dapr.io/enabled") != "true":
        problems.append('dapr.io/enabled must be "true"')
    app_id = pod_annotations.get("dapr.io/app-id")
    if not isinstance(app_id, str) or not app_id:
        problems.append("dapr.io/app-id is missing")
    port = pod_annotations.get("dapr.io/app-port")
    if not (isinstance(port, str) and port.isdigit() and 0 < int(port) < 65536):
        problems.append("dapr.io/app-port must be a port number as a string")
    if not problems:
        return
    hint = ""
    if any(key in object_annotations(args.props) for key in DAPR_REQUIRED_ANNOTATIONS):
        hint = " (found on the Deployment's own metadata; Dapr reads spec.template.metadata)"
    report_violation(f"{who}: pod template annotations: {'; '.join(problems)}{hint}.", None)


def _host_covered(host: str, tls_hosts: list[str]) -> bool:
    for tls_host in tls_hosts:
        if tls_host == host:
            return True
        wildcard = tls_host.startswith("*.") and host.count(".") == tls_host.count(".")
        if wildcard and host.endswith(tls_host[1:]):
            return True
    return False


def ingress_tls_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """Every Ingress declares spec.tls, and every rule host is covered by a TLS entry."""
    if kind_of(args) != "Ingress":
        return
    who = display_name(args)
    tls_entries = [as_mapping(entry) for entry in as_list(get_path(args.props, "spec", "tls"))]
    if not tls_entries:
        report_violation(f"{who}: has no spec.tls; serve it over HTTPS.", None)
        return
    if any(not as_list(entry.get("hosts")) for entry in tls_entries):
        return  # a TLS entry without hosts applies to every host of the Ingress
    tls_hosts = [str(host) for entry in tls_entries for host in as_list(entry.get("hosts"))]
    for rule in as_list(get_path(args.props, "spec", "rules")):
        host = as_mapping(rule).get("host")
        if isinstance(host, str) and host and not _host_covered(host, tls_hosts):
            report_violation(f"{who}: host '{host}' is not listed in any spec.tls[].hosts.", None)


def no_unapproved_load_balancers_validator(
    args: ResourceArgs, report_violation: ReportViolation
) -> None:
    """No Service of type LoadBalancer; the one approved (the ingress's) is listed as an
    exemption in policies/exemptions.yaml, not on the Service by its author."""
    if kind_of(args) != "Service" or get_path(args.props, "spec", "type") != "LoadBalancer":
        return
    report_violation(
        f"{display_name(args)}: type LoadBalancer costs a cloud load balancer; use ClusterIP "
        "behind the ingress, or get an entry in policies/exemptions.yaml.",
        None,
    )


def looks_secret(name: object) -> bool:
    """True for names like JWT_SECRET, saslPassword, OPENAI_API_KEY (not DAPR_SECRET_STORE)."""
    if not isinstance(name, str) or not SECRET_NAME_PATTERN.search(name):
        return False
    words = re.split(r"[^a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower())
    words = [word for word in words if word]
    return not (words and words[-1] in NON_SECRET_LAST_WORDS)


def plaintext_secret_problem(name: object, value: object) -> str | None:
    """Why a literal ``name=value`` pair leaks a secret, or ``None``."""
    if value is None or value == "":
        return None
    text = str(value)
    if URL_CREDENTIALS_PATTERN.search(text):
        return f"'{name}' holds a URL with embedded credentials"
    if looks_secret(name):
        return f"'{name}' looks like a secret but has a literal value"
    return None


def _name_value_items(items: object) -> list[tuple[object, object]]:
    """(name, value) of ``[{name, value, valueFrom|secretKeyRef}]`` items with a literal value."""
    pairs: list[tuple[object, object]] = []
    for item in as_list(items):
        entry = as_mapping(item)
        if "value" in entry:
            pairs.append((entry.get("name"), entry.get("value")))
    return pairs


def no_plaintext_secrets_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """No secret-looking literal in container env, ConfigMap data or Dapr component metadata."""
    parsed = parse_kubernetes_type(args.resource_type)
    if parsed is None:
        return
    who = display_name(args)
    hint = "use valueFrom.secretKeyRef / a Secret"
    template = pod_template(args)
    if template is not None:
        for container in containers(as_mapping(template.get("spec"))):
            for name, value in _name_value_items(container.spec.get("env")):
                problem = plaintext_secret_problem(name, value)
                if problem:
                    report_violation(
                        f"{who}: container '{container.name}' env {problem}; {hint}.", None
                    )
    elif parsed.group == "core" and parsed.kind == "ConfigMap":
        for key, value in as_mapping(args.props.get("data")).items():
            problem = plaintext_secret_problem(key, value)
            if problem:
                report_violation(f"{who}: data key {problem}; {hint}.", None)
    elif parsed.group == "dapr.io" and parsed.kind == "Component":
        for name, value in _name_value_items(get_path(args.props, "spec", "metadata")):
            problem = plaintext_secret_problem(name, value)
            if problem:
                report_violation(
                    f"{who}: metadata {problem}; use secretKeyRef with auth.secretStore.", None
                )


def read_only_root_filesystem_validator(
    args: ResourceArgs, report_violation: ReportViolation
) -> None:
    """Every container sets ``readOnlyRootFilesystem: true`` (mount an emptyDir for scratch)."""
    found = workload_pod(args)
    if found is None:
        return
    pod_spec, who = found
    for container in containers(pod_spec):
        context = as_mapping(container.spec.get("securityContext"))
        if context.get("readOnlyRootFilesystem") is not True:
            report_violation(
                f"{who}: container '{container.name}' should set "
                "securityContext.readOnlyRootFilesystem: true.",
                None,
            )
