"""Alert rules and dashboards are deployed from whatever files exist under infra/observability/."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest

from infra.platform_services.observability import (
    MONITORING_LIMITS,
    Observability,
    ObservabilityArgs,
)
from infra.platform_services.observability_files import load_dashboards, load_rule_groups
from tests.infra.harness import Recorder
from tests.infra.schema_check import validate_builtin, validate_custom


def _build(files_dir: Path) -> Recorder:
    recorder = Recorder()
    pulumi.runtime.set_mocks(recorder, project="taskflow", stack="unit", preview=False)

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def program() -> None:
        Observability(
            "observability",
            ObservabilityArgs(
                prometheus_retention="15d",
                loki_retention="72h",
                profile="small",
                files_dir=files_dir,
            ),
        )

    program()
    return recorder


def test_observability_deploys_rules_and_dashboards_from_files(observability_files: Path) -> None:
    rec = _build(observability_files)
    (rule,) = rec.of_type("kubernetes:monitoring.coreos.com/v1:PrometheusRule")
    validate_custom(rule.manifest)
    assert rule.inputs["spec"]["groups"][0]["rules"][0]["alert"] == "TaskflowDown"
    (dashboard,) = rec.of_type("kubernetes:core/v1:ConfigMap")
    validate_builtin(dashboard.manifest)
    assert dashboard.inputs["metadata"]["annotations"]["grafana_folder"] == "Taskflow"
    assert dashboard.inputs["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert "overview.json" in dashboard.inputs["data"]


def test_observability_tolerates_missing_files(tmp_path: Path) -> None:
    rec = _build(tmp_path)
    assert rec.of_type("kubernetes:monitoring.coreos.com/v1:PrometheusRule") == []
    assert rec.of_type("kubernetes:core/v1:ConfigMap") == []
    assert len(rec.of_type("kubernetes:helm.sh/v3:Release")) == 4


def test_load_rule_groups_unwraps_prometheus_rule(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\n"
        "spec:\n  groups:\n  - name: g\n    rules: []\n"
    )
    assert load_rule_groups(path) == [{"name": "g", "rules": []}]


def test_load_rule_groups_rejects_non_list_groups(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text("groups: nope\n")
    with pytest.raises(ValueError, match="groups"):
        load_rule_groups(path)


def test_load_dashboards_rejects_invalid_json(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ValueError):
        load_dashboards(tmp_path)


def test_repository_observability_files_load() -> None:
    root = Path(__file__).resolve().parents[2] / "infra" / "observability"
    for group in load_rule_groups(root / "alerts.yaml"):
        assert group["name"] and isinstance(group["rules"], list)
    for body in load_dashboards(root / "dashboards").values():
        assert body.strip().startswith("{")


def test_monitoring_profiles_cover_same_parts() -> None:
    assert set(MONITORING_LIMITS["small"]) == set(MONITORING_LIMITS["standard"])
