"""What rollback relies on in the program: its outputs and the labels of its Deployments."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from infra.program import PREVIOUS_IMAGE_TAG, RELEASE_NAMESPACE
from tests.delivery.helpers import ROOT, WORKFLOWS, jobs, load_yaml
from tests.infra import harness
from tests.infra.harness import run_program

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(autouse=True)
def event_loop_for_pulumi() -> Iterator[None]:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()


def exports_of(stack: str, config: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    exported: dict[str, Any] = {}
    monkeypatch.setattr(pulumi, "export", lambda name, value: exported.__setitem__(name, value))
    recorder = run_program(stack, config)
    return exported, recorder


def test_program_exports_deployed_and_previous_image_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    # The harness prefixes its overrides with taskflow:; CD sets the release namespace itself.
    original = harness.apply_config
    release_key = f"{RELEASE_NAMESPACE}:{PREVIOUS_IMAGE_TAG}"
    monkeypatch.setattr(
        harness, "apply_config", lambda values: original({**values, release_key: "abc1234"})
    )
    exported, _ = exports_of("oke", {"imageTag": SHA}, monkeypatch)
    assert exported["imageTag"] == SHA
    assert exported["previousImageTag"] == "abc1234"
    assert {"url", "kubeconfig"} <= set(exported)


def test_previous_image_tag_is_empty_on_a_first_deploy(monkeypatch: pytest.MonkeyPatch) -> None:
    exported, _ = exports_of("minikube", {"imageTag": SHA}, monkeypatch)
    assert exported["previousImageTag"] == ""


def test_workflows_pass_previous_tag_in_the_namespace_the_program_reads() -> None:
    for name in ("cd.yml", "rollback.yml"):
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert f'--config "{RELEASE_NAMESPACE}:{PREVIOUS_IMAGE_TAG}=' in text, name
        assert "pulumi stack output imageTag" in text, name


def deployment_labels(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, str]]:
    _, recorder = exports_of("oke", {"imageTag": SHA}, monkeypatch)
    found: dict[str, dict[str, str]] = {}
    for deployment in recorder.of_type("kubernetes:apps/v1:Deployment"):
        manifest = deployment.manifest
        labels = manifest["spec"]["template"]["metadata"]["labels"]
        found[manifest["metadata"]["name"]] = {**labels, **manifest["metadata"]["labels"]}
    return found


def selector_matches(selector: str, labels: dict[str, str]) -> bool:
    pairs = [term.split("=", 1) for term in selector.split(",")]
    return all(labels.get(key) == value for key, value in pairs)


def test_rollback_selects_the_api_deployment_by_the_labels_the_program_sets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    labels = deployment_labels(monkeypatch)
    selector = load_yaml(WORKFLOWS / "rollback.yml")["env"]["API_SELECTOR"]
    matching = [name for name, own in labels.items() if selector_matches(selector, own)]
    assert matching == ["api"], (selector, labels)
    (job,) = jobs(load_yaml(WORKFLOWS / "rollback.yml")).values()
    assert '-l "$API_SELECTOR"' in str(job["steps"])


def test_verify_release_waits_for_every_deployment_of_the_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    labels = deployment_labels(monkeypatch)
    action = (ROOT / ".github" / "actions" / "verify-release" / "action.yml").read_text()
    (selector,) = re.findall(r"-l (\S+=\S+) -o name", action)
    assert labels and all(selector_matches(selector, own) for own in labels.values())
