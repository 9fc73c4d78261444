"""The whole program under mocks, per stack: the resources and properties the design promises."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from infra import versions
from infra.contracts import ALL_TOPICS, SERVICES
from tests.infra.harness import FAKE_SECRETS, Recorder

Deployed = Callable[[str], Recorder]
CLOUD = ("oke", "aks", "gke")
DEPLOYMENT = "kubernetes:apps/v1:Deployment"


def _bytes(quantity: str) -> int:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    for suffix, factor in units.items():
        if quantity.endswith(suffix):
            return int(float(quantity[: -len(suffix)]) * factor)
    return int(quantity)


def test_deploy_uses_explicit_provider_for_every_kubernetes_resource(
    deployed: Deployed, stack: str
) -> None:
    for resource in deployed(stack).resources:
        if resource.type.startswith("kubernetes:"):
            assert resource.provider and "pulumi:providers:kubernetes" in resource.provider, (
                f"{resource.type} {resource.name} has no explicit provider"
            )


def test_deploy_creates_one_deployment_per_service(deployed: Deployed, stack: str) -> None:
    names = {d.inputs["metadata"]["name"] for d in deployed(stack).of_type(DEPLOYMENT)}
    assert names == {s.name for s in SERVICES}


def test_deployments_carry_dapr_annotations(deployed: Deployed, stack: str) -> None:
    by_name = {s.name: s for s in SERVICES}
    for d in deployed(stack).of_type(DEPLOYMENT):
        service = by_name[d.inputs["metadata"]["name"]]
        notes = d.inputs["spec"]["template"]["metadata"]["annotations"]
        assert notes["dapr.io/enabled"] == "true", d.name
        assert notes["dapr.io/app-id"] == service.app_id, d.name
        assert notes["dapr.io/app-port"] == str(service.port), d.name
        assert notes["dapr.io/config"] == "taskflow-config", d.name


def test_deployments_bound_resources_and_run_non_root(deployed: Deployed, stack: str) -> None:
    for d in deployed(stack).of_type(DEPLOYMENT):
        pod = d.inputs["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for c in pod["containers"]:
            assert set(c["resources"]["limits"]) == {"cpu", "memory"}, d.name
            assert set(c["resources"]["requests"]) == {"cpu", "memory"}, d.name
            assert c["securityContext"]["readOnlyRootFilesystem"] is True
            assert c["securityContext"]["allowPrivilegeEscalation"] is False
            assert c["startupProbe"]["failureThreshold"] * c["startupProbe"]["periodSeconds"] >= 60
            assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_deployments_roll_without_losing_capacity(deployed: Deployed, stack: str) -> None:
    for d in deployed(stack).of_type(DEPLOYMENT):
        rolling = d.manifest["spec"]["strategy"]["rollingUpdate"]
        assert (rolling["maxUnavailable"], rolling["maxSurge"]) == (0, 1), d.name


def test_images_use_configured_tag_never_latest(deployed: Deployed, stack: str) -> None:
    for d in deployed(stack).of_type(DEPLOYMENT):
        for c in d.inputs["spec"]["template"]["spec"]["containers"]:
            repo, _, tag = c["image"].rpartition(":")
            assert tag and tag != "latest" and repo.rsplit("/", 1)[-1].startswith("taskflow-")


def test_hpas_scale_on_cpu_70_between_1_and_3(deployed: Deployed, stack: str) -> None:
    hpas = deployed(stack).of_type("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
    assert len(hpas) == len(SERVICES)
    for h in hpas:
        spec = h.manifest["spec"]
        assert (spec["minReplicas"], spec["maxReplicas"]) == (1, 3)
        assert spec["metrics"][0]["resource"]["target"]["averageUtilization"] == 70


def test_deployments_leave_the_scale_to_their_hpa(deployed: Deployed, stack: str) -> None:
    rec = deployed(stack)
    deployments = rec.of_type("kubernetes:apps/v1:Deployment")
    hpa_targets = {
        h.inputs["spec"]["scaleTargetRef"]["name"]
        for h in rec.of_type("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
    }
    assert {d.inputs["metadata"]["name"] for d in deployments} == hpa_targets
    assert [d.name for d in deployments if "replicas" in d.inputs["spec"]] == []


@pytest.mark.parametrize(("stack_name", "shaped"), [("oke", True), ("aks", False)])
def test_oke_ingress_uses_the_always_free_flexible_load_balancer(
    deployed: Deployed, stack_name: str, shaped: bool
) -> None:
    release = deployed(stack_name).named("kubernetes:helm.sh/v3:Release", "ingress-nginx")
    service = release.inputs["values"]["controller"]["service"]
    assert service["type"] == "LoadBalancer"
    prefix = "service.beta.kubernetes.io/oci-load-balancer-shape"
    expected = (
        {prefix: "flexible", f"{prefix}-flex-min": "10", f"{prefix}-flex-max": "10"}
        if shaped
        else None
    )
    assert service.get("annotations") == expected


def test_every_service_has_pdb_and_clusterip_service(deployed: Deployed, stack: str) -> None:
    rec = deployed(stack)
    assert len(rec.of_type("kubernetes:policy/v1:PodDisruptionBudget")) == len(SERVICES)
    services = rec.of_type("kubernetes:core/v1:Service")
    app = [s for s in services if s.inputs["metadata"].get("namespace") == "taskflow"]
    assert {s.inputs["spec"]["type"] for s in app} == {"ClusterIP"}
    assert len(app) == len(SERVICES)


def test_ingress_serves_host_over_tls_with_redirect(deployed: Deployed, stack: str) -> None:
    (ingress,) = deployed(stack).of_type("kubernetes:networking.k8s.io/v1:Ingress")
    spec = ingress.inputs["spec"]
    host = spec["rules"][0]["host"]
    assert spec["tls"] == [{"hosts": [host], "secretName": "taskflow-tls"}]
    notes = ingress.inputs["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/force-ssl-redirect"] == "true"
    assert notes["cert-manager.io/cluster-issuer"]


def test_ingress_sends_live_updates_to_realtime(deployed: Deployed, stack: str) -> None:
    (ingress,) = deployed(stack).of_type("kubernetes:networking.k8s.io/v1:Ingress")
    paths = ingress.inputs["spec"]["rules"][0]["http"]["paths"]
    routes = [(p["path"], p["backend"]["service"]["name"]) for p in paths]
    assert routes == [("/api/[^/]+/updates", "realtime"), ("/api", "api"), ("/", "web")]
    assert (
        ingress.inputs["metadata"]["annotations"]["nginx.ingress.kubernetes.io/use-regex"] == "true"
    )


def test_network_policies_deny_by_default(deployed: Deployed, stack: str) -> None:
    policies = {
        p.inputs["metadata"]["name"]: p.inputs["spec"]
        for p in deployed(stack).of_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")
    }
    deny = policies["default-deny"]
    assert deny["podSelector"] == {} and sorted(deny["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in deny and "egress" not in deny
    public = policies["allow-from-ingress"]["podSelector"]["matchExpressions"][0]["values"]
    assert sorted(public) == ["api", "realtime", "web"]


@pytest.mark.parametrize(("stack_name", "partitions"), [("minikube", 1), ("oke", 3), ("gke", 3)])
def test_kafka_topics_match_stack_partitions(
    deployed: Deployed, stack_name: str, partitions: int
) -> None:
    topics = deployed(stack_name).of_type("kubernetes:kafka.strimzi.io/v1:KafkaTopic")
    assert sorted(t.inputs["metadata"]["name"] for t in topics) == sorted(ALL_TOPICS)
    assert {t.manifest["spec"]["partitions"] for t in topics} == {partitions}


def test_kafka_cluster_runs_kraft_with_node_pool(deployed: Deployed, stack: str) -> None:
    (kafka,) = deployed(stack).of_type("kubernetes:kafka.strimzi.io/v1:Kafka")
    assert kafka.inputs["spec"]["kafka"]["version"] == versions.KAFKA_VERSION
    (pool,) = deployed(stack).of_type("kubernetes:kafka.strimzi.io/v1:KafkaNodePool")
    assert sorted(pool.inputs["spec"]["roles"]) == ["broker", "controller"]


@pytest.mark.parametrize(
    ("stack_name", "prometheus", "loki", "sampling"),
    [("minikube", "15d", "72h", "1"), ("oke", "30d", "7d", "0.1"), ("aks", "30d", "7d", "0.1")],
)
def test_observability_retention_and_sampling_follow_stack(
    deployed: Deployed, stack_name: str, prometheus: str, loki: str, sampling: str
) -> None:
    rec = deployed(stack_name)
    release = "kubernetes:helm.sh/v3:Release"
    prom = rec.named(release, "kube-prometheus-stack").inputs["values"]["prometheus"]
    assert prom["prometheusSpec"]["retention"] == prometheus
    assert prom["prometheusSpec"]["scrapeInterval"] == "30s"
    loki_values = rec.named(release, "loki").inputs["values"]["loki"]
    assert loki_values["limits_config"]["retention_period"] == loki
    (config,) = rec.of_type("kubernetes:dapr.io/v1alpha1:Configuration")
    assert config.inputs["spec"]["tracing"]["samplingRate"] == sampling


def test_helm_releases_pin_version_and_repo(deployed: Deployed, stack: str) -> None:
    releases = deployed(stack).of_type("kubernetes:helm.sh/v3:Release")
    assert {r.name for r in releases} >= {"ingress-nginx", "cert-manager", "dapr", "strimzi"}
    for r in releases:
        assert r.inputs["version"] and r.inputs["repositoryOpts"]["repo"].startswith("https://")


def test_dapr_control_plane_enables_mtls(deployed: Deployed, stack: str) -> None:
    dapr = deployed(stack).named("kubernetes:helm.sh/v3:Release", "dapr")
    assert dapr.inputs["values"]["global"]["mtls"]["enabled"] is True


def test_secrets_reach_cluster_marked_secret(deployed: Deployed, stack: str) -> None:
    rec = deployed(stack)
    secrets = rec.of_type("kubernetes:core/v1:Secret")
    app = next(s for s in secrets if s.inputs["metadata"]["name"] == "taskflow-app")
    assert "stringData" in app.secret_props
    assert app.inputs["stringData"]["JWT_SECRET"] == FAKE_SECRETS["jwtSecret"]
    for resource in rec.resources:
        for key, value in resource.inputs.items():
            if key not in resource.secret_props:
                text = str(value)
                for secret in ("test-jwt-secret-value", "pg-pass-value", "db-pass-value"):
                    assert secret not in text, f"{resource.type} {resource.name}.{key} leaks"


@pytest.mark.parametrize("stack_name", CLOUD)
def test_cloud_kubeconfig_output_is_secret(deployed: Deployed, stack_name: str) -> None:
    providers = deployed(stack_name).of_type("pulumi:providers:kubernetes")
    (provider,) = providers
    assert "kubeconfig" in provider.secret_props


def test_oke_node_pool_uses_always_free_arm_shape(deployed: Deployed) -> None:
    (pool,) = deployed("oke").of_type("oci:ContainerEngine/nodePool:NodePool")
    assert pool.inputs["nodeShape"] == "VM.Standard.A1.Flex"
    shape = pool.manifest["nodeShapeConfig"]
    assert (shape["ocpus"], shape["memoryInGbs"]) == (2, 12)
    assert pool.manifest["nodeConfigDetails"]["size"] == 2


def test_oke_network_opens_only_api_and_web_ports_to_internet(deployed: Deployed) -> None:
    lists = deployed("oke").of_type("oci:Core/securityList:SecurityList")
    open_ports = sorted(
        rule["tcpOptions"]["min"]
        for sl in lists
        for rule in sl.manifest["ingressSecurityRules"]
        if rule["source"] == "0.0.0.0/0" and "tcpOptions" in rule
    )
    assert open_ports == [80, 443, 6443]


def test_oke_mirrors_dapr_secrets_into_vault(deployed: Deployed) -> None:
    vault = deployed("oke").of_type("oci:Vault/secret:Secret")
    assert [v.inputs["secretName"] for v in vault] == ["state-connection-string"]
    assert "secretContent" in vault[0].secret_props


def test_minikube_creates_no_cloud_resources(deployed: Deployed) -> None:
    types = {r.type.split(":")[0] for r in deployed("minikube").resources}
    assert types <= {"kubernetes", "taskflow", "pulumi"}


def test_minikube_monitoring_limits_stay_under_1_5_gib(deployed: Deployed) -> None:
    rec = deployed("minikube")
    release = "kubernetes:helm.sh/v3:Release"
    total = 0
    for name in ("kube-prometheus-stack", "loki", "alloy", "jaeger"):
        values = rec.named(release, name).inputs["values"]
        total += sum(_bytes(q) for q in _memory_limits(values))
    assert 0 < total < 1536 * 2**20


def _memory_limits(values: object) -> list[str]:
    found: list[str] = []
    if isinstance(values, dict):
        limits = values.get("limits")
        if isinstance(limits, dict) and "memory" in limits:
            found.append(str(limits["memory"]))
        for child in values.values():
            found += _memory_limits(child)
    elif isinstance(values, list):
        for child in values:
            found += _memory_limits(child)
    return found
