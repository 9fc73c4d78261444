"""The CLI-free runner over rendered YAML (fixtures: one good, one bad rendered directory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import check_manifests
from policies.pack import MANDATORY, RULES

FIXTURES = Path(__file__).parent / "fixtures"


def test_main_passes_good_manifests(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_manifests.main([str(FIXTURES / "good")]) == 0
    out = capsys.readouterr().out
    assert "0 mandatory, 0 advisory violations" in out


def test_main_fails_bad_manifests(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_manifests.main([str(FIXTURES / "bad")]) == 1
    out = capsys.readouterr().out
    assert "[mandatory] no-latest-image-tags" in out
    assert "bad/1-manifest/apps_v1-deployment-taskflow-taskflow-web.yaml" in out


def test_check_reports_every_mandatory_kubernetes_rule_on_bad_manifests() -> None:
    resources = check_manifests.load_resources(check_manifests.yaml_files([FIXTURES / "bad"]))
    reported = {v.policy for v in check_manifests.check(resources)}
    kubernetes_mandatory = {
        rule.name
        for rule in RULES
        if rule.enforcement_level == MANDATORY and not rule.name.startswith("oke-")
    }
    assert kubernetes_mandatory <= reported


def test_main_passes_advisory_only_violations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = FIXTURES / "good" / "1-manifest" / "apps_v1-deployment-taskflow-taskflow-api.yaml"
    text = good.read_text(encoding="utf-8").replace(
        "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"
    )
    (tmp_path / "deployment.yml").write_text(text, encoding="utf-8")
    assert check_manifests.main([str(tmp_path)]) == 0
    assert "[advisory] read-only-root-filesystem" in capsys.readouterr().out


def test_main_fails_usage_on_directory_without_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_manifests.main([str(tmp_path)]) == 2
    assert "no YAML files" in capsys.readouterr().err


def test_main_fails_usage_on_invalid_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.yaml").write_text("kind: [unclosed\n", encoding="utf-8")
    assert check_manifests.main([str(tmp_path)]) == 2
    assert "invalid YAML" in capsys.readouterr().err


def test_main_fails_usage_on_yaml_without_objects(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("---\n# nothing\n", encoding="utf-8")
    assert check_manifests.main([str(tmp_path)]) == 2


def test_load_resources_unpacks_lists_and_skips_non_objects(tmp_path: Path) -> None:
    (tmp_path / "list.yaml").write_text(
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - {apiVersion: v1, kind: Service, metadata: {name: a}}\n"
        "  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: b}}\n"
        "---\n- just a list\n---\nplain: mapping\n",
        encoding="utf-8",
    )
    resources = check_manifests.load_resources([tmp_path / "list.yaml"])
    assert [(r.resource_type, r.name) for r in resources] == [
        ("kubernetes:core/v1:Service", "a"),
        ("kubernetes:apps/v1:Deployment", "b"),
    ]


@pytest.mark.parametrize(
    ("api_version", "kind", "token"),
    [
        ("v1", "ConfigMap", "kubernetes:core/v1:ConfigMap"),
        ("apps/v1", "Deployment", "kubernetes:apps/v1:Deployment"),
        ("networking.k8s.io/v1", "Ingress", "kubernetes:networking.k8s.io/v1:Ingress"),
        ("dapr.io/v1alpha1", "Component", "kubernetes:dapr.io/v1alpha1:Component"),
    ],
)
def test_type_token_matches_pulumi_tokens(api_version: str, kind: str, token: str) -> None:
    assert check_manifests.type_token(api_version, kind) == token
