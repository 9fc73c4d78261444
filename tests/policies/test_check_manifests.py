"""The CLI-free runner over rendered YAML (fixtures: one good, one bad rendered directory)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from policies import check_manifests
from policies.pack import MANDATORY, RULES, STACK_RULES

FIXTURES = Path(__file__).parent / "fixtures"


def exemptions_file(tmp_path: Path, expires: datetime.date) -> Path:
    """The good fixtures' one exception: the ingress controller's load balancer."""
    path = tmp_path / "exemptions.yaml"
    entry = {
        "policy": "no-unapproved-load-balancers",
        "resource": "Service ingress-nginx/ingress-nginx-controller",
        "reason": "the one load balancer of the free tier belongs to the ingress",
        "expires": expires.isoformat(),
    }
    path.write_text(yaml.safe_dump({"exemptions": [entry]}), encoding="utf-8")
    return path


def test_main_passes_good_manifests_with_their_exemption(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    later = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=30)
    path = exemptions_file(tmp_path, later)
    assert check_manifests.main([str(FIXTURES / "good"), "--exemptions", str(path)]) == 0
    out = capsys.readouterr().out
    assert "0 mandatory, 0 advisory violations" in out


def test_main_fails_good_manifests_once_the_exemption_expired(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    earlier = datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=1)
    path = exemptions_file(tmp_path, earlier)
    assert check_manifests.main([str(FIXTURES / "good"), "--exemptions", str(path)]) == 1
    out = capsys.readouterr().out
    assert "expired" in out
    assert "[mandatory] no-unapproved-load-balancers" in out


def test_main_refuses_malformed_exemptions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "exemptions.yaml"
    path.write_text("exemptions: [{policy: x}]\n", encoding="utf-8")
    assert check_manifests.main([str(FIXTURES / "good"), "--exemptions", str(path)]) == 2
    assert "exactly the fields" in capsys.readouterr().err


def test_main_fails_bad_manifests(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_manifests.main([str(FIXTURES / "bad")]) == 1
    out = capsys.readouterr().out
    assert "[mandatory] no-latest-image-tags" in out
    assert "bad/1-manifest/apps_v1-deployment-taskflow-taskflow-web.yaml" in out


def test_check_reports_every_mandatory_kubernetes_rule_on_bad_manifests() -> None:
    resources = check_manifests.load_resources(check_manifests.yaml_files([FIXTURES / "bad"]))
    reported = {v.policy for v in check_manifests.check(resources)}
    levels = {rule.name: rule.enforcement_level for rule in RULES}
    levels.update({rule.name: rule.enforcement_level for rule in STACK_RULES})
    kubernetes_mandatory = {
        name for name, level in levels.items() if level == MANDATORY and not name.startswith("oke-")
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
    pdb = (
        FIXTURES
        / "good"
        / "1-manifest"
        / "policy_v1-poddisruptionbudget-taskflow-taskflow-api.yaml"
    )
    (tmp_path / "pdb.yaml").write_text(pdb.read_text(encoding="utf-8"), encoding="utf-8")
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
