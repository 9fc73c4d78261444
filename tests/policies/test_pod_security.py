"""Pod Security baseline/restricted validators: a passing and a failing pod for each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from policies import check_manifests, pod_security
from policies.pack import RULES
from tests.policies.policy_factories import DEPLOYMENT, Report, deployment, good_container, resource

Validator = Callable[[Any, Any], None]
FIXTURES = Path(__file__).parent / "fixtures"
NODE_AGENT = FIXTURES / "bad" / "1-manifest" / "apps_v1-deployment-taskflow-node-agent.yaml"


def run(validator: Validator, props: dict[str, Any], kind: str = DEPLOYMENT) -> list[str]:
    report = Report()
    validator(resource(kind, props), report)
    return report.messages


def with_pod(**fields: Any) -> dict[str, Any]:
    props = deployment()
    props["spec"]["template"]["spec"].update(fields)
    return props


def with_security(**fields: Any) -> dict[str, Any]:
    context = dict(good_container()["securityContext"], **fields)
    return deployment(good_container(securityContext=context))


@pytest.mark.parametrize("field", ["hostNetwork", "hostPID", "hostIPC"])
def test_host_namespaces_rejects_each_shared_namespace(field: str) -> None:
    messages = run(pod_security.host_namespaces_validator, with_pod(**{field: True}))
    assert messages == [
        f"Deployment taskflow/taskflow-api: {field}: true shares the node's namespace."
    ]


def test_host_namespaces_accepts_explicit_false() -> None:
    props = with_pod(hostNetwork=False, hostPID=False, hostIPC=False)
    assert run(pod_security.host_namespaces_validator, props) == []


def test_host_path_rejects_any_host_path_volume() -> None:
    props = with_pod(volumes=[{"name": "logs", "hostPath": {"path": "/var/log"}}])
    (message,) = run(pod_security.host_path_volumes_validator, props)
    assert "'logs' mounts hostPath '/var/log'" in message


def test_host_path_accepts_empty_dir_and_secret_volumes() -> None:
    props = with_pod(volumes=[{"name": "tmp", "emptyDir": {}}, {"name": "s", "secret": {}}])
    assert run(pod_security.host_path_volumes_validator, props) == []


def test_host_ports_rejects_host_port_in_init_container() -> None:
    init = good_container(name="init", ports=[{"containerPort": 53, "hostPort": 53}])
    props = deployment(init_containers=[init])
    (message,) = run(pod_security.host_ports_validator, props)
    assert "container 'init' binds hostPort 53" in message


def test_host_ports_accepts_container_ports_only() -> None:
    props = deployment(good_container(ports=[{"containerPort": 8000, "hostPort": 0}]))
    assert run(pod_security.host_ports_validator, props) == []


@pytest.mark.parametrize("capability", ["SYS_ADMIN", "NET_ADMIN", "CAP_SYS_PTRACE", "all"])
def test_capabilities_reject_beyond_baseline(capability: str) -> None:
    props = with_security(capabilities={"drop": ["ALL"], "add": [capability]})
    (message,) = run(pod_security.restricted_capabilities_validator, props)
    assert "beyond the Pod Security baseline" in message


def test_capabilities_reject_baseline_capability_under_restricted() -> None:
    props = with_security(capabilities={"drop": ["ALL"], "add": ["CHOWN"]})
    (message,) = run(pod_security.restricted_capabilities_validator, props)
    assert "adds CHOWN; restricted allows only NET_BIND_SERVICE" in message


def test_capabilities_reject_missing_drop_all() -> None:
    props = with_security(capabilities={"drop": ["NET_RAW"]})
    (message,) = run(pod_security.restricted_capabilities_validator, props)
    assert "must drop ALL" in message


def test_capabilities_accept_drop_all_plus_net_bind_service() -> None:
    props = with_security(capabilities={"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})
    assert run(pod_security.restricted_capabilities_validator, props) == []


def test_seccomp_accepts_pod_level_runtime_default() -> None:
    context = {
        k: v for k, v in good_container()["securityContext"].items() if k != "seccompProfile"
    }
    props = deployment(
        good_container(securityContext=context),
        pod_security_context={"seccompProfile": {"type": "RuntimeDefault"}},
    )
    assert run(pod_security.seccomp_runtime_default_validator, props) == []


def test_seccomp_rejects_container_unconfined_over_pod_default() -> None:
    props = deployment(
        good_container(securityContext={"seccompProfile": {"type": "Unconfined"}}),
        pod_security_context={"seccompProfile": {"type": "RuntimeDefault"}},
    )
    (message,) = run(pod_security.seccomp_runtime_default_validator, props)
    assert "seccomp profile is 'Unconfined'" in message


def test_seccomp_rejects_missing_profile() -> None:
    props = deployment(good_container(securityContext={"runAsNonRoot": True}))
    (message,) = run(pod_security.seccomp_runtime_default_validator, props)
    assert "seccomp profile is none" in message


def test_issue_example_passed_every_earlier_rule_and_now_fails() -> None:
    """The Deployment of issue 12 (hostNetwork, hostPID, hostPath /, hostPort, SYS_ADMIN)."""
    resources = check_manifests.load_resources([NODE_AGENT])
    new_rules = {
        pod_security.HOST_NAMESPACES,
        pod_security.HOST_PATH_VOLUMES,
        pod_security.HOST_PORTS,
        pod_security.RESTRICTED_CAPABILITIES,
    }
    earlier = [rule for rule in RULES if rule.name not in new_rules]
    assert check_manifests.check(resources, earlier, stack_rules=()) == []
    reported = {v.policy for v in check_manifests.check(resources)}
    assert new_rules | {"pdb-for-replicated-deployments"} == reported
    assert check_manifests.main([str(NODE_AGENT)]) == 1
