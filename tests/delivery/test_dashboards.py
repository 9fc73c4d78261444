"""Grafana dashboards: generated, valid JSON, and querying only metrics the code exports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.delivery.helpers import (
    DASHBOARDS,
    OBSERVABILITY,
    ROOT,
    allowed_series,
    contract_metrics,
    promql_metrics,
)

EXPECTED = {
    "taskflow-api.json",
    "taskflow-consumers.json",
    "taskflow-web.json",
    "taskflow-kafka.json",
    "taskflow-system-health.json",
}


def _dashboard_files() -> list[Path]:
    return sorted(DASHBOARDS.glob("*.json"))


def _panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for panel in dashboard.get("panels", []):
        found.append(panel)
        found.extend(panel.get("panels", []))  # collapsed rows
    return found


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_dashboards_exist_per_service_kafka_and_health() -> None:
    assert {path.name for path in _dashboard_files()} == EXPECTED


def test_committed_dashboards_equal_generator_output_when_checked() -> None:
    result = subprocess.run(
        [sys.executable, str(OBSERVABILITY / "build_dashboards.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, (
        "dashboards are stale: run `uv run python infra/observability/build_dashboards.py`\n"
        + result.stderr
    )


def test_generator_writes_every_dashboard_when_run_into_empty_dir(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(OBSERVABILITY / "build_dashboards.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    for name in EXPECTED:
        assert (tmp_path / name).read_text() == (DASHBOARDS / name).read_text()


@pytest.mark.parametrize("path", _dashboard_files(), ids=lambda path: path.name)
def test_dashboard_is_valid_grafana_json_when_loaded(path: Path) -> None:
    dashboard = _load(path)
    assert dashboard["uid"] == path.stem
    assert dashboard["title"].startswith("Taskflow / ")
    assert isinstance(dashboard["schemaVersion"], int)
    panels = _panels(dashboard)
    assert panels, f"{path.name} has no panels"
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate panel ids"
    for panel in panels:
        assert panel["title"] and panel["type"] in {"timeseries", "stat", "row"}
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24


@pytest.mark.parametrize("path", _dashboard_files(), ids=lambda path: path.name)
def test_panel_queries_name_only_contract_metrics_when_rendered(path: Path) -> None:
    allowed = allowed_series(contract_metrics())
    for panel in _panels(_load(path)):
        if panel["type"] == "row":
            continue
        assert panel["targets"], f"{path.name}: panel '{panel['title']}' has no query"
        for target in panel["targets"]:
            used = promql_metrics(target["expr"])
            assert used, f"{path.name}: '{panel['title']}' selects no metric"
            assert used <= allowed, (
                f"{path.name}: '{panel['title']}' uses {used - allowed}, not in docs/contracts.md"
            )


def test_dashboards_cover_every_contract_metric_when_combined() -> None:
    used: set[str] = set()
    for path in _dashboard_files():
        for panel in _panels(_load(path)):
            for target in panel.get("targets", []):
                used |= promql_metrics(target["expr"])
    bases = {re.sub(r"_(bucket|sum|count)$", "", name) for name in used}
    assert set(contract_metrics()) <= bases | used


def test_app_exports_every_dashboard_metric_when_metrics_exist() -> None:
    """Once the app defines its metrics, each contract metric must be defined in app/."""
    sources = [path.read_text(encoding="utf-8") for path in (ROOT / "app").rglob("*.py")]
    if not any("prometheus_client" in text for text in sources):
        pytest.skip("app/ defines no Prometheus metrics yet")
    code = "\n".join(sources)
    for name in contract_metrics():
        if name.startswith("kube_"):
            continue  # exported by kube-state-metrics, not the app
        declared = {name, name.removesuffix("_total")}
        assert any(f'"{candidate}"' in code for candidate in declared), (
            f"{name} is in docs/contracts.md and the dashboards but app/ never defines it"
        )


def test_promql_parser_ignores_functions_labels_and_groupings() -> None:
    expr = (
        "histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket"
        '{service=~"$service", route!="/x"}[$__rate_interval]))) > 2 and on(service) up offset 5m'
    )
    assert promql_metrics(expr) == {"http_request_duration_seconds_bucket", "up"}


def test_contract_parser_reads_types_when_metrics_listed() -> None:
    text = (
        "## Metrics\n- `a_total{x}` counter, `b_seconds{y}` histogram\n- `c` gauge\n"
        "## Next\n`d` gauge"
    )
    assert contract_metrics(text) == {"a_total": "counter", "b_seconds": "histogram", "c": "gauge"}
    assert "b_seconds_bucket" in allowed_series(contract_metrics(text))
