"""Helm releases: reviewed charts only, exact versions; the list covers the program's charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra import versions
from policies import helm_rules
from tests.policies.policy_factories import Report, resource

RELEASE = "kubernetes:helm.sh/v3:Release"


def release(chart: str, version: str | None, repo: str | None) -> dict[str, Any]:
    props: dict[str, Any] = {"name": chart, "chart": chart}
    if version is not None:
        props["version"] = version
    if repo is not None:
        props["repositoryOpts"] = {"repo": repo}
    return props


def run(props: dict[str, Any], resource_type: str = RELEASE) -> list[str]:
    report = Report()
    helm_rules.trusted_helm_charts_validator(resource(resource_type, props), report)
    return report.messages


def test_every_chart_the_program_pins_is_trusted_at_an_exact_version() -> None:
    charts = [c for c in vars(versions).values() if isinstance(c, versions.Chart)]
    assert charts
    for chart in charts:
        assert run(release(chart.name, chart.version, chart.repo)) == [], chart


def test_accepts_trusted_chart_with_trailing_slash_difference() -> None:
    props = release("dapr", "1.18.3", "https://dapr.github.io/helm-charts")
    assert run(props) == []


@pytest.mark.parametrize("version", [None, "", "^4.0.0", ">=1.0", "4.x", "latest"])
def test_rejects_unpinned_version(version: str | None) -> None:
    props = release("ingress-nginx", version, "https://kubernetes.github.io/ingress-nginx")
    (message,) = run(props)
    assert "is not one exact version" in message


def test_rejects_chart_from_unreviewed_repository() -> None:
    props = release("ingress-nginx", "4.13.3", "https://charts.example.com")
    (message,) = run(props)
    assert (
        "https://charts.example.com/ingress-nginx is not in policies/trusted-charts.yaml" in message
    )


def test_reads_oci_chart_references() -> None:
    assert helm_rules.chart_source({"chart": "oci://ghcr.io/org/charts/app"}) == (
        "oci://ghcr.io/org/charts",
        "app",
    )
    assert len(run({"chart": "oci://ghcr.io/org/charts/app", "version": "1.0.0"})) == 1


def test_ignores_other_types() -> None:
    assert run(release("x", None, None), "kubernetes:apps/v1:Deployment") == []


def test_trusted_list_requires_every_field(tmp_path: Path) -> None:
    path = tmp_path / "trusted.yaml"
    path.write_text("charts:\n  - {repo: https://x, name: y, reason: z}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="privileges"):
        helm_rules.load_trusted_charts(path)
